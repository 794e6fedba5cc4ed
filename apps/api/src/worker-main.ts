// `pnpm --filter @intrograph/api worker`: the background work of a deployment in one process, the job runner (MARKOV
// credit, …) and the webhook dispatcher, next to API processes started with INTROGRAPH_WORKER=off. Several workers may
// run side by side (pg-boss hands each job to one of them; webhook deliveries are claimed row by row).
import { openDatabase } from "@intrograph/db";
import { startJobRunner } from "@intrograph/jobs/runner";
import { stopOnSignals } from "@intrograph/jobs/shutdown";
import { WebhookDispatcher } from "./modules/webhooks/dispatcher.ts";

const log = (level: string) => (fields: object, message: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields, msg: message })}\n`);
const logger = { info: log("info"), warn: log("warn"), error: log("error") };

const database = await openDatabase();
const runner = await startJobRunner(database, { work: true, logger });
const webhooks = new WebhookDispatcher(database, { logger });
await webhooks.start();
log("info")({ database: database.location }, "worker started: jobs and webhook deliveries");

stopOnSignals({
  logger,
  async stop() {
    // Running jobs and deliveries in flight finish; nothing new is claimed meanwhile.
    await Promise.all([runner.stop(), webhooks.stop()]);
    await database.close();
  },
});
