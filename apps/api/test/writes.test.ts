import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { type DocumentType, graphql } from "./generated/gql.ts";
import { dataOf, ofType, startTestApi, type TestApi } from "./harness.ts";

// Every write selects its __typename and these error fields beside its success type.
const WriteErrorFields = graphql(/* GraphQL */ `
  fragment WriteErrorFields on Error {
    message
    ... on ValidationError { issues { path message } }
    ... on NotFoundError { entityType entityId }
    ... on ConflictError { currentVersion }
  }
`);
const CreatePerson = graphql(/* GraphQL */ `
  mutation CreatePerson($input: CreatePersonInput!) {
    createPerson(input: $input) { __typename ...WriteErrorFields ... on CreatePersonSuccess { person { id } } }
  }
`);
const UpdatePerson = graphql(/* GraphQL */ `
  mutation UpdatePerson($input: UpdatePersonInput!) {
    updatePerson(input: $input) { __typename ...WriteErrorFields ... on UpdatePersonSuccess { person { version headline } } }
  }
`);
const CreateOrganization = graphql(/* GraphQL */ `
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      __typename ...WriteErrorFields ... on CreateOrganizationSuccess { organization { id } }
    }
  }
`);
const UpdateOrganization = graphql(/* GraphQL */ `
  mutation UpdateOrganization($input: UpdateOrganizationInput!) {
    updateOrganization(input: $input) { __typename ...WriteErrorFields }
  }
`);
const SetMembership = graphql(/* GraphQL */ `
  mutation SetMembership($input: SetMembershipInput!) {
    setMembership(input: $input) { __typename ...WriteErrorFields }
  }
`);
const CreateRelationship = graphql(/* GraphQL */ `
  mutation CreateRelationship($input: CreateRelationshipInput!) {
    createRelationship(input: $input) {
      __typename ...WriteErrorFields
      ... on CreateRelationshipSuccess { relationship { id strength personA { id } personB { id } } }
    }
  }
`);
const UpdateRelationship = graphql(/* GraphQL */ `
  mutation UpdateRelationship($input: UpdateRelationshipInput!) {
    updateRelationship(input: $input) {
      __typename ...WriteErrorFields ... on UpdateRelationshipSuccess { relationship { status version } }
    }
  }
`);
const AddInteraction = graphql(/* GraphQL */ `
  mutation AddInteraction($input: AddInteractionInput!) {
    addInteraction(input: $input) {
      __typename ...WriteErrorFields
      ... on AddInteractionSuccess { relationship { strength interactions(first: 10) { totalCount } } }
    }
  }
`);
const CreateIntroduction = graphql(/* GraphQL */ `
  mutation CreateIntroduction($input: CreateIntroductionInput!) {
    createIntroduction(input: $input) {
      __typename ...WriteErrorFields ... on CreateIntroductionSuccess { introduction { id consented ledFrom { id } } }
    }
  }
`);
const UpdateIntroduction = graphql(/* GraphQL */ `
  mutation UpdateIntroduction($input: UpdateIntroductionInput!) {
    updateIntroduction(input: $input) { __typename ...WriteErrorFields }
  }
`);
const RecordOutcome = graphql(/* GraphQL */ `
  mutation RecordOutcome($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) {
      __typename ...WriteErrorFields
      ... on RecordOutcomeSuccess { outcome { value currency introductions { id ledFrom { connector { displayName } } } } }
    }
  }
`);
const IntroductionLedTo = graphql(/* GraphQL */ `
  query IntroductionLedTo($id: ID!) { node(id: $id) { __typename ... on Introduction { ledTo { id outcomes { title } } } } }
`);

/** A write's result as the rejection cases read it: its type, and the message when it is an error. */
type WriteResult = { __typename: string } & Partial<DocumentType<typeof WriteErrorFields>>;

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
    const { prisma } = api.database;
    const counts: Record<(typeof TABLES)[number], () => Promise<number>> = {
      person: () => prisma.person.count(),
      organization: () => prisma.organization.count(),
      membership: () => prisma.membership.count(),
      relationship: () => prisma.relationship.count(),
      relationshipSide: () => prisma.relationshipSide.count(),
      interaction: () => prisma.interaction.count(),
      introduction: () => prisma.introduction.count(),
      introductionLink: () => prisma.introductionLink.count(),
      outcome: () => prisma.outcome.count(),
      outcomeIntroduction: () => prisma.outcomeIntroduction.count(),
      auditEvent: () => prisma.auditEvent.count(),
    };
    return Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await counts[table]()])));
  }

  /** Runs a write and returns its result (the mutation's one root field). */
  async function mutate<Result, Input>(
    document: TypedDocumentNode<Result, { input: Input }>,
    input: Input,
  ): Promise<Result[keyof Result]> {
    const data = dataOf(await api.executeOperation(document, { input }));
    return Object.values(data as Record<string, Result[keyof Result]>)[0]!;
  }

  async function createPerson(displayName: string) {
    const result = await mutate(CreatePerson, { displayName });
    expect(result?.__typename).toBe("CreatePersonSuccess");
    return ofType(result, "CreatePersonSuccess").person.id;
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    ids.ada = await createPerson("Ada Connector");
    ids.ben = await createPerson("Ben Founder");
    ids.cy = await createPerson("Cy Investor");
    ids.dee = await createPerson("Dee Recruiter");
    const org = await mutate(CreateOrganization, { name: "Acme", domain: "acme.test" });
    ids.org = ofType(org, "CreateOrganizationSuccess").organization.id;
    const rel = await mutate(CreateRelationship, {
      personId: ids.ada,
      otherPersonId: ids.ben,
      kind: "COLLEAGUE",
      interactions: [{ kind: "MEETING", occurredAt: "2026-10-01T10:00:00Z", initiatedById: ids.ben }],
    });
    expect(rel?.__typename).toBe("CreateRelationshipSuccess");
    ids.relationship = ofType(rel, "CreateRelationshipSuccess").relationship.id;
    const intro = await mutate(CreateIntroduction, {
      connectorId: ids.ada,
      fromId: ids.ben,
      toId: ids.cy,
      occurredAt: "2026-10-02T10:00:00Z",
    });
    ids.intro = ofType(intro, "CreateIntroductionSuccess").introduction.id;
  });
  afterAll(() => api.close());

  const missingPerson = encodeGlobalID("Person", "00000000-0000-7000-8000-000000000000");

  // Each case: a mutation, what is wrong with its input, the error type it must return, and the write itself.
  const rejected: [string, string, string, () => Promise<WriteResult | null>][] = [
    ["createPerson", "empty name", "ValidationError", () => mutate(CreatePerson, { displayName: "  " })],
    [
      "createPerson",
      "bad email",
      "ValidationError",
      () => mutate(CreatePerson, { displayName: "X", email: "not-an-email" }),
    ],
    [
      "createPerson",
      "bad profile URL",
      "ValidationError",
      () => mutate(CreatePerson, { displayName: "X", profileUrl: "nope" }),
    ],
    [
      "updatePerson",
      "unknown person",
      "NotFoundError",
      () => mutate(UpdatePerson, { id: missingPerson, version: 1, displayName: "Y" }),
    ],
    [
      "updatePerson",
      "an organization's id",
      "ValidationError",
      () => mutate(UpdatePerson, { id: ids.org, version: 1, displayName: "Y" }),
    ],
    [
      "createOrganization",
      "bad domain",
      "ValidationError",
      () => mutate(CreateOrganization, { name: "Z", domain: "not a domain" }),
    ],
    [
      "createOrganization",
      "taken domain",
      "ConflictError",
      () => mutate(CreateOrganization, { name: "Z", domain: "acme.test" }),
    ],
    [
      "updateOrganization",
      "empty name",
      "ValidationError",
      () => mutate(UpdateOrganization, { id: ids.org, version: 1, name: "" }),
    ],
    [
      "setMembership",
      "unknown person",
      "NotFoundError",
      () => mutate(SetMembership, { personId: missingPerson, organizationId: ids.org }),
    ],
    [
      "setMembership",
      "until before since",
      "ValidationError",
      () =>
        mutate(SetMembership, {
          personId: ids.ada,
          organizationId: ids.org,
          since: "2026-01-01T00:00:00Z",
          until: "2025-01-01T00:00:00Z",
        }),
    ],
    [
      "createRelationship",
      "self tie",
      "ValidationError",
      () => mutate(CreateRelationship, { personId: ids.ada, otherPersonId: ids.ada }),
    ],
    [
      "createRelationship",
      "existing pair",
      "ConflictError",
      () => mutate(CreateRelationship, { personId: ids.ben, otherPersonId: ids.ada }),
    ],
    [
      "createRelationship",
      "unknown person",
      "NotFoundError",
      () => mutate(CreateRelationship, { personId: ids.ada, otherPersonId: missingPerson }),
    ],
    [
      "createRelationship",
      "interaction initiated by a stranger (and nothing else is written)",
      "ValidationError",
      () =>
        mutate(CreateRelationship, {
          personId: ids.cy,
          otherPersonId: ids.dee,
          interactions: [{ kind: "CALL", occurredAt: "2026-01-01T00:00:00Z", initiatedById: ids.ada }],
        }),
    ],
    [
      "createRelationship",
      "non-positive weight",
      "ValidationError",
      () =>
        mutate(CreateRelationship, {
          personId: ids.cy,
          otherPersonId: ids.dee,
          interactions: [{ kind: "CALL", occurredAt: "2026-01-01T00:00:00Z", weight: 0 }],
        }),
    ],
    [
      "updateRelationship",
      "dispute without reason",
      "ValidationError",
      () => mutate(UpdateRelationship, { id: ids.relationship, version: 1, status: "DISPUTED" }),
    ],
    [
      "addInteraction",
      "unknown relationship",
      "NotFoundError",
      () =>
        mutate(AddInteraction, {
          relationshipId: encodeGlobalID("Relationship", "00000000-0000-7000-8000-000000000000"),
          interaction: { kind: "CALL", occurredAt: "2026-01-01T00:00:00Z" },
        }),
    ],
    [
      "createIntroduction",
      "same from and to",
      "ValidationError",
      () =>
        mutate(CreateIntroduction, {
          connectorId: ids.ada,
          fromId: ids.ben,
          toId: ids.ben,
          occurredAt: "2026-10-01T00:00:00Z",
        }),
    ],
    [
      "createIntroduction",
      "connector introduces themselves",
      "ValidationError",
      () =>
        mutate(CreateIntroduction, {
          connectorId: ids.ada,
          fromId: ids.ada,
          toId: ids.ben,
          occurredAt: "2026-10-01T00:00:00Z",
        }),
    ],
    [
      "createIntroduction",
      "grows out of a later intro",
      "ValidationError",
      () =>
        mutate(CreateIntroduction, {
          connectorId: ids.ben,
          fromId: ids.cy,
          toId: ids.dee,
          occurredAt: "2026-01-01T00:00:00Z",
          ledFromIds: [ids.intro],
        }),
    ],
    [
      "createIntroduction",
      "consent before the intro",
      "ValidationError",
      () =>
        mutate(CreateIntroduction, {
          connectorId: ids.ben,
          fromId: ids.cy,
          toId: ids.dee,
          occurredAt: "2026-10-05T00:00:00Z",
          fromConsentedAt: "2026-10-01T00:00:00Z",
        }),
    ],
    [
      "updateIntroduction",
      "unknown intro",
      "NotFoundError",
      () =>
        mutate(UpdateIntroduction, {
          id: encodeGlobalID("Introduction", "00000000-0000-7000-8000-000000000000"),
          version: 1,
          status: "MET",
        }),
    ],
    [
      "recordOutcome",
      "no introductions",
      "ValidationError",
      () =>
        mutate(RecordOutcome, {
          kind: "DEAL",
          title: "Deal",
          value: "100.00",
          currency: "USD",
          occurredAt: "2026-11-01T00:00:00Z",
          introductionIds: [],
        }),
    ],
    [
      "recordOutcome",
      "negative value",
      "ValidationError",
      () =>
        mutate(RecordOutcome, {
          kind: "DEAL",
          title: "Deal",
          value: "-1",
          currency: "USD",
          occurredAt: "2026-11-01T00:00:00Z",
          introductionIds: [ids.intro],
        }),
    ],
    [
      "recordOutcome",
      "bad currency",
      "ValidationError",
      () =>
        mutate(RecordOutcome, {
          kind: "DEAL",
          title: "Deal",
          value: "1.00",
          currency: "usd",
          occurredAt: "2026-11-01T00:00:00Z",
          introductionIds: [ids.intro],
        }),
    ],
    [
      "recordOutcome",
      "outcome before its intro",
      "ValidationError",
      () =>
        mutate(RecordOutcome, {
          kind: "DEAL",
          title: "Deal",
          value: "1.00",
          currency: "USD",
          occurredAt: "2026-01-01T00:00:00Z",
          introductionIds: [ids.intro],
        }),
    ],
  ];

  it.each(rejected)("%s rejects %s with %s and writes nothing", async (_field, _case, expectedType, write) => {
    const before = await rowCounts();
    const result = await write();
    expect(result?.__typename, JSON.stringify(result)).toBe(expectedType);
    expect(result?.message).toBeTruthy();
    expect(await rowCounts()).toEqual(before);
  });

  it("a ValidationError names the offending field", async () => {
    const result = ofType(await mutate(CreatePerson, { displayName: "", email: "x" }), "ValidationError");
    expect(result.issues?.map((issue) => issue.path?.join("."))).toContain("input.displayName");
  });

  it("a stale version is a ConflictError that keeps the newer data", async () => {
    const first = await mutate(UpdatePerson, { id: ids.dee, version: 1, headline: "Recruits engineers" });
    expect(ofType(first, "UpdatePersonSuccess").person).toEqual({ version: 2, headline: "Recruits engineers" });
    const stale = await mutate(UpdatePerson, { id: ids.dee, version: 1, headline: "Overwritten?" });
    expect(stale?.__typename).toBe("ConflictError");
    expect(ofType(stale, "ConflictError").currentVersion).toBe(2);
    const person = await api.database.prisma.person.findFirstOrThrow({ where: { displayName: "Dee Recruiter" } });
    expect(person.headline).toBe("Recruits engineers");
    expect(person.version).toBe(2);
  });

  it("concurrent updates with the same version: exactly one wins, the others conflict", async () => {
    const results = await Promise.all(
      ["one", "two", "three", "four"].map((location) => mutate(UpdatePerson, { id: ids.cy, version: 1, location })),
    );
    const types = results.map((result) => result?.__typename).sort();
    expect(types).toEqual(["ConflictError", "ConflictError", "ConflictError", "UpdatePersonSuccess"]);
    const person = await api.database.prisma.person.findFirstOrThrow({ where: { displayName: "Cy Investor" } });
    expect(person.version).toBe(2);
  });

  it("concurrent membership updates at one version: one wins, the others report the version stored now", async () => {
    const created = await mutate(SetMembership, { personId: ids.dee, organizationId: ids.org, title: "Recruiter" });
    expect(created?.__typename).toBe("SetMembershipSuccess");
    const results = await Promise.all(
      ["Lead", "Head", "Chief", "Principal"].map((title) =>
        mutate(SetMembership, { personId: ids.dee, organizationId: ids.org, version: 1, title }),
      ),
    );
    const conflicts = results
      .filter((result) => result?.__typename === "ConflictError")
      .map((result) => ofType(result, "ConflictError"));
    expect(conflicts).toHaveLength(3);
    expect(conflicts.map((conflict) => conflict.currentVersion)).toEqual([2, 2, 2]);
  });

  it("verifying a relationship bumps its version and is audited", async () => {
    const result = await mutate(UpdateRelationship, { id: ids.relationship, version: 1, status: "VERIFIED" });
    expect(ofType(result, "UpdateRelationshipSuccess").relationship).toEqual({ status: "VERIFIED", version: 2 });
    const stale = await mutate(UpdateRelationship, {
      id: ids.relationship,
      version: 1,
      status: "DISPUTED",
      disputeReason: "never met",
    });
    expect(stale?.__typename).toBe("ConflictError");
    const audit = await api.database.prisma.auditEvent.findMany({ where: { action: "relationship.update" } });
    expect(audit).toHaveLength(1);
    expect((audit[0]!.after as { status: string }).status).toBe("VERIFIED");
  });

  it("adding evidence recomputes strength from all interactions", async () => {
    const before = await api.database.prisma.relationship.findFirstOrThrow({
      where: { sides: { some: {} } },
      orderBy: { createdAt: "asc" },
    });
    const result = await mutate(AddInteraction, {
      relationshipId: ids.relationship,
      interaction: { kind: "COLLABORATION", occurredAt: new Date().toISOString(), weight: 3, initiatedById: ids.ada },
    });
    const { relationship } = ofType(result, "AddInteractionSuccess");
    expect(relationship.interactions?.totalCount).toBe(2);
    expect(relationship.strength).toBeGreaterThan(before.strength);
  });

  it("concurrent evidence on one relationship loses nothing: strength reflects every interaction", async () => {
    const relationshipId = ids.relationship;
    const before = await api.database.prisma.interaction.count();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        mutate(AddInteraction, {
          relationshipId,
          interaction: {
            kind: "MESSAGE",
            occurredAt: new Date(Date.now() - index * 60_000).toISOString(),
            initiatedById: index % 2 ? ids.ada : ids.ben,
          },
        }),
      ),
    );
    expect(results.every((result) => result?.__typename === "AddInteractionSuccess")).toBe(true);
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
    const later = await mutate(CreateIntroduction, {
      connectorId: ids.cy,
      fromId: ids.ben,
      toId: ids.dee,
      occurredAt: "2026-10-10T00:00:00Z",
      ledFromIds: [ids.intro],
      fromConsentedAt: "2026-10-10T00:00:00Z",
      toConsentedAt: "2026-10-11T00:00:00Z",
    });
    const { introduction } = ofType(later, "CreateIntroductionSuccess");
    expect(introduction.consented).toBe(true);
    expect(introduction.ledFrom).toEqual([{ id: ids.intro }]);
    const recorded = await mutate(RecordOutcome, {
      kind: "HIRE",
      title: "Dee hires Ben",
      value: "25000.50",
      currency: "EUR",
      occurredAt: "2026-11-01T00:00:00Z",
      introductionIds: [introduction.id],
    });
    const { outcome } = ofType(recorded, "RecordOutcomeSuccess");
    expect(outcome.value).toBe("25000.50");
    expect(outcome.introductions?.[0]?.ledFrom?.[0]?.connector?.displayName).toBe("Ada Connector");
    const first = dataOf(await api.executeOperation(IntroductionLedTo, { id: ids.intro }));
    expect(ofType(first.node, "Introduction").ledTo?.[0]?.outcomes?.[0]?.title).toBe("Dee hires Ben");
  });
});
