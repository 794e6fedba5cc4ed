// `pnpm worker`: the job runner as its own process, for deployments where API replicas only queue work.
import { openDatabase } from "@intrograph/db";
import { startJobRunner } from "./runner.ts";

const log = (level: string) => (fields: object, message: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...fields, msg: message })}\n`);

const database = await openDatabase();
const runner = await startJobRunner(database, { logger: { info: log("info"), error: log("error") } });
log("info")({ database: database.location }, "job worker started");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log("info")({ signal }, "job worker stopping: finishing running jobs");
    await runner.stop();
    await database.close();
    process.exit(0);
  });
