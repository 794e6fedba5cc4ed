// `pnpm worker`: the job runner as its own process, for deployments where API replicas only queue work. The API's
// worker (apps/api, `pnpm --filter @intrograph/api worker`) runs these jobs and the webhook dispatcher together.
import { openDatabase } from "@intrograph/db";
import { startJobRunner } from "./runner.ts";
import { stopOnSignals } from "./shutdown.ts";

const log = (level: string) => (fields: object, message: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields, msg: message })}\n`);
const logger = { info: log("info"), error: log("error") };

const database = await openDatabase();
const runner = await startJobRunner(database, { logger });
log("info")({ database: database.location }, "job worker started");

stopOnSignals({
  logger,
  async stop() {
    await runner.stop();
    await database.close();
  },
});
