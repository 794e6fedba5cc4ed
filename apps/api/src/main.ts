// Starts intrograph: opens the database (embedded PGlite unless DATABASE_URL is set), loads the demo network into an
// empty database, and serves the API with GraphiQL.
import { createServer } from "node:http";
import { openDatabase } from "@intrograph/db";
import { ensureDemoData } from "@intrograph/db/seed";
import { describeDemoKeys, ensureDemoKeys } from "./demo-keys.ts";
import { startJobRunner } from "@intrograph/jobs/runner";
import { closeHttpServer, stopOnSignals } from "@intrograph/jobs/shutdown";
import { computeMissingCredit } from "@intrograph/ledger";
import { WebhookDispatcher } from "./modules/webhooks/dispatcher.ts";
import { connectRedis } from "./redis.ts";
import { createApi } from "./server.ts";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";

const database = await openDatabase();
console.log(`database: ${database.kind} at ${database.location}`);

const demoData = process.env.INTROGRAPH_DEMO_DATA !== "off";
if (demoData) {
  console.log("checking demo data…");
  const demo = await ensureDemoData(database.prisma);
  console.log(
    demo.loaded
      ? `loaded the demo network in ${(demo.durationMs / 1000).toFixed(1)} s: ${Object.entries(demo.counts)
          .map(([table, count]) => `${count} ${table}`)
          .join(", ")}`
      : "demo data already present: reusing it",
  );
}

// Background jobs (MARKOV credit, …) run in this process unless a separate worker (`pnpm worker`) takes them.
const runner = await startJobRunner(database, {
  work: process.env.INTROGRAPH_WORKER !== "off",
  logger: {
    info: (fields, message) => console.log(message, fields),
    error: (fields, message) => console.error(message, fields),
  },
});

// Webhooks go out from wherever jobs run (several dispatchers may run side by side: deliveries are claimed per row).
const webhooks =
  process.env.INTROGRAPH_WORKER !== "off"
    ? new WebhookDispatcher(database, {
        logger: {
          info: (fields, message) => console.log(message, fields),
          warn: (fields, message) => console.warn(message, fields),
        },
      })
    : null;
await webhooks?.start();

// The credit ledger is derived data: outcomes that arrived without it (the demo load, a restore, an upgrade) are credited
// in the background while the API already serves; until then their creditFreshness says so (computedAt null, stale).
// MARKOV follows in its job. A crash midway leaves the rest to the next start.
const creditStarted = performance.now();
computeMissingCredit(database.prisma).then(
  (computed) => {
    if (computed.outcomes > 0)
      console.log(
        `computed credit: ${computed.credits} rows for ${computed.outcomes} outcomes in ${((performance.now() - creditStarted) / 1000).toFixed(1)} s`,
      );
  },
  (error: unknown) => console.error("computing missing credit failed", error),
);

// Shared by every replica when REDIS_URL is set: rate limits, cached answers, key revocations, writes (see redis.ts).
const redis = await connectRedis();
if (redis)
  console.log("redis: rate limits, the response cache, key revocations and writes are shared through REDIS_URL");
const { yoga, graph, events, bus } = createApi({ database, redis });
// Built in its own thread while the server already answers /healthz; /readyz waits for it.
const graphStarted = performance.now();
graph.start().then(
  () => console.log(`graph snapshot ready in ${((performance.now() - graphStarted) / 1000).toFixed(1)} s`),
  (error: unknown) => console.error("graph service failed to start", error),
);
// In a cluster each replica names itself on every response, so one can see which replica answered.
const replicaName = process.env.INTROGRAPH_REPLICA_NAME;
const server = createServer((request, response) => {
  if (replicaName) response.setHeader("x-served-by", replicaName);
  return yoga(request, response);
});
server.listen(port, host, async () => {
  const base = `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`;
  console.log(
    `\nintrograph is up\n  admin     ${base}/admin/\n  GraphiQL  ${base}/graphql\n  health    ${base}/healthz  ${base}/readyz`,
  );
  // Demo keys go with the demo data, on any database; a deployment sets INTROGRAPH_DEMO_DATA=off.
  if (demoData) {
    const keys = await ensureDemoKeys(database);
    if (keys) console.log(`\n${describeDemoKeys(keys)}`);
  }
});

// SIGTERM/SIGINT: no new connections; requests in flight are answered and subscription streams end (clients resume
// from their last event elsewhere); running jobs, deliveries and the graph thread stop; then the database closes.
stopOnSignals({
  logger: {
    info: (fields, message) => console.log(message, fields),
    error: (fields, message) => console.error(message, fields),
  },
  async stop() {
    const closed = closeHttpServer(server);
    await events.stop();
    await closed;
    await Promise.all([runner.stop(), graph.stop(), webhooks?.stop()]);
    await yoga.dispose();
    bus?.close();
    await Promise.all([database.close(), redis?.quit()]);
  },
});
