// Thread side of the MARKOV job: the removal-effect model over the whole ledger, off the event loop.
import { parentPort, workerData } from "node:worker_threads";
import { type Ledger, markovCredit } from "@intrograph/ledger";

parentPort!.postMessage(markovCredit(workerData as Ledger));
