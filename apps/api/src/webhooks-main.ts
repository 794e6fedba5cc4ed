// `pnpm --filter @intrograph/api webhooks`: the webhook dispatcher alone in its own process. Several may run side by
// side (deliveries are claimed row by row); the worker (worker-main.ts) runs it together with the background jobs.
import { openDatabase } from "@intrograph/db";
import { stopOnSignals } from "@intrograph/jobs/shutdown";
import { WebhookDispatcher } from "./modules/webhooks/dispatcher.ts";

const log = (level: string) => (fields: object, message: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields, msg: message })}\n`);

const database = await openDatabase();
const dispatcher = new WebhookDispatcher(database, { logger: { info: log("info"), warn: log("warn") } });
await dispatcher.start();
log("info")({ database: database.location }, "webhook dispatcher started");

stopOnSignals({
  logger: { info: log("info"), error: log("error") },
  async stop() {
    await dispatcher.stop();
    await database.close();
  },
});
