// What several API replicas share through Redis when REDIS_URL is set: rate-limit counters (rate-limit.ts), the
// response cache's answers and version floor (response-cache.ts), and messages (RedisBus below): key revocations
// (modules/access/revocations.ts) and "the event log moved" (modules/events/log-signal.ts). Without it each process
// keeps its own, which is right for one replica. Everything else lives in PostgreSQL: writes, API keys, and the event
// log that subscriptions, webhooks and the graph snapshot follow. Redis holds nothing that cannot be lost: when it is
// down, limits fall back to per-process counters, the cache answers misses, followers read on their timers and a
// verified key is trusted for its 30 s, and the API keeps answering.
import { Redis } from "ioredis";

export { Redis };

/**
 * A client for REDIS_URL (null without it), connected: a wrong URL fails the start with a clear message. Every key it
 * writes starts with INTROGRAPH_REDIS_PREFIX ("intrograph:" by default), so several deployments can share one Redis.
 */
export async function connectRedis(
  url = process.env.REDIS_URL?.trim(),
  keyPrefix = process.env.INTROGRAPH_REDIS_PREFIX?.trim() || "intrograph:",
): Promise<Redis | null> {
  if (!url) return null;
  const redis = new Redis(url, {
    keyPrefix,
    lazyConnect: true,
    connectionName: "intrograph-api",
    // While Redis is unreachable a command fails at once (the callers fall back) instead of queueing behind reconnects.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
  });
  // Reconnects are ioredis's own business; an unhandled 'error' event would end the process. The last one says why a
  // first connection failed (connect() itself only says the connection closed).
  let lastError: Error | null = null;
  redis.on("error", (error: Error) => {
    lastError = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = (lastError as Error | null)?.message ?? (error as Error).message;
    throw new Error(`cannot reach Redis at REDIS_URL (${redactedUrl(url)}): ${reason}`);
  }
  return redis;
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "an unparsable URL";
  }
}

/**
 * Messages between the processes of a deployment over Redis pub/sub: one subscriber connection per process, channels
 * named with the deployment's key prefix (the client does not prefix channels). Delivery is best effort: whatever
 * listens must cope with a lost message (each use says how), and `onReconnect` tells when messages may have been lost.
 */
export class RedisBus {
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private readonly reconnectHandlers = new Set<() => void>();
  private connecting: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.subscriber = redis.duplicate({ enableOfflineQueue: true, lazyConnect: true, keyPrefix: "" });
    this.subscriber.on("error", () => {});
    this.subscriber.on("message", (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
    let connectedBefore = false;
    this.subscriber.on("ready", () => {
      // ioredis subscribes again by itself after a reconnect; what was published in between is unknown.
      if (connectedBefore) for (const handler of this.reconnectHandlers) handler();
      connectedBefore = true;
    });
  }

  private channel(name: string): string {
    return `${this.redis.options.keyPrefix ?? ""}${name}`;
  }

  /** Publishes to every process listening (this one included); a failure is reported, not thrown. */
  async publish(name: string, message = ""): Promise<void> {
    try {
      await this.redis.publish(this.channel(name), message);
    } catch (error) {
      this.onError(error);
    }
  }

  async subscribe(name: string, handler: (message: string) => void): Promise<void> {
    const channel = this.channel(name);
    const handlers = this.handlers.get(channel) ?? new Set();
    this.handlers.set(channel, handlers.add(handler));
    this.connecting ??= this.subscriber.connect();
    await this.connecting;
    await this.subscriber.subscribe(channel);
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.add(handler);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
