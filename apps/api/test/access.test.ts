// Partner access: key administration, anonymous and partner scopes, PII, partner isolation on every partner-reported
// type (lists, node/nodes and nested fields), revocation, the audit log and masked internal errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const CREATE_PARTNER = /* GraphQL */ `
  mutation ($input: CreatePartnerInput!) {
    createPartner(input: $input) { __typename ... on CreatePartnerSuccess { partner { id slug } } ... on Error { message } }
  }
`;
const CREATE_KEY = /* GraphQL */ `
  mutation ($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on IssuedApiKey { key apiKey { id prefix scopes partner { slug } } }
      ... on Error { message }
    }
  }
`;
const CREATE_PERSON = /* GraphQL */ `
  mutation ($input: CreatePersonInput!) { createPerson(input: $input) { ... on CreatePersonSuccess { person { id } } ... on Error { message } } }
`;
const CREATE_RELATIONSHIP = /* GraphQL */ `
  mutation ($input: CreateRelationshipInput!) {
    createRelationship(input: $input) {
      __typename
      ... on CreateRelationshipSuccess { relationship { id interactions(first: 5) { edges { node { id } } } } }
      ... on Error { message }
    }
  }
`;
const ADD_INTERACTION = /* GraphQL */ `
  mutation ($input: AddInteractionInput!) {
    addInteraction(input: $input) {
      __typename
      ... on AddInteractionSuccess { relationship { interactions(first: 20) { edges { node { id source } } } } }
      ... on Error { message }
    }
  }
`;
const CREATE_INTRO = /* GraphQL */ `
  mutation ($input: CreateIntroductionInput!) {
    createIntroduction(input: $input) { __typename ... on CreateIntroductionSuccess { introduction { id } } ... on Error { message } }
  }
`;
const RECORD_OUTCOME = /* GraphQL */ `
  mutation ($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) { __typename ... on RecordOutcomeSuccess { outcome { id } } ... on Error { message } }
  }
`;

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id);

describe("partner access", () => {
  let api: TestApi;
  const partner = { a: { id: "", key: "", keyId: "" }, b: { id: "", key: "", keyId: "" } };
  const people: string[] = [];
  /** Partner A's private reports, one of each type that has them. */
  const privateA = { relationship: "", interaction: "", introduction: "", outcome: "" };
  const publicRecords = { relationship: "", introduction: "", outcome: "" };

  async function as<Data = any>(key: string | null, query: string, variables?: Record<string, unknown>) {
    return api.request<Data>(query, variables, { key });
  }

  beforeAll(async () => {
    api = await startTestApi("pglite");
    for (const [name, slot] of [
      ["Alpha CRM", partner.a],
      ["Beta Market", partner.b],
    ] as const) {
      const created = dataOf(
        await as(api.adminKey, CREATE_PARTNER, { input: { name, slug: name.toLowerCase().replace(" ", "-") } }),
      );
      slot.id = created.createPartner.partner.id;
      const issued = dataOf(
        await as(api.adminKey, CREATE_KEY, { input: { name: `${name} prod`, scope: "PARTNER", partnerId: slot.id } }),
      );
      expect(issued.createApiKey.__typename).toBe("IssuedApiKey");
      slot.key = issued.createApiKey.key;
      slot.keyId = issued.createApiKey.apiKey.id;
    }
    for (const displayName of ["Ada", "Ben", "Cleo", "Dev", "Eve"]) {
      people.push(
        dataOf(
          await as(api.adminKey, CREATE_PERSON, {
            input: { displayName, email: `${displayName.toLowerCase()}@example.com` },
          }),
        ).createPerson.person.id,
      );
    }
    const [ada, ben, cleo, dev, eve] = people as [string, string, string, string, string];
    const at = "2025-01-10T00:00:00Z";

    // Public records (entered by an admin).
    publicRecords.relationship = dataOf(
      await as(api.adminKey, CREATE_RELATIONSHIP, { input: { personId: cleo, otherPersonId: dev, kind: "COLLEAGUE" } }),
    ).createRelationship.relationship.id;
    publicRecords.introduction = dataOf(
      await as(api.adminKey, CREATE_INTRO, { input: { connectorId: eve, fromId: ada, toId: cleo, occurredAt: at } }),
    ).createIntroduction.introduction.id;

    // Partner A's private reports.
    const rel = dataOf(
      await as(partner.a.key, CREATE_RELATIONSHIP, {
        input: {
          personId: ada,
          otherPersonId: ben,
          kind: "CLIENT",
          interactions: [{ kind: "MEETING", occurredAt: at }],
        },
      }),
    );
    privateA.relationship = rel.createRelationship.relationship.id;
    const added = dataOf(
      await as(partner.a.key, ADD_INTERACTION, {
        input: { relationshipId: publicRecords.relationship, interaction: { kind: "CALL", occurredAt: at } },
      }),
    );
    privateA.interaction = added.addInteraction.relationship.interactions.edges.find(
      (edge: any) => edge.node.source === "PARTNER",
    ).node.id;
    privateA.introduction = dataOf(
      await as(partner.a.key, CREATE_INTRO, {
        input: {
          connectorId: cleo,
          fromId: ada,
          toId: ben,
          occurredAt: "2025-02-01T00:00:00Z",
          ledFromIds: [publicRecords.introduction],
        },
      }),
    ).createIntroduction.introduction.id;
    privateA.outcome = dataOf(
      await as(partner.a.key, RECORD_OUTCOME, {
        input: {
          kind: "DEAL",
          title: "Ada signs Ben",
          value: "1000.00",
          currency: "USD",
          occurredAt: "2025-03-01T00:00:00Z",
          introductionIds: [privateA.introduction],
        },
      }),
    ).recordOutcome.outcome.id;
    // A public outcome (admin) that an A-private introduction also led to: B must see the outcome without that intro.
    publicRecords.outcome = dataOf(
      await as(api.adminKey, RECORD_OUTCOME, {
        input: {
          kind: "HIRE",
          title: "Cleo hires",
          value: "50.00",
          currency: "EUR",
          occurredAt: "2025-03-02T00:00:00Z",
          introductionIds: [publicRecords.introduction, privateA.introduction],
        },
      }),
    ).recordOutcome.outcome.id;
  });
  afterAll(() => api.close());

  describe("admin key operations", () => {
    it("lists keys with prefix, scopes, partner and times, never the secret or its hash", async () => {
      const listed = dataOf(
        await as(
          api.adminKey,
          `{ apiKeys(first: 10) { edges { node { id prefix name scopes active lastUsedAt expiresAt revokedAt partner { slug } } } } }`,
        ),
      );
      const nodes = listed.apiKeys.edges.map((edge: any) => edge.node);
      expect(nodes.length).toBeGreaterThanOrEqual(3);
      const keyA = nodes.find((node: any) => node.id === partner.a.keyId);
      expect(keyA).toMatchObject({ scopes: ["PARTNER"], active: true, partner: { slug: "alpha-crm" } });
      expect(partner.a.key).toContain(`ig_${keyA.prefix}_`);
      // The secret is everything after `ig_<prefix>_` (it may itself contain "_").
      expect(JSON.stringify(listed)).not.toContain(partner.a.key.slice("ig_".length + 12 + 1));
      const fields = dataOf(await as(api.adminKey, `{ __type(name: "ApiKey") { fields { name } } }`)).__type.fields.map(
        (field: any) => field.name,
      );
      expect(fields).not.toContain("secretHash");
      expect(fields).not.toContain("key");
    });

    it("rejects a PARTNER key without a partner with a typed ValidationError", async () => {
      const result = dataOf(await as(api.adminKey, CREATE_KEY, { input: { name: "x", scope: "PARTNER" } }));
      expect(result.createApiKey).toMatchObject({ __typename: "ValidationError" });
    });

    it("lists partners and refuses a duplicate slug with a ConflictError", async () => {
      const listed = dataOf(
        await as(
          api.adminKey,
          `{ partners(first: 10) { edges { node { slug apiKeys(first: 5) { edges { node { prefix } } } } } } }`,
        ),
      );
      expect(listed.partners.edges.map((edge: any) => edge.node.slug).sort()).toEqual(["alpha-crm", "beta-market"]);
      const duplicate = dataOf(await as(api.adminKey, CREATE_PARTNER, { input: { name: "Again", slug: "alpha-crm" } }));
      expect(duplicate.createPartner.__typename).toBe("ConflictError");
    });
  });

  describe("scopes", () => {
    it("gives anonymous callers the schema and nothing else", async () => {
      const schema = await as(null, `{ __schema { queryType { name } } }`);
      expect(schema.data?.__schema.queryType.name).toBe("Query");
      for (const query of [
        `{ people(first: 1) { edges { node { id } } } }`,
        `query ($id: ID!) { node(id: $id) { id } }`,
        `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      ]) {
        const refused = await as(null, query, { id: people[0], ids: [people[0]] });
        expect(refused.errors?.[0]?.extensions?.code, query).toBe("UNAUTHENTICATED");
        expect(JSON.stringify(refused.data ?? null)).not.toContain("Ada");
      }
    });

    it("shows PII (email) to admins only", async () => {
      const query = `query ($id: ID!) { person(id: $id) { displayName email } }`;
      expect(dataOf(await as(api.adminKey, query, { id: people[0] })).person).toEqual({
        displayName: "Ada",
        email: "ada@example.com",
      });
      const partnerView = await as(partner.a.key, query, { id: people[0] });
      expect(partnerView.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((partnerView.errors?.[0] as { path?: unknown } | undefined)?.path).toEqual(["person", "email"]);
      expect(JSON.stringify(partnerView)).not.toContain("ada@example.com");
    });

    it("refuses admin operations to partner keys", async () => {
      for (const query of [
        `{ apiKeys(first: 1) { edges { node { id } } } }`,
        `{ partners(first: 1) { edges { node { id } } } }`,
        `{ auditEvents(first: 1) { edges { node { id } } } }`,
        `mutation { createApiKey(input: { name: "x", scope: ADMIN }) { __typename } }`,
        `mutation { createPartner(input: { name: "x", slug: "xx" }) { __typename } }`,
      ]) {
        const refused = await as(partner.a.key, query);
        expect(refused.errors?.[0]?.extensions?.code, query).toBe("FORBIDDEN");
      }
      const revoke = await as(partner.a.key, `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }`, {
        id: partner.b.keyId,
      });
      expect(revoke.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      // An admin-only node type through node(id) is refused as well.
      const keyNode = await as(partner.a.key, `query ($id: ID!) { node(id: $id) { id ... on ApiKey { prefix } } }`, {
        id: partner.b.keyId,
      });
      expect(keyNode.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(JSON.stringify(keyNode.data ?? null)).not.toContain('prefix":"');
    });
  });

  describe("isolation: partner B never reads partner A's private reports", () => {
    const privateIds = () => Object.values(privateA);

    it("through the top-level lists", async () => {
      const query = `{
        introductions(first: 100) { edges { node { id } } }
        outcomes(first: 100) { edges { node { id } } }
        relationships(first: 100) { totalCount edges { node { id interactions(first: 50) { edges { node { id } } } } } }
      }`;
      const seenByB = dataOf(await as(partner.b.key, query));
      const seenByA = dataOf(await as(partner.a.key, query));
      for (const id of privateIds()) {
        expect(JSON.stringify(seenByB)).not.toContain(id);
        expect(JSON.stringify(seenByA)).toContain(id);
      }
      expect(ids(seenByB.introductions)).toEqual([publicRecords.introduction]);
      expect(ids(seenByB.outcomes)).toEqual([publicRecords.outcome]);
      expect(seenByB.relationships.totalCount).toBe(1);
      expect(seenByA.relationships.totalCount).toBe(2);
    });

    it("through node(id) and nodes(ids), for every type", async () => {
      for (const id of privateIds()) {
        const byB = dataOf(await as(partner.b.key, `query ($id: ID!) { node(id: $id) { id } }`, { id }));
        expect(byB.node, id).toBeNull();
        const byA = dataOf(await as(partner.a.key, `query ($id: ID!) { node(id: $id) { id } }`, { id }));
        expect(byA.node).toEqual({ id });
        const byAdmin = dataOf(await as(api.adminKey, `query ($id: ID!) { node(id: $id) { id } }`, { id }));
        expect(byAdmin.node).toEqual({ id });
      }
      const many = dataOf(
        await as(partner.b.key, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
          ids: [...privateIds(), publicRecords.introduction],
        }),
      );
      expect(many.nodes).toEqual([null, null, null, null, { id: publicRecords.introduction }]);
    });

    it("through nested fields: person → relationships / introductions, relationship → interactions, intro → ledTo, outcome → introductions", async () => {
      const [ada, ben, cleo] = people as [string, string, string];
      const query = `query ($ada: ID!, $ben: ID!, $cleo: ID!, $publicIntro: ID!, $publicRel: ID!, $publicOutcome: ID!) {
        ada: person(id: $ada) {
          relationships(first: 20) { totalCount edges { node { relationship { id } } } }
          introductionsRequested(first: 20) { totalCount edges { node { id } } }
        }
        ben: person(id: $ben) { introductionsReceived(first: 20) { totalCount edges { node { id } } } }
        cleo: person(id: $cleo) { introductionsMade(first: 20) { totalCount edges { node { id } } } }
        intro: node(id: $publicIntro) { ... on Introduction { ledTo { id } outcomes { id } } }
        rel: node(id: $publicRel) { ... on Relationship { interactions(first: 20) { totalCount edges { node { id } } } } }
        outcome: node(id: $publicOutcome) { ... on Outcome { introductions { id } } }
      }`;
      const variables = {
        ada,
        ben,
        cleo,
        publicIntro: publicRecords.introduction,
        publicRel: publicRecords.relationship,
        publicOutcome: publicRecords.outcome,
      };
      const seenByB = dataOf(await as(partner.b.key, query, variables));
      const seenByA = dataOf(await as(partner.a.key, query, variables));
      for (const id of privateIds()) expect(JSON.stringify(seenByB)).not.toContain(id);
      expect(seenByB.ada.relationships.totalCount).toBe(0);
      expect(ids(seenByB.ada.introductionsRequested)).toEqual([publicRecords.introduction]);
      expect(seenByB.ben.introductionsReceived.edges).toEqual([]);
      expect(seenByB.cleo.introductionsMade.edges).toEqual([]);
      expect(seenByB.intro.ledTo).toEqual([]);
      expect(seenByB.outcome.introductions).toEqual([{ id: publicRecords.introduction }]);
      expect(seenByB.rel.interactions.edges).toEqual([]);

      expect(seenByA.ada.relationships.edges).toEqual([{ node: { relationship: { id: privateA.relationship } } }]);
      expect(ids(seenByA.cleo.introductionsMade)).toEqual([privateA.introduction]);
      expect(seenByA.intro.ledTo).toEqual([{ id: privateA.introduction }]);
      expect(seenByA.intro.outcomes.map((outcome: any) => outcome.id)).toEqual([publicRecords.outcome]);
      expect(ids(seenByA.rel.interactions)).toEqual([privateA.interaction]);
    });

    it("refuses writes that build on another partner's private reports", async () => {
      const added = dataOf(
        await as(partner.b.key, ADD_INTERACTION, {
          input: {
            relationshipId: privateA.relationship,
            interaction: { kind: "CALL", occurredAt: "2025-05-01T00:00:00Z" },
          },
        }),
      );
      expect(added.addInteraction.__typename).toBe("NotFoundError");
      const outcome = dataOf(
        await as(partner.b.key, RECORD_OUTCOME, {
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
      expect(outcome.recordOutcome.__typename).toBe("NotFoundError");
      const update = dataOf(
        await as(
          partner.b.key,
          `mutation ($id: ID!) { updateIntroduction(input: { id: $id, version: 1, status: ACCEPTED }) { __typename } }`,
          { id: privateA.introduction },
        ),
      );
      expect(update.updateIntroduction.__typename).toBe("NotFoundError");
    });
  });

  describe("audit log", () => {
    it("records every write with its actor, and admins can filter it", async () => {
      const byA = dataOf(
        await as(
          api.adminKey,
          `query ($actor: String!) { auditEvents(first: 50, filter: { actorId: $actor }) { edges { node { action entityType entityId partner apiKey } } } }`,
          {
            actor: `key:${partner.a.key.split("_")[1]}`,
          },
        ),
      );
      const actions = byA.auditEvents.edges.map((edge: any) => edge.node.action);
      // Newest first.
      expect(actions).toEqual(["outcome.create", "introduction.create", "interaction.create", "relationship.create"]);
      expect(byA.auditEvents.edges[0].node).toMatchObject({
        entityId: privateA.outcome,
        partner: partner.a.id,
        apiKey: partner.a.keyId,
      });

      const keyEvents = dataOf(
        await as(
          api.adminKey,
          `{ auditEvents(first: 10, filter: { action: "apiKey.create" }) { edges { node { entityType after } } } }`,
        ),
      );
      expect(keyEvents.auditEvents.edges).toHaveLength(2);
      expect(JSON.stringify(keyEvents)).not.toMatch(/secretHash|scrypt/);

      const onOutcome = dataOf(
        await as(
          api.adminKey,
          `query ($id: ID!) { auditEvents(first: 5, filter: { entityId: $id }) { edges { node { action } } } }`,
          { id: privateA.outcome },
        ),
      );
      expect(onOutcome.auditEvents.edges).toEqual([{ node: { action: "outcome.create" } }]);
      const future = dataOf(
        await as(
          api.adminKey,
          `{ auditEvents(first: 5, filter: { after: "2999-01-01T00:00:00Z" }) { edges { node { action } } } }`,
        ),
      );
      expect(future.auditEvents.edges).toEqual([]);
    });
  });

  describe("keys that no longer work", () => {
    it("refuses an unknown or malformed key with 401", async () => {
      const unknown = await as(`ig_${"a".repeat(12)}_${"b".repeat(43)}`, `{ __typename }`);
      expect(unknown.status).toBe(401);
      expect(unknown.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      const tampered = await as(`${partner.b.key.slice(0, -2)}xx`, `{ __typename }`);
      expect(tampered.status).toBe(401);
    });

    it("refuses a revoked key at once, and records the revocation", async () => {
      expect((await as(partner.b.key, `{ people(first: 1) { edges { node { id } } } }`)).status).toBe(200);
      const revoked = dataOf(
        await as(
          api.adminKey,
          `mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { active revokedAt } } } }`,
          { id: partner.b.keyId },
        ),
      );
      expect(revoked.revokeApiKey.apiKey.active).toBe(false);
      const after = await as(partner.b.key, `{ people(first: 1) { edges { node { id } } } }`);
      expect(after.status).toBe(401);
      expect(after.errors?.[0]?.message).toMatch(/revoked/);
      const audit = dataOf(
        await as(
          api.adminKey,
          `{ auditEvents(first: 5, filter: { action: "apiKey.revoke" }) { edges { node { entityId } } } }`,
        ),
      );
      expect(audit.auditEvents.edges).toEqual([{ node: { entityId: partner.b.keyId } }]);
    });
  });

  it("masks unexpected errors (last: it breaks the database)", async () => {
    await api.database.prisma.$executeRawUnsafe(`ALTER TABLE "Organization" RENAME TO "OrganizationGone"`);
    const broken = await as(api.adminKey, `{ organizations(first: 1) { edges { node { id } } } }`);
    expect(broken.errors?.[0]?.message).toBe("Unexpected error.");
    expect(JSON.stringify(broken)).not.toMatch(/OrganizationGone|relation|prisma/i);
  });
});
