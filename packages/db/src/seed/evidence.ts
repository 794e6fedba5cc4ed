// Relationship rows of the demo network, one per tie in the order the ties were made, each with its two sides and the
// interaction evidence its strength is computed from.
import type { InteractionKind, RelationshipKind } from "../generated/prisma/enums.ts";
import { computeStrength, initiatorSide } from "../strength.ts";
import { DISPUTE_REASONS, INTERACTION_NOTES } from "./names.ts";
import { addDays, date, type DemoNetwork } from "./network.ts";
import type { InteractionRow, RelationshipRow, RelationshipSideRow } from "./rows.ts";

const INTERACTION_WEIGHTS: Record<InteractionKind, number> = {
  MEETING: 3,
  CALL: 2,
  EMAIL: 1,
  MESSAGE: 0.5,
  EVENT: 1.5,
  COLLABORATION: 4,
  OTHER: 1,
};

const INTERACTION_MIX: Record<RelationshipKind, readonly (readonly [InteractionKind, number])[]> = {
  COLLEAGUE: [
    ["MEETING", 3],
    ["COLLABORATION", 3],
    ["MESSAGE", 3],
    ["EMAIL", 2],
    ["CALL", 1],
  ],
  CLIENT: [
    ["CALL", 3],
    ["EMAIL", 4],
    ["MEETING", 2],
    ["COLLABORATION", 1],
  ],
  ADVISOR: [
    ["CALL", 4],
    ["MEETING", 3],
    ["EMAIL", 2],
  ],
  INVESTOR: [
    ["MEETING", 4],
    ["CALL", 3],
    ["EMAIL", 3],
  ],
  FRIEND: [
    ["MESSAGE", 4],
    ["MEETING", 3],
    ["CALL", 2],
    ["EVENT", 1],
  ],
  FAMILY: [
    ["MESSAGE", 3],
    ["MEETING", 3],
    ["CALL", 2],
  ],
  COMMUNITY: [
    ["EVENT", 5],
    ["MESSAGE", 3],
    ["EMAIL", 1],
  ],
  OTHER: [
    ["EMAIL", 3],
    ["MESSAGE", 3],
    ["MEETING", 1],
    ["EVENT", 1],
    ["OTHER", 1],
  ],
};

export interface RelationshipRows {
  relationships: RelationshipRow[];
  relationshipSides: RelationshipSideRow[];
  interactions: InteractionRow[];
}

/** Dormant ties have old evidence only, active ones recent evidence; who reaches out is balanced for most ties. */
export function relationshipRowsWithEvidence(network: DemoNetwork): RelationshipRows {
  const { random, people, partners, newId, now } = network;
  const relationships: RelationshipRow[] = [];
  const relationshipSides: RelationshipSideRow[] = [];
  const interactions: InteractionRow[] = [];
  for (const edge of network.edgeList) {
    const first = people[edge.a]!.row.id;
    const second = people[edge.b]!.row.id;
    const [personAId, personBId] = first < second ? [first, second] : [second, first];
    const id = newId();
    const partnerIndex = edge.partnerIndex ?? (random.chance(0.06) ? random.int(partners.length) : null);
    const since =
      edge.startedAt ?? (random.chance(0.9) ? random.dateBetween(date("2012-01-01"), addDays(now, -60)) : null);
    const evidenceStart = since ?? random.dateBetween(date("2016-01-01"), addDays(now, -60));
    const evidenceEnd = edge.profile === "dormant" ? addDays(now, -random.between(400, 1400)) : now;
    const start = evidenceStart < evidenceEnd ? evidenceStart : addDays(evidenceEnd, -random.between(200, 1500));
    const count =
      edge.profile === "dormant"
        ? 5 + random.poisson(4)
        : edge.profile === "active"
          ? 1 + random.poisson(3)
          : random.between(1, 2);
    // Who reaches out: balanced for most ties, one-sided for some.
    const shareA = random.weighted([
      [0.5, 60],
      [0.15, 20],
      [0.85, 20],
    ] as const);
    const evidence: InteractionRow[] = [];
    for (let n = 0; n < count; n += 1) {
      const kind = random.weighted(INTERACTION_MIX[edge.kind]);
      // Skewed towards the end of the window: ties are usually most active lately.
      const u = 1 - random.next() ** 2;
      const occurredAt = new Date(Math.floor(start.getTime() + u * (evidenceEnd.getTime() - start.getTime())));
      const partnerReported = partnerIndex !== null && random.chance(0.7);
      evidence.push({
        id: newId(),
        relationshipId: id,
        kind,
        occurredAt,
        weight: INTERACTION_WEIGHTS[kind],
        initiatedById: random.chance(shareA) ? personAId : personBId,
        note: random.chance(0.3) ? random.pick(INTERACTION_NOTES[kind]) : null,
        source: partnerReported ? "PARTNER" : "IMPORT",
        reportedByPartnerId: partnerReported ? partners[partnerIndex]!.id : null,
        externalId: partnerReported ? network.nextExternalId(partnerIndex, "interaction") : null,
      });
    }
    evidence.sort((x, y) => x.occurredAt.getTime() - y.occurredAt.getTime());
    const { strength, evidence: strengthEvidence } = computeStrength(
      evidence.map((interaction) => ({
        occurredAt: interaction.occurredAt,
        weight: interaction.weight,
        initiatedBySide: initiatorSide(interaction.initiatedById, { personAId, personBId }),
      })),
      { since, now },
    );
    const status = random.weighted([
      ["UNVERIFIED", 68],
      ["VERIFIED", 29],
      ["DISPUTED", 3],
    ] as const);
    relationships.push({
      id,
      personAId,
      personBId,
      kind: edge.kind,
      status,
      source: partnerIndex !== null ? "PARTNER" : random.chance(0.6) ? "IMPORT" : "ADMIN",
      since,
      lastInteractionAt: evidence.at(-1)?.occurredAt ?? null,
      strength,
      strengthEvidence,
      disputeReason: status === "DISPUTED" ? random.pick(DISPUTE_REASONS) : null,
      reportedByPartnerId: partnerIndex !== null ? partners[partnerIndex]!.id : null,
    });
    relationshipSides.push(
      { id: newId(), relationshipId: id, personId: personAId, otherPersonId: personBId },
      { id: newId(), relationshipId: id, personId: personBId, otherPersonId: personAId },
    );
    interactions.push(...evidence);
  }
  return { relationships, relationshipSides, interactions };
}
