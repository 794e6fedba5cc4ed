// Key revocations between API processes over Redis pub/sub: the process that revokes a key announces its id, every
// other drops it from its cache of verified keys at once (rather than within the cache's 30 s). A subscriber that lost
// its connection may have missed announcements: when it is back it drops its whole cache, so nothing revoked meanwhile
// stays trusted. Without Redis each process relies on the cache's expiry alone.
import type { Redis } from "../../redis.ts";
import type { RevocationChannel } from "./api-keys.ts";

/** The channel's name carries the deployment's key prefix (pub/sub channels are not prefixed by the client). */
const channelOf = (redis: Redis) => `${redis.options.keyPrefix ?? ""}api-keys:revoked`;

export function redisRevocations(redis: Redis, onError: (error: unknown) => void = () => {}): RevocationChannel {
  const subscriber = redis.duplicate({ enableOfflineQueue: true, lazyConnect: true });
  subscriber.on("error", () => {});
  return {
    async announce(apiKeyId) {
      try {
        await redis.publish(channelOf(redis), apiKeyId);
      } catch (error) {
        onError(error);
      }
    },
    async listen({ forget, forgetAll }) {
      const channel = channelOf(redis);
      subscriber.on("message", (from: string, apiKeyId: string) => {
        if (from === channel) forget(apiKeyId);
      });
      let connectedBefore = false;
      subscriber.on("ready", () => {
        // ioredis subscribes again by itself after a reconnect; what was announced in between is unknown.
        if (connectedBefore) forgetAll();
        connectedBefore = true;
      });
      await subscriber.connect();
      await subscriber.subscribe(channel);
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
