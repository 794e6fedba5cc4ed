// What every batch transaction ends with, so that a committed batch is complete on its own: the per-outcome credit of
// the outcomes its rows feed, and one `import.batch` event (graph snapshots and the MARKOV job follow it). An import
// killed at any point therefore leaves credit that matches the rows it committed.
import type { Prisma } from "@intrograph/db";
import { appendEvents } from "@intrograph/db/events";
import { type CreditRecompute, outcomesDownstreamOf, recomputeCreditForOutcomes } from "@intrograph/ledger";
import { type Batch, type ListedEntityName, listedEntityNames } from "./batch.ts";

/** Ids listed per table in one event; beyond this only the count is exact (a follower re-reads what it cannot patch). */
export const MAX_EVENT_IDS = 5_000;

/** The payload of an `import.batch` event: ids only, never names or other row contents. */
export type ImportBatchPayload = {
  importId: string;
  source: string;
  partnerId: string | null;
} & Record<ListedEntityName, { count: number; ids: string[] }> &
  Record<"introductionLinks" | "outcomeIntroductions", { count: number }>;

/** The credit a batch recomputed: how many outcomes, and the changes to announce once it commits. */
export interface BatchCredit {
  outcomes: number;
  changes: CreditRecompute["changes"];
}

export interface BatchOrigin {
  importId: string;
  actorId: string | null;
}

/** Recomputes the batch's credit and appends its event; a batch that changed nothing leaves no trace. */
export async function finishBatch(
  tx: Prisma.TransactionClient,
  batch: Batch,
  origin: BatchOrigin,
): Promise<BatchCredit | null> {
  if (!batch.changedAnything()) return null;
  // The importer is the actor of every event the batch appends (the ledger's credit.changed included).
  if (origin.actorId) await tx.$queryRaw`SELECT set_config('intrograph.actor', ${origin.actorId}, true) AS actor`;
  const credit = await recomputeBatchCredit(tx, batch);
  await appendEvents(tx, [
    {
      type: "import.batch",
      entityType: "Import",
      entityId: origin.importId,
      actorId: origin.actorId,
      // A partner's batch holds its private reports: the event is that partner's too.
      partnerId: batch.state.partnerId ?? null,
      payload: batchPayload(batch, origin),
    },
  ]);
  return credit;
}

/**
 * Per-outcome credit of the outcomes the batch wrote or linked, and of those downstream of the introductions it wrote
 * or linked to earlier ones. MARKOV, which every journey moves, is left to the job the event queues.
 */
async function recomputeBatchCredit(tx: Prisma.TransactionClient, batch: Batch): Promise<BatchCredit | null> {
  const introductions = [...new Set([...batch.written.introductions, ...batch.linkedIntroductions])];
  const outcomes = new Set([...batch.written.outcomes, ...batch.linkedOutcomes]);
  for (const id of await outcomesDownstreamOf(tx, introductions)) outcomes.add(id);
  if (outcomes.size === 0) return null;
  // New links put introductions on these outcomes' chains: the ledger locks them before reading, so a concurrent change
  // to one of them (whose writer did not yet see the link) is not missed.
  const chainsChanged = batch.linkedIntroductions.size > 0 || batch.linkedOutcomes.size > 0;
  const { changes } = await recomputeCreditForOutcomes(tx, [...outcomes], {
    chainsChanged,
    cause: { cause: "IMPORT" },
  });
  return { outcomes: outcomes.size, changes };
}

function batchPayload(batch: Batch, origin: BatchOrigin): ImportBatchPayload {
  const listed = Object.fromEntries(
    listedEntityNames.map((name) => {
      const ids = batch.written[name];
      return [name, { count: ids.size, ids: [...ids].slice(0, MAX_EVENT_IDS) }];
    }),
  ) as Record<ListedEntityName, { count: number; ids: string[] }>;
  return {
    importId: origin.importId,
    source: batch.state.source,
    partnerId: batch.state.partnerId ?? null,
    ...listed,
    introductionLinks: { count: batch.counts.introductionLinks.created },
    outcomeIntroductions: { count: batch.counts.outcomeIntroductions.created },
  };
}
