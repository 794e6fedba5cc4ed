import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoData, generateDemoData } from "../src/seed/generate.ts";
import { ensureDemoData, loadDemoData } from "../src/seed/index.ts";
import { computeStrength, initiatorSide } from "../src/strength.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../src/testing.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function expectUnique(values: readonly unknown[], what: string) {
  const seen = new Set<unknown>();
  const repeated = values.filter((value) => {
    if (seen.has(value)) return true;
    seen.add(value);
    return false;
  });
  expect(repeated, `${what} repeats`).toEqual([]);
}

/** Every invariant the database, the graph and the credit models rely on. */
function checkInvariants(data: DemoData) {
  // Problems are collected and asserted once: a quarter of a million expect() calls would dominate the test's time.
  const problems: string[] = [];
  const check = (condition: boolean, problem: string) => {
    if (!condition && problems.length < 20) problems.push(problem);
  };
  const ids = [
    ...data.organizations,
    ...data.partners,
    ...data.people,
    ...data.memberships,
    ...data.socialAccounts,
    ...data.relationships,
    ...data.relationshipSides,
    ...data.interactions,
    ...data.introductions,
    ...data.outcomes,
    ...data.duplicateSuggestions,
  ].map((row) => row.id);
  expectUnique(ids, "id");
  for (const id of ids) check(UUID_V7.test(id), `${id} is not a v7 uuid`);
  expectUnique(
    data.organizations.map((org) => org.domain),
    "organization domain",
  );
  expectUnique(
    data.people.flatMap((person) => (person.profileUrl ? [person.profileUrl] : [])),
    "profileUrl",
  );
  expectUnique(
    data.partners.map((partner) => partner.slug),
    "partner slug",
  );
  expectUnique(
    data.memberships.map((m) => `${m.personId}/${m.organizationId}`),
    "membership",
  );
  expectUnique(
    data.socialAccounts.map((account) => `${account.platform}/${account.handle}`),
    "social handle",
  );
  for (const rows of [data.interactions, data.introductions, data.outcomes]) {
    expectUnique(
      rows.flatMap((row) => (row.externalId ? [`${row.reportedByPartnerId}/${row.externalId}`] : [])),
      "externalId",
    );
  }

  const people = new Set(data.people.map((person) => person.id));
  const organizations = new Set(data.organizations.map((org) => org.id));
  const partners = new Set(data.partners.map((partner) => partner.id));
  for (const m of data.memberships) {
    check(people.has(m.personId) && organizations.has(m.organizationId), `membership ${m.id} dangles`);
  }

  // Relationships: canonical order, no self-ties, one row per pair, exactly two mirrored sides each.
  const knows = new Set<string>();
  const byId = new Map(data.relationships.map((r) => [r.id, r]));
  for (const r of data.relationships) {
    check(r.personAId < r.personBId, `relationship ${r.id} is not in canonical order`);
    check(people.has(r.personAId) && people.has(r.personBId), `relationship ${r.id} dangles`);
    check(r.strength > 0 && r.strength <= 1, `relationship ${r.id} strength ${r.strength}`);
    check((r.status === "DISPUTED") === (r.disputeReason !== null), `relationship ${r.id} dispute reason`);
    check(!r.reportedByPartnerId || partners.has(r.reportedByPartnerId), `relationship ${r.id} partner`);
    knows.add(`${r.personAId}|${r.personBId}`);
  }
  expect(knows.size).toBe(data.relationships.length);
  const related = (x: string, y: string) => knows.has(x < y ? `${x}|${y}` : `${y}|${x}`);
  const sidesByRelationship = new Map<string, string[]>();
  for (const side of data.relationshipSides) {
    const relationship = byId.get(side.relationshipId);
    if (!relationship) {
      check(false, `side ${side.id} dangles`);
      continue;
    }
    check(
      side.personId === relationship.personAId || side.personId === relationship.personBId,
      `side ${side.id} owner`,
    );
    check(
      side.otherPersonId ===
        (side.personId === relationship.personAId ? relationship.personBId : relationship.personAId),
      `side ${side.id} other person`,
    );
    sidesByRelationship.set(side.relationshipId, [
      ...(sidesByRelationship.get(side.relationshipId) ?? []),
      side.personId,
    ]);
  }
  expect(sidesByRelationship.size).toBe(data.relationships.length);
  for (const [id, owners] of sidesByRelationship)
    check(owners.length === 2 && new Set(owners).size === 2, `relationship ${id} sides`);

  // Interactions are the evidence the stored strength was computed from.
  const evidence = new Map<string, DemoData["interactions"]>();
  for (const interaction of data.interactions) {
    const relationship = byId.get(interaction.relationshipId);
    if (!relationship) {
      check(false, `interaction ${interaction.id} dangles`);
      continue;
    }
    check(interaction.weight > 0, `interaction ${interaction.id} weight`);
    check(
      interaction.initiatedById === relationship.personAId || interaction.initiatedById === relationship.personBId,
      `interaction ${interaction.id} initiator`,
    );
    check(interaction.occurredAt.getTime() <= data.now.getTime(), `interaction ${interaction.id} is in the future`);
    evidence.set(interaction.relationshipId, [...(evidence.get(interaction.relationshipId) ?? []), interaction]);
  }
  for (const r of data.relationships.slice(0, 500)) {
    const own = evidence.get(r.id) ?? [];
    check(own.length > 0, `relationship ${r.id} has no evidence`);
    const recomputed = computeStrength(
      own.map((i) => ({
        occurredAt: i.occurredAt,
        weight: i.weight,
        initiatedBySide: initiatorSide(i.initiatedById, r),
      })),
      { since: r.since, now: data.now },
    );
    check(r.strength === recomputed.strength, `relationship ${r.id} strength is not recomputable`);
    check(
      r.lastInteractionAt?.getTime() === Math.max(...own.map((i) => i.occurredAt.getTime())),
      `relationship ${r.id} last interaction`,
    );
  }

  // Introductions: the connector knows both sides; three distinct people.
  const intros = new Map(data.introductions.map((intro) => [intro.id, intro]));
  for (const intro of data.introductions) {
    check(new Set([intro.connectorId, intro.fromId, intro.toId]).size === 3, `introduction ${intro.id} people`);
    check(related(intro.connectorId, intro.fromId), `introduction ${intro.id}: the connector does not know from`);
    check(related(intro.connectorId, intro.toId), `introduction ${intro.id}: the connector does not know to`);
    check(!intro.organizationId || organizations.has(intro.organizationId), `introduction ${intro.id} organization`);
    check(!intro.reportedByPartnerId || intro.source === "PARTNER", `introduction ${intro.id} source`);
  }

  // Chains: links run from earlier to later introductions and form a DAG of 2-4 introductions per path.
  expectUnique(
    data.introductionLinks.map((link) => `${link.earlierId}>${link.laterId}`),
    "link",
  );
  const later = new Map<string, string[]>();
  const indegree = new Map<string, number>();
  for (const link of data.introductionLinks) {
    const earlier = intros.get(link.earlierId);
    const next = intros.get(link.laterId);
    check(
      !!earlier && !!next && earlier.occurredAt < next.occurredAt,
      `link ${link.earlierId} > ${link.laterId} runs backwards`,
    );
    later.set(link.earlierId, [...(later.get(link.earlierId) ?? []), link.laterId]);
    indegree.set(link.laterId, (indegree.get(link.laterId) ?? 0) + 1);
  }
  // Kahn's algorithm: every introduction is ordered iff there is no cycle; track the longest path on the way.
  const longest = new Map<string, number>();
  const queue = data.introductions.filter((intro) => !indegree.has(intro.id)).map((intro) => intro.id);
  let ordered = 0;
  while (queue.length > 0) {
    const id = queue.pop()!;
    ordered += 1;
    for (const next of later.get(id) ?? []) {
      longest.set(next, Math.max(longest.get(next) ?? 1, (longest.get(id) ?? 1) + 1));
      const remaining = indegree.get(next)! - 1;
      indegree.set(next, remaining);
      if (remaining === 0) queue.push(next);
    }
  }
  expect(ordered).toBe(data.introductions.length);
  const lengths = [...longest.values()];
  expect(Math.max(...lengths)).toBeLessThanOrEqual(4);
  expect(lengths.some((length) => length >= 3)).toBe(true);

  // Outcomes hang off the last introductions of their chains.
  const outcomeIds = new Set(data.outcomes.map((outcome) => outcome.id));
  const linkedOutcomes = new Set<string>();
  for (const link of data.outcomeIntroductions) {
    check(outcomeIds.has(link.outcomeId) && intros.has(link.introductionId), `outcome link ${link.outcomeId} dangles`);
    check(!later.has(link.introductionId), `outcome ${link.outcomeId} hangs off an introduction that led further`);
    linkedOutcomes.add(link.outcomeId);
  }
  expect(linkedOutcomes.size).toBe(data.outcomes.length);
  for (const outcome of data.outcomes) {
    check(/^\d+\.\d{2}$/.test(outcome.value), `outcome ${outcome.id} value ${outcome.value}`);
    check(outcome.currency === "USD" || outcome.currency === "EUR", `outcome ${outcome.id} currency`);
  }
  expect(data.outcomes.filter((o) => o.currency === "USD").length).toBeGreaterThan(data.outcomes.length / 2);

  for (const suggestion of data.duplicateSuggestions) {
    check(suggestion.personAId < suggestion.personBId, `duplicate suggestion ${suggestion.id} order`);
    check(
      people.has(suggestion.personAId) && people.has(suggestion.personBId),
      `duplicate suggestion ${suggestion.id} dangles`,
    );
  }
  expect(problems).toEqual([]);
}

function degrees(data: DemoData): Map<string, number> {
  const degree = new Map<string, number>();
  for (const r of data.relationships) {
    degree.set(r.personAId, (degree.get(r.personAId) ?? 0) + 1);
    degree.set(r.personBId, (degree.get(r.personBId) ?? 0) + 1);
  }
  return degree;
}

describe("demo data generator", () => {
  const small = generateDemoData({ seed: 7, scale: 0.1 });

  it("is deterministic: the same seed gives identical rows and ids, another seed a different network", () => {
    expect(generateDemoData({ seed: 7, scale: 0.1 })).toEqual(small);
    const other = generateDemoData({ seed: 8, scale: 0.1 });
    expect(other.people[0]!.id).not.toBe(small.people[0]!.id);
    expect(other.people.map((p) => p.displayName)).not.toEqual(small.people.map((p) => p.displayName));
  });

  it("keeps every invariant at a small scale", () => {
    checkInvariants(small);
  });

  it("produces the target network at scale 1, with super-connectors, influencers, partners and duplicates", () => {
    const data = generateDemoData();
    checkInvariants(data);
    const near = (actual: number, target: number, tolerance = 0.1) => {
      expect(actual).toBeGreaterThanOrEqual(target * (1 - tolerance));
      expect(actual).toBeLessThanOrEqual(target * (1 + tolerance));
    };
    near(data.organizations.length, 300);
    near(data.people.length, 2000);
    near(data.relationships.length, 15_000);
    near(data.introductions.length, 1500);
    near(data.outcomes.length, 150);
    expect(data.relationshipSides.length).toBe(2 * data.relationships.length);
    const perRelationship = data.interactions.length / data.relationships.length;
    expect(perRelationship).toBeGreaterThanOrEqual(3);
    expect(perRelationship).toBeLessThanOrEqual(5);
    expect(data.introductionLinks.length).toBeGreaterThan(300);
    expect(new Set(data.outcomes.map((o) => o.kind))).toEqual(
      new Set(["DEAL", "HIRE", "INVESTMENT", "ACQUISITION", "PARTNERSHIP", "PURCHASE"]),
    );
    const statuses = (status: string) => data.relationships.filter((r) => r.status === status).length;
    expect(statuses("UNVERIFIED")).toBeGreaterThan(statuses("VERIFIED"));
    expect(statuses("VERIFIED")).toBeGreaterThan(statuses("DISPUTED"));
    expect(statuses("DISPUTED")).toBeGreaterThan(0);
    const introStatuses = new Set(data.introductions.map((intro) => intro.status));
    expect(introStatuses).toEqual(new Set(["PROPOSED", "ACCEPTED", "DECLINED", "MET"]));
    expect(data.introductions.some((i) => i.status === "MET" && (!i.fromConsentedAt || !i.toConsentedAt))).toBe(true);

    // Super-connectors are the best-connected people by far; influencers have audiences, not ties.
    const degree = degrees(data);
    const sorted = [...degree.values()].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1]!;
    for (const id of data.roles.superConnectorIds) expect(degree.get(id)!).toBeGreaterThan(4 * median);
    expect(data.roles.influencerIds).toHaveLength(6);
    for (const id of data.roles.influencerIds) {
      expect(degree.get(id) ?? 0).toBeLessThanOrEqual(3);
      const accounts = data.socialAccounts.filter((account) => account.personId === id);
      expect(Math.max(...accounts.map((a) => a.followers))).toBeGreaterThan(500_000);
      // Their audience quality is computed from the signals (engagement, spikes in the history), not drawn.
      for (const account of accounts) {
        expect(account.audienceQuality).toBeLessThanOrEqual(0.4);
        expect(account.audienceFlags.map((flag) => flag.kind)).toContain("BOUGHT_FOLLOWERS_SUSPECTED");
        const history = data.socialAccountSnapshots.filter((snapshot) => snapshot.socialAccountId === account.id);
        expect(history.length).toBeGreaterThanOrEqual(12);
      }
    }
    const ordinary = data.socialAccounts.filter((account) => !data.roles.influencerIds.includes(account.personId));
    expect(ordinary.length).toBeGreaterThan(200);
    for (const account of ordinary) {
      expect(account.audienceQuality).toBeGreaterThanOrEqual(0.7);
      expect(account.audienceFlags.map((flag) => flag.kind)).not.toContain("BOUGHT_FOLLOWERS_SUSPECTED");
    }

    expect(data.partners.map((p) => p.name)).toEqual(["Northwind CRM", "Lumen Marketplace"]);
    for (const partner of data.partners) {
      expect(data.introductions.some((i) => i.reportedByPartnerId === partner.id)).toBe(true);
      expect(data.outcomes.some((o) => o.reportedByPartnerId === partner.id)).toBe(true);
      expect(data.interactions.some((i) => i.reportedByPartnerId === partner.id)).toBe(true);
    }
    expect(data.duplicateSuggestions.length).toBeGreaterThanOrEqual(2);
    const email = new Map(data.people.map((p) => [p.id, p.email]));
    expect(data.roles.duplicatePairs.some(([a, b]) => email.get(a) !== null && email.get(a) === email.get(b))).toBe(
      true,
    );
    expect(data.memberships.filter((m) => m.isDecisionMaker).length).toBeGreaterThan(data.organizations.length / 2);
  });
});

describe.each(databaseKinds)("demo data in %s", (kind) => {
  let database: TestDatabase;
  const expected = generateDemoData({ scale: 0.1 });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("loads once with ensureDemoData and is reused, never duplicated, on the next start", async () => {
    const first = await ensureDemoData(database.prisma, { scale: 0.1 });
    expect(first.loaded).toBe(true);
    expect(first.counts.people).toBe(expected.people.length);
    expect(first.counts.interactions).toBe(expected.interactions.length);
    const second = await ensureDemoData(database.prisma, { scale: 0.1 });
    expect(second.loaded).toBe(false);
    expect(await database.prisma.person.count()).toBe(expected.people.length);
    expect(await database.prisma.relationship.count()).toBe(expected.relationships.length);
    expect(await database.prisma.relationshipSide.count()).toBe(expected.relationshipSides.length);
    expect(await database.prisma.introductionLink.count()).toBe(expected.introductionLinks.length);
  });

  it("stores values that read back exactly through Prisma", async () => {
    const relationship = expected.relationships[0]!;
    const stored = await database.prisma.relationship.findUniqueOrThrow({
      where: { id: relationship.id },
      include: { sides: true },
    });
    expect(stored.strength).toBe(relationship.strength);
    expect(stored.strengthEvidence).toEqual(relationship.strengthEvidence);
    expect(stored.lastInteractionAt).toEqual(relationship.lastInteractionAt);
    expect(stored.sides).toHaveLength(2);
    const person = expected.people[0]!;
    expect(await database.prisma.person.findUniqueOrThrow({ where: { id: person.id } })).toMatchObject(person);
    const outcome = expected.outcomes[0]!;
    const storedOutcome = await database.prisma.outcome.findUniqueOrThrow({ where: { id: outcome.id } });
    expect(storedOutcome.value.toFixed(2)).toBe(outcome.value);
    expect(storedOutcome.occurredAt).toEqual(outcome.occurredAt);
    // Traversal from either end of a relationship goes through the one `relationships` relation.
    const connector = expected.roles.superConnectorIds[0]!;
    const sides = await database.prisma.relationshipSide.count({ where: { personId: connector } });
    expect(sides).toBe(
      expected.relationships.filter((r) => r.personAId === connector || r.personBId === connector).length,
    );
  });

  it("writes all or nothing: a failed load leaves the database as it was, replaceExisting starts afresh", async () => {
    await expect(loadDemoData(database.prisma, { scale: 0.1 })).rejects.toThrow();
    expect(await database.prisma.person.count()).toBe(expected.people.length);
    const replaced = await loadDemoData(database.prisma, { seed: 99, scale: 0.1, replaceExisting: true });
    expect(replaced.loaded).toBe(true);
    expect(await database.prisma.person.count()).toBe(replaced.counts.people);
    expect(await database.prisma.person.findUnique({ where: { id: expected.people[0]!.id } })).toBeNull();
  });
});
