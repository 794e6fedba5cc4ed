// Graph intelligence through GraphQL: warm-intro paths to a person and to an organization, brokerage metrics and roles
// on the demo network, the snapshot patched by relationship writes, partner isolation and typed input errors.
import type { VariablesOf } from "@graphql-typed-document-node/core";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData } from "@intrograph/db/seed";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const WarmIntroPaths = graphql(/* GraphQL */ `
  query WarmIntroPaths($from: ID!, $to: ID, $toOrganization: ID, $k: Int, $maxHops: Int, $exclude: [ID!]) {
    warmIntroPaths(from: $from, to: $to, toOrganization: $toOrganization, k: $k, maxHops: $maxHops, exclude: $exclude) {
      __typename
      ... on WarmIntroPathsSuccess { paths { score hopCount people { id displayName } hops { fromId toId strength } } }
      ... on ValidationError { message issues { path message } }
      ... on NotFoundError { entityType entityId }
    }
  }
`);
const PeopleMetrics = graphql(/* GraphQL */ `
  query PeopleMetrics { people(first: 15) { edges { node { displayName
      metrics { degree betweenness betweennessMethod constraint effectiveSize brokerage { total liaison gatekeeper } reach(maxHops: 2) { decisionMakers organizations } }
      role { role reason brokerage qualifiedAudience introsWithOutcomes } } } } }
`);

const person = (id: string) => encodeGlobalID("Person", id);

describe("graph on the demo network (PGlite)", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi("pglite");
    await loadDemoData(api.database.prisma, { scale: 0.1 });
  });
  afterAll(() => api.close());

  it("finds warm paths to a person two relationships away, best first", async () => {
    const first = await api.database.prisma.relationship.findFirstOrThrow({
      where: { status: { not: "DISPUTED" } },
      orderBy: { id: "asc" },
    });
    const second = await api.database.prisma.relationship.findFirstOrThrow({
      where: { status: { not: "DISPUTED" }, personAId: first.personBId, personBId: { not: first.personAId } },
    });
    const data = dataOf(
      await api.executeOperation(WarmIntroPaths, {
        from: person(first.personAId),
        to: person(second.personBId),
        k: 3,
      }),
    );
    const paths = ofType(data.warmIntroPaths, "WarmIntroPathsSuccess").paths!;
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      expect(path.people?.[0]?.id).toBe(person(first.personAId));
      expect(path.people?.at(-1)?.id).toBe(person(second.personBId));
      expect(path.hops).toHaveLength(path.hopCount!);
      expect(path.hopCount).toBeLessThanOrEqual(4);
      expect(path.score).toBeCloseTo(
        path.hops!.reduce((product, hop) => product * hop.strength!, 1),
        9,
      );
    }
    const scores = paths.map((path) => path.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("finds warm paths to an organization's decision makers", async () => {
    const decider = await api.database.prisma.membership.findFirstOrThrow({
      where: { isDecisionMaker: true, until: null },
      orderBy: { id: "asc" },
    });
    const deciders = await api.database.prisma.membership.findMany({
      where: { organizationId: decider.organizationId, isDecisionMaker: true },
      select: { personId: true },
    });
    const seeker = await api.database.prisma.relationshipSide.findFirstOrThrow({
      where: { otherPersonId: decider.personId, personId: { notIn: deciders.map((row) => row.personId) } },
      select: { personId: true },
    });
    const data = dataOf(
      await api.executeOperation(WarmIntroPaths, {
        from: person(seeker.personId),
        toOrganization: encodeGlobalID("Organization", decider.organizationId),
      }),
    );
    const paths = ofType(data.warmIntroPaths, "WarmIntroPathsSuccess").paths!;
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(deciders.map((row) => person(row.personId))).toContain(path.people?.at(-1)?.id);
  });

  it("reports metrics and roles for a page of people", async () => {
    const data = dataOf(await api.executeOperation(PeopleMetrics));
    const nodes = nodesOf(data.people);
    expect(nodes).toHaveLength(15);
    for (const node of nodes) {
      expect(node.metrics?.betweennessMethod).toBe("EXACT");
      expect(node.metrics?.betweenness).toBeGreaterThanOrEqual(0);
      if (node.metrics!.degree! > 0) expect(node.metrics?.constraint).toBeGreaterThan(0);
      expect(["CONNECTOR", "INFLUENCER", "BOTH", "NEITHER"]).toContain(node.role?.role);
      expect(node.role?.reason?.length).toBeGreaterThan(10);
    }
    expect(nodes.some((node) => node.metrics!.reach!.decisionMakers! > 0)).toBe(true);
  });

  it("rejects bad input with typed errors", async () => {
    const [a, b] = await api.database.prisma.person.findMany({ take: 2, orderBy: { id: "asc" }, select: { id: true } });
    const org = await api.database.prisma.organization.findFirstOrThrow({ select: { id: true } });
    const paths = async (variables: VariablesOf<typeof WarmIntroPaths>) =>
      dataOf(await api.executeOperation(WarmIntroPaths, variables)).warmIntroPaths;
    const both = await paths({
      from: person(a!.id),
      to: person(b!.id),
      toOrganization: encodeGlobalID("Organization", org.id),
    });
    expect(both?.__typename).toBe("ValidationError");
    const neither = await paths({ from: person(a!.id) });
    expect(neither?.__typename).toBe("ValidationError");
    const badK = await paths({ from: person(a!.id), to: person(b!.id), k: 0 });
    expect(badK).toMatchObject({ __typename: "ValidationError", issues: [{ path: ["k"] }] });
    const wrongType = await paths({ from: encodeGlobalID("Organization", org.id), to: person(b!.id) });
    expect(wrongType).toMatchObject({ __typename: "ValidationError", issues: [{ path: ["from"] }] });
    const missing = await paths({ from: person(a!.id), to: person("00000000-0000-7000-8000-000000000000") });
    expect(missing).toMatchObject({ __typename: "NotFoundError", entityType: "Person" });
  });
});

const CreateGraphPerson = graphql(/* GraphQL */ `
  mutation CreateGraphPerson($name: String!) { createPerson(input: { displayName: $name }) { __typename ... on CreatePersonSuccess { person { id } } } }
`);
const CreateGraphRelationship = graphql(/* GraphQL */ `
  mutation CreateGraphRelationship($input: CreateRelationshipInput!) { createRelationship(input: $input) {
    __typename ... on CreateRelationshipSuccess { relationship { id version } } ... on Error { message } } }
`);

describe("graph snapshot patches and partner views (PGlite)", () => {
  let api: TestApi;
  const people: Record<string, string> = {};
  const keys = { a: "", b: "" };

  beforeAll(async () => {
    api = await startTestApi("pglite");
    for (const name of ["Ana", "Bo", "Cal", "Dot"])
      people[name] = ofType(
        dataOf(await api.executeOperation(CreateGraphPerson, { name })).createPerson,
        "CreatePersonSuccess",
      ).person.id;
    const prisma = api.database.prisma;
    for (const slot of ["a", "b"] as const) {
      const partner = await prisma.partner.create({ data: { name: `Partner ${slot}`, slug: `partner-${slot}` } });
      keys[slot] = (
        await issueApiKey(prisma, { name: `partner ${slot}`, scopes: ["partner"], partnerId: partner.id })
      ).key;
    }
  });
  afterAll(() => api.close());

  const meeting = { kind: "MEETING", occurredAt: new Date().toISOString() } as const;
  const tie = async (a: string, b: string, key?: string) => {
    const data = dataOf(
      await api.executeOperation(
        CreateGraphRelationship,
        { input: { personId: people[a]!, otherPersonId: people[b]!, interactions: [meeting] } },
        key ? { key } : {},
      ),
    );
    expect(data.createRelationship?.__typename).toBe("CreateRelationshipSuccess");
  };
  const hopsFrom = async (from: string, to: string, key?: string) => {
    const data = dataOf(
      await api.executeOperation(WarmIntroPaths, { from: people[from]!, to: people[to]! }, key ? { key } : {}),
    );
    return ofType(data.warmIntroPaths, "WarmIntroPathsSuccess").paths?.map((path) => path.hopCount);
  };
  /** The snapshot follows the event log, so a write shows within moments: ask again until it does (2 s at most). */
  const hopsSoon = async (from: string, to: string, expected: number[], key?: string) => {
    const deadline = Date.now() + 2_000;
    let hops = await hopsFrom(from, to, key);
    while (JSON.stringify(hops) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      hops = await hopsFrom(from, to, key);
    }
    return hops;
  };

  it("patches the cached snapshot when relationships are written", async () => {
    await tie("Ana", "Bo");
    expect(await hopsFrom("Ana", "Cal")).toEqual([]);
    await tie("Bo", "Cal");
    expect(await hopsSoon("Ana", "Cal", [2])).toEqual([2]);
  });

  it("a partner's private relationships are invisible to other partners", async () => {
    await tie("Cal", "Dot", keys.a);
    expect(await hopsSoon("Ana", "Dot", [3], keys.a)).toEqual([3]);
    expect(await hopsSoon("Ana", "Dot", [3])).toEqual([3]);
    expect(await hopsFrom("Ana", "Dot", keys.b)).toEqual([]);
  });
});
