// A merge moves the merged record's credit rows to the survivor directly (the amounts are the human's, summed); the
// recompute that follows then sees no difference, so the move itself is announced here as credit.changed, in the
// merge's transaction, for every outcome the recompute did not already report.
import type { Prisma } from "@intrograph/db";
import { appendEvents } from "@intrograph/db/events";
import type { CreditChange } from "@intrograph/ledger";

export async function announceMovedCredit(
  tx: Prisma.TransactionClient,
  movedOutcomeIds: readonly string[],
  reported: readonly CreditChange[],
  people: { survivorId: string; mergedId: string },
): Promise<void> {
  const already = new Set(reported.map((change) => change.outcomeId));
  const outcomeIds = movedOutcomeIds.filter((id) => !already.has(id));
  if (outcomeIds.length === 0) return;
  const [outcomes, credits] = await Promise.all([
    tx.outcome.findMany({ where: { id: { in: outcomeIds } }, select: { id: true, reportedByPartnerId: true } }),
    tx.credit.findMany({
      where: { outcomeId: { in: outcomeIds }, personId: people.survivorId },
      select: { outcomeId: true, model: true },
    }),
  ]);
  await appendEvents(
    tx,
    outcomes.map((outcome) => ({
      type: "credit.changed",
      entityType: "Outcome",
      entityId: outcome.id,
      partnerId: outcome.reportedByPartnerId,
      payload: {
        outcomeId: outcome.id,
        models: [...new Set(credits.filter((row) => row.outcomeId === outcome.id).map((row) => row.model))].sort(),
        personIds: [people.mergedId, people.survivorId].sort(),
      },
    })),
  );
}
