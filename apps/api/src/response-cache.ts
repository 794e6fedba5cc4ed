// A response cache for partners' reads (Yoga's response-cache plugin), exact by construction: each cached answer is
// keyed by the viewer's scope (one partner) and by the event-log version of what that scope can see, read from the
// database at the start of every request. Every write appends events in its own transaction (jobs included, e.g.
// `credit.changed`), so a write committed before a request began always gives that request a new key: no answer is
// ever staler than an uncached one, whichever process or replica wrote, and no invalidation message is needed. A
// partner's private write moves only that partner's version. Answers computed from the graph thread are not cached:
// the thread follows the log a moment behind, so an answer cached under a new version could still predate the write
// (staler than an uncached one). Everything else lives for a TTL, as a bound on anything not evented.
// Admin and anonymous requests are not cached. The store is the plugin's `Cache` interface: in this process's memory by
// default, Redis (redisResponseCache) when several replicas should share the answers.
import { type Cache, createInMemoryCache, useResponseCache } from "@graphql-yoga/plugin-response-cache";
import type { Plugin } from "graphql-yoga";
import type { Database } from "@intrograph/db";
import type { Viewer } from "./context.ts";
import type { Redis } from "./redis.ts";

export interface ResponseCacheOptions {
  /** Where answers are kept; in memory (10,000 answers, least recently used first out) by default. */
  store?: Cache;
  /** How long an answer may be served at most, in ms (default 60 s). */
  ttlMs?: number;
  /** The same for answers holding fields the graph thread computes (default 0: not cached). */
  graphTtlMs?: number;
  /** Where replicas share the versions' floor (with `store: redisResponseCache(redis)`), so they share answers. */
  redis?: Redis | null;
}

/** Fields answered from the graph thread's snapshot, which applies the event log asynchronously. */
const GRAPH_FIELDS = ["Query.warmIntroPaths", "Query.discoverConnectors", "Person.metrics", "Person.role"];

/** Once this many events are newer than the floor, the floor moves up (one new version for every scope). */
const FLOOR_WINDOW = 500;

/**
 * Answers kept in Redis for every replica, each under its key with the plugin's TTL. Keys carry the event-log version,
 * so nothing is ever invalidated, and no entity index is kept (@envelop/response-cache-redis keeps one set per type,
 * without expiry, which would only grow under versioned keys). A Redis that cannot be reached is a miss, not an error.
 */
export function redisResponseCache(redis: Redis, onError: (error: unknown) => void = () => {}): Cache {
  const key = (responseId: string) => `response:${responseId}`;
  return {
    async get(responseId) {
      try {
        const stored = await redis.get(key(responseId));
        return stored ? JSON.parse(stored) : undefined;
      } catch (error) {
        onError(error);
        return undefined;
      }
    },
    async set(responseId, result, _entities, ttl) {
      try {
        if (Number.isFinite(ttl)) await redis.set(key(responseId), JSON.stringify(result), "PX", Math.max(1, ttl));
        else await redis.set(key(responseId), JSON.stringify(result));
      } catch (error) {
        onError(error);
      }
    },
    invalidate() {},
  };
}

/** How often a replica re-reads the floor other replicas may have moved, in ms. */
const SHARED_FLOOR_REFRESH_MS = 1_000;
const SHARED_FLOOR_KEY = "response:floor";

/**
 * The event log's version as one scope sees it. `floor` is a transaction id every transaction below which had ended
 * when it was read, so each commit since adds an event at or above it: counting the events at or above it, public and
 * the partner's own, changes with every write that partner can see. Counting is cheap (the (txid, id) index, and
 * never more than about FLOOR_WINDOW rows). With Redis the replicas share one floor (any floor once read is valid for
 * good), so they compute the same versions and serve each other's answers.
 */
export class EventLogVersions {
  private floor: bigint | null = null;
  private floorReadAt = 0;

  constructor(
    private readonly prisma: Database["prisma"],
    private readonly redis: Redis | null = null,
  ) {}

  async versionFor(partnerId: string): Promise<string> {
    const floor = await this.currentFloor();
    const [row] = await this.prisma.$queryRaw<{ xmin: bigint; public: bigint; own: bigint; total: bigint }[]>`
      SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS xmin,
        count(*) FILTER (WHERE "partnerId" IS NULL) AS public,
        count(*) FILTER (WHERE "partnerId" = ${partnerId}::uuid) AS own,
        count(*) AS total
      FROM "DomainEvent" WHERE txid >= ${floor}`;
    if (row && row.total > FLOOR_WINDOW && row.xmin > floor) await this.moveFloor(row.xmin);
    return `${floor}.${row?.public ?? 0}.${row?.own ?? 0}`;
  }

  private async currentFloor(): Promise<bigint> {
    if (this.redis && Date.now() - this.floorReadAt >= SHARED_FLOOR_REFRESH_MS) {
      this.floorReadAt = Date.now();
      try {
        // The first replica to ask places it; everyone reads the same one.
        const [, shared] = await this.redis
          .multi()
          .set(SHARED_FLOOR_KEY, String(this.floor ?? (await this.currentXmin())), "NX")
          .get(SHARED_FLOOR_KEY)
          .exec()
          .then((results) => results!.map(([error, value]) => (error ? null : value)));
        if (typeof shared === "string") this.floor = BigInt(shared);
      } catch {
        // Redis unreachable: this replica keeps its own floor (its answers are cached for itself meanwhile).
      }
    }
    this.floor ??= await this.currentXmin();
    return this.floor;
  }

  private async moveFloor(xmin: bigint): Promise<void> {
    this.floor = xmin;
    await this.redis?.set(SHARED_FLOOR_KEY, String(xmin)).catch(() => {});
  }

  private async currentXmin(): Promise<bigint> {
    const [row] = await this.prisma.$queryRaw<{ xmin: bigint }[]>`
      SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS xmin`;
    return row!.xmin;
  }
}

/**
 * The response cache for partner reads, and an `x-response-cache: hit|miss` header on the answers it considered.
 * `viewerFor` resolves the request's API key (cached per request by the caller).
 */
export function useReadCache(
  database: Database,
  viewerFor: (request: Request) => Promise<Viewer>,
  options: ResponseCacheOptions = {},
): Plugin[] {
  const versions = new EventLogVersions(database.prisma, options.redis ?? null);
  const cacheable = new WeakMap<Request, boolean>();
  const served = new WeakMap<Request, "hit" | "miss">();
  const ttl = options.ttlMs ?? 60_000;
  const graphTtl = options.graphTtlMs ?? 0;
  return [
    useResponseCache({
      cache: options.store ?? createInMemoryCache({ max: 10_000 }),
      ttl,
      ttlPerSchemaCoordinate: Object.fromEntries(GRAPH_FIELDS.map((coordinate) => [coordinate, graphTtl])),
      // Keys carry the version, so nothing needs invalidating; entries of old versions age out of the store.
      invalidateViaMutation: false,
      session: async (request) => {
        const viewer = await viewerFor(request).catch(() => null);
        if (viewer?.kind !== "partner" || !viewer.partnerId) {
          cacheable.set(request, false);
          return null;
        }
        cacheable.set(request, true);
        return `partner:${viewer.partnerId}@${await versions.versionFor(viewer.partnerId)}`;
      },
      enabled: (request) => cacheable.get(request) === true,
    }),
    {
      onResultProcess({ request, result }) {
        if (!cacheable.get(request) || Array.isArray(result)) return;
        served.set(
          request,
          (result as Record<symbol, unknown>)[Symbol.for("servedFromResponseCache")] ? "hit" : "miss",
        );
      },
      onResponse({ request, response }) {
        const outcome = served.get(request);
        if (outcome) response.headers.set("x-response-cache", outcome);
      },
    },
  ];
}
