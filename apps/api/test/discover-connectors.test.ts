// discoverConnectors ranks by who, not how many: scenarios whose answer is known by construction.
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, startTestApi, type TestApi } from "./harness.ts";

const Discover = graphql(/* GraphQL */ `
  query DiscoverConnectorsTest($topics: [String!]!, $toOrganization: ID, $near: ID) {
    discoverConnectors(topics: $topics, toOrganization: $toOrganization, near: $near, first: 10) {
      edges {
        node {
          rank
          score
          qualifiedAudience
          person { id displayName }
          components { name value normalized weight contribution explanation }
        }
      }
    }
  }
`);
const SetAlias = graphql(/* GraphQL */ `
  mutation DiscoverSetAlias($alias: String!, $topic: String!) {
    setTopicAlias(alias: $alias, topic: $topic) { __typename ... on Error { message } }
  }
`);

describe("discoverConnectors", () => {
  let api: TestApi;
  const id: Record<string, string> = {};
  const gid = (key: string) => encodeGlobalID("Person", id[key]!);

  beforeAll(async () => {
    api = await startTestApi("pglite");
    const { prisma } = api.database;
    const person = async (key: string, displayName: string, topics: string[]) => {
      id[key] = (await prisma.person.create({ data: { displayName, topics } })).id;
    };
    await person("quiet", "Quinn Quiet", ["Fintech"]);
    await person("influencer", "Ivy Influencer", ["  FINTECH "]);
    await person("fan1", "Fan One", ["fintech"]);
    await person("fan2", "Fan Two", ["fintech"]);
    await person("elsewhere", "Elsa Elsewhere", ["gardening"]);
    for (const key of ["d1", "d2", "d3"]) await person(key, `Decider ${key}`, []);
    const target = await prisma.organization.create({ data: { name: "Target Bank" } });
    id.target = target.id;
    for (const key of ["d1", "d2", "d3"])
      await prisma.membership.create({
        data: { personId: id[key]!, organizationId: target.id, isDecisionMaker: true, title: "Partner" },
      });
    await prisma.socialAccount.createMany({
      data: [
        { personId: id.quiet!, platform: "X", handle: "quinn", followers: 100, audienceQuality: 0.95 },
        { personId: id.influencer!, platform: "X", handle: "ivy", followers: 100_000, audienceQuality: 0.1 },
      ],
    });
    const relate = async (a: string, b: string, strength = 0.8) => {
      const [personAId, personBId] = id[a]! < id[b]! ? [id[a]!, id[b]!] : [id[b]!, id[a]!];
      await prisma.relationship.create({
        data: {
          personAId,
          personBId,
          strength,
          sides: {
            create: [
              { personId: personAId, otherPersonId: personBId },
              { personId: personBId, otherPersonId: personAId },
            ],
          },
        },
      });
    };
    // The quiet connector bridges three decision makers of the target who do not know each other…
    for (const key of ["d1", "d2", "d3"]) await relate("quiet", key);
    // …and knows one person in the topic; the influencer knows two fans who know each other.
    await relate("quiet", "fan1");
    await relate("influencer", "fan1");
    await relate("influencer", "fan2");
    await relate("fan1", "fan2");
  });
  afterAll(() => api.close());

  async function discover(variables: { topics: string[]; toOrganization?: string; near?: string }) {
    return nodesOf(dataOf(await api.executeOperation(Discover, variables)).discoverConnectors);
  }

  it("ranks a quiet person who bridges to three decision makers of the target above a 100k-follower account", async () => {
    const ranking = await discover({ topics: ["fintech"], toOrganization: encodeGlobalID("Organization", id.target!) });
    const names = ranking.map((entry) => entry.person?.displayName);
    expect(names.indexOf("Ivy Influencer")).toBeGreaterThan(names.indexOf("Quinn Quiet"));
    const quiet = ranking.find((entry) => entry.person?.displayName === "Quinn Quiet");
    const reach = quiet!.components?.find((part) => part.name === "DECISION_MAKER_REACH");
    expect(reach).toMatchObject({ value: 3, normalized: 1 });
    expect(reach?.explanation).toMatch(/knows 3 decision maker/);
    // The score is its components, and audience is shown but never counted.
    expect(quiet!.score).toBeCloseTo(
      quiet!.components!.reduce((sum, part) => sum + (part.contribution ?? 0), 0),
      5,
    );
    const ivy = ranking.find((entry) => entry.person?.displayName === "Ivy Influencer")!;
    expect(ivy.qualifiedAudience).toBe(10_000);
    expect(quiet!.qualifiedAudience).toBe(95);
    expect(names).not.toContain("Elsa Elsewhere");
  });

  it("matches topics whatever their case and spacing, and through aliases", async () => {
    const plain = await discover({ topics: ["  FinTech  "] });
    expect(plain.map((entry) => entry.person?.displayName)).toContain("Ivy Influencer");
    expect(
      dataOf(await api.executeOperation(SetAlias, { alias: "Financial  Technology", topic: "fintech" })).setTopicAlias,
    ).toMatchObject({ __typename: "SetTopicAliasSuccess" });
    const aliased = await discover({ topics: ["financial technology"] });
    expect(aliased.map((entry) => entry.person?.id).sort()).toEqual(plain.map((entry) => entry.person?.id).sort());
  });

  it("adds the warmth of the best path from `near`", async () => {
    const ranking = await discover({ topics: ["fintech"], near: gid("d1") });
    const quiet = ranking.find((entry) => entry.person?.displayName === "Quinn Quiet")!;
    expect(quiet.components?.find((part) => part.name === "WARMTH")).toMatchObject({ value: 0.8 });
  });

  it("refuses bad input with typed errors", async () => {
    const empty = await api.executeOperation(Discover, { topics: ["  "] });
    expect(empty.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const unknown = await api.executeOperation(Discover, {
      topics: ["fintech"],
      toOrganization: encodeGlobalID("Organization", "018f0000-0000-7000-8000-000000000000"),
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
