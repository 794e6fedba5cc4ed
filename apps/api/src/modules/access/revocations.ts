// Key revocations between API processes over Redis: the process that revokes a key announces its id, every other drops
// it from its cache of verified keys at once (rather than within the cache's 30 s). A process whose subscription was
// interrupted may have missed announcements: when it is back it drops its whole cache, so nothing revoked meanwhile stays
// trusted. Without Redis each process relies on the cache's expiry alone.
import type { RedisBus } from "../../redis.ts";
import type { RevocationChannel } from "./api-keys.ts";

const CHANNEL = "api-keys:revoked";

export function redisRevocations(bus: RedisBus): RevocationChannel {
  return {
    announce: (apiKeyId) => bus.publish(CHANNEL, apiKeyId),
    async listen({ forget, forgetAll }) {
      bus.onReconnect(forgetAll);
      await bus.subscribe(CHANNEL, forget);
    },
  };
}
