// Relay paging on every connection of the schema, against graphql-relay's connectionFromArray: each connection's whole
// list (read with first: 100) is the oracle's array, and a sample of page arguments must answer the oracle's slice.
// Top-level connections are read as they are; nested ones on the record of their type that has the most items. Data:
// a small demo network (people, organizations, ties, interactions, intros, outcomes, partners), plus disputes and keys.
import { loadDemoData } from "@intrograph/db/seed";
import { rebuildCredit } from "@intrograph/ledger";
import { buildSchema, type GraphQLField, getNamedType, isObjectType, isNonNullType } from "graphql";
import { connectionFromArray } from "graphql-relay";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentOf, startTestApi, type TestApi } from "./harness.ts";

const schema = buildSchema(readFileSync(new URL("../schema.graphql", import.meta.url), "utf8"));
const PAGING_ARGS = ["first", "last", "after", "before"];

type Field = GraphQLField<unknown, unknown>;
const isConnection = (field: Field) =>
  getNamedType(field.type).name.endsWith("Connection") &&
  PAGING_ARGS.every((name) => field.args.some((arg) => arg.name === name)) &&
  field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);

/** Arguments besides paging that make a list answer: a currency where amounts would otherwise mix. */
const extraArgs = (field: Field) => (field.args.some((arg) => arg.name === "currency") ? ', currency: "USD"' : "");

interface Edge {
  cursor: string;
}
interface Page {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
}
interface PageArgs {
  first?: number;
  last?: number;
  after?: number;
  before?: number;
}

/** A sample of the page arguments the API serves over a list of `size`: each direction, both counts, both cursors. */
function samples(length: number): PageArgs[] {
  // Counts stay within a page's maximum (100), which the API applies to larger ones.
  const size = Math.min(length, 98);
  return [
    { first: 1 },
    { first: 2 },
    { first: size },
    { first: size + 2 },
    { last: 1 },
    { last: 2 },
    { last: size },
    { first: 3, last: 2 },
    { first: 2, after: 0 },
    { first: 2, after: 1 },
    { first: size, after: length - 1 },
    { last: 2, before: length - 1 },
    { last: 1, before: 1 },
    { first: 3, last: 1, after: 0 },
  ];
}

describe("Relay paging on every connection, against connectionFromArray", () => {
  let api: TestApi;
  let receiver: Server;
  const run = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await api.executeOperation(documentOf<Record<string, unknown>>(query), variables);
    if (response.errors?.length) throw new Error(`${query}: ${JSON.stringify(response.errors)}`);
    return response.data!;
  };

  beforeAll(async () => {
    api = await startTestApi("pglite", { rateLimit: false });
    await loadDemoData(api.database.prisma, { scale: 0.05, seed: 7 });
    await rebuildCredit(api.database.prisma);
    // The integrity review queue holds what a scan of the demo ledger finds.
    await run(`mutation { scanIntegrity { found } }`);
    // A third partner with keys of its own, for the partner and key lists.
    const partner = await run(
      `mutation { createPartner(input: { name: "Gamma", slug: "gamma-paging" }) { ... on CreatePartnerSuccess { partner { id } } } }`,
    );
    const partnerId = (partner.createPartner as { partner: { id: string } }).partner.id;
    for (const name of ["one", "two", "three"])
      await run(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { __typename } }`, {
        input: { name, scope: "PARTNER", partnerId },
      });
    // Disputes of the first outcomes with credit, so their connection has items too.
    const outcomes = await run("{ outcomes(first: 4) { edges { node { id } } } }");
    for (const edge of (outcomes.outcomes as { edges: { node: { id: string } }[] }).edges)
      await run(`mutation ($input: OpenCreditDisputeInput!) { openCreditDispute(input: $input) { __typename } }`, {
        input: { outcomeId: edge.node.id, reason: "the paging test disputes it", evidence: [] },
      });
    // Webhook endpoints need a receiver that answers when they are registered.
    receiver = createServer((_request, response) => response.end());
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    for (const description of ["one", "two", "three"])
      await run(
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename } }`,
        { input: { url, description, eventTypes: ["credit.changed"] } },
      );
    // Its delivery log, as the dispatcher leaves it (delivered), so that connection has items too.
    const endpoint = await api.database.prisma.webhookEndpoint.findFirstOrThrow({ select: { id: true } });
    await api.database.prisma.webhookDelivery.createMany({
      data: ["1.1", "1.2", "1.3", "1.4"].map((eventId) => ({
        endpointId: endpoint.id,
        eventId,
        eventType: "credit.changed",
        body: "{}",
        status: "DELIVERED" as const,
        attempts: 1,
        responseStatus: 200,
        deliveredAt: new Date(),
      })),
    });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  async function checkPaging(name: string, read: (args: string) => Promise<Page | null | undefined>): Promise<number> {
    // The whole list, 100 at a time (the most a page holds).
    const cursors: string[] = [];
    for (let page = await read("first: 100"); ; ) {
      cursors.push(...page!.edges.map((edge) => edge.cursor));
      if (!page!.pageInfo.hasNextPage) break;
      page = await read(`first: 100, after: "${cursors.at(-1)}"`);
    }
    if (cursors.length < 3) return cursors.length;
    for (const sample of samples(cursors.length)) {
      const args = [
        sample.first !== undefined ? `first: ${sample.first}` : "",
        sample.last !== undefined ? `last: ${sample.last}` : "",
        sample.after !== undefined ? `after: "${cursors[sample.after]}"` : "",
        sample.before !== undefined ? `before: "${cursors[sample.before]}"` : "",
      ]
        .filter(Boolean)
        .join(", ");
      const page = (await read(args))!;
      const oracle = connectionFromArray(cursors, {
        ...(sample.first !== undefined ? { first: sample.first } : {}),
        ...(sample.last !== undefined ? { last: sample.last } : {}),
        // The oracle's own cursors are offsets into the array.
        ...(sample.after !== undefined
          ? { after: Buffer.from(`arrayconnection:${sample.after}`).toString("base64") }
          : {}),
        ...(sample.before !== undefined
          ? { before: Buffer.from(`arrayconnection:${sample.before}`).toString("base64") }
          : {}),
      });
      const what = `${name}(${args})`;
      expect(
        page.edges.map((edge) => edge.cursor),
        what,
      ).toEqual(oracle.edges.map((edge) => edge.node));
      if (sample.first !== undefined) expect(page.pageInfo.hasNextPage, what).toBe(oracle.pageInfo.hasNextPage);
      if (sample.last !== undefined) expect(page.pageInfo.hasPreviousPage, what).toBe(oracle.pageInfo.hasPreviousPage);
    }
    return cursors.length;
  }

  it("pages every top-level and nested connection like the oracle", async () => {
    const query = schema.getQueryType()!;
    const checked: Record<string, number> = {};
    const selection = "edges { cursor } pageInfo { hasNextPage hasPreviousPage }";
    /** Top-level lists by the type of their nodes, to find records for the nested connections. */
    const listOf = new Map<string, Field>();
    for (const field of Object.values(query.getFields())) {
      if (!isConnection(field)) continue;
      const connection = getNamedType(field.type);
      const edge = isObjectType(connection) ? getNamedType(connection.getFields().edges!.type) : null;
      const node = edge && isObjectType(edge) ? getNamedType(edge.getFields().node!.type).name : null;
      if (node) listOf.set(node, field);
      checked[field.name] = await checkPaging(field.name, async (args) => {
        const data = await run(`{ ${field.name}(${args}${extraArgs(field)}) { ${selection} } }`);
        return data[field.name] as Page;
      });
    }
    for (const [typename, list] of listOf) {
      const type = schema.getType(typename);
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!isConnection(field)) continue;
        // The record of this type with the most items in the nested connection.
        const candidates = (await run(
          `{ ${list.name}(first: 100${extraArgs(list)}) { edges { node { ... on ${typename} { id ${field.name}(first: 100) { edges { cursor } } } } } } }`,
        )) as Record<string, { edges: { node: { id: string } & Record<string, Page> }[] }>;
        const best = candidates[list.name]!.edges.map((edge) => edge.node).sort(
          (a, b) => b[field.name]!.edges.length - a[field.name]!.edges.length,
        )[0];
        if (!best) continue;
        const name = `${typename}.${field.name}`;
        const isNode = type.getInterfaces().some((face) => face.name === "Node");
        checked[name] = await checkPaging(name, async (args) => {
          if (isNode) {
            const data = await run(
              `query ($id: ID!) { node(id: $id) { ... on ${typename} { ${field.name}(${args}) { ${selection} } } } }`,
              { id: best.id },
            );
            return (data.node as Record<string, Page>)[field.name];
          }
          // Not a Node: the same record, found again in its top-level list (50 at a time keeps within the complexity limit).
          const data = (await run(
            `{ ${list.name}(first: 50${extraArgs(list)}) { edges { node { ... on ${typename} { id ${field.name}(${args}) { ${selection} } } } } } }`,
          )) as Record<string, { edges: { node: { id: string } & Record<string, Page> }[] }>;
          return data[list.name]!.edges.find((edge) => edge.node.id === best.id)?.node[field.name];
        });
      }
    }
    // Every connection was read, and all but those the data leaves short were paged.
    const short = Object.entries(checked).filter(([, size]) => size < 3);
    expect(short, JSON.stringify(checked)).toEqual([]);
  }, 120_000);
});
