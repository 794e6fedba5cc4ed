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
 * True when events that can move MARKOV credit were committed outside the snapshot its last run read, or it never ran
 * on a ledger with outcomes (data loaded without events: the demo load, a restore). Judged by the run's snapshot, not
 * by log position: a long transaction elsewhere on the server holds the readable log head back, and the run's position
 * with it, but it does not make a run that saw every committed write look stale.
 */
export async function markovCreditIsStale(prisma: PrismaClient): Promise<boolean> {
  const last = await prisma.creditModelRun.findUnique({ where: { model: "MARKOV" } });
  if (!last && (await prisma.outcome.findFirst({ where: { deletedAt: null }, select: { id: true } }))) return true;
  const types = [...CREDIT_EVENT_TYPES];
  const rows = last?.throughSnapshot
    ? // Transactions before the snapshot's xmin are all in it; later ones only when it saw them commit.
      await prisma.$queryRaw<{ found: number }[]>`
        SELECT 1 AS found FROM "DomainEvent"
        WHERE txid >= (pg_snapshot_xmin(${last.throughSnapshot}::pg_snapshot)::text)::bigint
          AND NOT pg_visible_in_snapshot(txid::text::xid8, ${last.throughSnapshot}::pg_snapshot)
          AND type = ANY(${types}::text[])
        LIMIT 1`
    : await prisma.$queryRaw<{ found: number }[]>`
        SELECT 1 AS found FROM "DomainEvent"
        WHERE (txid, id) > (${last?.throughTxid ?? 0n}, ${last?.throughEventId ?? 0n}) AND type = ANY(${types}::text[])
        LIMIT 1`;
  return rows.length > 0;
}
