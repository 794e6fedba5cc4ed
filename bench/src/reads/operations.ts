// What bench:reads sends: the SDK's operations (packages/sdk/src/operations, as the persisted-operations manifest holds
// them with their fragments) with realistic variables drawn from the served data, the nested read in three dialects,
// and the mixed read load.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { seededRandom } from "@intrograph/graph";
import type { GraphQLRequest } from "./load.ts";

export interface Keys {
  admin: string;
  partner: string;
}

/** Ids (global) and words from the served data, read through the API itself so that either database serves them. */
export interface Pools {
  people: string[];
  names: string[];
  organizations: string[];
  organizationNames: string[];
  outcomes: string[];
  relationships: string[];
  duplicateSuggestions: string[];
  topics: string[];
  socialAccounts: string[];
}

export const NESTED_READ = `query NestedRead { people(first: 20) { edges { node { displayName relationships(first: 5) { edges { node { strength otherPerson { displayName relationships(first: 3) { edges { node { otherPerson { displayName } } } } } } } } } } } }`;

/** The same tree in PostGraphile 5's default (amber preset) schema. */
export const NESTED_READ_POSTGRAPHILE = `query NestedRead { allPeople(first: 20, orderBy: PRIMARY_KEY_ASC) { edges { node { displayName relationshipSidesByPersonId(first: 5, orderBy: PRIMARY_KEY_ASC) { edges { node { relationshipByRelationshipId { strength } personByOtherPersonId { displayName relationshipSidesByPersonId(first: 3, orderBy: PRIMARY_KEY_ASC) { edges { node { personByOtherPersonId { displayName } } } } } } } } } } } }`;

/** The SDK's operations by name, from the manifest `pnpm generate` writes (each document with its fragments). */
export async function sdkOperations(repositoryRoot: string): Promise<Map<string, { kind: string; document: string }>> {
  const manifest = JSON.parse(
    await readFile(path.join(repositoryRoot, "packages/sdk/src/generated/persisted-operations.json"), "utf8"),
  ) as Record<string, string>;
  const operations = new Map<string, { kind: string; document: string }>();
  for (const document of Object.values(manifest)) {
    const match = /^(query|mutation|subscription)\s+(\w+)/m.exec(document);
    if (match) operations.set(match[2]!, { kind: match[1]!, document });
  }
  return operations;
}

async function post<Data>(url: string, key: string, query: string, variables: object = {}): Promise<Data> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-graphql-csrf": "1", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`${query.slice(0, 80)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

type Ids = {
  edges: {
    node: { id: string; name?: string; displayName?: string; topics?: string[]; socialAccounts?: { id: string }[] };
  }[];
};

export async function readPools(url: string, keys: Keys): Promise<Pools> {
  const data = await post<{
    people: Ids;
    organizations: Ids;
    outcomes: Ids;
    relationships: Ids;
    duplicateSuggestions: Ids;
  }>(
    url,
    keys.admin,
    `{ people(first: 100, orderBy: { field: UPDATED_AT, direction: DESC }) { edges { node { id displayName topics socialAccounts { id } } } }
       organizations(first: 50) { edges { node { id name } } }
       outcomes(first: 50) { edges { node { id } } }
       relationships(first: 50) { edges { node { id } } }
       duplicateSuggestions(first: 10) { edges { node { id } } } }`,
  );
  const ids = (connection: Ids) => connection.edges.map((edge) => edge.node.id);
  return {
    people: ids(data.people),
    names: data.people.edges.map((edge) => edge.node.displayName ?? ""),
    organizations: ids(data.organizations),
    organizationNames: data.organizations.edges.map((edge) => edge.node.name ?? ""),
    outcomes: ids(data.outcomes),
    relationships: ids(data.relationships),
    duplicateSuggestions: ids(data.duplicateSuggestions),
    topics: [...new Set(data.people.edges.flatMap((edge) => edge.node.topics ?? []))],
    socialAccounts: data.people.edges.flatMap((edge) => (edge.node.socialAccounts ?? []).map((account) => account.id)),
  };
}

type Pick = <T>(items: readonly T[]) => T;

/** Realistic variables per SDK query: real ids, searches for parts of real names, the usual page sizes. */
const VARIABLES: Record<string, (pools: Pools, pick: Pick) => Record<string, unknown>> = {
  AdminSignInCheck: () => ({}),
  AdminPeople: (pools, pick) => ({ first: 25, filter: { search: pick(pools.names).slice(0, 3) } }),
  AdminOrganizations: (pools, pick) => ({ first: 20, search: pick(pools.organizationNames).slice(0, 3) }),
  AdminPerson: (pools, pick) => ({ id: pick(pools.people) }),
  AdminCurationQueue: () => ({ status: "UNVERIFIED", first: 20 }),
  AdminRelationship: (pools, pick) => ({ id: pick(pools.relationships) }),
  AdminDuplicateSuggestions: () => ({ first: 20 }),
  AdminDuplicateSuggestion: (pools, pick) => ({ id: pick(pools.duplicateSuggestions) }),
  AdminOutcomes: () => ({ first: 20 }),
  AdminOutcomeChain: (pools, pick) => ({ id: pick(pools.outcomes) }),
  AdminPersonChains: (pools, pick) => ({ id: pick(pools.people) }),
  AdminOutcomesCredit: (pools, pick) => ({
    ids: Array.from({ length: 10 }, () => pick(pools.outcomes)),
    model: "SHAPLEY",
  }),
  AdminPersonInsight: (pools, pick) => ({ id: pick(pools.people), model: "SHAPLEY" }),
  AdminCreditDisputes: () => ({ first: 20 }),
  Partners: () => ({ first: 20 }),
  ApiKeys: () => ({ first: 20 }),
  AuditEvents: () => ({ first: 20 }),
  CreditModelRuns: () => ({}),
  ConnectorCredit: (pools, pick) => ({ personId: pick(pools.people), model: "SHAPLEY", allocations: 10 }),
  ConnectorLeaderboard: (_pools, pick) => ({ model: pick(["SHAPLEY", "LINEAR"]), currency: "USD", first: 20 }),
  OutcomeCreditFreshness: (pools, pick) => ({ outcomeId: pick(pools.outcomes), model: "SHAPLEY" }),
  WarmIntroPaths: (pools, pick) => ({ from: pick(pools.people), to: pick(pools.people), k: 3, maxHops: 4 }),
  PersonMetrics: (pools, pick) => ({ id: pick(pools.people) }),
  ListIntroductions: (pools, pick) => ({ first: 20, filter: pick([{}, { connectorId: pick(pools.people) }]) }),
  CountIntroductions: (pools, pick) => ({ filter: { connectorId: pick(pools.people) } }),
  ListOutcomes: (_pools, pick) => ({ first: 20, filter: pick([{}, { currency: "USD" }]) }),
  CountOutcomes: () => ({ filter: { currency: "USD" } }),
  SearchOrganizations: (pools, pick) => ({ first: 20, filter: { search: pick(pools.organizationNames).slice(0, 3) } }),
  PersonById: (pools, pick) => ({ id: pick(pools.people) }),
  SearchPeople: (pools, pick) => ({
    first: 20,
    filter: pick([{ search: pick(pools.names).slice(0, 3) }, { topic: pick(pools.topics) }]),
  }),
  AdminPersonPage: (pools, pick) => ({ id: pick(pools.people) }),
  RelationshipQueue: () => ({ filter: { status: "UNVERIFIED" }, first: 20 }),
  ConnectorCreditAsOf: (pools, pick) => ({
    personId: pick(pools.people),
    asOf: new Date(Date.now() - pick([1, 7, 30]) * 86_400_000).toISOString(),
    model: "SHAPLEY",
  }),
  ConnectorStatement: (pools, pick) => ({ personId: pick(pools.people) }),
  DiscoverConnectors: (pools, pick) => ({
    topics: [pick(pools.topics)],
    ...pick([{}, { toOrganization: pick(pools.organizations) }, { near: pick(pools.people) }]),
    first: 20,
  }),
  OutcomeCreditHistory: (pools, pick) => ({ outcomeId: pick(pools.outcomes), model: "SHAPLEY", first: 50 }),
  PersonCreditHistory: (pools, pick) => ({ personId: pick(pools.people), model: "SHAPLEY", first: 50 }),
  PersonExport: (pools, pick) => ({ id: pick(pools.people) }),
  SocialAccountById: (pools, pick) => ({ id: pick(pools.socialAccounts) }),
  TopicAliases: () => ({}),
  WebhookEventTypes: () => ({}),
  WebhookEndpoints: () => ({ first: 20 }),
};

/** Queries that need records the benchmark's data does not hold: listed, not surveyed. */
const NO_DATA: Record<string, string> = {
  WebhookDeliveries: "no webhook endpoints in the seeded data",
};

/** Operations only admins may run; partners send the others. */
const ADMIN_ONLY = /^(Admin|Partners$|ApiKeys$|AuditEvents$|CreditModelRuns$|PersonExport$)/;

export interface SurveyOperation {
  name: string;
  request(pick: Pick): GraphQLRequest;
}

/** Every SDK query with its variables; mutations and subscriptions are listed apart (writes are not surveyed). */
export function surveyOperations(
  operations: Map<string, { kind: string; document: string }>,
  pools: Pools,
  keys: Keys,
): { reads: SurveyOperation[]; notSurveyed: string[] } {
  const reads: SurveyOperation[] = [];
  const notSurveyed: string[] = [];
  for (const [name, { kind, document }] of [...operations].sort(([a], [b]) => a.localeCompare(b))) {
    const variables = VARIABLES[name];
    if (kind !== "query") {
      notSurveyed.push(`${name} (${kind})`);
      continue;
    }
    if (NO_DATA[name]) {
      notSurveyed.push(`${name} (${NO_DATA[name]})`);
      continue;
    }
    if (!variables) throw new Error(`bench:reads has no variables for the SDK query ${name}: add them to VARIABLES`);
    const key = ADMIN_ONLY.test(name) ? keys.admin : keys.partner;
    reads.push({
      name,
      request: (pick) => ({ name, key, body: JSON.stringify({ query: document, variables: variables(pools, pick) }) }),
    });
  }
  return { reads, notSurveyed };
}

/**
 * The mixed read load: a partner's people pages, a person's credit and role, introductions and outcomes, warm paths
 * and the leaderboard, in equal parts, each request with its own variables (many pages and people, not one request).
 */
export function mixedReads(
  operations: Map<string, { kind: string; document: string }>,
  pools: Pools,
  keys: Keys,
  seed: number,
): () => GraphQLRequest {
  const random = seededRandom(seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)]!;
  const document = (name: string) => {
    const operation = operations.get(name);
    if (!operation) throw new Error(`the SDK has no operation ${name}`);
    return operation.document;
  };
  const creditAndRole = `query CreditAndRole($id: ID!) { person(id: $id) { id displayName credit(model: SHAPLEY) { outcomeCount totals { amount currency outcomes } } role { role } } }`;
  const kinds: { name: string; query: string; variables: () => Record<string, unknown> }[] = [
    { name: "people page", query: document("SearchPeople"), variables: () => VARIABLES.SearchPeople!(pools, pick) },
    { name: "credit and role", query: creditAndRole, variables: () => ({ id: pick(pools.people) }) },
    {
      name: "introductions",
      query: document("ListIntroductions"),
      variables: () => VARIABLES.ListIntroductions!(pools, pick),
    },
    { name: "outcomes", query: document("ListOutcomes"), variables: () => VARIABLES.ListOutcomes!(pools, pick) },
    { name: "warm paths", query: document("WarmIntroPaths"), variables: () => VARIABLES.WarmIntroPaths!(pools, pick) },
    {
      name: "leaderboard",
      query: document("ConnectorLeaderboard"),
      variables: () => VARIABLES.ConnectorLeaderboard!(pools, pick),
    },
  ];
  return () => {
    const kind = pick(kinds);
    return {
      name: kind.name,
      key: keys.partner,
      body: JSON.stringify({ query: kind.query, variables: kind.variables() }),
    };
  };
}

export function seededPick(seed: number): Pick {
  const random = seededRandom(seed);
  return (items) => items[Math.floor(random() * items.length)]!;
}
