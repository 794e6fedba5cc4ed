import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const RESULT = /* GraphQL */ `
  __typename
  ... on Error { message }
  ... on ValidationError { issues { path message } }
  ... on NotFoundError { entityType entityId }
  ... on ConflictError { currentVersion }
`;

const TABLES = [
  "person",
  "organization",
  "membership",
  "relationship",
  "relationshipSide",
  "interaction",
  "introduction",
  "introductionLink",
  "outcome",
  "outcomeIntroduction",
  "auditEvent",
] as const;

describe.each(databaseKinds)("writes on %s", (kind) => {
  let api: TestApi;
  const ids = {} as Record<"ada" | "ben" | "cy" | "dee" | "org" | "intro" | "relationship", string>;

  async function rowCounts() {
    const prisma = api.database.prisma as any;
    return Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await prisma[table].count()])));
  }

  async function mutate(field: string, input: Record<string, unknown>, selection = "") {
    const response = await api.request(
      `mutation($input: ${inputTypeOf(field)}!) { ${field}(input: $input) { ${RESULT} ${selection} } }`,
      { input },
    );
    return dataOf(response)[field] as any;
  }

  function inputTypeOf(field: string): string {
    const names: Record<string, string> = {
      setMembership: "SetMembershipInput",
      addInteraction: "AddInteractionInput",
    };
    return names[field] ?? `${field.charAt(0).toUpperCase()}${field.slice(1)}Input`;
  }

  async function createPerson(displayName: string) {
    const result = await mutate("createPerson", { displayName }, "... on CreatePersonSuccess { person { id } }");
    expect(result.__typename).toBe("CreatePersonSuccess");
    return result.person.id as string;
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    ids.ada = await createPerson("Ada Connector");
    ids.ben = await createPerson("Ben Founder");
    ids.cy = await createPerson("Cy Investor");
    ids.dee = await createPerson("Dee Recruiter");
    const org = await mutate(
      "createOrganization",
      { name: "Acme", domain: "acme.test" },
      "... on CreateOrganizationSuccess { organization { id } }",
    );
    ids.org = org.organization.id;
    const rel = await mutate(
      "createRelationship",
      {
        personId: ids.ada,
        otherPersonId: ids.ben,
        kind: "COLLEAGUE",
        interactions: [{ kind: "MEETING", occurredAt: "2026-10-01T10:00:00Z", initiatedById: ids.ben }],
      },
      "... on CreateRelationshipSuccess { relationship { id strength personA { id } personB { id } } }",
    );
    expect(rel.__typename).toBe("CreateRelationshipSuccess");
    ids.relationship = rel.relationship.id;
    const intro = await mutate(
      "createIntroduction",
      { connectorId: ids.ada, fromId: ids.ben, toId: ids.cy, occurredAt: "2026-10-02T10:00:00Z" },
      "... on CreateIntroductionSuccess { introduction { id } }",
    );
    ids.intro = intro.introduction.id;
  });
  afterAll(() => api.close());

  const missingPerson = encodeGlobalID("Person", "00000000-0000-7000-8000-000000000000");

  // Each case: a mutation, an input it must reject, and the error type it must return.
  const rejected: [string, string, () => Record<string, unknown>, string][] = [
    ["createPerson", "empty name", () => ({ displayName: "  " }), "ValidationError"],
    ["createPerson", "bad email", () => ({ displayName: "X", email: "not-an-email" }), "ValidationError"],
    ["createPerson", "bad profile URL", () => ({ displayName: "X", profileUrl: "nope" }), "ValidationError"],
    ["updatePerson", "unknown person", () => ({ id: missingPerson, version: 1, displayName: "Y" }), "NotFoundError"],
    ["updatePerson", "an organization's id", () => ({ id: ids.org, version: 1, displayName: "Y" }), "ValidationError"],
    ["createOrganization", "bad domain", () => ({ name: "Z", domain: "not a domain" }), "ValidationError"],
    ["createOrganization", "taken domain", () => ({ name: "Z", domain: "acme.test" }), "ConflictError"],
    ["updateOrganization", "empty name", () => ({ id: ids.org, version: 1, name: "" }), "ValidationError"],
    ["setMembership", "unknown person", () => ({ personId: missingPerson, organizationId: ids.org }), "NotFoundError"],
    [
      "setMembership",
      "until before since",
      () => ({
        personId: ids.ada,
        organizationId: ids.org,
        since: "2026-01-01T00:00:00Z",
        until: "2025-01-01T00:00:00Z",
      }),
      "ValidationError",
    ],
    ["createRelationship", "self tie", () => ({ personId: ids.ada, otherPersonId: ids.ada }), "ValidationError"],
    ["createRelationship", "existing pair", () => ({ personId: ids.ben, otherPersonId: ids.ada }), "ConflictError"],
    [
      "createRelationship",
      "unknown person",
      () => ({ personId: ids.ada, otherPersonId: missingPerson }),
      "NotFoundError",
    ],
    [
      "createRelationship",
      "interaction initiated by a stranger (and nothing else is written)",
      () => ({
        personId: ids.cy,
        otherPersonId: ids.dee,
        interactions: [{ kind: "CALL", occurredAt: "2026-01-01T00:00:00Z", initiatedById: ids.ada }],
      }),
      "ValidationError",
    ],
    [
      "createRelationship",
      "non-positive weight",
      () => ({
        personId: ids.cy,
        otherPersonId: ids.dee,
        interactions: [{ kind: "CALL", occurredAt: "2026-01-01T00:00:00Z", weight: 0 }],
      }),
      "ValidationError",
    ],
    [
      "updateRelationship",
      "dispute without reason",
      () => ({ id: ids.relationship, version: 1, status: "DISPUTED" }),
      "ValidationError",
    ],
    [
      "addInteraction",
      "unknown relationship",
      () => ({
        relationshipId: encodeGlobalID("Relationship", "00000000-0000-7000-8000-000000000000"),
        interaction: { kind: "CALL", occurredAt: "2026-01-01T00:00:00Z" },
      }),
      "NotFoundError",
    ],
    [
      "createIntroduction",
      "same from and to",
      () => ({ connectorId: ids.ada, fromId: ids.ben, toId: ids.ben, occurredAt: "2026-10-01T00:00:00Z" }),
      "ValidationError",
    ],
    [
      "createIntroduction",
      "connector introduces themselves",
      () => ({ connectorId: ids.ada, fromId: ids.ada, toId: ids.ben, occurredAt: "2026-10-01T00:00:00Z" }),
      "ValidationError",
    ],
    [
      "createIntroduction",
      "grows out of a later intro",
      () => ({
        connectorId: ids.ben,
        fromId: ids.cy,
        toId: ids.dee,
        occurredAt: "2026-01-01T00:00:00Z",
        ledFromIds: [ids.intro],
      }),
      "ValidationError",
    ],
    [
      "createIntroduction",
      "consent before the intro",
      () => ({
        connectorId: ids.ben,
        fromId: ids.cy,
        toId: ids.dee,
        occurredAt: "2026-10-05T00:00:00Z",
        fromConsentedAt: "2026-10-01T00:00:00Z",
      }),
      "ValidationError",
    ],
    [
      "updateIntroduction",
      "unknown intro",
      () => ({ id: encodeGlobalID("Introduction", "00000000-0000-7000-8000-000000000000"), version: 1, status: "MET" }),
      "NotFoundError",
    ],
    [
      "recordOutcome",
      "no introductions",
      () => ({
        kind: "DEAL",
        title: "Deal",
        value: "100.00",
        currency: "USD",
        occurredAt: "2026-11-01T00:00:00Z",
        introductionIds: [],
      }),
      "ValidationError",
    ],
    [
      "recordOutcome",
      "negative value",
      () => ({
        kind: "DEAL",
        title: "Deal",
        value: "-1",
        currency: "USD",
        occurredAt: "2026-11-01T00:00:00Z",
        introductionIds: [ids.intro],
      }),
      "ValidationError",
    ],
    [
      "recordOutcome",
      "bad currency",
      () => ({
        kind: "DEAL",
        title: "Deal",
        value: "1.00",
        currency: "usd",
        occurredAt: "2026-11-01T00:00:00Z",
        introductionIds: [ids.intro],
      }),
      "ValidationError",
    ],
    [
      "recordOutcome",
      "outcome before its intro",
      () => ({
        kind: "DEAL",
        title: "Deal",
        value: "1.00",
        currency: "USD",
        occurredAt: "2026-01-01T00:00:00Z",
        introductionIds: [ids.intro],
      }),
      "ValidationError",
    ],
  ];

  it.each(rejected)("%s rejects %s with %s and writes nothing", async (field, _case, input, expectedType) => {
    const before = await rowCounts();
    const result = await mutate(field, input());
    expect(result.__typename, JSON.stringify(result)).toBe(expectedType);
    expect(result.message).toBeTruthy();
    expect(await rowCounts()).toEqual(before);
  });

  it("a ValidationError names the offending field", async () => {
    const result = await mutate("createPerson", { displayName: "", email: "x" });
    expect(result.issues.map((issue: { path: string[] }) => issue.path.join("."))).toContain("input.displayName");
  });

  it("a stale version is a ConflictError that keeps the newer data", async () => {
    const first = await mutate(
      "updatePerson",
      { id: ids.dee, version: 1, headline: "Recruits engineers" },
      "... on UpdatePersonSuccess { person { version headline } }",
    );
    expect(first.person).toEqual({ version: 2, headline: "Recruits engineers" });
    const stale = await mutate("updatePerson", { id: ids.dee, version: 1, headline: "Overwritten?" });
    expect(stale.__typename).toBe("ConflictError");
    expect(stale.currentVersion).toBe(2);
    const person = await api.database.prisma.person.findFirstOrThrow({ where: { displayName: "Dee Recruiter" } });
    expect(person.headline).toBe("Recruits engineers");
    expect(person.version).toBe(2);
  });

  it("concurrent updates with the same version: exactly one wins, the others conflict", async () => {
    const results = await Promise.all(
      ["one", "two", "three", "four"].map((location) => mutate("updatePerson", { id: ids.cy, version: 1, location })),
    );
    const types = results.map((result) => result.__typename).sort();
    expect(types).toEqual(["ConflictError", "ConflictError", "ConflictError", "UpdatePersonSuccess"]);
    const person = await api.database.prisma.person.findFirstOrThrow({ where: { displayName: "Cy Investor" } });
    expect(person.version).toBe(2);
  });

  it("concurrent membership updates at one version: one wins, the others report the version stored now", async () => {
    const created = await mutate("setMembership", { personId: ids.dee, organizationId: ids.org, title: "Recruiter" });
    expect(created.__typename).toBe("SetMembershipSuccess");
    const results = await Promise.all(
      ["Lead", "Head", "Chief", "Principal"].map((title) =>
        mutate("setMembership", { personId: ids.dee, organizationId: ids.org, version: 1, title }),
      ),
    );
    const conflicts = results.filter((result) => result.__typename === "ConflictError");
    expect(conflicts).toHaveLength(3);
    expect(conflicts.map((conflict) => conflict.currentVersion)).toEqual([2, 2, 2]);
  });

  it("verifying a relationship bumps its version and is audited", async () => {
    const result = await mutate(
      "updateRelationship",
      { id: ids.relationship, version: 1, status: "VERIFIED" },
      "... on UpdateRelationshipSuccess { relationship { status version } }",
    );
    expect(result.relationship).toEqual({ status: "VERIFIED", version: 2 });
    const stale = await mutate("updateRelationship", {
      id: ids.relationship,
      version: 1,
      status: "DISPUTED",
      disputeReason: "never met",
    });
    expect(stale.__typename).toBe("ConflictError");
    const audit = await api.database.prisma.auditEvent.findMany({ where: { action: "relationship.update" } });
    expect(audit).toHaveLength(1);
    expect((audit[0]!.after as { status: string }).status).toBe("VERIFIED");
  });

  it("adding evidence recomputes strength from all interactions", async () => {
    const before = await api.database.prisma.relationship.findFirstOrThrow({
      where: { sides: { some: {} } },
      orderBy: { createdAt: "asc" },
    });
    const result = await mutate(
      "addInteraction",
      {
        relationshipId: ids.relationship,
        interaction: { kind: "COLLABORATION", occurredAt: new Date().toISOString(), weight: 3, initiatedById: ids.ada },
      },
      "... on AddInteractionSuccess { relationship { strength interactions(first: 10) { totalCount } } }",
    );
    expect(result.relationship.interactions.totalCount).toBe(2);
    expect(result.relationship.strength).toBeGreaterThan(before.strength);
  });

  it("concurrent evidence on one relationship loses nothing: strength reflects every interaction", async () => {
    const relationshipId = ids.relationship;
    const before = await api.database.prisma.interaction.count();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        mutate("addInteraction", {
          relationshipId,
          interaction: {
            kind: "MESSAGE",
            occurredAt: new Date(Date.now() - index * 60_000).toISOString(),
            initiatedById: index % 2 ? ids.ada : ids.ben,
          },
        }),
      ),
    );
    expect(results.every((result) => result.__typename === "AddInteractionSuccess")).toBe(true);
    expect(await api.database.prisma.interaction.count()).toBe(before + 8);
    const relationship = await api.database.prisma.relationship.findFirstOrThrow({
      where: { interactions: { some: {} } },
      include: { interactions: true },
      orderBy: { createdAt: "asc" },
    });
    expect((relationship.strengthEvidence as { interactionCount: number }).interactionCount).toBe(
      relationship.interactions.length,
    );
  });

  it("records an outcome and an intro chain, traversable both ways", async () => {
    const later = await mutate(
      "createIntroduction",
      {
        connectorId: ids.cy,
        fromId: ids.ben,
        toId: ids.dee,
        occurredAt: "2026-10-10T00:00:00Z",
        ledFromIds: [ids.intro],
        fromConsentedAt: "2026-10-10T00:00:00Z",
        toConsentedAt: "2026-10-11T00:00:00Z",
      },
      "... on CreateIntroductionSuccess { introduction { id consented ledFrom { id } } }",
    );
    expect(later.introduction.consented).toBe(true);
    expect(later.introduction.ledFrom).toEqual([{ id: ids.intro }]);
    const outcome = await mutate(
      "recordOutcome",
      {
        kind: "HIRE",
        title: "Dee hires Ben",
        value: "25000.50",
        currency: "EUR",
        occurredAt: "2026-11-01T00:00:00Z",
        introductionIds: [later.introduction.id],
      },
      "... on RecordOutcomeSuccess { outcome { value currency introductions { id ledFrom { connector { displayName } } } } }",
    );
    expect(outcome.outcome.value).toBe("25000.5");
    expect(outcome.outcome.introductions[0].ledFrom[0].connector.displayName).toBe("Ada Connector");
    const first = dataOf(
      await api.request(
        `query($id: ID!) { node(id: $id) { ... on Introduction { ledTo { id outcomes { title } } } } }`,
        { id: ids.intro },
      ),
    ) as any;
    expect(first.node.ledTo[0].outcomes[0].title).toBe("Dee hires Ben");
  });
});
