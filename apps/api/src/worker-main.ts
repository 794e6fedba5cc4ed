// `pnpm --filter @intrograph/api worker`: the background work of a deployment in one process, the job runner (MARKOV
// credit, …) and the webhook dispatcher, next to API processes started with INTROGRAPH_WORKER=off. Several workers may
// run side by side (pg-boss hands each job to one of them; webhook deliveries are claimed row by row).
import { openDatabase } from "@intrograph/db";
import { startJobRunner } from "@intrograph/jobs/runner";
import { stopOnSignals } from "@intrograph/jobs/shutdown";
import { followLogSignal } from "./modules/events/log-signal.ts";
import { WebhookDispatcher } from "./modules/webhooks/dispatcher.ts";
import { connectRedis, RedisBus } from "./redis.ts";

const log = (level: string) => (fields: object, message: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields, msg: message })}\n`);
const logger = { info: log("info"), warn: log("warn"), error: log("error") };

const database = await openDatabase();
const runner = await startJobRunner(database, { work: true, logger });
const webhooks = new WebhookDispatcher(database, { logger });
await webhooks.start();
// With Redis, webhooks go out as soon as an API process announces a write, not at the dispatcher's next tick.
const redis = await connectRedis();
const bus = redis ? new RedisBus(redis, (error) => logger.warn({ err: error }, "redis: not published")) : null;
if (bus) await followLogSignal(bus, [webhooks]);
log("info")({ database: database.location, redis: Boolean(redis) }, "worker started: jobs and webhook deliveries");

stopOnSignals({
  logger,
  async stop() {
    // Running jobs and deliveries in flight finish; nothing new is claimed meanwhile.
    await Promise.all([runner.stop(), webhooks.stop()]);
    bus?.close();
    await Promise.all([database.close(), redis?.quit()]);
  },
});
