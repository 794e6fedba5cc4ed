// The HTTP face of intrograph: GraphQL (and GraphiQL) at /graphql, health at /healthz and /readyz, Prometheus metrics at
// /metrics, the admin app at /admin, GraphiQL's own assets at /graphiql/, the SDK (tarball, guide, reference) at /sdk/.
import { randomUUID } from "node:crypto";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { GraphQLError } from "graphql";
import { createGraphQLError, createYoga, useReadinessCheck } from "graphql-yoga";
import type { Database } from "@intrograph/db";
import { withTransactionRetry } from "@intrograph/db/retry";
import { anonymousViewer, type Context, databaseHandle, type Viewer } from "./context.ts";
import { useAdminApp } from "./admin-static.ts";
import { useCheckedCursors } from "./cursors.ts";
import { withKeysetCursors } from "./keyset-cursors.ts";
import { maskError } from "./error-codes.ts";
import { useNoNulStrings } from "./input-strings.ts";
import { createLogger, useMetrics, useRequestLog } from "./observability.ts";
import { graphiqlExample } from "./graphiql-example.ts";
import { GRAPHIQL_HEADERS_PLACEHOLDER, renderGraphiQL, useGraphiQLAssets } from "./graphiql.ts";
import { ApiKeyVerifier, InvalidApiKeyError } from "./modules/access/api-keys.ts";
import { redisRevocations } from "./modules/access/revocations.ts";
import { EventFeed, type EventFeedOptions, registerEventFeed } from "./modules/events/feed.ts";
import { followLogSignal, useLogMovedSignal } from "./modules/events/log-signal.ts";
import { useEventIds } from "./modules/events/sse.ts";
import { GraphService, type GraphServiceOptions } from "./modules/graph/service.ts";
import { registerGraphService } from "./modules/graph/snapshot.ts";
import {
  loadPersistedOperations,
  PERSISTED_OPERATION_PARAMS,
  partnersPersistedOnlyFromEnv,
  usePartnerPersistedOperations,
} from "./persisted-operations.ts";
import {
  corsFor,
  productionPlugins,
  type SecurityProfile,
  securityProfileFromEnv,
  useMetricsGuard,
} from "./production.ts";
import { type RateLimitOptions, rateLimitFromEnv, useRateLimit } from "./rate-limit.ts";
import { type SdkDownloadOptions, useSdkDownload } from "./sdk-download.ts";
import { type ResponseCacheOptions, redisResponseCache, useReadCache } from "./response-cache.ts";
import { type Redis, RedisBus } from "./redis.ts";
import { schema } from "./schema.ts";

export interface ApiOptions {
  database: Database;
  /** Requests per window per key / anonymous IP; defaults from the environment (see rate-limit.ts), false for none. */
  rateLimit?: RateLimitOptions | false;
  /** Partner keys may run only persisted operations; defaults from INTROGRAPH_PARTNERS_PERSISTED_ONLY. */
  partnersPersistedOnly?: boolean;
  /** Tuning of the graph service (defaults from the environment, see modules/graph/service.ts). */
  graph?: GraphServiceOptions;
  /** Production hardening, CORS origins and the /metrics token; defaults from the environment (see production.ts). */
  security?: SecurityProfile;
  /** Where the SDK served at /sdk/ comes from (defaults: packages/sdk/pack and /reference, the SDK's version). */
  sdk?: SdkDownloadOptions;
  /** The response cache of partner reads (see response-cache.ts); false for none. On unless INTROGRAPH_RESPONSE_CACHE=off. */
  responseCache?: ResponseCacheOptions | false;
  /** Tuning of the event feed behind subscriptions (see modules/events/feed.ts). */
  events?: EventFeedOptions;
  /**
   * Redis for state several replicas share (rate limits, cached answers; see redis.ts); null keeps them in this
   * process. main.ts connects to REDIS_URL.
   */
  redis?: Redis | null;
}

/** Query limits beyond the complexity plugin's depth/breadth/complexity (builder.ts). */
export const MAX_ALIASES = 30;
export const MAX_TOKENS = 5_000;
export const MAX_DIRECTIVES = 20;

/** The header non-browser clients send so that a GET or form POST cannot be forged from another site. */
export const CSRF_HEADER = "x-graphql-csrf";

function unauthenticated(message: string) {
  return createGraphQLError(message, {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401, headers: { "WWW-Authenticate": "Bearer" } } },
  });
}

/** graphql-armor's refusals, rethrown with the code every refusal carries (armor's own errors have none). */
function limitRefusal(code: string) {
  return (_context: unknown, error: GraphQLError): never => {
    throw new GraphQLError(error.message.replace(/^Syntax Error: /, ""), { extensions: { code } });
  };
}

export function createApi({
  database,
  rateLimit = rateLimitFromEnv(),
  partnersPersistedOnly = partnersPersistedOnlyFromEnv(),
  graph: graphOptions = {},
  security = securityProfileFromEnv(),
  sdk: sdkOptions = {},
  responseCache = process.env.INTROGRAPH_RESPONSE_CACHE === "off" ? false : {},
  events: eventOptions = {},
  redis = null,
}: ApiOptions) {
  const logger = createLogger();
  // With Redis, processes tell each other of revoked keys and of writes (see redis.ts).
  const bus = redis ? new RedisBus(redis, (error) => logger.warn({ err: error }, "redis: not published")) : null;
  const verifier = new ApiKeyVerifier(database.prisma, bus ? redisRevocations(bus) : null);
  verifier.start().catch((error: unknown) => logger.error({ err: error }, "not hearing key revocations"));
  // Deadlock victims and serialization failures are run again (the write's whole transaction), not answered as errors.
  // Pages after a cursor keep to one statement per request (see keyset-cursors.ts).
  const db = databaseHandle({ ...database, prisma: withTransactionRetry(withKeysetCursors(database.prisma)) });

  // Resolved once per request: the persisted-operations check needs the viewer before the context is built.
  const viewers = new WeakMap<Request, Promise<Viewer>>();
  function viewerFor(request: Request): Promise<Viewer> {
    let viewer = viewers.get(request);
    if (!viewer) {
      viewer = verifyViewer(request);
      viewers.set(request, viewer);
    }
    return viewer;
  }

  async function verifyViewer(request: Request): Promise<Viewer> {
    const header = request.headers.get("authorization");
    if (!header) {
      // A key sent where other APIs expect it would otherwise be ignored silently, leaving the caller anonymous.
      if (request.headers.has("x-api-key"))
        throw unauthenticated(
          "send the API key as `Authorization: Bearer <API key>`; the x-api-key header is not read",
        );
      return anonymousViewer;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated("the Authorization header must be `Bearer <API key>`");
    try {
      return await verifier.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidApiKeyError) throw unauthenticated(error.message);
      throw error;
    }
  }

  // One graph service per API (and so per process): main.ts starts it at boot; otherwise the first request that needs
  // it, or a readiness probe, does.
  const graph = new GraphService(database, { logger, ...graphOptions });
  registerGraphService(db, graph);
  // Subscriptions read the event log through one feed per process (started by the first subscriber).
  const events = new EventFeed(database, eventOptions);
  registerEventFeed(db, events);
  if (bus)
    followLogSignal(bus, [events, graph]).catch((error: unknown) =>
      logger.error({ err: error }, "not hearing other processes' writes: following the log on its timers only"),
    );
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    logging: logger,
    graphqlEndpoint: "/graphql",
    healthCheckEndpoint: "/healthz",
    landingPage: false,
    cors: corsFor(security),
    maskedErrors: { maskError },
    extraParamNames: PERSISTED_OPERATION_PARAMS,
    graphiql: {
      title: "intrograph GraphiQL",
      defaultQuery: graphiqlExample,
      headers: GRAPHIQL_HEADERS_PLACEHOLDER,
      shouldPersistHeaders: true,
    },
    renderGraphiQL,
    context: async ({ request }): Promise<Context> => ({
      viewer: await viewerFor(request),
      db,
      requestId: request.headers.get("x-request-id") ?? randomUUID(),
      apiKeys: verifier,
      lastEventId: request.headers.get("last-event-id"),
    }),
    plugins: [
      useRequestLog(logger),
      useMetricsGuard(security),
      useMetrics(database.prisma),
      ...(rateLimit ? [useRateLimit(rateLimit, redis)] : []),
      // JSON POSTs are preflighted by browsers; anything a form or a plain GET could send must carry this header.
      useCSRFPrevention({ requestHeaders: [CSRF_HEADER, "x-graphql-yoga-csrf"] }),
      ...usePartnerPersistedOperations({
        operations: loadPersistedOperations(),
        partnersOnly: partnersPersistedOnly,
        viewerFor,
      }),
      // `__typename` counts: a hundred aliases of it cost as much to answer as any other hundred.
      maxAliasesPlugin({
        n: MAX_ALIASES,
        exposeLimits: true,
        allowList: [],
        onReject: [limitRefusal("ALIAS_LIMIT_EXCEEDED")],
      }),
      maxTokensPlugin({ n: MAX_TOKENS, exposeLimits: true, onReject: [limitRefusal("TOKEN_LIMIT_EXCEEDED")] }),
      maxDirectivesPlugin({
        n: MAX_DIRECTIVES,
        exposeLimits: true,
        onReject: [limitRefusal("DIRECTIVE_LIMIT_EXCEEDED")],
      }),
      ...productionPlugins(security),
      useNoNulStrings(),
      useEventIds(),
      ...(bus ? [useLogMovedSignal(bus)] : []),
      useCheckedCursors(),
      // After the persisted operations (it keys on the document they resolve) and the limits it must not bypass.
      ...(responseCache
        ? useReadCache(database, viewerFor, {
            ...(redis
              ? {
                  store: redisResponseCache(redis, (error) =>
                    logger.warn({ err: error }, "response cache: Redis failed"),
                  ),
                  redis,
                }
              : {}),
            ...responseCache,
          })
        : []),
      useAdminApp(),
      useGraphiQLAssets(),
      useSdkDownload(sdkOptions),
      useReadinessCheck({
        endpoint: "/readyz",
        // Ready when the database answers and the graph snapshot is built; /healthz answers meanwhile.
        check: async () => {
          await database.prisma.$queryRaw`SELECT 1`;
          graph.start().catch((error: unknown) => logger.error({ err: error }, "graph service failed to start"));
          return graph.isReady;
        },
      }),
    ],
  });

  return { yoga, verifier, graph, events, bus };
}
