// The response cache of partner reads: a repeated read is served from it, yet no cached answer is ever staler than
// an uncached one (a write through the API, or a job's write with its events, is seen by the next read), answers
// holding graph-thread fields expire after their TTL, and one partner's answer is never served to another.
import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendEvents } from "@intrograph/db/events";
import { databaseKinds } from "@intrograph/db/testing";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { connectRedis, Redis } from "../src/redis.ts";
import { createApi } from "../src/server.ts";
import { createRingNetwork } from "./fixtures.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const PersonTies = graphql(/* GraphQL */ `
  query CachedPersonTies($id: ID!) {
    person(id: $id) {
      displayName
      relationships(first: 20) { totalCount edges { node { otherPerson { displayName } } } }
    }
  }
`);
const Paths = graphql(/* GraphQL */ `
  query CachedPaths($from: ID!, $to: ID!) {
    warmIntroPaths(from: $from, to: $to, k: 1) { __typename ... on WarmIntroPathsSuccess { paths { hopCount } } }
  }
`);
const Rename = graphql(/* GraphQL */ `
  mutation CachedRename($input: UpdatePersonInput!) {
    updatePerson(input: $input) { __typename ... on UpdatePersonSuccess { person { displayName } } }
  }
`);
const Tie = graphql(/* GraphQL */ `
  mutation CachedPrivateTie($input: CreateRelationshipInput!) {
    createRelationship(input: $input) { __typename ... on CreateRelationshipSuccess { relationship { id } } }
  }
`);

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

describe.each(databaseKinds)("the response cache on %s", (kind) => {
  let api: TestApi;
  let people: string[];
  let keyA: string;
  let keyB: string;

  /** A request as a client sends it, with whether the cache answered it (`x-response-cache`). */
  async function read<Data, Variables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    key: string,
  ): Promise<{ data: Data; cache: string | null; body: string }> {
    const response = await api.yoga.fetch("http://intrograph.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = await response.text();
    const parsed = JSON.parse(body) as { data: Data; errors?: unknown };
    if (parsed.errors) throw new Error(JSON.stringify(parsed.errors));
    return { data: parsed.data, cache: response.headers.get("x-response-cache"), body };
  }

  const tiesOf = async (id: string, key: string) => {
    const answer = await read(PersonTies, { id }, key);
    const person = answer.data.person;
    if (!person?.relationships) throw new Error(`no person ${id}`);
    return { ...answer, person: { displayName: person.displayName, totalCount: person.relationships.totalCount } };
  };

  beforeAll(async () => {
    api = await startTestApi(kind, { rateLimit: false, responseCache: { graphTtlMs: 300 } });
    const prisma = api.database.prisma;
    people = (await createRingNetwork(prisma, 12, 2)).personIds;
    const [alpha, beta] = await Promise.all([
      prisma.partner.create({ data: { name: "Alpha CRM", slug: "alpha" } }),
      prisma.partner.create({ data: { name: "Beta Market", slug: "beta" } }),
    ]);
    keyA = (await issueApiKey(prisma, { name: "a", scopes: ["partner"], partnerId: alpha.id })).key;
    keyB = (await issueApiKey(prisma, { name: "b", scopes: ["partner"], partnerId: beta.id })).key;
  });
  afterAll(() => api.close());

  it("serves a partner's repeated read from the cache, and the read after an API write fresh", async () => {
    const id = globalId("Person", people[0]!);
    const neighbourId = globalId("Person", people[1]!);
    expect((await tiesOf(neighbourId, keyA)).body).not.toContain("Ada Renamed");
    const first = await tiesOf(id, keyA);
    const again = await tiesOf(id, keyA);
    expect([first.cache, again.cache]).toEqual(["miss", "hit"]);
    expect(again.body).toBe(first.body);

    const { version } = await api.database.prisma.person.findUniqueOrThrow({ where: { id: people[0]! } });
    const renamed = dataOf(
      await api.executeOperation(Rename, { input: { id, version, displayName: "Ada Renamed" } }),
    ).updatePerson;
    expect(ofType(renamed, "UpdatePersonSuccess").person?.displayName).toBe("Ada Renamed");

    const after = await tiesOf(id, keyA);
    expect(after.cache).toBe("miss");
    expect(after.person.displayName).toBe("Ada Renamed");
    // A neighbour's cached answer names the person too: it is renewed with it.
    const neighbour = await tiesOf(neighbourId, keyA);
    expect(neighbour.cache).toBe("miss");
    expect(neighbour.body).toContain("Ada Renamed");
  });

  it("sees a job's write at once through its events, and only writes with events renew answers", async () => {
    const id = globalId("Person", people[2]!);
    await tiesOf(id, keyA);
    // A row changed without an event is not something intrograph does: the cached answer stands (the cache is real).
    await api.database.prisma.person.update({ where: { id: people[2]! }, data: { displayName: "Unannounced" } });
    const stale = await tiesOf(id, keyA);
    expect(stale.cache).toBe("hit");
    expect(stale.person.displayName).not.toBe("Unannounced");

    // A job's result commits with its events (the credit job appends `credit.changed`): the next read is fresh.
    await api.database.prisma.$transaction(async (tx) => {
      await tx.person.update({ where: { id: people[2]! }, data: { displayName: "Recomputed" } });
      await appendEvents(tx, [{ type: "credit.changed", entityType: "Credit", entityId: people[2]! }]);
    });
    const fresh = await tiesOf(id, keyA);
    expect(fresh.cache).toBe("miss");
    expect(fresh.person.displayName).toBe("Recomputed");
  });

  it("never serves one partner's answer to another; a private write renews its own partner's answers only", async () => {
    const id = globalId("Person", people[4]!);
    const before = (await tiesOf(id, keyA)).person.totalCount;
    expect((await tiesOf(id, keyB)).person.totalCount).toBe(before);

    const tie = dataOf(
      await api.executeOperation(
        Tie,
        { input: { personId: id, otherPersonId: globalId("Person", people[9]!), kind: "FRIEND" } },
        { key: keyA },
      ),
    ).createRelationship;
    ofType(tie, "CreateRelationshipSuccess");

    const ownView = await tiesOf(id, keyA);
    expect(ownView.cache).toBe("miss");
    expect(ownView.person.totalCount).toBe(before + 1);
    // Partner B's answer stays valid (nothing it may see changed) and never holds A's private tie.
    const otherView = await tiesOf(id, keyB);
    expect(otherView.cache).toBe("hit");
    expect(otherView.person.totalCount).toBe(before);
    const otherAgain = await tiesOf(id, keyB);
    expect(otherAgain.person.totalCount).toBe(before);
    expect((await tiesOf(id, keyA)).person.totalCount).toBe(before + 1);
  });

  it("lets answers from the graph thread live for their short TTL only", async () => {
    const variables = { from: globalId("Person", people[0]!), to: globalId("Person", people[6]!) };
    expect((await read(Paths, variables, keyA)).cache).toBe("miss");
    expect((await read(Paths, variables, keyA)).cache).toBe("hit");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await read(Paths, variables, keyA)).cache).toBe("miss");
  });

  it("does not cache admin reads", async () => {
    const id = globalId("Person", people[3]!);
    await tiesOf(id, api.adminKey);
    expect((await tiesOf(id, api.adminKey)).cache).toBeNull();
  });
});

// Several replicas: answers kept in Redis are served by every API on the database; a Redis that cannot be reached costs
// the cache and the shared limit, never an answer.
describe("the response cache and rate limits in Redis (postgres)", () => {
  let api: TestApi;
  let redis: Redis;
  let key: string;
  let id: string;

  const ask = async (yoga: TestApi["yoga"]) => {
    const response = await yoga.fetch("http://intrograph.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: print(PersonTies), variables: { id } }),
    });
    return { status: response.status, cache: response.headers.get("x-response-cache"), body: await response.text() };
  };

  beforeAll(async () => {
    redis = (await connectRedis(
      process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      `intrograph-test-${randomUUID()}:`,
    ))!;
    api = await startTestApi("postgres", { rateLimit: false, responseCache: {}, redis });
    const prisma = api.database.prisma;
    id = globalId("Person", (await createRingNetwork(prisma, 6, 1)).personIds[0]!);
    const partner = await prisma.partner.create({ data: { name: "Gamma", slug: "gamma" } });
    key = (await issueApiKey(prisma, { name: "g", scopes: ["partner"], partnerId: partner.id })).key;
  });
  afterAll(async () => {
    await api?.close();
    await redis?.quit();
  });

  it("serves one replica's cached answer from another", async () => {
    const other = createApi({ database: api.database, rateLimit: false, responseCache: {}, redis });
    const first = await ask(api.yoga);
    const fromOther = await ask(other.yoga);
    expect([first.cache, fromOther.cache]).toEqual(["miss", "hit"]);
    expect(fromOther.body).toBe(first.body);
    await Promise.all([other.graph.stop(), other.bus?.close()]);
  });

  it("answers when Redis is down: every read a miss, limits counted per process", async () => {
    const unreachable = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    unreachable.on("error", () => {});
    const down = createApi({
      database: api.database,
      rateLimit: { keyPoints: 3, anonymousPoints: 3, windowSeconds: 60 },
      responseCache: {},
      redis: unreachable,
    });
    const answers = [];
    for (let index = 0; index < 4; index++) answers.push(await ask(down.yoga));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers.slice(0, 3).map((answer) => answer.cache)).toEqual(["miss", "miss", "miss"]);
    expect(answers[1]!.body).toBe(answers[0]!.body);
    await Promise.all([down.graph.stop(), down.bus?.close()]);
    unreachable.disconnect();
  });
});
