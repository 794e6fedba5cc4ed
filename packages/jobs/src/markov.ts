// MARKOV credit, global by nature (every journey moves every connector's removal effect), is recomputed here, off the
// request path: a background job reads the whole ledger, computes in a worker thread and replaces the MARKOV rows in
// one short transaction, recording the event-log position the result reflects.
import type { PrismaClient, Prisma } from "@intrograph/db";
import { appendEvents, comparePositions, type EventPosition, logHead } from "@intrograph/db/events";
import { changedOutcomes, type Ledger, loadLedger } from "@intrograph/ledger";
import { runInThread } from "./threads.ts";

/** Serialises MARKOV writers (two workers finishing at once); the later position wins. */
const MARKOV_LOCK_ID = 0x1e70_c4ee;
const WRITE_TRANSACTION = { timeout: 5 * 60_000, maxWait: 60_000 } as const;

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

export interface MarkovRun {
  /** False when a newer run had already written its result. */
  written: boolean;
  through: EventPosition;
  outcomes: number;
  credits: number;
  changedOutcomes: number;
  durationMs: number;
}

export async function recomputeMarkovCredit(prisma: PrismaClient): Promise<MarkovRun> {
  const started = performance.now();
  // Everything up to `through` is committed, so the ledger read next reflects at least that position.
  const through = await logHead(prisma);
  const ledger = await loadLedger(prisma);
  const rows = await runInThread<Ledger, Prisma.CreditCreateManyInput[]>(
    new URL("./markov.thread.ts", import.meta.url),
    ledger,
  );
  const result = await prisma.$transaction(async (tx) => {
    await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM pg_advisory_xact_lock(${MARKOV_LOCK_ID})`);
    const last = await tx.creditModelRun.findUnique({ where: { model: "MARKOV" } });
    if (last && comparePositions({ txid: last.throughTxid, id: last.throughEventId }, through) > 0)
      return { written: false, changed: 0 };
    const before = await tx.credit.findMany({
      where: { model: "MARKOV" },
      select: { outcomeId: true, personId: true, model: true, amount: true },
    });
    await tx.credit.deleteMany({ where: { model: "MARKOV" } });
    for (let start = 0; start < rows.length; start += 5_000)
      await tx.credit.createMany({ data: rows.slice(start, start + 5_000) });
    const changes = changedOutcomes(before, rows);
    const run = {
      computedAt: new Date(),
      throughTxid: through.txid,
      throughEventId: through.id,
      durationMs: Math.round(performance.now() - started),
      outcomes: ledger.outcomes.length,
    };
    await tx.creditModelRun.upsert({ where: { model: "MARKOV" }, create: { model: "MARKOV", ...run }, update: run });
    // One combined event per run: subscribers re-read the credit of the people listed.
    if (changes.length)
      await appendEvents(tx, [
        {
          type: "credit.changed",
          entityType: "Credit",
          actorId: "job:credit-markov",
          payload: { model: "MARKOV", changes },
        },
      ]);
    return { written: true, changed: changes.length };
  }, WRITE_TRANSACTION);
  return {
    written: result.written,
    through,
    outcomes: ledger.outcomes.length,
    credits: rows.length,
    changedOutcomes: result.changed,
    durationMs: Math.round(performance.now() - started),
  };
}

/** True when events that can move MARKOV credit were committed after its last run (or it never ran). */
export async function markovCreditIsStale(prisma: PrismaClient): Promise<boolean> {
  const last = await prisma.creditModelRun.findUnique({ where: { model: "MARKOV" } });
  const after = last ? { txid: last.throughTxid, id: last.throughEventId } : { txid: 0n, id: 0n };
  const rows = await prisma.$queryRaw<{ found: number }[]>`
    SELECT 1 AS found FROM "DomainEvent"
    WHERE (txid, id) > (${after.txid}, ${after.id}) AND type = ANY(${[...CREDIT_EVENT_TYPES]}::text[])
    LIMIT 1`;
  return rows.length > 0;
}
