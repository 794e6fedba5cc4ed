// Bad input is answered with a typed error, never INTERNAL_SERVER_ERROR: malformed, mistyped and unknown-type global
// ids, bad cursors and page arguments, scalars (Decimal, DateTime, Int), NUL characters, money finer than its
// currency, unknown currencies, repeated links, binary files and non-web URLs; LIKE wildcards in searches are literal;
// every limit refusal carries a code.
import { encodeBase64, encodeCursorChunk } from "@pothos/core";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { graphql } from "./generated/gql.ts";
import { dataOf, documentOf, type GraphQLResponse, ofType, startTestApi, type TestApi } from "./harness.ts";

const TypedErrorNode = graphql(/* GraphQL */ `
  query TypedErrorNode($id: ID!) { node(id: $id) { id } }
`);
const TypedErrorNodes = graphql(/* GraphQL */ `
  query TypedErrorNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }
`);
const TypedErrorPerson = graphql(/* GraphQL */ `
  query TypedErrorPerson($id: ID!) { person(id: $id) { id } }
`);
const TypedErrorDisputes = graphql(/* GraphQL */ `
  query TypedErrorDisputes($outcomeId: ID) { creditDisputes(outcomeId: $outcomeId) { edges { node { id } } } }
`);
const TypedErrorPeoplePage = graphql(/* GraphQL */ `
  query TypedErrorPeoplePage($first: Int, $last: Int, $after: String, $before: String, $search: String) {
    people(first: $first, last: $last, after: $after, before: $before, filter: { search: $search }) {
      edges { node { displayName } }
    }
  }
`);
const TypedErrorRelationshipsPage = graphql(/* GraphQL */ `
  query TypedErrorRelationshipsPage($id: ID!, $after: String) {
    person(id: $id) { relationships(after: $after) { edges { cursor } } }
  }
`);
const TypedErrorOrganizations = graphql(/* GraphQL */ `
  query TypedErrorOrganizations($search: String) { organizations(filter: { search: $search }) { edges { node { name } } } }
`);
const TypedErrorAudit = graphql(/* GraphQL */ `
  query TypedErrorAudit($after: DateTime) { auditEvents(first: 1, filter: { after: $after }) { edges { node { id } } } }
`);
// The error fields every write below selects (its documents spread it by name).
graphql(/* GraphQL */ `
  fragment TypedErrorFields on Error {
    message
    ... on ValidationError { issues { path message } }
    ... on ConflictError { entityType entityId fields }
  }
`);
const TypedErrorCreatePerson = graphql(/* GraphQL */ `
  mutation TypedErrorCreatePerson($input: CreatePersonInput!) {
    createPerson(input: $input) { __typename ...TypedErrorFields ... on CreatePersonSuccess { person { id } } }
  }
`);
const TypedErrorUpdatePerson = graphql(/* GraphQL */ `
  mutation TypedErrorUpdatePerson($input: UpdatePersonInput!) {
    updatePerson(input: $input) { __typename ...TypedErrorFields }
  }
`);
const TypedErrorAddInteraction = graphql(/* GraphQL */ `
  mutation TypedErrorAddInteraction($input: AddInteractionInput!) {
    addInteraction(input: $input) { __typename ...TypedErrorFields }
  }
`);
const TypedErrorCreateRelationship = graphql(/* GraphQL */ `
  mutation TypedErrorCreateRelationship($input: CreateRelationshipInput!) {
    createRelationship(input: $input) {
      __typename ...TypedErrorFields ... on CreateRelationshipSuccess { relationship { id } }
    }
  }
`);
const TypedErrorCreateIntroduction = graphql(/* GraphQL */ `
  mutation TypedErrorCreateIntroduction($input: CreateIntroductionInput!) {
    createIntroduction(input: $input) {
      __typename ...TypedErrorFields ... on CreateIntroductionSuccess { introduction { id } }
    }
  }
`);
const TypedErrorRecordOutcome = graphql(/* GraphQL */ `
  mutation TypedErrorRecordOutcome($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) { __typename ...TypedErrorFields ... on RecordOutcomeSuccess { outcome { id value } } }
  }
`);
const TypedErrorImportFile = graphql(/* GraphQL */ `
  mutation TypedErrorImportFile($input: ImportFileInput!) {
    importFile(input: $input) { __typename ...TypedErrorFields }
  }
`);

type AnyResponse = GraphQLResponse<unknown>;

/** The response was refused with BAD_USER_INPUT (and nothing masked as an internal error). */
function expectBadUserInput(response: AnyResponse, argument?: string): void {
  expect(response.status).toBeLessThan(500);
  expect(response.errors?.length, JSON.stringify(response)).toBeGreaterThan(0);
  for (const error of response.errors ?? []) {
    expect(error.extensions?.code, JSON.stringify(error)).toBe("BAD_USER_INPUT");
    if (argument) expect(error.extensions?.argument).toBe(argument);
  }
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe.each(databaseKinds)("typed errors on %s", (kind) => {
  let api: TestApi;
  const id = { a: "", b: "", c: "", d: "", organization: "", introduction: "", relationship: "" };

  beforeAll(async () => {
    api = await startTestApi(kind);
    const prisma = api.database.prisma;
    const people = await prisma.person.createManyAndReturn({
      data: ["Ada", "Bo", "Cy", "Di"].map((displayName) => ({ displayName })),
      select: { id: true },
    });
    const [a, b, c, d] = people.map((person) => encodeGlobalID("Person", person.id));
    Object.assign(id, { a, b, c, d });
    const organization = await prisma.organization.create({ data: { name: "Acme" }, select: { id: true } });
    id.organization = encodeGlobalID("Organization", organization.id);
    const introduction = ofType(
      dataOf(
        await api.executeOperation(TypedErrorCreateIntroduction, {
          input: {
            connectorId: id.a,
            fromId: id.b,
            toId: id.c,
            occurredAt: "2026-01-10T00:00:00Z",
            fromConsentedAt: "2026-01-10T00:00:00Z",
            toConsentedAt: "2026-01-10T00:00:00Z",
          },
        }),
      ).createIntroduction,
      "CreateIntroductionSuccess",
    );
    id.introduction = introduction.introduction.id;
    const relationship = ofType(
      dataOf(
        await api.executeOperation(TypedErrorCreateRelationship, { input: { personId: id.a, otherPersonId: id.b } }),
      ).createRelationship,
      "CreateRelationshipSuccess",
    );
    id.relationship = relationship.relationship.id;
  });
  afterAll(() => api.close());

  describe("global ids", () => {
    it.each([
      ["not base64", "garbage"],
      ["no type", b64("01a229d7-eff7-7059-8dc9-289700cce551")],
      ["not a UUID", b64("Person:not-a-uuid")],
      ["an unknown type", b64("Spaceship:01a229d7-eff7-7059-8dc9-289700cce551")],
      ["a type that is no node", b64("Query:01a229d7-eff7-7059-8dc9-289700cce551")],
    ])("node(id) and nodes(ids) refuse an id that is %s with BAD_USER_INPUT", async (_what, bad) => {
      expectBadUserInput(await api.executeOperation(TypedErrorNode, { id: bad }), "id");
      expectBadUserInput(await api.executeOperation(TypedErrorNodes, { ids: [id.a, bad] }));
    });

    it("an id of another type is BAD_USER_INPUT naming the argument, for queries and mutations alike", async () => {
      const person = await api.executeOperation(TypedErrorPerson, { id: id.organization });
      expectBadUserInput(person, "id");
      expect(person.errors?.[0]?.message).toMatch(/expected the id of a Person/);
      expectBadUserInput(await api.executeOperation(TypedErrorPerson, { id: b64("Person:not-a-uuid") }), "id");
      expectBadUserInput(await api.executeOperation(TypedErrorDisputes, { outcomeId: "garbage" }), "outcomeId");
      const update = dataOf(
        await api.executeOperation(TypedErrorUpdatePerson, { input: { id: id.organization, version: 1 } }),
      ).updatePerson;
      expect(ofType(update, "ValidationError").issues).toEqual([
        { path: ["input", "id"], message: "expected the id of a Person, got the id of a Organization" },
      ]);
    });

    it("the same introduction twice in ledFromIds is a ValidationError", async () => {
      const result = dataOf(
        await api.executeOperation(TypedErrorCreateIntroduction, {
          input: {
            connectorId: id.a,
            fromId: id.c,
            toId: id.d,
            occurredAt: "2026-02-10T00:00:00Z",
            ledFromIds: [id.introduction, id.introduction],
          },
        }),
      ).createIntroduction;
      expect(ofType(result, "ValidationError").issues?.[0]?.path).toEqual(["input", "ledFromIds", "1"]);
    });
  });

  describe("pages", () => {
    it.each([
      ["a cursor that is not one", { after: "garbage" }],
      ["a cursor that is base64 of nothing", { before: b64("nothing") }],
      ["a negative first", { first: -1 }],
      ["a negative last", { last: -3 }],
      ["before and after together", { before: "x", after: "y" }],
    ])("%s is BAD_USER_INPUT", async (_what, variables) => {
      expectBadUserInput(await api.executeOperation(TypedErrorPeoplePage, variables));
    });

    // Cursors of the right shape whose value is no row id: a number, a date, a string that is no UUID, a list.
    const forged = [
      encodeBase64(`GPC:${encodeCursorChunk(42)}`),
      encodeBase64(`GPC:${encodeCursorChunk(new Date("2026-01-01"))}`),
      encodeBase64(`GPC:${encodeCursorChunk("not-a-uuid")}`),
      encodeBase64("GPC:J:[1,2]"),
    ];

    it.each(forged)(
      "a forged cursor %s is BAD_USER_INPUT on a top-level and on a nested connection",
      async (cursor) => {
        expectBadUserInput(await api.executeOperation(TypedErrorPeoplePage, { after: cursor }), "after");
        expectBadUserInput(await api.executeOperation(TypedErrorPeoplePage, { before: cursor }), "before");
        expectBadUserInput(
          await api.executeOperation(TypedErrorRelationshipsPage, { id: id.a, after: cursor }),
          "after",
        );
        expectBadUserInput(
          await api.executeOperation(
            documentOf(
              `query($id: ID!) { person(id: $id) { relationships(before: ${JSON.stringify(cursor)}) { totalCount } } }`,
            ),
            { id: id.a },
          ),
          "before",
        );
      },
    );

    it("a cursor the API gave out still pages", async () => {
      const first = dataOf(await api.executeOperation(TypedErrorRelationshipsPage, { id: id.a }));
      const cursor = first.person?.relationships?.edges[0]?.cursor;
      expect(cursor).toBeTruthy();
      const next = await api.executeOperation(TypedErrorRelationshipsPage, { id: id.a, after: cursor! });
      expect(next.errors).toBeUndefined();
    });
  });

  describe("scalars", () => {
    it.each(["12,50", "NaN", "1e400", "", "0.00001", "Infinity", "-", "1.2.3", " 12"])(
      "Decimal %j is BAD_USER_INPUT with a message that says how to write one",
      async (value) => {
        const response = await api.executeOperation(TypedErrorRecordOutcome, {
          input: {
            kind: "DEAL",
            title: "Deal",
            value,
            currency: "USD",
            occurredAt: "2026-03-01T00:00:00Z",
            introductionIds: [id.introduction],
          },
        });
        expectBadUserInput(response);
        expect(response.errors?.[0]?.message).toMatch(/is not a decimal/);
      },
    );

    it("a DateTime that is none is BAD_USER_INPUT, as a variable and as a literal", async () => {
      expectBadUserInput(await api.executeOperation(TypedErrorAudit, { after: "next tuesday" }));
      expectBadUserInput(
        await api.executeOperation(
          documentOf('{ auditEvents(filter: { after: "2026-13-45" }) { edges { node { id } } } }'),
          {},
        ),
      );
    });

    it("an Int that is none is BAD_USER_INPUT", async () => {
      expectBadUserInput(
        await api.executeOperation(documentOf("query($first: Int) { people(first: $first) { totalCount } }"), {
          first: 2 ** 40,
        }),
      );
    });
  });

  describe("NUL characters", () => {
    const nul = "Ada\u0000Lovelace";

    it.each([
      ["displayName", { displayName: nul }],
      ["headline", { displayName: "Ok", headline: nul }],
      ["a topic", { displayName: "Ok", topics: ["ok", nul] }],
    ])("in a person's %s are BAD_USER_INPUT and nothing is written", async (_field, input) => {
      const before = await api.database.prisma.person.count();
      expectBadUserInput(await api.executeOperation(TypedErrorCreatePerson, { input }));
      expect(await api.database.prisma.person.count()).toBe(before);
    });

    it("in an interaction's note, a search and a string literal are BAD_USER_INPUT", async () => {
      const interactions = await api.database.prisma.interaction.count();
      expectBadUserInput(
        await api.executeOperation(TypedErrorAddInteraction, {
          input: {
            relationshipId: id.relationship,
            interaction: { kind: "MEETING", occurredAt: "2026-01-01T00:00:00Z", note: nul },
          },
        }),
      );
      expect(await api.database.prisma.interaction.count()).toBe(interactions);
      expectBadUserInput(await api.executeOperation(TypedErrorPeoplePage, { search: "\u0000" }));
      expectBadUserInput(
        await api.executeOperation(documentOf('{ people(filter: { search: "a\\u0000" }) { totalCount } }'), {}),
      );
    });
  });

  describe("money", () => {
    const outcome = (value: string, currency: string) =>
      api.executeOperation(TypedErrorRecordOutcome, {
        input: {
          kind: "DEAL",
          title: `${value} ${currency}`,
          value,
          currency,
          occurredAt: "2026-03-01T00:00:00Z",
          introductionIds: [id.introduction],
        },
      });

    it.each([
      ["12.345", "USD", /USD has 2 decimals/],
      ["10.5", "JPY", /JPY has no minor unit/],
      ["1.0001", "BHD", /BHD has 3 decimals/],
    ])("%s %s is finer than the currency's minor unit: a ValidationError", async (value, currency, message) => {
      const result = ofType(dataOf(await outcome(value, currency)).recordOutcome, "ValidationError");
      expect(result.issues).toEqual([{ path: ["input", "value"], message: expect.stringMatching(message) }]);
    });

    it.each(["ZZZ", "XXX", "XAU", "usd", "US"])(
      "currency %s is no ISO 4217 currency: a ValidationError",
      async (code) => {
        const result = ofType(dataOf(await outcome("10", code)).recordOutcome, "ValidationError");
        expect(result.issues?.[0]?.path).toEqual(["input", "currency"]);
      },
    );

    it("amounts within the minor unit are recorded", async () => {
      for (const [value, currency] of [
        ["12.34", "USD"],
        ["1000", "JPY"],
        ["1.234", "BHD"],
        ["12.3400", "EUR"],
      ] as const) {
        ofType(dataOf(await outcome(value, currency)).recordOutcome, "RecordOutcomeSuccess");
      }
    });
  });

  describe("files, URLs and searches", () => {
    it("binary content in importFile is a ValidationError, and a NUL in it is BAD_USER_INPUT", async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]).toString("latin1");
      const result = dataOf(
        await api.executeOperation(TypedErrorImportFile, {
          input: { format: "PEOPLE", content: `id,displayName\n${png}`, source: "test" },
        }),
      ).importFile;
      expect(ofType(result, "ValidationError").message).toMatch(/not text/);
      expectBadUserInput(
        await api.executeOperation(TypedErrorImportFile, {
          input: { format: "PEOPLE", content: "id,displayName\n1,\u0000", source: "test" },
        }),
      );
    });

    it.each(["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://example.com/me"])(
      "profileUrl %s is a ValidationError: only http and https",
      async (profileUrl) => {
        const result = dataOf(
          await api.executeOperation(TypedErrorCreatePerson, { input: { displayName: "Url", profileUrl } }),
        ).createPerson;
        expect(ofType(result, "ValidationError").issues?.[0]?.path).toEqual(["input", "profileUrl"]);
      },
    );

    it("% and _ in a search match themselves, not any text", async () => {
      await api.database.prisma.person.createMany({
        data: [{ displayName: "100% Ada" }, { displayName: "snake_case Bo" }, { displayName: "Plain Cy" }],
      });
      const names = async (search: string) =>
        dataOf(await api.executeOperation(TypedErrorPeoplePage, { first: 50, search })).people?.edges.map(
          (edge) => edge.node?.displayName,
        );
      expect(await names("%")).toEqual(["100% Ada"]);
      expect(await names("e_c")).toEqual(["snake_case Bo"]);
      expect(await names("\\")).toEqual([]);
      await api.database.prisma.organization.create({ data: { name: "50% Off Ltd" } });
      const organizations = dataOf(await api.executeOperation(TypedErrorOrganizations, { search: "%" }));
      expect(organizations.organizations?.edges.map((edge) => edge.node?.name)).toEqual(["50% Off Ltd"]);
    });
  });

  describe("limits", () => {
    it("depth and complexity refusals carry their codes and numbers", async () => {
      let nested = "id";
      for (let level = 0; level < 8; level++)
        nested = `relationships(first: 1) { edges { node { otherPerson { ${nested} } } } }`;
      const deep = await api.executeOperation(documentOf(`{ people(first: 1) { edges { node { ${nested} } } } }`), {});
      expect(deep.errors?.[0]?.extensions).toMatchObject({ code: "DEPTH_LIMIT_EXCEEDED", limit: "depth", max: 12 });
      const page = (inner: string) => `relationships(first: 100) { edges { node { otherPerson { ${inner} } } } }`;
      const costly = await api.executeOperation(
        documentOf(`{ people(first: 100) { edges { node { ${page(page("displayName"))} } } } }`),
        {},
      );
      expect(costly.errors?.[0]?.extensions).toMatchObject({ code: "COMPLEXITY_LIMIT_EXCEEDED", max: 50_000 });
    });

    it("alias and token refusals carry their codes", async () => {
      const wide = Array.from({ length: 31 }, (_, index) => `f${index}: people(first: 1) { totalCount }`).join(" ");
      const aliased = await api.executeOperation(documentOf(`{ ${wide} }`), {});
      expect(aliased.errors?.[0]?.extensions?.code).toBe("ALIAS_LIMIT_EXCEEDED");
      const long = await api.executeOperation(documentOf(`{ ${"__typename ".repeat(6_000)} }`), {});
      expect(long.errors?.[0]?.extensions?.code).toBe("TOKEN_LIMIT_EXCEEDED");
    });
  });
});
