// MARKOV credit, global by nature (every journey moves every connector's removal effect), is recomputed by a job, off
// the request path: the ledger's `recomputeMarkovCredit` with the model computed in a worker thread, so the event loop
// that runs the job (the API's, in-process) stays free.
import type { Prisma, PrismaClient } from "@intrograph/db";
import {
  type Ledger,
  type MarkovCompute,
  type MarkovRun,
  recomputeMarkovCredit as recomputeMarkovCreditWith,
} from "@intrograph/ledger";
import { runInThread } from "./threads.ts";

export const computeMarkovInThread: MarkovCompute = (ledger) =>
  runInThread<Ledger, Prisma.CreditCreateManyInput[]>(new URL("./markov.thread.ts", import.meta.url), ledger);

/** The MARKOV job: the whole ledger's MARKOV credit, computed in a worker thread. */
export const recomputeMarkovCredit = (prisma: PrismaClient): Promise<MarkovRun> =>
  recomputeMarkovCreditWith(prisma, computeMarkovInThread);

/** Event types after which MARKOV credit may differ: any change to introductions, chains, outcomes or verdicts. */
export const CREDIT_EVENT_TYPES = [
  "introduction.created",
  "introduction.updated",
  "outcome.created",
  "outcome.updated",
  "creditDispute.adjudicated",
  "person.merged",
  "credit.rebuilt",
  "import.batch",
] as const;

/**
 * True when events that can move MARKOV credit were committed after its last run, or it never ran on a ledger with
 * outcomes (data loaded without events: the demo load, a restore).
 */
export async function markovCreditIsStale(prisma: PrismaClient): Promise<boolean> {
  const last = await prisma.creditModelRun.findUnique({ where: { model: "MARKOV" } });
  if (!last && (await prisma.outcome.findFirst({ where: { deletedAt: null }, select: { id: true } }))) return true;
  const after = last ? { txid: last.throughTxid, id: last.throughEventId } : { txid: 0n, id: 0n };
  const rows = await prisma.$queryRaw<{ found: number }[]>`
    SELECT 1 AS found FROM "DomainEvent"
    WHERE (txid, id) > (${after.txid}, ${after.id}) AND type = ANY(${[...CREDIT_EVENT_TYPES]}::text[])
    LIMIT 1`;
  return rows.length > 0;
}
