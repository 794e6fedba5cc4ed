// Announces committed credit changes to `creditChanged` subscribers; each event carries the outcome's reporting
// partner so subscriptions can apply partner isolation.
import type { PrismaClient } from "@intrograph/db";
import type { CreditRecompute } from "@intrograph/ledger";
import { publishCreditChanged } from "../../pubsub.ts";

/** Publishes `creditChanged` for committed changes; each event carries the outcome's reporting partner for filtering. */
export async function publishCreditChanges(prisma: PrismaClient, changes: CreditRecompute["changes"]): Promise<void> {
  if (changes.length === 0) return;
  const outcomes = await prisma.outcome.findMany({
    where: { id: { in: changes.map((change) => change.outcomeId) } },
    select: { id: true, reportedByPartnerId: true },
  });
  const partnerOf = new Map(outcomes.map((outcome) => [outcome.id, outcome.reportedByPartnerId]));
  const changedAt = new Date();
  for (const change of changes) {
    publishCreditChanged({
      outcomeId: change.outcomeId,
      personIds: change.personIds,
      model: null,
      reportedByPartnerId: partnerOf.get(change.outcomeId) ?? null,
      changedAt,
    });
  }
}
