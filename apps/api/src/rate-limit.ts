// Per-caller request limits: each API key (by its prefix) and each anonymous IP address gets a budget of requests per
// window; past it the API answers 429 with Retry-After. With Redis (REDIS_URL) the counters are shared by every API
// replica; without it they live in this process's memory, which is right for one replica. When Redis cannot be reached
// each process counts on its own until it is back (a limit per replica rather than none).
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { IncomingMessage } from "node:http";
import type { Plugin } from "graphql-yoga";
import proxyAddr from "proxy-addr";
import type { Redis } from "./redis.ts";

export interface RateLimitOptions {
  /** Requests per window for one API key. */
  keyPoints: number;
  /** Requests per window for one anonymous IP address (GraphiQL, introspection). */
  anonymousPoints: number;
  windowSeconds: number;
  /**
   * Proxies (addresses, subnets, or proxy-addr's names such as "loopback") whose X-Forwarded-For is believed, so that
   * behind a load balancer anonymous requests count per client, not per balancer.
   */
  trustedProxies?: string[];
}

export const defaultRateLimit: RateLimitOptions = { keyPoints: 600, anonymousPoints: 120, windowSeconds: 60 };

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * INTROGRAPH_RATE_LIMIT (requests per window per key), INTROGRAPH_RATE_LIMIT_ANONYMOUS (per IP without a key),
 * INTROGRAPH_RATE_LIMIT_WINDOW (seconds), INTROGRAPH_TRUSTED_PROXIES (comma-separated); INTROGRAPH_RATE_LIMIT=off
 * turns limiting off.
 */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitOptions | false {
  if (env.INTROGRAPH_RATE_LIMIT === "off") return false;
  const trustedProxies = (env.INTROGRAPH_TRUSTED_PROXIES ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return {
    keyPoints: positive(env.INTROGRAPH_RATE_LIMIT, defaultRateLimit.keyPoints),
    anonymousPoints: positive(env.INTROGRAPH_RATE_LIMIT_ANONYMOUS, defaultRateLimit.anonymousPoints),
    windowSeconds: positive(env.INTROGRAPH_RATE_LIMIT_WINDOW, defaultRateLimit.windowSeconds),
    trustedProxies,
  };
}

/** The client's address: the socket's, or, from a trusted proxy, the nearest untrusted one in X-Forwarded-For. */
function clientAddressOf(trustedProxies: string[]): (serverContext: unknown) => string {
  let trust: ReturnType<typeof proxyAddr.compile>;
  try {
    trust = proxyAddr.compile(trustedProxies);
  } catch (error) {
    throw new Error(`INTROGRAPH_TRUSTED_PROXIES: ${(error as Error).message}`);
  }
  return (serverContext) => {
    const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
    return req?.socket ? proxyAddr(req, trust) : "unknown";
  };
}

const KEY_PREFIX = /^Bearer\s+ig_([a-z0-9]{12})_/i;
// Only the API itself: health checks and the admin app's static files cost next to nothing.
const LIMITED_PATHS = new Set(["/graphql"]);

/** The bucket a request draws from: its key's prefix (verified later), or the client's address. */
function rateLimitKey(request: Request, clientAddress: () => string): { bucket: string; anonymous: boolean } {
  const prefix = KEY_PREFIX.exec(request.headers.get("authorization") ?? "")?.[1];
  if (prefix) return { bucket: `key:${prefix.toLowerCase()}`, anonymous: false };
  return { bucket: `ip:${clientAddress()}`, anonymous: true };
}

function limiter(keyPrefix: string, points: number, duration: number, redis: Redis | null): RateLimiterAbstract {
  const inMemory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (!redis) return inMemory;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `rate:${keyPrefix}`,
    points,
    duration,
    insuranceLimiter: inMemory,
  });
}

/** The limits as a plugin; `redis` shares the counters between processes. */
export function useRateLimit(options: RateLimitOptions, redis: Redis | null = null): Plugin {
  const keys = limiter("key", options.keyPoints, options.windowSeconds, redis);
  const anonymous = limiter("ip", options.anonymousPoints, options.windowSeconds, redis);
  const clientAddress = clientAddressOf(options.trustedProxies ?? []);
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (!LIMITED_PATHS.has(url.pathname)) return;
      const { bucket, anonymous: isAnonymous } = rateLimitKey(request, () => clientAddress(serverContext));
      try {
        await (isAnonymous ? anonymous : keys).consume(bucket);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({
              errors: [
                {
                  message: `rate limit exceeded: at most ${isAnonymous ? options.anonymousPoints : options.keyPoints} requests per ${options.windowSeconds} s; retry in ${retryAfter} s`,
                  extensions: { code: "RATE_LIMITED", retryAfter },
                },
              ],
            }),
            {
              status: 429,
              headers: { "content-type": "application/json; charset=utf-8", "retry-after": String(retryAfter) },
            },
          ),
        );
      }
    },
  };
}
