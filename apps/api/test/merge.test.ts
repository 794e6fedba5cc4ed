// mergePeople: everything the merged record held moves to the survivor, ties to a shared third person combine, and the
// merged record becomes a tombstone — or, on bad input or a stale version, nothing at all changes.
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const Merge = graphql(/* GraphQL */ `
  mutation Merge($input: MergePeopleInput!) {
    mergePeople(input: $input) {
      __typename
      ... on Error { message }
      ... on ConflictError { currentVersion }
      ... on MergePeopleSuccess {
        survivor {
          id displayName profileUrl email topics version
          relationships(first: 10) { totalCount edges { node { otherPerson { id } status strength } } }
        }
      }
    }
  }
`);
const DuplicateSuggestions = graphql(/* GraphQL */ `
  query DuplicateSuggestions {
    duplicateSuggestions(first: 10) { totalCount edges { node { score reason status personA { id } personB { id } } } }
  }
`);

describe.each(databaseKinds)("mergePeople on %s", (kind) => {
  let api: TestApi;
  let prisma: TestApi["database"]["prisma"];
  const id = {} as Record<"survivor" | "merged" | "x" | "y" | "z" | "w" | "org1" | "org2" | "outcome", string>;
  const tie = {} as Record<"survivorX" | "mergedX" | "mergedY" | "survivorMerged", string>;
  const intro = {} as Record<"byMerged" | "selfAfterMerge", string>;
  const gid = (raw: string) => encodeGlobalID("Person", raw);

  async function relate(
    first: string,
    second: string,
    evidence: { initiatedById?: string; at: string }[],
    status: "UNVERIFIED" | "VERIFIED" = "UNVERIFIED",
  ) {
    const [personAId, personBId] = first < second ? [first, second] : [second, first];
    const relationship = await prisma.relationship.create({
      data: {
        personAId,
        personBId,
        status,
        kind: "OTHER",
        sides: {
          create: [
            { personId: personAId, otherPersonId: personBId },
            { personId: personBId, otherPersonId: personAId },
          ],
        },
        interactions: {
          create: evidence.map((item) => ({
            kind: "MEETING" as const,
            occurredAt: new Date(item.at),
            initiatedById: item.initiatedById ?? null,
          })),
        },
      },
    });
    return relationship.id;
  }

  async function person(displayName: string, extra: { email?: string; profileUrl?: string; topics?: string[] } = {}) {
    return (
      await prisma.person.create({
        data: {
          displayName,
          topics: extra.topics ?? [],
          email: extra.email ?? null,
          profileUrl: extra.profileUrl ?? null,
        },
      })
    ).id;
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    prisma = api.database.prisma;
    id.survivor = await person("Ada Lovelace", { email: "ada@old.test", topics: ["math"] });
    id.merged = await person("Ada King Lovelace", {
      email: "ada@new.test",
      profileUrl: "https://linkedin.example/in/ada",
      topics: ["engines", "math"],
    });
    id.x = await person("Xavier");
    id.y = await person("Yara");
    id.z = await person("Zed");
    id.w = await person("Wanda");
    id.org1 = (await prisma.organization.create({ data: { name: "Analytical Engines" } })).id;
    id.org2 = (await prisma.organization.create({ data: { name: "Royal Society" } })).id;

    tie.survivorX = await relate(id.survivor, id.x, [{ at: "2026-09-01T10:00:00Z", initiatedById: id.x }]);
    tie.mergedX = await relate(
      id.merged,
      id.x,
      [{ at: "2026-10-01T10:00:00Z", initiatedById: id.merged }, { at: "2026-10-05T10:00:00Z" }],
      "VERIFIED",
    );
    tie.mergedY = await relate(id.merged, id.y, [{ at: "2026-08-01T10:00:00Z" }]);
    tie.survivorMerged = await relate(id.survivor, id.merged, [{ at: "2026-07-01T10:00:00Z" }]);

    const consented = new Date("2026-10-10T12:00:00Z");
    intro.byMerged = (
      await prisma.introduction.create({
        data: {
          connectorId: id.merged,
          fromId: id.x,
          toId: id.y,
          occurredAt: new Date("2026-10-10T10:00:00Z"),
          fromConsentedAt: consented,
          toConsentedAt: consented,
        },
      })
    ).id;
    intro.selfAfterMerge = (
      await prisma.introduction.create({
        data: { connectorId: id.z, fromId: id.merged, toId: id.survivor, occurredAt: new Date("2026-10-11T10:00:00Z") },
      })
    ).id;

    await prisma.membership.createMany({
      data: [
        { personId: id.survivor, organizationId: id.org1 },
        { personId: id.merged, organizationId: id.org1, title: "Chief Analyst", isDecisionMaker: true },
        { personId: id.merged, organizationId: id.org2, title: "Fellow" },
      ],
    });
    await prisma.socialAccount.create({
      data: { personId: id.merged, platform: "X", handle: "ada", followers: 1000, audienceQuality: 0.9 },
    });

    id.outcome = (
      await prisma.outcome.create({
        data: {
          kind: "DEAL",
          title: "Engine order",
          value: "1000",
          currency: "USD",
          occurredAt: new Date("2026-11-01T00:00:00Z"),
          introductions: { create: [{ introductionId: intro.byMerged }] },
        },
      })
    ).id;
    await prisma.credit.createMany({
      data: [
        {
          outcomeId: id.outcome,
          personId: id.survivor,
          model: "SHAPLEY",
          share: "0.25",
          amount: "250",
          currency: "USD",
          explanation: { note: "survivor" },
        },
        {
          outcomeId: id.outcome,
          personId: id.merged,
          model: "SHAPLEY",
          share: "0.5",
          amount: "500",
          currency: "USD",
          explanation: { note: "merged" },
        },
        {
          outcomeId: id.outcome,
          personId: id.merged,
          model: "LINEAR",
          share: "0.3",
          amount: "300",
          currency: "USD",
          explanation: {},
        },
      ],
    });
    const [a, b] = [id.survivor, id.merged].sort() as [string, string];
    await prisma.duplicateSuggestion.create({
      data: { personAId: a, personBId: b, reason: "same person", score: 0.9 },
    });
    const [c, d] = [id.merged, id.w].sort() as [string, string];
    await prisma.duplicateSuggestion.create({
      data: { personAId: c, personBId: d, reason: "similar name", score: 0.5 },
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it("rejects merging a person into themselves", async () => {
    const result = dataOf(
      await api.executeOperation(Merge, {
        input: { survivorId: gid(id.survivor), mergedId: gid(id.survivor), survivorVersion: 1, mergedVersion: 1 },
      }),
    ).mergePeople;
    expect(result?.__typename).toBe("ValidationError");
  });

  it("refuses a stale version and writes nothing", async () => {
    const auditBefore = await prisma.auditEvent.count();
    const result = dataOf(
      await api.executeOperation(Merge, {
        input: { survivorId: gid(id.survivor), mergedId: gid(id.merged), survivorVersion: 1, mergedVersion: 7 },
      }),
    ).mergePeople;
    expect(result).toMatchObject({ __typename: "ConflictError", currentVersion: 1 });
    const [survivor, merged] = await Promise.all([
      prisma.person.findUniqueOrThrow({ where: { id: id.survivor } }),
      prisma.person.findUniqueOrThrow({ where: { id: id.merged } }),
    ]);
    expect([survivor.version, merged.version, merged.mergedIntoId]).toEqual([1, 1, null]);
    expect(
      await prisma.relationship.count({ where: { OR: [{ personAId: id.merged }, { personBId: id.merged }] } }),
    ).toBe(3);
    expect(await prisma.auditEvent.count()).toBe(auditBefore);
  });

  it("moves everything to the survivor and leaves a tombstone", async () => {
    const result = dataOf(
      await api.executeOperation(Merge, {
        input: {
          survivorId: gid(id.survivor),
          mergedId: gid(id.merged),
          survivorVersion: 1,
          mergedVersion: 1,
          fields: { displayName: "MERGED", profileUrl: "MERGED", email: "SURVIVOR", topics: "UNION" },
        },
      }),
    ).mergePeople;
    expect(result?.__typename).toBe("MergePeopleSuccess");
    const { survivor } = ofType(result, "MergePeopleSuccess");
    expect(survivor).toMatchObject({
      displayName: "Ada King Lovelace",
      profileUrl: "https://linkedin.example/in/ada",
      email: "ada@old.test",
      topics: ["math", "engines"],
      version: 2,
    });
    const others = nodesOf(survivor.relationships)
      .map((side) => side.otherPerson?.id)
      .sort();
    expect(others).toEqual([gid(id.x), gid(id.y)].sort());

    const merged = await prisma.person.findUniqueOrThrow({ where: { id: id.merged } });
    expect(merged.mergedIntoId).toBe(id.survivor);
    expect(merged.mergedAt).toBeInstanceOf(Date);
    expect(merged.profileUrl).toBeNull();

    // Ties: survivor–X combined (evidence of both, verified wins), merged–Y re-pointed, survivor–merged gone.
    const ties = await prisma.relationship.findMany({
      where: { OR: [{ personAId: id.survivor }, { personBId: id.survivor }] },
      include: { interactions: true, sides: true },
    });
    expect(ties.map((relationship) => relationship.id).sort()).toEqual([tie.survivorX, tie.mergedY].sort());
    for (const relationship of ties) {
      expect(relationship.personAId < relationship.personBId).toBe(true);
      expect(relationship.sides.map((side) => side.personId).sort()).toEqual(
        [relationship.personAId, relationship.personBId].sort(),
      );
    }
    const combined = ties.find((relationship) => relationship.id === tie.survivorX)!;
    expect(combined.interactions).toHaveLength(3);
    expect(combined.status).toBe("VERIFIED");
    expect(combined.interactions.filter((interaction) => interaction.initiatedById === id.survivor)).toHaveLength(1);
    expect(combined.lastInteractionAt?.toISOString()).toBe("2026-10-05T10:00:00.000Z");
    expect(combined.strengthEvidence as Record<string, unknown>).not.toEqual({});
    expect(await prisma.relationship.count({ where: { id: { in: [tie.mergedX, tie.survivorMerged] } } })).toBe(0);
    expect(
      await prisma.relationshipSide.count({ where: { OR: [{ personId: id.merged }, { otherPersonId: id.merged }] } }),
    ).toBe(0);

    // Introductions: connector re-pointed; the one that would introduce the survivor to themselves is retired.
    expect((await prisma.introduction.findUniqueOrThrow({ where: { id: intro.byMerged } })).connectorId).toBe(
      id.survivor,
    );
    const retired = await prisma.introduction.findUniqueOrThrow({ where: { id: intro.selfAfterMerge } });
    expect(retired.deletedAt).toBeInstanceOf(Date);

    // Memberships deduplicated on (person, organization), gaps filled from the merged record.
    const memberships = await prisma.membership.findMany({
      where: { personId: { in: [id.survivor, id.merged] } },
      orderBy: { organizationId: "asc" },
    });
    expect(memberships.every((membership) => membership.personId === id.survivor)).toBe(true);
    expect(memberships).toHaveLength(2);
    const atOrg1 = memberships.find((membership) => membership.organizationId === id.org1)!;
    expect([atOrg1.title, atOrg1.isDecisionMaker]).toEqual(["Chief Analyst", true]);

    expect(await prisma.socialAccount.count({ where: { personId: id.survivor } })).toBe(1);

    // Credit is recomputed from the ledger: the one consented chain into the outcome now has the survivor as its only
    // connector, so every model gives the survivor the whole value, and nothing stays with the tombstone.
    const credits = await prisma.credit.findMany({
      where: { outcomeId: id.outcome, model: { in: ["SHAPLEY", "LINEAR"] } },
      orderBy: { model: "asc" },
    });
    expect(
      credits.map((credit) => [credit.personId, credit.model, credit.share.toString(), credit.amount.toString()]),
    ).toEqual([
      [id.survivor, "SHAPLEY", "1", "1000"],
      [id.survivor, "LINEAR", "1", "1000"],
    ]);
    expect(await prisma.credit.count({ where: { personId: id.merged } })).toBe(0);

    const suggestions = await prisma.duplicateSuggestion.findMany({ orderBy: { score: "desc" } });
    expect(suggestions[0]).toMatchObject({ status: "MERGED" });
    expect(suggestions[1]).toMatchObject({ status: "OPEN" });
    expect([suggestions[1]!.personAId, suggestions[1]!.personBId].sort()).toEqual([id.survivor, id.w].sort());
    expect(suggestions[1]!.personAId < suggestions[1]!.personBId).toBe(true);

    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "person.merge" } });
    expect(audit).toMatchObject({ entityType: "Person", entityId: id.survivor, actorKind: "ADMIN" });
    expect((audit.after as { counts: unknown }).counts).toMatchObject({
      relationshipsMoved: 1,
      relationshipsCombined: 1,
      relationshipsDeleted: 1,
      introductionsRetired: 1,
    });
  });

  it("rejects merging a tombstone, or into one", async () => {
    for (const input of [
      { survivorId: gid(id.survivor), mergedId: gid(id.merged), survivorVersion: 2, mergedVersion: 2 },
      { survivorId: gid(id.merged), mergedId: gid(id.w), survivorVersion: 2, mergedVersion: 1 },
    ]) {
      const result = dataOf(await api.executeOperation(Merge, { input })).mergePeople;
      expect(result?.__typename).toBe("ValidationError");
    }
  });

  it("lists open duplicate suggestions, most confident first", async () => {
    const response = dataOf(await api.executeOperation(DuplicateSuggestions));
    expect(response.duplicateSuggestions?.totalCount).toBe(1);
    expect(response.duplicateSuggestions?.edges[0]?.node).toMatchObject({ reason: "similar name", status: "OPEN" });
  });
});
