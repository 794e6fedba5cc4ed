// `pnpm --filter @intrograph/api webhooks`: the webhook dispatcher as its own process, for deployments whose API
// processes run with INTROGRAPH_WORKER=off. Several may run side by side (deliveries are claimed row by row).
import { openDatabase } from "@intrograph/db";
import { WebhookDispatcher } from "./modules/webhooks/dispatcher.ts";

const log = (level: string) => (fields: object, message: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields, msg: message })}\n`);

const database = await openDatabase();
const dispatcher = new WebhookDispatcher(database, { logger: { info: log("info"), warn: log("warn") } });
await dispatcher.start();
log("info")({ database: database.location }, "webhook dispatcher started");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log("info")({ signal }, "webhook dispatcher stopping: finishing deliveries in flight");
    await dispatcher.stop();
    await database.close();
    process.exit(0);
  });
