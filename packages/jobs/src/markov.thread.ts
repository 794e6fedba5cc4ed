// Thread side of the MARKOV job: the removal-effect model over the whole ledger, off the event loop.
import { parentPort, workerData } from "node:worker_threads";
import { type Ledger, markovCredit } from "@intrograph/ledger";

// Test-only: holds the thread this long first, so a test can kill the worker process while the job runs.
const testDelayMs = Number(process.env.INTROGRAPH_TEST_MARKOV_DELAY_MS ?? 0);
if (testDelayMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, testDelayMs);

parentPort!.postMessage(markovCredit(workerData as Ledger));
