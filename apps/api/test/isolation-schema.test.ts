// Partner isolation, derived from the schema: every list and every node type is read as partner B, with every field
// and nested field the schema offers (to a depth), and nothing of partner A's private records may show up — not its
// ids, not its text, not through write conflicts. The same reads as partner A must find every one of them, so the
// visit provably reaches the records it checks.
import { readFileSync } from "node:fs";
import { decodeGlobalID } from "@pothos/plugin-relay";
import {
  buildSchema,
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentOf, startTestApi, type TestApi } from "./harness.ts";

const schema = buildSchema(readFileSync(new URL("../schema.graphql", import.meta.url), "utf8"));
/** Object hops below a root; connection and edge wrappers do not count. */
const DEPTH = 2;
const PAGE = 3;

const isWrapper = (type: GraphQLNamedType) => /(Connection|Edge)$/.test(type.name);

/** A field is visited when its required arguments can be left out (they have defaults) or are the page size. */
function argumentsOf(field: GraphQLField<unknown, unknown>): string | null {
  const given: string[] = [];
  for (const arg of field.args) {
    if (arg.name === "first") given.push(`first: ${PAGE}`);
    // Amounts in different currencies are never ranked together: the leaderboard asks for one.
    else if (arg.name === "currency") given.push(`currency: "USD"`);
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) return null;
  }
  return given.length ? `(${given.join(", ")})` : "";
}

function selectionOf(type: GraphQLNamedType, depth: number): string {
  if (isUnionType(type))
    return `__typename ${type
      .getTypes()
      .map((member) => `... on ${member.name} { ${selectionOf(member, depth)} }`)
      .join(" ")}`;
  if (!isObjectType(type) && !isInterfaceType(type)) return "";
  const fields: string[] = ["__typename"];
  for (const field of Object.values(type.getFields())) {
    const args = argumentsOf(field);
    if (args === null) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      fields.push(`${field.name}${args}`);
      continue;
    }
    const next = isWrapper(named) ? depth : depth - 1;
    if (next < 0) continue;
    const inner = selectionOf(named, next);
    if (inner) fields.push(`${field.name}${args} { ${inner} }`);
  }
  return fields.join(" ");
}

/** Fields a selection asks for (the server's breadth limit counts them): names, less fragments' `on Type`. */
const breadth = (selection: string): number =>
  (selection.match(/[A-Za-z_]\w*/g)?.length ?? 0) - 2 * (selection.match(/\.\.\. on /g)?.length ?? 0);
const MAX_BREADTH = 200;

/** The selection of `type`, split into several (each with the leaves and one nested subtree) to stay in the limit. */
function selectionsOf(type: GraphQLNamedType, depth: number): string[] {
  const whole = selectionOf(type, depth);
  if (breadth(whole) <= MAX_BREADTH) return [whole];
  if (isUnionType(type))
    return type
      .getTypes()
      .flatMap((member) => selectionsOf(member, depth).map((inner) => `__typename ... on ${member.name} { ${inner} }`));
  if (!isObjectType(type) && !isInterfaceType(type)) return [whole];
  const leaves = selectionOf(type, -1);
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const args = argumentsOf(field);
    const named = getNamedType(field.type);
    if (args === null || isLeafType(named)) continue;
    const next = isWrapper(named) ? depth : depth - 1;
    if (next < 0) continue;
    for (const inner of selectionsOf(named, next)) if (inner) parts.push(`${leaves} ${field.name}${args} { ${inner} }`);
  }
  return parts.length ? parts : [leaves];
}

/** node(id) queries covering every node type's fields. */
function nodeQueries(): string[] {
  const types = Object.values(schema.getTypeMap()).filter(
    (type) => isObjectType(type) && type.getInterfaces().some((iface) => iface.name === "Node"),
  );
  return types.flatMap((type) =>
    selectionsOf(type, DEPTH).map(
      (inner) => `query ($id: ID!) { node(id: $id) { id ... on ${type.name} { ${inner} } } }`,
    ),
  );
}

/** Queries over every top-level list of the schema that takes no required argument. */
function listQueries(): [string, string][] {
  const query = schema.getQueryType()!;
  return Object.values(query.getFields())
    .filter((field) => argumentsOf(field) !== null && !isLeafType(getNamedType(field.type)))
    .flatMap((field) =>
      selectionsOf(getNamedType(field.type), DEPTH).map((inner): [string, string] => [
        field.name,
        `{ ${field.name}${argumentsOf(field)} { ${inner} } }`,
      ]),
    );
}

type Response = { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };

describe("partner isolation over the whole schema", () => {
  let api: TestApi;
  const keys = { a: "", b: "" };
  const people: string[] = [];
  const publicIds: string[] = [];
  /** Partner A's private records: global ids and text only A wrote (which A's reads must find), and database ids. */
  const secrets: string[] = [];
  const rawSecrets: string[] = [];

  const run = (key: string, query: string, variables: Record<string, unknown> = {}) =>
    api.executeOperation(documentOf<unknown>(query), variables, { key }) as Promise<Response>;

  async function write(key: string, query: string, variables: Record<string, unknown>): Promise<string> {
    const response = await run(key, query, variables);
    const result = Object.values((response.data ?? {}) as Record<string, { __typename: string; id?: string }>)[0];
    const id = JSON.stringify(response).match(/"id":"([^"]+)"/)?.[1];
    if (response.errors?.length || !id || !result?.__typename.endsWith("Success"))
      throw new Error(`write failed: ${JSON.stringify(response)}`);
    return id;
  }

  beforeAll(async () => {
    // Hundreds of reads per key: the per-key rate limit is not what this test is about.
    api = await startTestApi("pglite", { rateLimit: false });
    for (const [slug, slot] of [
      ["alpha", "a"],
      ["beta", "b"],
    ] as const) {
      const partnerId = await write(
        api.adminKey,
        `mutation ($input: CreatePartnerInput!) { createPartner(input: $input) { __typename ... on CreatePartnerSuccess { partner { id } } } }`,
        { input: { name: slug, slug } },
      );
      const issued = await run(
        api.adminKey,
        `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { __typename ... on IssuedApiKey { key } } }`,
        { input: { name: slug, scope: "PARTNER", partnerId } },
      );
      keys[slot] = (issued.data as { createApiKey: { key: string } }).createApiKey.key;
    }
    for (const displayName of ["Ada", "Ben", "Cleo", "Dev"])
      people.push(
        await write(
          api.adminKey,
          `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { __typename ... on CreatePersonSuccess { person { id } } } }`,
          { input: { displayName } },
        ),
      );
    const [ada, ben, cleo, dev] = people as [string, string, string, string];
    const at = "2025-01-01T00:00:00Z";
    const createRelationship = `mutation ($input: CreateRelationshipInput!) { createRelationship(input: $input) { __typename ... on CreateRelationshipSuccess { relationship { id } } } }`;
    const createIntroduction = `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) { __typename ... on CreateIntroductionSuccess { introduction { id } } } }`;
    const recordOutcome = `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) { __typename ... on RecordOutcomeSuccess { outcome { id } } } }`;
    const openDispute = `mutation ($input: OpenCreditDisputeInput!) { openCreditDispute(input: $input) { __typename ... on OpenCreditDisputeSuccess { dispute { id } } } }`;

    // Public records, with their relationships, chains and credit.
    const publicTie = await write(api.adminKey, createRelationship, {
      input: {
        personId: cleo,
        otherPersonId: dev,
        kind: "COLLEAGUE",
        interactions: [{ kind: "CALL", occurredAt: at }],
      },
    });
    const publicIntro = await write(api.adminKey, createIntroduction, {
      input: { connectorId: dev, fromId: ada, toId: cleo, occurredAt: at },
    });
    const publicOutcome = await write(api.adminKey, recordOutcome, {
      input: {
        kind: "DEAL",
        title: "Public deal",
        value: "100.00",
        currency: "USD",
        occurredAt: "2025-02-01T00:00:00Z",
        introductionIds: [publicIntro],
      },
    });
    publicIds.push(...people, publicTie, publicIntro, publicOutcome);

    // Partner A's private records: a tie, evidence on the public tie, an intro grown from the public one, an outcome,
    // a dispute of the public outcome's credit.
    const privateTie = await write(keys.a, createRelationship, {
      input: {
        personId: ada,
        otherPersonId: ben,
        kind: "CLIENT",
        interactions: [{ kind: "MEETING", occurredAt: at, note: "alpha-secret-tie-note" }],
      },
    });
    const evidence = await run(
      keys.a,
      `mutation ($input: AddInteractionInput!) { addInteraction(input: $input) { __typename ... on AddInteractionSuccess { relationship { interactions(first: 10) { edges { node { id note } } } } } } }`,
      {
        input: {
          relationshipId: publicTie,
          interaction: { kind: "EMAIL", occurredAt: at, note: "alpha-secret-evidence" },
        },
      },
    );
    const privateInteraction = JSON.stringify(evidence).match(/"id":"([^"]+)","note":"alpha-secret-evidence"/)?.[1];
    expect(privateInteraction).toBeDefined();
    const privateIntro = await write(keys.a, createIntroduction, {
      input: {
        connectorId: cleo,
        fromId: ada,
        toId: ben,
        occurredAt: "2025-01-15T00:00:00Z",
        ledFromIds: [publicIntro],
        consentNote: "alpha-secret-consent",
      },
    });
    const privateOutcome = await write(keys.a, recordOutcome, {
      input: {
        kind: "HIRE",
        title: "alpha-secret-outcome",
        value: "70.00",
        currency: "EUR",
        occurredAt: "2025-03-01T00:00:00Z",
        introductionIds: [privateIntro],
      },
    });
    const privateDispute = await write(keys.a, openDispute, {
      input: { outcomeId: publicOutcome, reason: "alpha-secret-dispute", evidence: ["alpha-secret-link"] },
    });
    secrets.push(privateTie, privateInteraction!, privateIntro, privateOutcome, privateDispute);
    rawSecrets.push(...secrets.map((id) => decodeGlobalID(id).id));
    secrets.push("alpha-secret-tie-note", "alpha-secret-evidence", "alpha-secret-outcome", "alpha-secret-dispute");

    // B records the pair A holds privately, and adds its own evidence: it succeeds and learns nothing of A's.
    const conflict = await run(keys.b, createRelationship, { input: { personId: ada, otherPersonId: ben } });
    expect(JSON.stringify(conflict)).toContain("CreateRelationshipSuccess");
    for (const secret of [...secrets, ...rawSecrets]) expect(JSON.stringify(conflict).includes(secret)).toBe(false);
    const again = await run(keys.b, createRelationship, { input: { personId: ben, otherPersonId: ada } });
    expect(JSON.stringify(again)).toContain("ConflictError");
    for (const secret of [...secrets, ...rawSecrets]) expect(JSON.stringify(again).includes(secret)).toBe(false);
  }, 60_000);
  afterAll(() => api?.close());

  /** Admin-only types and fields refuse partners (FORBIDDEN); any other error fails the visit (a limit refusing it
   * would make this test pass for nothing). */
  async function read(key: string, what: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await run(key, query, variables);
    const unexpected = response.errors?.filter((error) => error.extensions?.code !== "FORBIDDEN") ?? [];
    if (unexpected.length) throw new Error(`${what}: ${JSON.stringify(unexpected)}`);
    return JSON.stringify(response);
  }

  /** Every read: each top-level list, and node(id) of each public record with every nested field. */
  async function readEverything(key: string): Promise<string[]> {
    const answers: string[] = [];
    for (const [name, query] of listQueries()) answers.push(await read(key, name, query));
    // One public record per type (the first person is Ada, whose ties, intros and outcomes A's records touch).
    const byType = new Map<string, string>();
    for (const id of publicIds)
      if (!byType.has(decodeGlobalID(id).typename)) byType.set(decodeGlobalID(id).typename, id);
    for (const node of nodeQueries())
      for (const [typename, id] of byType)
        if (node.includes(`... on ${typename} {`)) answers.push(await read(key, `node(${typename})`, node, { id }));
    return answers;
  }

  it("partner B reads nothing of partner A's private records, anywhere in the schema", async () => {
    const seenByB = (await readEverything(keys.b)).join("\n");
    // Booleans, not toContain: a failure names the secret without printing every answer.
    for (const secret of [...secrets, ...rawSecrets]) expect(seenByB.includes(secret), secret).toBe(false);
  }, 60_000);

  it("partner A's own reads reach every one of them (the visit covers what it checks)", async () => {
    const seenByA = (await readEverything(keys.a)).join("\n");
    for (const secret of secrets) expect(seenByA.includes(secret), secret).toBe(true);
  }, 60_000);
});
