// Relay paging against its reference: graphql-relay's connectionFromArray over the whole ordered list is the oracle for
// every combination of first/last/after/before the API serves, on a top-level and on a nested connection. With both
// `first` and `last`, `first` is applied, then `last`. Combinations it does not serve are BAD_USER_INPUT.
import { connectionFromArray, offsetToCursor } from "graphql-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/gql.ts";
import { createRingNetwork } from "./fixtures.ts";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const RelayPagingPeople = graphql(/* GraphQL */ `
  query RelayPagingPeople($first: Int, $last: Int, $after: String, $before: String) {
    people(first: $first, last: $last, after: $after, before: $before, orderBy: { field: DISPLAY_NAME }) {
      edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage }
    }
  }
`);
const RelayPagingRelationships = graphql(/* GraphQL */ `
  query RelayPagingRelationships($id: ID!, $first: Int, $last: Int, $after: String, $before: String) {
    person(id: $id) {
      relationships(first: $first, last: $last, after: $after, before: $before) {
        edges { cursor node { relationship { id } } }
        pageInfo { hasNextPage hasPreviousPage }
      }
    }
  }
`);

interface PageArgs {
  first?: number;
  last?: number;
  /** Offsets into the whole list; turned into the API's cursors and graphql-relay's. */
  after?: number;
  before?: number;
}

interface Page {
  edges: { cursor: string; node: { id: string } | null }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
}

/** A page of the hub's relationships, each edge's node being the relationship (as people's are the person). */
function relationshipPage(
  page:
    | {
        edges: { cursor: string; node: { relationship: { id: string } | null } | null }[];
        pageInfo: Page["pageInfo"];
      }
    | null
    | undefined,
): Page {
  if (!page) throw new Error("expected the person's relationships");
  return {
    edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: { id: edge.node!.relationship!.id } })),
    pageInfo: page.pageInfo,
  };
}

/** Every combination of page arguments over a list of `size`, the served ones and the refused ones. */
function combinations(size: number): PageArgs[] {
  const counts = [undefined, 0, 1, 2, 3, size - 1, size, size + 2];
  const offsets = [undefined, 0, 2, size - 1];
  const all: PageArgs[] = [];
  for (const first of counts)
    for (const last of counts)
      for (const after of offsets)
        for (const before of offsets) {
          all.push({
            ...(first !== undefined ? { first } : {}),
            ...(last !== undefined ? { last } : {}),
            ...(after !== undefined ? { after } : {}),
            ...(before !== undefined ? { before } : {}),
          });
        }
  return all;
}

/** The API reads a page from one cursor in one direction: both cursors, or `before` with `first`, it refuses. */
function isServed(args: PageArgs): boolean {
  if (args.before !== undefined && args.after !== undefined) return false;
  if (args.before !== undefined && args.first !== undefined) return false;
  if (args.after !== undefined && args.last !== undefined && args.first === undefined) return false;
  return true;
}

describe("Relay paging against graphql-relay's connectionFromArray", () => {
  let api: TestApi;
  let people: string[];
  let hub: string;
  let hubRelationships: string[];
  let peopleCursors: string[];
  let relationshipCursors: string[];

  beforeAll(async () => {
    // About a thousand requests: more than the default rate limit lets through in a minute.
    api = await startTestApi("pglite", { rateLimit: false });
    // 9 people on a ring, each tied to the next 3: everyone has 6 relationships.
    await createRingNetwork(api.database.prisma, 9, 3);
    const allPeople = dataOf(await api.executeOperation(RelayPagingPeople, { first: 100 })).people!;
    people = allPeople.edges.map((edge) => edge.node!.id);
    peopleCursors = allPeople.edges.map((edge) => edge.cursor);
    hub = people[0]!;
    const allRelationships = relationshipPage(
      dataOf(await api.executeOperation(RelayPagingRelationships, { id: hub, first: 100 })).person?.relationships,
    );
    hubRelationships = allRelationships.edges.map((edge) => edge.node!.id);
    relationshipCursors = allRelationships.edges.map((edge) => edge.cursor);
  });
  afterAll(() => api.close());

  function expectLikeOracle(args: PageArgs, page: Page, list: string[]): void {
    const oracle = connectionFromArray(list, {
      ...(args.first !== undefined ? { first: args.first } : {}),
      ...(args.last !== undefined ? { last: args.last } : {}),
      ...(args.after !== undefined ? { after: offsetToCursor(args.after) } : {}),
      ...(args.before !== undefined ? { before: offsetToCursor(args.before) } : {}),
    });
    const description = JSON.stringify(args);
    expect(
      page.edges.map((edge) => edge.node?.id),
      description,
    ).toEqual(oracle.edges.map((edge) => edge.node));
    // What the spec fixes: hasNextPage when paging with `first`, hasPreviousPage when paging with `last`. (Without
    // them a server may say more than connectionFromArray, which always answers false.)
    if (args.first !== undefined) expect(page.pageInfo.hasNextPage, description).toBe(oracle.pageInfo.hasNextPage);
    if (args.last !== undefined)
      expect(page.pageInfo.hasPreviousPage, description).toBe(oracle.pageInfo.hasPreviousPage);
  }

  function variablesOf(args: PageArgs, cursors: string[]) {
    return {
      ...(args.first !== undefined ? { first: args.first } : {}),
      ...(args.last !== undefined ? { last: args.last } : {}),
      ...(args.after !== undefined ? { after: cursors[args.after]! } : {}),
      ...(args.before !== undefined ? { before: cursors[args.before]! } : {}),
    };
  }

  it("the fixture has lists to page through", () => {
    expect(people).toHaveLength(9);
    expect(hubRelationships).toHaveLength(6);
  });

  it("people(first: 3, last: 2) is the 2nd and 3rd person, as in the Relay algorithm", async () => {
    const page = dataOf(await api.executeOperation(RelayPagingPeople, { first: 3, last: 2 })).people!;
    expect(page.edges.map((edge) => edge.node?.id)).toEqual(people.slice(1, 3));
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true });
  });

  it("every served combination of a top-level connection pages like the oracle; the rest are BAD_USER_INPUT", async () => {
    for (const args of combinations(9)) {
      const response = await api.executeOperation(RelayPagingPeople, variablesOf(args, peopleCursors));
      if (isServed(args)) expectLikeOracle(args, dataOf(response).people!, people);
      else expect(response.errors?.[0]?.extensions?.code, JSON.stringify(args)).toBe("BAD_USER_INPUT");
    }
  });

  it("every served combination of a nested connection pages like the oracle; the rest are BAD_USER_INPUT", async () => {
    for (const args of combinations(6)) {
      const response = await api.executeOperation(RelayPagingRelationships, {
        id: hub,
        ...variablesOf(args, relationshipCursors),
      });
      if (isServed(args))
        expectLikeOracle(args, relationshipPage(dataOf(response).person!.relationships), hubRelationships);
      else expect(response.errors?.[0]?.extensions?.code, JSON.stringify(args)).toBe("BAD_USER_INPUT");
    }
  });
});
