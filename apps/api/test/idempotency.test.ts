// Idempotent partner writes: a repeat with the same key replays the first result without writing again, a different
// input under the same key is a ConflictError, and 20 concurrent repeats still write exactly once.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const CREATE_INTRO = /* GraphQL */ `
  mutation ($input: CreateIntroductionInput!) {
    createIntroduction(input: $input) {
      __typename
      ... on CreateIntroductionSuccess { introduction { id status } }
      ... on Error { message }
    }
  }
`;

describe.each(databaseKinds)("idempotent writes on %s", (kind) => {
  let api: TestApi;
  let partnerKey: string;
  let otherPartnerKey: string;
  const people: string[] = [];
  let organizationId: string;
  let relationshipId: string;

  const send = (query: string, variables: Record<string, unknown>, key = partnerKey) =>
    api.request(query, variables, { key });

  beforeAll(async () => {
    api = await startTestApi(kind);
    const prisma = api.database.prisma;
    const [a, b] = await Promise.all(
      ["alpha", "beta"].map((slug) => prisma.partner.create({ data: { name: slug, slug } })),
    );
    partnerKey = (await issueApiKey(prisma, { name: "alpha", scopes: ["partner"], partnerId: a!.id })).key;
    otherPartnerKey = (await issueApiKey(prisma, { name: "beta", scopes: ["partner"], partnerId: b!.id })).key;
    for (const displayName of ["Ada", "Ben", "Cleo"]) {
      const created = dataOf(
        await api.request(
          `mutation ($n: String!) { createPerson(input: { displayName: $n }) { ... on CreatePersonSuccess { person { id } } } }`,
          { n: displayName },
        ),
      );
      people.push(created.createPerson.person.id);
    }
    organizationId = dataOf(
      await api.request(
        `mutation { createOrganization(input: { name: "Acme" }) { ... on CreateOrganizationSuccess { organization { id } } } }`,
      ),
    ).createOrganization.organization.id;
    relationshipId = dataOf(
      await api.request(
        `mutation ($a: ID!, $b: ID!) { createRelationship(input: { personId: $a, otherPersonId: $b }) { ... on CreateRelationshipSuccess { relationship { id } } } }`,
        { a: people[0], b: people[1] },
      ),
    ).createRelationship.relationship.id;
  });
  afterAll(() => api.close());

  const introInput = (idempotencyKey: string, note = "met at the summit") => ({
    idempotencyKey,
    connectorId: people[2],
    fromId: people[0],
    toId: people[1],
    occurredAt: "2025-04-01T10:00:00Z",
    note,
  });

  it("replays the first result for a repeat with the same key and input, writing once", async () => {
    const key = randomUUID();
    const before = await api.database.prisma.introduction.count();
    const first = dataOf(await send(CREATE_INTRO, { input: introInput(key) }));
    // Field order and null-versus-absent do not make it a different request.
    const { note, ...rest } = introInput(key);
    const second = dataOf(await send(CREATE_INTRO, { input: { organizationId: null, note, ...rest } }));
    expect(first.createIntroduction.__typename).toBe("CreateIntroductionSuccess");
    expect(second).toEqual(first);
    expect(await api.database.prisma.introduction.count()).toBe(before + 1);
    expect(
      await api.database.prisma.auditEvent.count({ where: { action: "introduction.create", entityId: { not: null } } }),
    ).toBe(before + 1);
  });

  it("answers a reused key with a different input with a typed ConflictError and writes nothing", async () => {
    const key = randomUUID();
    dataOf(await send(CREATE_INTRO, { input: introInput(key) }));
    const before = await api.database.prisma.introduction.count();
    const clash = dataOf(await send(CREATE_INTRO, { input: introInput(key, "a different note") }));
    expect(clash.createIntroduction).toMatchObject({
      __typename: "ConflictError",
      message: expect.stringMatching(/different input/),
    });
    const otherOperation = dataOf(
      await send(
        `mutation ($key: String!) { createPerson(input: { displayName: "Zed", idempotencyKey: $key }) { __typename } }`,
        { key },
      ),
    );
    expect(otherOperation.createPerson.__typename).toBe("ConflictError");
    expect(await api.database.prisma.introduction.count()).toBe(before);
  });

  it("scopes keys per caller: two partners may use the same key", async () => {
    const key = randomUUID();
    const mine = dataOf(await send(CREATE_INTRO, { input: introInput(key) }));
    const theirs = dataOf(await send(CREATE_INTRO, { input: introInput(key) }, otherPartnerKey));
    expect(theirs.createIntroduction.introduction.id).not.toBe(mine.createIntroduction.introduction.id);
  });

  it("does not burn the key on a failed write", async () => {
    const key = randomUUID();
    const failed = dataOf(await send(CREATE_INTRO, { input: { ...introInput(key), toId: people[0] } }));
    expect(failed.createIntroduction.__typename).toBe("ValidationError");
    const retried = dataOf(await send(CREATE_INTRO, { input: { ...introInput(key), toId: people[0] } }));
    expect(retried.createIntroduction.__typename).toBe("ValidationError");
    expect(await api.database.prisma.idempotencyRecord.count({ where: { key } })).toBe(0);
  });

  it("covers every partner write", async () => {
    const intro = dataOf(await send(CREATE_INTRO, { input: introInput(randomUUID()) })).createIntroduction.introduction
      .id;
    const writes: { name: string; query: string; input: Record<string, unknown>; count: () => Promise<number> }[] = [
      {
        name: "createPerson",
        query: `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { ... on CreatePersonSuccess { person { id } } } }`,
        input: { displayName: "Dana" },
        count: () => api.database.prisma.person.count(),
      },
      {
        name: "createOrganization",
        query: `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id } } } }`,
        input: { name: "Globex" },
        count: () => api.database.prisma.organization.count(),
      },
      {
        name: "setMembership",
        query: `mutation ($input: SetMembershipInput!) { setMembership(input: $input) { ... on SetMembershipSuccess { membership { id } } } }`,
        input: { personId: people[0], organizationId, title: "CEO", isDecisionMaker: true },
        count: () => api.database.prisma.membership.count(),
      },
      {
        name: "createRelationship",
        query: `mutation ($input: CreateRelationshipInput!) { createRelationship(input: $input) { ... on CreateRelationshipSuccess { relationship { id } } } }`,
        input: {
          personId: people[1],
          otherPersonId: people[2],
          interactions: [{ kind: "MEETING", occurredAt: "2025-01-01T00:00:00Z" }],
        },
        count: () => api.database.prisma.relationship.count(),
      },
      {
        name: "addInteraction",
        query: `mutation ($input: AddInteractionInput!) { addInteraction(input: $input) { ... on AddInteractionSuccess { relationship { id } } } }`,
        input: { relationshipId, interaction: { kind: "CALL", occurredAt: "2025-02-01T00:00:00Z" } },
        count: () => api.database.prisma.interaction.count(),
      },
      {
        name: "recordOutcome",
        query: `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) { ... on RecordOutcomeSuccess { outcome { id } } } }`,
        input: {
          kind: "DEAL",
          title: "Deal",
          value: "10.00",
          currency: "USD",
          occurredAt: "2025-05-01T00:00:00Z",
          introductionIds: [intro],
        },
        count: () => api.database.prisma.outcome.count(),
      },
    ];
    for (const write of writes) {
      const input = { ...write.input, idempotencyKey: randomUUID() };
      const before = await write.count();
      const first = await send(write.query, { input });
      const second = await send(write.query, { input });
      expect(first.errors, write.name).toBeUndefined();
      expect(Object.values(first.data!)[0], write.name).toMatchObject({});
      expect(second, write.name).toEqual(first);
      expect(await write.count(), write.name).toBe(before + 1);
    }
  });

  it("writes once for 20 concurrent identical requests", async () => {
    const key = randomUUID();
    const before = await api.database.prisma.introduction.count();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => send(CREATE_INTRO, { input: introInput(key) })),
    );
    const created = responses.map((response) => dataOf(response).createIntroduction);
    expect(new Set(created.map((result: any) => result.__typename))).toEqual(new Set(["CreateIntroductionSuccess"]));
    expect(new Set(created.map((result: any) => result.introduction.id)).size).toBe(1);
    expect(await api.database.prisma.introduction.count()).toBe(before + 1);
    expect(await api.database.prisma.idempotencyRecord.count({ where: { key } })).toBe(1);
  });
});
