// Writers racing on one unique value, on PostgreSQL (real concurrency): exactly one wins, every other one gets a
// ConflictError naming the field, never INTERNAL_SERVER_ERROR. And a write that cannot get a transaction in time is
// answered UNAVAILABLE with a Retry-After header.
import { encodeGlobalID } from "@pothos/plugin-relay";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { RETRY_AFTER_SECONDS } from "../src/database-errors.ts";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { createApi } from "../src/server.ts";
import { graphql } from "./generated/gql.ts";
import { type GraphQLResponse, operationExecutor, type TestApi } from "./harness.ts";

// The error fields every write below selects (its documents spread it by name).
graphql(/* GraphQL */ `
  fragment RaceConflictFields on Error {
    message
    ... on ConflictError { entityType entityId currentVersion fields }
  }
`);
const RaceCreatePerson = graphql(/* GraphQL */ `
  mutation RaceCreatePerson($input: CreatePersonInput!) {
    createPerson(input: $input) { __typename ...RaceConflictFields }
  }
`);
const RaceCreateOrganization = graphql(/* GraphQL */ `
  mutation RaceCreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) { __typename ...RaceConflictFields }
  }
`);
const RaceSetMembership = graphql(/* GraphQL */ `
  mutation RaceSetMembership($input: SetMembershipInput!) {
    setMembership(input: $input) { __typename ...RaceConflictFields }
  }
`);
const RaceCreatePartner = graphql(/* GraphQL */ `
  mutation RaceCreatePartner($input: CreatePartnerInput!) {
    createPartner(input: $input) { __typename ...RaceConflictFields }
  }
`);
const RaceUpdatePerson = graphql(/* GraphQL */ `
  mutation RaceUpdatePerson($input: UpdatePersonInput!) {
    updatePerson(input: $input) { __typename ...RaceConflictFields }
  }
`);
const RaceCreateRelationship = graphql(/* GraphQL */ `
  mutation RaceCreateRelationship($input: CreateRelationshipInput!) {
    createRelationship(input: $input) { __typename ...RaceConflictFields }
  }
`);

const WRITERS = 20;

interface RaceResult {
  __typename: string;
  fields?: string[] | null;
  entityType?: string | null;
  entityId?: string | null;
  currentVersion?: number | null;
}

/** Runs the writers at once; returns what each got back, after checking none was an error outside the union. */
async function race(write: (index: number) => Promise<GraphQLResponse<Record<string, RaceResult | null>>>) {
  const responses = await Promise.all(Array.from({ length: WRITERS }, (_, index) => write(index)));
  for (const response of responses) expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const results = responses.map((response) => Object.values(response.data ?? {})[0]!);
  const winners = results.filter((result) => result.__typename.endsWith("Success"));
  const conflicts = results.filter((result) => result.__typename === "ConflictError");
  expect(winners, JSON.stringify(results)).toHaveLength(1);
  expect(conflicts).toHaveLength(WRITERS - 1);
  return conflicts;
}

describe("writers racing on a unique value (PostgreSQL)", () => {
  let database: TestDatabase;
  let api: Pick<TestApi, "executeOperation">;
  let yoga: ReturnType<typeof createApi>["yoga"];
  let adminKey: string;
  const person: string[] = [];
  let organization = "";

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    yoga = createApi({ database, rateLimit: false }).yoga;
    adminKey = (await issueApiKey(database.prisma, { name: "racer", scopes: ["admin"] })).key;
    api = { executeOperation: operationExecutor(yoga, adminKey) };
    const people = await database.prisma.person.createManyAndReturn({
      data: [{ displayName: "Ana" }, { displayName: "Bo" }],
      select: { id: true },
    });
    person.push(...people.map((row) => encodeGlobalID("Person", row.id)));
    const row = await database.prisma.organization.create({ data: { name: "Acme" }, select: { id: true } });
    organization = encodeGlobalID("Organization", row.id);
    // The key verified once and cached, so the racers start their writes together rather than after 20 key hashes.
    await api.executeOperation(RaceCreatePerson, { input: { displayName: "Warm-up" } });
  });
  afterAll(() => database.drop());

  it("the same profileUrl: one person is created, the others conflict on profileUrl", async () => {
    const conflicts = await race((index) =>
      api.executeOperation(RaceCreatePerson, {
        input: { displayName: `Racer ${index}`, profileUrl: "https://example.com/in/racer" },
      }),
    );
    for (const conflict of conflicts) expect(conflict).toMatchObject({ entityType: "Person", fields: ["profileUrl"] });
    expect(await database.prisma.person.count({ where: { profileUrl: "https://example.com/in/racer" } })).toBe(1);
  });

  it("the same organization domain: one is created, the others conflict on domain", async () => {
    const conflicts = await race((index) =>
      api.executeOperation(RaceCreateOrganization, { input: { name: `Racer ${index}`, domain: "racer.example" } }),
    );
    for (const conflict of conflicts)
      expect(conflict).toMatchObject({ entityType: "Organization", fields: ["domain"] });
  });

  it("the same membership: one creates it, the others conflict and are told its id and version", async () => {
    const conflicts = await race((index) =>
      api.executeOperation(RaceSetMembership, {
        input: { personId: person[0]!, organizationId: organization, title: `Title ${index}` },
      }),
    );
    const membership = await database.prisma.membership.findFirstOrThrow({ select: { id: true, version: true } });
    for (const conflict of conflicts) {
      expect(conflict).toMatchObject({
        entityType: "Membership",
        entityId: encodeGlobalID("Membership", membership.id),
        currentVersion: membership.version,
      });
    }
  });

  it("the same partner slug: one is created, the others conflict on slug", async () => {
    const conflicts = await race((index) =>
      api.executeOperation(RaceCreatePartner, { input: { name: `Racer ${index}`, slug: "racer" } }),
    );
    for (const conflict of conflicts) expect(conflict).toMatchObject({ entityType: "Partner", fields: ["slug"] });
  });

  it("the same organization for two partners: one is created, the others conflict on organizationId", async () => {
    const conflicts = await race((index) =>
      api.executeOperation(RaceCreatePartner, {
        input: { name: `Acme ${index}`, slug: `acme-${index}`, organizationId: organization },
      }),
    );
    for (const conflict of conflicts)
      expect(conflict).toMatchObject({ entityType: "Partner", fields: ["organizationId"] });
  });

  it("20 people updated to the same profileUrl at once: one gets it, the others conflict on profileUrl", async () => {
    const people = await database.prisma.person.createManyAndReturn({
      data: Array.from({ length: WRITERS }, (_, index) => ({ displayName: `Updater ${index}` })),
      select: { id: true, version: true },
    });
    const conflicts = await race((index) =>
      api.executeOperation(RaceUpdatePerson, {
        input: {
          id: encodeGlobalID("Person", people[index]!.id),
          version: people[index]!.version,
          profileUrl: "https://example.com/in/updated",
        },
      }),
    );
    for (const conflict of conflicts) expect(conflict).toMatchObject({ entityType: "Person", fields: ["profileUrl"] });
  });

  it("the same relationship pair: one is created, the others conflict", async () => {
    const conflicts = await race((index) =>
      api.executeOperation(RaceCreateRelationship, {
        input:
          index % 2
            ? { personId: person[0]!, otherPersonId: person[1]! }
            : { personId: person[1]!, otherPersonId: person[0]! },
      }),
    );
    for (const conflict of conflicts) expect(conflict.entityType).toBe("Relationship");
    expect(await database.prisma.relationship.count()).toBe(1);
  });

  it("one idempotency key with 20 different inputs: one writes, the others conflict on the key", async () => {
    const conflicts = await race((index) =>
      api.executeOperation(RaceCreatePerson, {
        input: { idempotencyKey: "race-key-0001", displayName: `Keyed ${index}` },
      }),
    );
    for (const conflict of conflicts) expect(conflict).toMatchObject({ entityType: "IdempotencyKey" });
    expect(await database.prisma.person.count({ where: { displayName: { startsWith: "Keyed " } } })).toBe(1);
  });

  it("a write that gets no transaction in time is UNAVAILABLE with Retry-After, and writes nothing", async () => {
    // The key is cached (beforeAll), so the refused request needs no connection before its transaction.
    const before = await database.prisma.person.count();
    // Every connection of the pool (5 in tests) held by a transaction that sleeps past Prisma's 2 s wait.
    const holders = Array.from({ length: 5 }, () =>
      database.prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_sleep(3.5)`;
        },
        { timeout: 20_000, maxWait: 10_000 },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const response = await yoga.fetch("http://intrograph.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ query: print(RaceCreatePerson), variables: { input: { displayName: "Too late" } } }),
    });
    const body = (await response.json()) as GraphQLResponse<unknown>;
    await Promise.all(holders);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "UNAVAILABLE", retryAfter: RETRY_AFTER_SECONDS });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(await database.prisma.person.count()).toBe(before);
  }, 30_000);
});
