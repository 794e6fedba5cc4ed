// A process whose stop step takes SHUTDOWN_TEST_STOP_MS (never ends when unset), for shutdown.test.ts.
import { stopOnSignals } from "../src/shutdown.ts";

const stopMs = process.env.SHUTDOWN_TEST_STOP_MS;
const log = (fields: object, message: string) =>
  process.stdout.write(`${JSON.stringify({ ...fields, msg: message })}\n`);
stopOnSignals({
  logger: { info: log, error: log },
  stop: () => new Promise((resolve) => (stopMs ? setTimeout(resolve, Number(stopMs)) : setInterval(() => {}, 1000))),
});
log({}, "ready");
setInterval(() => {}, 1000);
