import { encodeGlobalID } from "@pothos/plugin-relay";
import { isObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { loadDemoData } from "@intrograph/db/seed";
import { schema } from "../src/schema.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const CreateAuditedPerson = graphql(/* GraphQL */ `
  mutation CreateAuditedPerson { createPerson(input: { displayName: "Audited" }) { __typename } }
`);
const OpenTestDispute = graphql(/* GraphQL */ `
  mutation OpenTestDispute($outcomeId: ID!) { openCreditDispute(input: { outcomeId: $outcomeId, reason: "Test dispute", evidence: [] }) { __typename } }
`);
const NodeAndNodes = graphql(/* GraphQL */ `
  query NodeAndNodes($id: ID!) { node(id: $id) { __typename id } nodes(ids: [$id]) { __typename id } }
`);
const NodeById = graphql(/* GraphQL */ `
  query NodeById($id: ID!) { node(id: $id) { id } }
`);

/** What this test needs of a Prisma model's delegate, looked up by the name of the GraphQL type it backs. */
type RowFinder = { findFirst(args: { select: { id: true } }): Promise<{ id: string } | null> };

// Every type that implements Node, found from the schema itself, so a new type cannot skip this test.
const nodeTypes = Object.values(schema.getTypeMap())
  .filter(isObjectType)
  .filter((type) => type.getInterfaces().some((iface) => iface.name === "Node"))
  .map((type) => type.name)
  .sort();

const ScanForNodes = graphql(/* GraphQL */ `
  mutation ScanForNodes {
    scanIntegrity { found }
  }
`);

describe.each(databaseKinds)("node(id) on %s", (kind) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(kind);
    await loadDemoData(api.database.prisma, { scale: 0.05 });
    // A write leaves an audit event; the harness's admin key is an API key row.
    dataOf(await api.executeOperation(CreateAuditedPerson));
    // The demo data has no credit disputes; open one so CreditDispute has a row to resolve.
    const outcome = await api.database.prisma.outcome.findFirstOrThrow({ select: { id: true } });
    dataOf(await api.executeOperation(OpenTestDispute, { outcomeId: encodeGlobalID("Outcome", outcome.id) }));
    // The integrity review queue holds what a scan of the demo ledger finds.
    dataOf(await api.executeOperation(ScanForNodes));
  });
  afterAll(() => api.close());

  it("the schema has node types", () => {
    expect(nodeTypes).toEqual(
      expect.arrayContaining(["Person", "Organization", "Relationship", "Introduction", "Outcome"]),
    );
  });

  it.each(nodeTypes)("resolves a %s by its global id, and nodes() resolves it too", async (typename) => {
    const models = api.database.prisma as unknown as Record<string, RowFinder | undefined>;
    const model = models[typename.charAt(0).toLowerCase() + typename.slice(1)];
    expect(model, `no Prisma model named like ${typename}`).toBeDefined();
    const row = await model!.findFirst({ select: { id: true } });
    expect(row, `no ${typename} row to test with: make the demo data or this test create one`).toBeTruthy();
    const id = encodeGlobalID(typename, row!.id);
    const data = dataOf(await api.executeOperation(NodeAndNodes, { id }));
    expect(data.node).toEqual({ __typename: typename, id });
    expect(data.nodes).toEqual([{ __typename: typename, id }]);
  });

  it("an unknown id resolves to null", async () => {
    const data = dataOf(
      await api.executeOperation(NodeById, { id: encodeGlobalID("Person", "00000000-0000-7000-8000-000000000000") }),
    );
    expect(data.node).toBeNull();
  });
});
