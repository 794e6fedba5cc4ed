// Nested reads page in the database: each nested connection reads at most its page (plus the one row that tells
// whether there is a next page) per parent, in a number of statements that does not grow with the page sizes, and
// counts per parent instead of aggregating whole tables. The recorded SQL is run again under EXPLAIN ANALYZE to count
// the rows each table gave up, so a plan that loads whole nested lists fails here whatever SQL produced it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import type { QueryEvent } from "@intrograph/db";
import { createRingNetwork } from "./fixtures.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, startTestApi, type TestApi } from "./harness.ts";

const NestedRead = graphql(/* GraphQL */ `
  query NestedPages($people: Int!, $ties: Int!, $further: Int!, $after: String) {
    people(first: $people, after: $after) {
      pageInfo { endCursor }
      edges {
        node {
          displayName
          relationships(first: $ties) {
            totalCount
            edges {
              node {
                otherPerson {
                  displayName
                  relationships(first: $further) { edges { node { otherPerson { displayName } } } }
                }
              }
            }
          }
        }
      }
    }
  }
`);

const CurationQueue = graphql(/* GraphQL */ `
  query CurationQueuePage($first: Int!, $after: String) {
    relationships(filter: { status: UNVERIFIED }, first: $first, after: $after) {
      totalCount
      pageInfo { endCursor }
      edges {
        node {
          id
          interactions(first: 5) { totalCount edges { node { id occurredAt } } }
        }
      }
    }
  }
`);

interface PlanNode {
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  Plans?: PlanNode[];
}

/** Rows each table gave up while the statements ran: every scan's rows times its loops, from EXPLAIN ANALYZE. */
async function rowsReadPerTable(api: TestApi, statements: QueryEvent[]): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  const visit = (node: PlanNode) => {
    if (node["Relation Name"]) {
      const read = (node["Actual Rows"] ?? 0) * (node["Actual Loops"] ?? 1);
      rows.set(node["Relation Name"], (rows.get(node["Relation Name"]) ?? 0) + read);
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  for (const statement of statements) {
    if (!/^\s*SELECT/i.test(statement.query)) continue;
    const params = JSON.parse(statement.params) as unknown[];
    const [explained] = await api.database.prisma.$queryRawUnsafe<{ "QUERY PLAN": { Plan: PlanNode }[] }[]>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.query}`,
      ...params,
    );
    visit(explained!["QUERY PLAN"][0]!.Plan);
  }
  return rows;
}

/** The statements a request ran, leaving out the API key's verification (cached after the first request). */
async function recorded<Result>(api: TestApi, request: () => Promise<Result>) {
  api.resetQueries();
  const result = await request();
  return { result, statements: [...api.statements] };
}

describe.each(databaseKinds)("nested reads on %s", (kind) => {
  let api: TestApi;
  const PEOPLE = 120;
  const DEGREE = 6; // 12 relationships per person: more than any nested page below

  beforeAll(async () => {
    api = await startTestApi(kind, { rateLimit: false });
    const network = await createRingNetwork(api.database.prisma, PEOPLE, DEGREE);
    // The curation queue: 20 unverified relationships with 6 interactions each (the ring gives every relationship one);
    // the others are verified and hold 21, so aggregating the whole interaction table reads far more than the queue.
    const queued = network.relationshipIds.slice(0, 20);
    const others = network.relationshipIds.slice(20);
    await api.database.prisma.relationship.updateMany({ where: { id: { in: others } }, data: { status: "VERIFIED" } });
    await api.database.prisma.interaction.createMany({
      data: [...queued.flatMap((id) => interactions(id, 5)), ...others.flatMap((id) => interactions(id, 20))],
    });
    await api.database.prisma.$executeRawUnsafe("ANALYZE");
    dataOf(await api.executeOperation(NestedRead, { people: 1, ties: 1, further: 1 })); // verifies the key once
  });
  afterAll(() => api.close());

  function interactions(relationshipId: string, count: number) {
    return Array.from({ length: count }, (_, index) => ({
      relationshipId,
      kind: "MESSAGE" as const,
      occurredAt: new Date(Date.UTC(2026, 0, 1 + index)),
    }));
  }

  it("reads people(20) → relationships(5) → other person → relationships(3) in one statement, a page per parent", async () => {
    const big = await recorded(api, () => api.executeOperation(NestedRead, { people: 20, ties: 5, further: 3 }));
    const small = await recorded(api, () => api.executeOperation(NestedRead, { people: 5, ties: 2, further: 1 }));

    const people = nodesOf(dataOf(big.result).people);
    expect(people).toHaveLength(20);
    let sidesShown = 0;
    for (const person of people) {
      expect(person.relationships?.totalCount).toBe(2 * DEGREE);
      const ties = nodesOf(person.relationships);
      expect(ties).toHaveLength(5);
      sidesShown += ties.length;
      for (const tie of ties) {
        expect(nodesOf(tie.otherPerson?.relationships)).toHaveLength(3);
        sidesShown += 3;
      }
    }

    // The statement count does not grow with the page sizes: one statement for the whole tree.
    expect(big.statements.length).toBe(small.statements.length);
    expect(big.statements.length).toBe(1);

    // Each nested page reads its rows (and one more, for hasNextPage) per parent, never the parent's whole list:
    // 20 × 6 + 100 × 4 = 520 of the 20 × 12 + 100 × 12 = 1,440 rows whole lists would hold.
    const read = await rowsReadPerTable(api, big.statements);
    expect(read.get("RelationshipSide") ?? 0).toBeLessThanOrEqual(2 * sidesShown);
    expect(read.get("RelationshipSide") ?? 0).toBeLessThan(PEOPLE * 2 * DEGREE);
  });

  it("reads the page after a cursor the same way: one statement plus at most a lookup of the cursor row", async () => {
    const first = dataOf(await api.executeOperation(NestedRead, { people: 20, ties: 5, further: 3 }));
    const after = first.people?.pageInfo.endCursor;
    const next = await recorded(api, () =>
      api.executeOperation(NestedRead, { people: 20, ties: 5, further: 3, after }),
    );
    expect(nodesOf(dataOf(next.result).people)).toHaveLength(20);
    expect(next.statements.length).toBeLessThanOrEqual(2);
    for (const statement of next.statements) expect(statement.query).not.toMatch(/GROUP BY/i);
    const read = await rowsReadPerTable(api, next.statements);
    expect(read.get("RelationshipSide") ?? 0).toBeLessThanOrEqual(2 * (20 * 5 + 20 * 5 * 3));
  });

  it("counts the curation queue's interactions per relationship, never over the whole interaction table", async () => {
    const totalInteractions = await api.database.prisma.interaction.count();
    for (const after of [undefined, "second page"] as const) {
      const page =
        after === undefined
          ? await recorded(api, () => api.executeOperation(CurationQueue, { first: 10 }))
          : await recorded(api, async () => {
              const firstPage = dataOf(await api.executeOperation(CurationQueue, { first: 10 }));
              api.resetQueries();
              return api.executeOperation(CurationQueue, {
                first: 10,
                after: firstPage.relationships?.pageInfo.endCursor,
              });
            });
      const queue = dataOf(page.result).relationships;
      expect(queue?.totalCount).toBe(20);
      const relationships = nodesOf(queue);
      expect(relationships).toHaveLength(10);
      for (const relationship of relationships) {
        expect(relationship.interactions?.totalCount).toBe(6);
        expect(relationship.interactions?.edges).toHaveLength(5);
      }
      for (const statement of page.statements) {
        if (/"Interaction"/.test(statement.query)) expect(statement.query).not.toMatch(/GROUP BY/i);
      }
      // Counting 10 relationships × 6 interactions and paging 5 (+1) of each reads 120 rows; the table holds 14,000.
      const read = await rowsReadPerTable(api, page.statements);
      expect(read.get("Interaction") ?? 0).toBeLessThanOrEqual(3 * 10 * 5);
      expect(totalInteractions).toBeGreaterThan(20 * (3 * 10 * 5));
    }
  });
});
