// Small, hand-built graphs for API tests, written straight through Prisma so each test knows exactly what is there.
import type { Database } from "@intrograph/db";

export interface GridNetwork {
  personIds: string[];
  relationshipIds: string[];
}

/**
 * `people` people, each tied to the next `degree` people around a ring (so everyone has 2×degree relationships),
 * with both relationship sides and one interaction each.
 */
export async function createRingNetwork(
  prisma: Database["prisma"],
  people: number,
  degree: number,
): Promise<GridNetwork> {
  const created = await prisma.person.createManyAndReturn({
    data: Array.from({ length: people }, (_, index) => ({
      displayName: `Person ${String(index).padStart(3, "0")}`,
      topics: index % 2 ? ["fintech"] : ["climate"],
    })),
    select: { id: true },
  });
  const personIds = created.map((person) => person.id);
  const pairs: [string, string][] = [];
  for (let index = 0; index < people; index += 1) {
    for (let step = 1; step <= degree; step += 1) {
      const a = personIds[index]!;
      const b = personIds[(index + step) % people]!;
      pairs.push(a < b ? [a, b] : [b, a]);
    }
  }
  const relationships = await prisma.relationship.createManyAndReturn({
    data: pairs.map(([personAId, personBId], index) => ({
      personAId,
      personBId,
      strength: 0.1 + ((index * 37) % 90) / 100,
      kind: "COLLEAGUE" as const,
    })),
    select: { id: true, personAId: true, personBId: true },
  });
  await prisma.relationshipSide.createMany({
    data: relationships.flatMap((relationship) => [
      { relationshipId: relationship.id, personId: relationship.personAId, otherPersonId: relationship.personBId },
      { relationshipId: relationship.id, personId: relationship.personBId, otherPersonId: relationship.personAId },
    ]),
  });
  await prisma.interaction.createMany({
    data: relationships.map((relationship) => ({
      relationshipId: relationship.id,
      kind: "MEETING" as const,
      occurredAt: new Date("2026-06-01T10:00:00Z"),
      initiatedById: relationship.personAId,
    })),
  });
  return { personIds, relationshipIds: relationships.map((relationship) => relationship.id) };
}
