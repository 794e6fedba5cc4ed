// Partner access: key administration, anonymous and partner scopes, PII, partner isolation on every partner-reported
// type (lists, node/nodes and nested fields), revocation, the audit log and masked internal errors.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const CreatePartner = graphql(/* GraphQL */ `
  mutation CreatePartner($input: CreatePartnerInput!) {
    createPartner(input: $input) { __typename ... on CreatePartnerSuccess { partner { id slug } } ... on Error { message } }
  }
`);
const CreateApiKey = graphql(/* GraphQL */ `
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on IssuedApiKey { key apiKey { id prefix scopes partner { slug } } }
      ... on Error { message }
    }
  }
`);
const CreateContact = graphql(/* GraphQL */ `
  mutation CreateContact($input: CreatePersonInput!) { createPerson(input: $input) { __typename ... on CreatePersonSuccess { person { id } } ... on Error { message } } }
`);
const CreateReportedRelationship = graphql(/* GraphQL */ `
  mutation CreateReportedRelationship($input: CreateRelationshipInput!) {
    createRelationship(input: $input) {
      __typename
      ... on CreateRelationshipSuccess { relationship { id interactions(first: 5) { edges { node { id } } } } }
      ... on Error { message }
    }
  }
`);
const AddReportedInteraction = graphql(/* GraphQL */ `
  mutation AddReportedInteraction($input: AddInteractionInput!) {
    addInteraction(input: $input) {
      __typename
      ... on AddInteractionSuccess { relationship { interactions(first: 20) { edges { node { id source } } } } }
      ... on Error { message }
    }
  }
`);
const CreateReportedIntroduction = graphql(/* GraphQL */ `
  mutation CreateReportedIntroduction($input: CreateIntroductionInput!) {
    createIntroduction(input: $input) { __typename ... on CreateIntroductionSuccess { introduction { id } } ... on Error { message } }
  }
`);
const RecordReportedOutcome = graphql(/* GraphQL */ `
  mutation RecordReportedOutcome($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) { __typename ... on RecordOutcomeSuccess { outcome { id } } ... on Error { message } }
  }
`);
const ApiKeys = graphql(/* GraphQL */ `
  query ApiKeys { apiKeys(first: 10) { edges { node { id prefix name scopes active lastUsedAt expiresAt revokedAt partner { slug } } } } }
`);
const ApiKeyFields = graphql(/* GraphQL */ `
  query ApiKeyFields { __type(name: "ApiKey") { fields { name } } }
`);
const PartnersWithKeys = graphql(/* GraphQL */ `
  query PartnersWithKeys { partners(first: 10) { edges { node { slug apiKeys(first: 5) { edges { node { prefix } } } } } } }
`);
const QueryTypeName = graphql(/* GraphQL */ `
  query QueryTypeName { __schema { queryType { name } } }
`);
const OnePerson = graphql(/* GraphQL */ `
  query OnePerson { people(first: 1) { edges { node { id } } } }
`);
const VisibleNode = graphql(/* GraphQL */ `
  query VisibleNode($id: ID!) { node(id: $id) { id } }
`);
const VisibleNodes = graphql(/* GraphQL */ `
  query VisibleNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }
`);
const PersonEmail = graphql(/* GraphQL */ `
  query PersonEmail($id: ID!) { person(id: $id) { displayName email } }
`);
const OneApiKey = graphql(/* GraphQL */ `
  query OneApiKey { apiKeys(first: 1) { edges { node { id } } } }
`);
const OnePartner = graphql(/* GraphQL */ `
  query OnePartner { partners(first: 1) { edges { node { id } } } }
`);
const OneAuditEvent = graphql(/* GraphQL */ `
  query OneAuditEvent { auditEvents(first: 1) { edges { node { id } } } }
`);
const CreateAdminKey = graphql(/* GraphQL */ `
  mutation CreateAdminKey { createApiKey(input: { name: "x", scope: ADMIN }) { __typename } }
`);
const CreateSomePartner = graphql(/* GraphQL */ `
  mutation CreateSomePartner { createPartner(input: { name: "x", slug: "xx" }) { __typename } }
`);
const RevokeApiKey = graphql(/* GraphQL */ `
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { active revokedAt } } } }
`);
const ApiKeyNode = graphql(/* GraphQL */ `
  query ApiKeyNode($id: ID!) { node(id: $id) { id ... on ApiKey { prefix } } }
`);
const VisibleRecords = graphql(/* GraphQL */ `
  query VisibleRecords {
    introductions(first: 100) { edges { node { id } } }
    outcomes(first: 100) { edges { node { id } } }
    creditDisputes(first: 100) { edges { node { id } } }
    relationships(first: 100) { totalCount edges { node { id interactions(first: 50) { edges { node { id } } } } } }
  }
`);
const VisibleNestedRecords = graphql(/* GraphQL */ `
  query VisibleNestedRecords($ada: ID!, $ben: ID!, $cleo: ID!, $publicIntro: ID!, $publicRel: ID!, $publicOutcome: ID!) {
    ada: person(id: $ada) {
      relationships(first: 20) { totalCount edges { node { relationship { id } } } }
      introductionsRequested(first: 20) { totalCount edges { node { id } } }
    }
    ben: person(id: $ben) { introductionsReceived(first: 20) { totalCount edges { node { id } } } }
    cleo: person(id: $cleo) { introductionsMade(first: 20) { totalCount edges { node { id } } } }
    intro: node(id: $publicIntro) { __typename ... on Introduction { ledTo { id } outcomes { id } } }
    rel: node(id: $publicRel) { __typename ... on Relationship { interactions(first: 20) { totalCount edges { node { id } } } } }
    outcome: node(id: $publicOutcome) { __typename ... on Outcome { introductions { id } } }
  }
`);
const SuggestionNode = graphql(/* GraphQL */ `
  query SuggestionNode($id: ID!) { node(id: $id) { id ... on DuplicateSuggestion { reason } } }
`);
const OpenPartnerDispute = graphql(/* GraphQL */ `
  mutation OpenPartnerDispute($input: OpenCreditDisputeInput!) {
    openCreditDispute(input: $input) { __typename ... on OpenCreditDisputeSuccess { dispute { id } } }
  }
`);
const RelationshipEvidence = graphql(/* GraphQL */ `
  query RelationshipEvidence($id: ID!) {
    node(id: $id) { ... on Relationship { strength lastInteractionAt strengthEvidence } }
  }
`);
const AcceptIntroduction = graphql(/* GraphQL */ `
  mutation AcceptIntroduction($id: ID!) { updateIntroduction(input: { id: $id, version: 1, status: ACCEPTED }) { __typename } }
`);
const AuditByActor = graphql(/* GraphQL */ `
  query AuditByActor($actor: String!) { auditEvents(first: 50, filter: { actorId: $actor }) { edges { node { action entityType entityId partner apiKey } } } }
`);
const KeyCreationEvents = graphql(/* GraphQL */ `
  query KeyCreationEvents { auditEvents(first: 10, filter: { action: "apiKey.create" }) { edges { node { entityType after } } } }
`);
const AuditByEntity = graphql(/* GraphQL */ `
  query AuditByEntity($id: ID!) { auditEvents(first: 5, filter: { entityId: $id }) { edges { node { action } } } }
`);
const FutureAuditEvents = graphql(/* GraphQL */ `
  query FutureAuditEvents { auditEvents(first: 5, filter: { after: "2999-01-01T00:00:00Z" }) { edges { node { action } } } }
`);
const KeyRevocationEvents = graphql(/* GraphQL */ `
  query KeyRevocationEvents { auditEvents(first: 5, filter: { action: "apiKey.revoke" }) { edges { node { entityId } } } }
`);
const Typename = graphql(/* GraphQL */ `
  query Typename { __typename }
`);
const OneOrganization = graphql(/* GraphQL */ `
  query OneOrganization { organizations(first: 1) { edges { node { id } } } }
`);

const ids = (connection: { edges: { node: { id: string } | null }[] } | null | undefined) =>
  nodesOf(connection).map((node) => node.id);

describe("partner access", () => {
  let api: TestApi;
  const partner = { a: { id: "", key: "", keyId: "" }, b: { id: "", key: "", keyId: "" } };
  const people: string[] = [];
  /** Partner A's private reports, one of each type that has them. */
  const privateA = { relationship: "", interaction: "", introduction: "", outcome: "", dispute: "" };
  const publicRecords = { relationship: "", introduction: "", outcome: "" };

  function as<Result, Variables>(
    key: string | null,
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
    headers?: Record<string, string>,
  ) {
    return api.executeOperation(document, variables, { key, headers });
  }

  beforeAll(async () => {
    api = await startTestApi("pglite");
    for (const [name, slot] of [
      ["Alpha CRM", partner.a],
      ["Beta Market", partner.b],
    ] as const) {
      const created = dataOf(
        await as(api.adminKey, CreatePartner, { input: { name, slug: name.toLowerCase().replace(" ", "-") } }),
      );
      slot.id = ofType(created.createPartner, "CreatePartnerSuccess").partner.id;
      const issued = dataOf(
        await as(api.adminKey, CreateApiKey, { input: { name: `${name} prod`, scope: "PARTNER", partnerId: slot.id } }),
      );
      expect(issued.createApiKey?.__typename).toBe("IssuedApiKey");
      const { key, apiKey } = ofType(issued.createApiKey, "IssuedApiKey");
      slot.key = key!;
      slot.keyId = apiKey!.id;
    }
    for (const displayName of ["Ada", "Ben", "Cleo", "Dev", "Eve"]) {
      const created = dataOf(
        await as(api.adminKey, CreateContact, {
          input: { displayName, email: `${displayName.toLowerCase()}@example.com` },
        }),
      ).createPerson;
      people.push(ofType(created, "CreatePersonSuccess").person.id);
    }
    const [ada, ben, cleo, dev, eve] = people as [string, string, string, string, string];
    const at = "2025-01-10T00:00:00Z";

    // Public records (entered by an admin).
    const publicRelationship = dataOf(
      await as(api.adminKey, CreateReportedRelationship, {
        input: { personId: cleo, otherPersonId: dev, kind: "COLLEAGUE" },
      }),
    ).createRelationship;
    publicRecords.relationship = ofType(publicRelationship, "CreateRelationshipSuccess").relationship.id;
    const publicIntroduction = dataOf(
      await as(api.adminKey, CreateReportedIntroduction, {
        input: { connectorId: eve, fromId: ada, toId: cleo, occurredAt: at },
      }),
    ).createIntroduction;
    publicRecords.introduction = ofType(publicIntroduction, "CreateIntroductionSuccess").introduction.id;

    // Partner A's private reports.
    const rel = dataOf(
      await as(partner.a.key, CreateReportedRelationship, {
        input: {
          personId: ada,
          otherPersonId: ben,
          kind: "CLIENT",
          interactions: [{ kind: "MEETING", occurredAt: at }],
        },
      }),
    );
    privateA.relationship = ofType(rel.createRelationship, "CreateRelationshipSuccess").relationship.id;
    const added = dataOf(
      await as(partner.a.key, AddReportedInteraction, {
        input: { relationshipId: publicRecords.relationship, interaction: { kind: "CALL", occurredAt: at } },
      }),
    );
    const { relationship } = ofType(added.addInteraction, "AddInteractionSuccess");
    privateA.interaction = nodesOf(relationship.interactions).find(
      (interaction) => interaction.source === "PARTNER",
    )!.id;
    const privateIntroduction = dataOf(
      await as(partner.a.key, CreateReportedIntroduction, {
        input: {
          connectorId: cleo,
          fromId: ada,
          toId: ben,
          occurredAt: "2025-02-01T00:00:00Z",
          ledFromIds: [publicRecords.introduction],
        },
      }),
    ).createIntroduction;
    privateA.introduction = ofType(privateIntroduction, "CreateIntroductionSuccess").introduction.id;
    const privateOutcome = dataOf(
      await as(partner.a.key, RecordReportedOutcome, {
        input: {
          kind: "DEAL",
          title: "Ada signs Ben",
          value: "1000.00",
          currency: "USD",
          occurredAt: "2025-03-01T00:00:00Z",
          introductionIds: [privateA.introduction],
        },
      }),
    ).recordOutcome;
    privateA.outcome = ofType(privateOutcome, "RecordOutcomeSuccess").outcome.id;
    // A public outcome (admin) that an A-private introduction also led to: B must see the outcome without that intro.
    const publicOutcome = dataOf(
      await as(api.adminKey, RecordReportedOutcome, {
        input: {
          kind: "HIRE",
          title: "Cleo hires",
          value: "50.00",
          currency: "EUR",
          occurredAt: "2025-03-02T00:00:00Z",
          introductionIds: [publicRecords.introduction, privateA.introduction],
        },
      }),
    ).recordOutcome;
    publicRecords.outcome = ofType(publicOutcome, "RecordOutcomeSuccess").outcome.id;
    // A's dispute of the public outcome's credit is A's case: its reason is not B's to read.
    const dispute = dataOf(
      await as(partner.a.key, OpenPartnerDispute, {
        input: { outcomeId: publicRecords.outcome, reason: "Alpha CRM's own notes say otherwise", evidence: [] },
      }),
    ).openCreditDispute;
    privateA.dispute = ofType(dispute, "OpenCreditDisputeSuccess").dispute.id;
  });
  afterAll(() => api.close());

  describe("admin key operations", () => {
    it("lists keys with prefix, scopes, partner and times, never the secret or its hash", async () => {
      const listed = dataOf(await as(api.adminKey, ApiKeys, {}));
      const nodes = nodesOf(listed.apiKeys);
      expect(nodes.length).toBeGreaterThanOrEqual(3);
      const keyA = nodes.find((node) => node.id === partner.a.keyId);
      expect(keyA).toMatchObject({ scopes: ["PARTNER"], active: true, partner: { slug: "alpha-crm" } });
      expect(partner.a.key).toContain(`ig_${keyA?.prefix}_`);
      // The secret is everything after `ig_<prefix>_` (it may itself contain "_").
      expect(JSON.stringify(listed)).not.toContain(partner.a.key.slice("ig_".length + 12 + 1));
      const fields = dataOf(await as(api.adminKey, ApiKeyFields, {})).__type?.fields?.map((field) => field.name);
      expect(fields).not.toContain("secretHash");
      expect(fields).not.toContain("key");
    });

    it("rejects a PARTNER key without a partner with a typed ValidationError", async () => {
      const result = dataOf(await as(api.adminKey, CreateApiKey, { input: { name: "x", scope: "PARTNER" } }));
      expect(result.createApiKey).toMatchObject({ __typename: "ValidationError" });
    });

    it("lists partners and refuses a duplicate slug with a ConflictError", async () => {
      const listed = dataOf(await as(api.adminKey, PartnersWithKeys, {}));
      expect(
        nodesOf(listed.partners)
          .map((node) => node.slug)
          .sort(),
      ).toEqual(["alpha-crm", "beta-market"]);
      const duplicate = dataOf(await as(api.adminKey, CreatePartner, { input: { name: "Again", slug: "alpha-crm" } }));
      expect(duplicate.createPartner?.__typename).toBe("ConflictError");
    });
  });

  describe("scopes", () => {
    it("gives anonymous callers the schema and nothing else", async () => {
      const schema = await as(null, QueryTypeName, {});
      expect(schema.status).toBe(200);
      expect(schema.data?.__schema.queryType.name).toBe("Query");
      const reads = {
        people: () => as(null, OnePerson, {}),
        node: () => as(null, VisibleNode, { id: people[0]! }),
        nodes: () => as(null, VisibleNodes, { ids: [people[0]!] }),
      };
      for (const [query, read] of Object.entries(reads)) {
        const refused = await read();
        expect(refused.errors?.[0]?.extensions?.code, query).toBe("UNAUTHENTICATED");
        expect(refused.errors?.[0]?.message, query).toMatch(/Authorization: Bearer/);
        expect(JSON.stringify(refused.data ?? null)).not.toContain("Ada");
      }
    });

    it("shows PII (email) to admins only", async () => {
      expect(dataOf(await as(api.adminKey, PersonEmail, { id: people[0]! })).person).toEqual({
        displayName: "Ada",
        email: "ada@example.com",
      });
      const partnerView = await as(partner.a.key, PersonEmail, { id: people[0]! });
      expect(partnerView.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(partnerView.errors?.[0]?.path).toEqual(["person", "email"]);
      expect(JSON.stringify(partnerView)).not.toContain("ada@example.com");
    });

    it("refuses admin operations to partner keys", async () => {
      const operations = [OneApiKey, OnePartner, OneAuditEvent, CreateAdminKey, CreateSomePartner];
      for (const operation of operations) {
        const refused = await as<unknown, Record<string, never>>(partner.a.key, operation, {});
        expect(refused.errors?.[0]?.extensions?.code, print(operation)).toBe("FORBIDDEN");
      }
      const revoke = await as(partner.a.key, RevokeApiKey, { id: partner.b.keyId });
      expect(revoke.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      // An admin-only node type through node(id) is refused as well.
      const keyNode = await as(partner.a.key, ApiKeyNode, { id: partner.b.keyId });
      expect(keyNode.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(JSON.stringify(keyNode.data ?? null)).not.toContain('prefix":"');
    });
  });

  describe("isolation: partner B never reads partner A's private reports", () => {
    const privateIds = () => Object.values(privateA);

    it("through the top-level lists", async () => {
      const seenByB = dataOf(await as(partner.b.key, VisibleRecords, {}));
      const seenByA = dataOf(await as(partner.a.key, VisibleRecords, {}));
      for (const id of privateIds()) {
        expect(JSON.stringify(seenByB)).not.toContain(id);
        expect(JSON.stringify(seenByA)).toContain(id);
      }
      expect(ids(seenByB.introductions)).toEqual([publicRecords.introduction]);
      expect(ids(seenByB.outcomes)).toEqual([publicRecords.outcome]);
      expect(ids(seenByB.creditDisputes)).toEqual([]);
      expect(ids(seenByA.creditDisputes)).toEqual([privateA.dispute]);
      expect(seenByB.relationships?.totalCount).toBe(1);
      expect(seenByA.relationships?.totalCount).toBe(2);
    });

    it("through node(id) and nodes(ids), for every type", async () => {
      for (const id of privateIds()) {
        const byB = dataOf(await as(partner.b.key, VisibleNode, { id }));
        expect(byB.node, id).toBeNull();
        const byA = dataOf(await as(partner.a.key, VisibleNode, { id }));
        expect(byA.node).toEqual({ id });
        const byAdmin = dataOf(await as(api.adminKey, VisibleNode, { id }));
        expect(byAdmin.node).toEqual({ id });
      }
      const many = dataOf(
        await as(partner.b.key, VisibleNodes, { ids: [...privateIds(), publicRecords.introduction] }),
      );
      expect(many.nodes).toEqual([...privateIds().map(() => null), { id: publicRecords.introduction }]);
    });

    it("through nested fields: person → relationships / introductions, relationship → interactions, intro → ledTo, outcome → introductions", async () => {
      const [ada, ben, cleo] = people as [string, string, string];
      const variables = {
        ada,
        ben,
        cleo,
        publicIntro: publicRecords.introduction,
        publicRel: publicRecords.relationship,
        publicOutcome: publicRecords.outcome,
      };
      const seenByB = dataOf(await as(partner.b.key, VisibleNestedRecords, variables));
      const seenByA = dataOf(await as(partner.a.key, VisibleNestedRecords, variables));
      for (const id of privateIds()) expect(JSON.stringify(seenByB)).not.toContain(id);
      expect(seenByB.ada?.relationships?.totalCount).toBe(0);
      expect(ids(seenByB.ada?.introductionsRequested)).toEqual([publicRecords.introduction]);
      expect(seenByB.ben?.introductionsReceived?.edges).toEqual([]);
      expect(seenByB.cleo?.introductionsMade?.edges).toEqual([]);
      expect(ofType(seenByB.intro, "Introduction").ledTo).toEqual([]);
      expect(ofType(seenByB.outcome, "Outcome").introductions).toEqual([{ id: publicRecords.introduction }]);
      expect(ofType(seenByB.rel, "Relationship").interactions?.edges).toEqual([]);

      expect(seenByA.ada?.relationships?.edges).toEqual([{ node: { relationship: { id: privateA.relationship } } }]);
      expect(ids(seenByA.cleo?.introductionsMade)).toEqual([privateA.introduction]);
      expect(ofType(seenByA.intro, "Introduction").ledTo).toEqual([{ id: privateA.introduction }]);
      expect(ofType(seenByA.intro, "Introduction").outcomes?.map((outcome) => outcome.id)).toEqual([
        publicRecords.outcome,
      ]);
      expect(ids(ofType(seenByA.rel, "Relationship").interactions)).toEqual([privateA.interaction]);
    });

    it("through values derived from A's private interaction on a public relationship", async () => {
      // A's CALL is A's record: the public tie's strength, evidence and last interaction stay those of public evidence.
      const id = publicRecords.relationship;
      const seenByB = dataOf(await as(partner.b.key, RelationshipEvidence, { id })).node;
      for (const key of [api.adminKey, partner.a.key])
        expect(dataOf(await as(key, RelationshipEvidence, { id })).node).toEqual(seenByB);
      expect(seenByB).toMatchObject({ lastInteractionAt: null, strengthEvidence: { interactionCount: 0 } });
    });

    it("through admin-only types and retired records", async () => {
      const { prisma } = api.database;
      const [ada, ben] = people.map((id) => decodeGlobalID(id).id) as [string, string];
      const suggestion = await prisma.duplicateSuggestion.create({
        data: { personAId: ada, personBId: ben, reason: "same email ada@example.com", score: 0.9 },
      });
      const suggestionId = encodeGlobalID("DuplicateSuggestion", suggestion.id);
      const byPartner = await as(partner.b.key, SuggestionNode, { id: suggestionId });
      expect(byPartner.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(JSON.stringify(byPartner.data ?? null)).not.toContain("ada@example.com");
      expect(dataOf(await as(api.adminKey, SuggestionNode, { id: suggestionId })).node).toMatchObject({
        reason: "same email ada@example.com",
      });

      // A retired introduction (merged away) resolves for nobody.
      const retired = await prisma.introduction.create({
        data: {
          connectorId: ada,
          fromId: ben,
          toId: decodeGlobalID(people[2]!).id,
          occurredAt: new Date("2025-01-01"),
          deletedAt: new Date(),
        },
      });
      for (const key of [api.adminKey, partner.a.key, partner.b.key])
        expect(dataOf(await as(key, VisibleNode, { id: encodeGlobalID("Introduction", retired.id) })).node).toBeNull();
    });

    it("through write conflicts: B records its own tie for a pair only A recorded, and learns nothing of A's", async () => {
      const [ada, ben] = people as [string, string];
      const input = { personId: ada, otherPersonId: ben, kind: "FRIEND" as const };
      const first = await as(partner.b.key, CreateReportedRelationship, { input });
      const created = ofType(dataOf(first).createRelationship, "CreateRelationshipSuccess").relationship.id;
      expect(created).not.toBe(privateA.relationship);
      expect(JSON.stringify(first)).not.toContain(privateA.relationship);
      // Unique within B's own reports: a second one is B's conflict, naming B's relationship only.
      const again = await as(partner.b.key, CreateReportedRelationship, { input });
      expect(dataOf(again).createRelationship?.__typename).toBe("ConflictError");
      expect(JSON.stringify(again)).not.toContain(privateA.relationship);
      // The public relationship of the pair is its own scope too.
      const publicTie = await as(api.adminKey, CreateReportedRelationship, { input });
      expect(dataOf(publicTie).createRelationship?.__typename).toBe("CreateRelationshipSuccess");
      // Each partner lists its own tie beside the public one, never the other's.
      const seenByB = JSON.stringify(dataOf(await as(partner.b.key, VisibleRecords, {})));
      expect(seenByB).toContain(created);
      expect(seenByB).not.toContain(privateA.relationship);
      const seenByA = JSON.stringify(dataOf(await as(partner.a.key, VisibleRecords, {})));
      expect(seenByA).toContain(privateA.relationship);
      expect(seenByA).not.toContain(created);
    });

    it("refuses writes that build on another partner's private reports", async () => {
      const added = dataOf(
        await as(partner.b.key, AddReportedInteraction, {
          input: {
            relationshipId: privateA.relationship,
            interaction: { kind: "CALL", occurredAt: "2025-05-01T00:00:00Z" },
          },
        }),
      );
      expect(added.addInteraction?.__typename).toBe("NotFoundError");
      const outcome = dataOf(
        await as(partner.b.key, RecordReportedOutcome, {
          input: {
            kind: "DEAL",
            title: "x",
            value: "1",
            currency: "USD",
            occurredAt: "2025-06-01T00:00:00Z",
            introductionIds: [privateA.introduction],
          },
        }),
      );
      expect(outcome.recordOutcome?.__typename).toBe("NotFoundError");
      const update = dataOf(await as(partner.b.key, AcceptIntroduction, { id: privateA.introduction }));
      expect(update.updateIntroduction?.__typename).toBe("NotFoundError");
    });
  });

  describe("audit log", () => {
    it("records every write with its actor, and admins can filter it", async () => {
      const byA = dataOf(await as(api.adminKey, AuditByActor, { actor: `key:${partner.a.key.split("_")[1]}` }));
      const actions = nodesOf(byA.auditEvents).map((event) => event.action);
      // Newest first.
      expect(actions).toEqual([
        "creditDispute.open",
        "outcome.create",
        "introduction.create",
        "interaction.create",
        "relationship.create",
      ]);
      expect(byA.auditEvents?.edges[1]?.node).toMatchObject({
        entityId: privateA.outcome,
        partner: partner.a.id,
        apiKey: partner.a.keyId,
      });

      const keyEvents = dataOf(await as(api.adminKey, KeyCreationEvents, {}));
      expect(keyEvents.auditEvents?.edges).toHaveLength(2);
      expect(JSON.stringify(keyEvents)).not.toMatch(/secretHash|scrypt/);

      const onOutcome = dataOf(await as(api.adminKey, AuditByEntity, { id: privateA.outcome }));
      expect(onOutcome.auditEvents?.edges).toEqual([{ node: { action: "outcome.create" } }]);
      const future = dataOf(await as(api.adminKey, FutureAuditEvents, {}));
      expect(future.auditEvents?.edges).toEqual([]);
    });
  });

  describe("keys that no longer work", () => {
    it("refuses an unknown or malformed key with 401", async () => {
      const unknown = await as(`ig_${"a".repeat(12)}_${"b".repeat(43)}`, Typename, {});
      expect(unknown.status).toBe(401);
      expect(unknown.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      const tampered = await as(`${partner.b.key.slice(0, -2)}xx`, Typename, {});
      expect(tampered.status).toBe(401);
    });

    it("refuses an Authorization header that is not `Bearer <API key>` with 401", async () => {
      for (const authorization of ["Bearer not-a-key", "Basic dXNlcjpwYXNz", "Bearer", partner.a.key]) {
        const refused = await as(null, QueryTypeName, {}, { authorization });
        expect(refused.status, authorization).toBe(401);
        expect(refused.errors?.[0]?.extensions?.code, authorization).toBe("UNAUTHENTICATED");
        expect(refused.data ?? null, authorization).toBeNull();
      }
    });

    it("answers a key sent as x-api-key with a 401 that names the Authorization header", async () => {
      const refused = await as(null, OnePerson, {}, { "x-api-key": partner.a.key });
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(refused.errors?.[0]?.message).toMatch(/Authorization: Bearer/);
      // Beside a valid Authorization header it is harmless.
      expect((await as(partner.a.key, OnePerson, {}, { "x-api-key": "anything" })).status).toBe(200);
    });

    it("refuses a revoked key at once, and records the revocation", async () => {
      expect((await as(partner.b.key, OnePerson, {})).status).toBe(200);
      const revoked = dataOf(await as(api.adminKey, RevokeApiKey, { id: partner.b.keyId }));
      expect(ofType(revoked.revokeApiKey, "RevokeApiKeySuccess").apiKey?.active).toBe(false);
      const after = await as(partner.b.key, OnePerson, {});
      expect(after.status).toBe(401);
      expect(after.errors?.[0]?.message).toMatch(/revoked/);
      const audit = dataOf(await as(api.adminKey, KeyRevocationEvents, {}));
      expect(audit.auditEvents?.edges).toEqual([{ node: { entityId: partner.b.keyId } }]);
    });
  });

  it("masks unexpected errors (last: it breaks the database)", async () => {
    await api.database.prisma.$executeRawUnsafe(`ALTER TABLE "Organization" RENAME TO "OrganizationGone"`);
    const broken = await as(api.adminKey, OneOrganization, {});
    expect(broken.errors?.[0]?.message).toBe("Unexpected error.");
    expect(JSON.stringify(broken)).not.toMatch(/OrganizationGone|relation|prisma/i);
  });
});
