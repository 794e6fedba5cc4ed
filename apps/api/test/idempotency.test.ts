// Idempotent partner writes: a repeat with the same key replays the first result without writing again, a different
// input under the same key is a ConflictError, and 20 concurrent repeats still write exactly once.
import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, type GraphQLResponse, ofType, startTestApi, type TestApi } from "./harness.ts";

const CreateIntro = graphql(/* GraphQL */ `
  mutation CreateIntro($input: CreateIntroductionInput!) {
    createIntroduction(input: $input) {
      __typename
      ... on CreateIntroductionSuccess { introduction { id status } }
      ... on Error { message }
    }
  }
`);
const CreateNamedPerson = graphql(/* GraphQL */ `
  mutation CreateNamedPerson($n: String!) { createPerson(input: { displayName: $n }) { __typename ... on CreatePersonSuccess { person { id } } } }
`);
const CreateAcme = graphql(/* GraphQL */ `
  mutation CreateAcme { createOrganization(input: { name: "Acme" }) { __typename ... on CreateOrganizationSuccess { organization { id } } } }
`);
const RelatePair = graphql(/* GraphQL */ `
  mutation RelatePair($a: ID!, $b: ID!) { createRelationship(input: { personId: $a, otherPersonId: $b }) { __typename ... on CreateRelationshipSuccess { relationship { id } } } }
`);
const CreateZed = graphql(/* GraphQL */ `
  mutation CreateZed($key: String!) { createPerson(input: { displayName: "Zed", idempotencyKey: $key }) { __typename } }
`);
const CreatePersonOnce = graphql(/* GraphQL */ `
  mutation CreatePersonOnce($input: CreatePersonInput!) { createPerson(input: $input) { ... on CreatePersonSuccess { person { id } } } }
`);
const CreateOrganizationOnce = graphql(/* GraphQL */ `
  mutation CreateOrganizationOnce($input: CreateOrganizationInput!) { createOrganization(input: $input) { ... on CreateOrganizationSuccess { organization { id } } } }
`);
const SetMembershipOnce = graphql(/* GraphQL */ `
  mutation SetMembershipOnce($input: SetMembershipInput!) { setMembership(input: $input) { ... on SetMembershipSuccess { membership { id } } } }
`);
const CreateRelationshipOnce = graphql(/* GraphQL */ `
  mutation CreateRelationshipOnce($input: CreateRelationshipInput!) { createRelationship(input: $input) { ... on CreateRelationshipSuccess { relationship { id } } } }
`);
const AddInteractionOnce = graphql(/* GraphQL */ `
  mutation AddInteractionOnce($input: AddInteractionInput!) { addInteraction(input: $input) { ... on AddInteractionSuccess { relationship { id } } } }
`);
const RecordOutcomeOnce = graphql(/* GraphQL */ `
  mutation RecordOutcomeOnce($input: RecordOutcomeInput!) { recordOutcome(input: $input) { ... on RecordOutcomeSuccess { outcome { id } } } }
`);

describe.each(databaseKinds)("idempotent writes on %s", (kind) => {
  let api: TestApi;
  let partnerKey: string;
  let otherPartnerKey: string;
  const people: string[] = [];
  let organizationId: string;
  let relationshipId: string;

  const send = <Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
    key = partnerKey,
  ) => api.executeOperation(document, variables, { key });

  beforeAll(async () => {
    api = await startTestApi(kind);
    const prisma = api.database.prisma;
    const [a, b] = await Promise.all(
      ["alpha", "beta"].map((slug) => prisma.partner.create({ data: { name: slug, slug } })),
    );
    partnerKey = (await issueApiKey(prisma, { name: "alpha", scopes: ["partner"], partnerId: a!.id })).key;
    otherPartnerKey = (await issueApiKey(prisma, { name: "beta", scopes: ["partner"], partnerId: b!.id })).key;
    for (const displayName of ["Ada", "Ben", "Cleo"]) {
      const created = dataOf(await api.executeOperation(CreateNamedPerson, { n: displayName }));
      people.push(ofType(created.createPerson, "CreatePersonSuccess").person.id);
    }
    const acme = dataOf(await api.executeOperation(CreateAcme)).createOrganization;
    organizationId = ofType(acme, "CreateOrganizationSuccess").organization.id;
    const pair = dataOf(await api.executeOperation(RelatePair, { a: people[0]!, b: people[1]! })).createRelationship;
    relationshipId = ofType(pair, "CreateRelationshipSuccess").relationship.id;
  });
  afterAll(() => api.close());

  const introInput = (idempotencyKey: string, note = "met at the summit") => ({
    idempotencyKey,
    connectorId: people[2]!,
    fromId: people[0]!,
    toId: people[1]!,
    occurredAt: "2025-04-01T10:00:00Z",
    note,
  });

  it("replays the first result for a repeat with the same key and input, writing once", async () => {
    const key = randomUUID();
    const before = await api.database.prisma.introduction.count();
    const first = dataOf(await send(CreateIntro, { input: introInput(key) }));
    // Field order and null-versus-absent do not make it a different request.
    const { note, ...rest } = introInput(key);
    const second = dataOf(await send(CreateIntro, { input: { organizationId: null, note, ...rest } }));
    expect(first.createIntroduction?.__typename).toBe("CreateIntroductionSuccess");
    expect(second).toEqual(first);
    expect(await api.database.prisma.introduction.count()).toBe(before + 1);
    expect(
      await api.database.prisma.auditEvent.count({ where: { action: "introduction.create", entityId: { not: null } } }),
    ).toBe(before + 1);
  });

  it("answers a reused key with a different input with a typed ConflictError and writes nothing", async () => {
    const key = randomUUID();
    dataOf(await send(CreateIntro, { input: introInput(key) }));
    const before = await api.database.prisma.introduction.count();
    const clash = dataOf(await send(CreateIntro, { input: introInput(key, "a different note") }));
    expect(clash.createIntroduction).toMatchObject({
      __typename: "ConflictError",
      message: expect.stringMatching(/different input/),
    });
    const otherOperation = dataOf(await send(CreateZed, { key }));
    expect(otherOperation.createPerson?.__typename).toBe("ConflictError");
    expect(await api.database.prisma.introduction.count()).toBe(before);
  });

  it("scopes keys per caller: two partners may use the same key", async () => {
    const key = randomUUID();
    const mine = dataOf(await send(CreateIntro, { input: introInput(key) }));
    const theirs = dataOf(await send(CreateIntro, { input: introInput(key) }, otherPartnerKey));
    expect(ofType(theirs.createIntroduction, "CreateIntroductionSuccess").introduction.id).not.toBe(
      ofType(mine.createIntroduction, "CreateIntroductionSuccess").introduction.id,
    );
  });

  it("does not burn the key on a failed write", async () => {
    const key = randomUUID();
    const failed = dataOf(await send(CreateIntro, { input: { ...introInput(key), toId: people[0]! } }));
    expect(failed.createIntroduction?.__typename).toBe("ValidationError");
    const retried = dataOf(await send(CreateIntro, { input: { ...introInput(key), toId: people[0]! } }));
    expect(retried.createIntroduction?.__typename).toBe("ValidationError");
    expect(await api.database.prisma.idempotencyRecord.count({ where: { key } })).toBe(0);
  });

  it("covers every partner write", async () => {
    const created = dataOf(await send(CreateIntro, { input: introInput(randomUUID()) })).createIntroduction;
    const intro = ofType(created, "CreateIntroductionSuccess").introduction.id;
    // Each write, sent with the idempotency key it is given.
    const writes: {
      name: string;
      write: (idempotencyKey: string) => Promise<GraphQLResponse<object>>;
      count: () => Promise<number>;
    }[] = [
      {
        name: "createPerson",
        write: (idempotencyKey) => send(CreatePersonOnce, { input: { displayName: "Dana", idempotencyKey } }),
        count: () => api.database.prisma.person.count(),
      },
      {
        name: "createOrganization",
        write: (idempotencyKey) => send(CreateOrganizationOnce, { input: { name: "Globex", idempotencyKey } }),
        count: () => api.database.prisma.organization.count(),
      },
      {
        name: "setMembership",
        write: (idempotencyKey) =>
          send(SetMembershipOnce, {
            input: { personId: people[0]!, organizationId, title: "CEO", isDecisionMaker: true, idempotencyKey },
          }),
        count: () => api.database.prisma.membership.count(),
      },
      {
        name: "createRelationship",
        write: (idempotencyKey) =>
          send(CreateRelationshipOnce, {
            input: {
              personId: people[1]!,
              otherPersonId: people[2]!,
              interactions: [{ kind: "MEETING", occurredAt: "2025-01-01T00:00:00Z" }],
              idempotencyKey,
            },
          }),
        count: () => api.database.prisma.relationship.count(),
      },
      {
        name: "addInteraction",
        write: (idempotencyKey) =>
          send(AddInteractionOnce, {
            input: {
              relationshipId,
              interaction: { kind: "CALL", occurredAt: "2025-02-01T00:00:00Z" },
              idempotencyKey,
            },
          }),
        count: () => api.database.prisma.interaction.count(),
      },
      {
        name: "recordOutcome",
        write: (idempotencyKey) =>
          send(RecordOutcomeOnce, {
            input: {
              kind: "DEAL",
              title: "Deal",
              value: "10.00",
              currency: "USD",
              occurredAt: "2025-05-01T00:00:00Z",
              introductionIds: [intro],
              idempotencyKey,
            },
          }),
        count: () => api.database.prisma.outcome.count(),
      },
    ];
    for (const write of writes) {
      const idempotencyKey = randomUUID();
      const before = await write.count();
      const first = await write.write(idempotencyKey);
      const second = await write.write(idempotencyKey);
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
      Array.from({ length: 20 }, () => send(CreateIntro, { input: introInput(key) })),
    );
    const created = responses.map((response) => dataOf(response).createIntroduction);
    expect(new Set(created.map((result) => result?.__typename))).toEqual(new Set(["CreateIntroductionSuccess"]));
    expect(new Set(created.map((result) => ofType(result, "CreateIntroductionSuccess").introduction.id)).size).toBe(1);
    expect(await api.database.prisma.introduction.count()).toBe(before + 1);
    expect(await api.database.prisma.idempotencyRecord.count({ where: { key } })).toBe(1);
  });
});
