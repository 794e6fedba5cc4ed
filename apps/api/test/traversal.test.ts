import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { createRingNetwork } from "./fixtures.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, startTestApi, type TestApi } from "./harness.ts";

const NestedRead = graphql(/* GraphQL */ `
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
`);
const FirstPerson = graphql(/* GraphQL */ `
  query FirstPerson { people(first: 1) { edges { node { id } } } }
`);
const IntroductionsBothWays = graphql(/* GraphQL */ `
  query IntroductionsBothWays($id: ID!) { person(id: $id) { introductionsMade(first: 5) { edges { node { from { displayName } to { displayName introductionsReceived(first: 5) { totalCount edges { node { connector { displayName } } } } } } } } } }
`);

describe.each(databaseKinds)("graph traversal on %s", (kind) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(kind);
    // 60 people with 12 relationships each: more than any page size below, so every page is full.
    await createRingNetwork(api.database.prisma, 60, 6);
    dataOf(await api.executeOperation(FirstPerson)); // verifies the key once
  });
  afterAll(() => api.close());

  async function statementsFor(people: number, ties: number) {
    api.resetQueries();
    const data = dataOf(await api.executeOperation(NestedRead, { people, ties }));
    const statements = [...api.queries];
    return { data, statements };
  }

  it("reads 50 people → 10 relationships → other person → 10 relationships in a small, fixed number of SQL statements", async () => {
    const big = await statementsFor(50, 10);
    const small = await statementsFor(5, 2);

    const people = nodesOf(big.data.people);
    expect(people).toHaveLength(50);
    for (const person of people) {
      expect(person.relationships?.edges).toHaveLength(10);
      for (const tie of nodesOf(person.relationships)) expect(tie.otherPerson?.relationships?.edges).toHaveLength(10);
    }
    // Ordered by strength, strongest first.
    const strengths = nodesOf(people[0]!.relationships).map((tie) => tie.strength!);
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
      await api.executeOperation(IntroductionsBothWays, {
        id: Buffer.from(`Person:${connector!.id}`).toString("base64"),
      }),
    );
    const intro = nodesOf(data.person?.introductionsMade)[0]!;
    expect(intro.from?.displayName).toBe(from!.displayName);
    expect(nodesOf(intro.to?.introductionsReceived)[0]?.connector?.displayName).toBe(connector!.displayName);
  });
});
