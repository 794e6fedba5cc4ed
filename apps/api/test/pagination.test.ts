import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/gql.ts";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const PeoplePage = graphql(/* GraphQL */ `
  query PeoplePage($first: Int, $after: String, $last: Int, $before: String) {
    people(first: $first, after: $after, last: $last, before: $before, orderBy: { field: DISPLAY_NAME }) {
      totalCount
      edges { cursor node { displayName } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);
const FilteredPeople = graphql(/* GraphQL */ `
  query FilteredPeople($filter: PersonFilter) { people(first: 10, filter: $filter) { totalCount edges { node { displayName } } } }
`);

type Page = NonNullable<ResultOf<typeof PeoplePage>["people"]>;

describe("cursor pagination of people", () => {
  let api: TestApi;
  const names = ["Ana", "Bo", "Cai", "Dev", "Eli", "Fay", "Gus"];

  beforeAll(async () => {
    api = await startTestApi("pglite");
    // Inserted out of order: the connection must follow orderBy, not insertion order.
    await api.database.prisma.person.createMany({ data: [...names].reverse().map((displayName) => ({ displayName })) });
  });
  afterAll(() => api.close());

  async function page(variables: VariablesOf<typeof PeoplePage>): Promise<Page> {
    return dataOf(await api.executeOperation(PeoplePage, variables)).people!;
  }
  const namesOf = (result: { edges: { node: { displayName: string | null } | null }[] }) =>
    result.edges.map((edge) => edge.node?.displayName);

  it("walks forward with first/after to the end, then gets an empty page", async () => {
    const first = await page({ first: 3 });
    expect(first.totalCount).toBe(7);
    expect(namesOf(first)).toEqual(["Ana", "Bo", "Cai"]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await page({ first: 3, after: first.pageInfo.endCursor });
    expect(namesOf(second)).toEqual(["Dev", "Eli", "Fay"]);
    expect(second.pageInfo.hasNextPage).toBe(true);

    const third = await page({ first: 3, after: second.pageInfo.endCursor });
    expect(namesOf(third)).toEqual(["Gus"]);
    expect(third.pageInfo.hasNextPage).toBe(false);

    const empty = await page({ first: 3, after: third.pageInfo.endCursor });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
  });

  it("walks backward with last/before to the start, then gets an empty page", async () => {
    const last = await page({ last: 3 });
    expect(namesOf(last)).toEqual(["Eli", "Fay", "Gus"]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const before = await page({ last: 3, before: last.pageInfo.startCursor });
    expect(namesOf(before)).toEqual(["Bo", "Cai", "Dev"]);
    expect(before.pageInfo.hasPreviousPage).toBe(true);

    const start = await page({ last: 3, before: before.pageInfo.startCursor });
    expect(namesOf(start)).toEqual(["Ana"]);
    expect(start.pageInfo.hasPreviousPage).toBe(false);

    const empty = await page({ last: 3, before: start.pageInfo.startCursor });
    expect(empty.edges).toEqual([]);
  });

  it("every edge's cursor resumes right after that edge", async () => {
    const all = await page({ first: 7 });
    for (const [index, edge] of all.edges.entries()) {
      expect(namesOf(await page({ first: 1, after: edge.cursor }))).toEqual(names.slice(index + 1, index + 2));
    }
  });

  it("first: 0 is an empty page; pages are capped at 100 and say there is more", async () => {
    expect((await page({ first: 0 })).edges).toEqual([]);
    await api.database.prisma.person.createMany({
      data: Array.from({ length: 120 }, (_, index) => ({ displayName: `Zed ${String(index).padStart(3, "0")}` })),
    });
    const capped = await page({ first: 1000 });
    expect(capped.edges).toHaveLength(100);
    expect(capped.pageInfo.hasNextPage).toBe(true);
    expect(namesOf(await page({ first: 1000, after: capped.pageInfo.endCursor }))).toHaveLength(27);
  });

  it("totalCount counts exactly what the filter lists (headline search, organization)", async () => {
    const { prisma } = api.database;
    const org = await prisma.organization.create({ data: { name: "Countable Co" } });
    const [inOrg] = await prisma.person.createManyAndReturn({
      data: [{ displayName: "Quinn", headline: "quietly-unique headline" }, { displayName: "Rae" }],
      select: { id: true },
    });
    await prisma.membership.create({ data: { personId: inOrg!.id, organizationId: org.id } });
    const orgId = Buffer.from(`Organization:${org.id}`).toString("base64");
    for (const filter of [{ search: "quietly-unique" }, { organizationId: orgId }]) {
      const result = dataOf(await api.executeOperation(FilteredPeople, { filter })).people!;
      expect(namesOf(result)).toEqual(["Quinn"]);
      expect(result.totalCount).toBe(1);
    }
  });

  it("a malformed cursor is an error, not a crash", async () => {
    const response = await api.executeOperation(PeoplePage, { first: 2, after: "not-a-cursor" });
    expect(response.errors?.[0]?.message).toBeTruthy();
    expect(response.errors?.[0]?.message).not.toBe("Unexpected error.");
  });
});
