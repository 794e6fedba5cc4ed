import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { createRingNetwork } from "./fixtures.ts";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const NESTED_READ = /* GraphQL */ `
  query Nested($people: Int!, $ties: Int!) {
    people(first: $people) {
      edges {
        node {
          displayName
          relationships(first: $ties, orderBy: { field: STRENGTH, direction: DESC }) {
            edges {
              node {
                strength
                kind
                otherPerson {
                  displayName
                  relationships(first: $ties) {
                    edges { node { strength otherPerson { id } } }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

describe.each(databaseKinds)("graph traversal on %s", (kind) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(kind);
    // 60 people with 12 relationships each: more than any page size below, so every page is full.
    await createRingNetwork(api.database.prisma, 60, 6);
    dataOf(await api.request(`{ people(first: 1) { edges { node { id } } } }`)); // verifies the key once
  });
  afterAll(() => api.close());

  async function statementsFor(people: number, ties: number) {
    api.resetQueries();
    const data = dataOf(await api.request(NESTED_READ, { people, ties }));
    const statements = [...api.queries];
    return { data: data as any, statements };
  }

  it("reads 50 people → 10 relationships → other person → 10 relationships in a small, fixed number of SQL statements", async () => {
    const big = await statementsFor(50, 10);
    const small = await statementsFor(5, 2);

    expect(big.data.people.edges).toHaveLength(50);
    for (const edge of big.data.people.edges) {
      expect(edge.node.relationships.edges).toHaveLength(10);
      for (const tie of edge.node.relationships.edges)
        expect(tie.node.otherPerson.relationships.edges).toHaveLength(10);
    }
    // Ordered by strength, strongest first.
    const strengths = big.data.people.edges[0].node.relationships.edges.map((tie: any) => tie.node.strength);
    expect([...strengths].sort((a, b) => b - a)).toEqual(strengths);

    // 50 × 10 × 10 = 5,000 leaf rows, yet the statement count does not depend on the page sizes.
    expect(big.statements.length).toBe(small.statements.length);
    expect(big.statements.length).toBeLessThanOrEqual(8);
  });

  it("traverses introductions both ways: connector → introductionsMade → to → introductionsReceived", async () => {
    const [connector, from, to] = await api.database.prisma.person.findMany({ take: 3, orderBy: { id: "asc" } });
    await api.database.prisma.introduction.create({
      data: {
        connectorId: connector!.id,
        fromId: from!.id,
        toId: to!.id,
        occurredAt: new Date("2026-05-01T00:00:00Z"),
      },
    });
    const data = dataOf(
      await api.request(
        `query($id: ID!) { person(id: $id) { introductionsMade(first: 5) { edges { node { from { displayName } to { displayName introductionsReceived(first: 5) { totalCount edges { node { connector { displayName } } } } } } } } } }`,
        { id: Buffer.from(`Person:${connector!.id}`).toString("base64") },
      ),
    ) as any;
    const intro = data.person.introductionsMade.edges[0].node;
    expect(intro.from.displayName).toBe(from!.displayName);
    expect(intro.to.introductionsReceived.edges[0].node.connector.displayName).toBe(connector!.displayName);
  });
});
