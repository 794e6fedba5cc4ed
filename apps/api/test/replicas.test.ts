// Two API replicas and two workers, each its own process, on one PostgreSQL database and one Redis: what one replica
// writes the other serves (subscriptions, warm paths, metrics); webhooks go out from the workers once per event; the
// rate limit and key revocation hold across replicas; and killing a replica (SIGKILL) mid-write loses no committed
// write and no event.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatPosition } from "@intrograph/db/events";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { fromGlobalId } from "graphql-relay";
import { type Cluster, freeClusterPort, startCluster } from "../src/cluster/cluster.ts";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { type SseStream, subscribe } from "./sse-client.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const ANONYMOUS_LIMIT = 6;
const WEBHOOK_TYPES = ["introduction.created", "outcome.created", "credit.changed"];

interface Replica {
  name: string;
  url: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

describe("two API replicas and two workers on PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let receiver: Server;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let logs: string;
  let cluster: Cluster;
  let a: Replica;
  let b: Replica;
  let adminKey = "";

  async function gql<Data = Record<string, Record<string, unknown>>>(
    replica: Replica,
    query: string,
    variables: Record<string, unknown> = {},
    key: string | null = adminKey,
  ): Promise<{ status: number; data?: Data; errors?: { message: string; extensions?: { code?: string } }[] }> {
    const response = await fetch(replica.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  async function write(replica: Replica, query: string, variables: Record<string, unknown>) {
    const result = await gql(replica, query, variables);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const [answer] = Object.values(result.data!);
    if (answer && "message" in answer) throw new Error(`${answer.__typename}: ${answer.message}`);
    return answer!;
  }

  const createPerson = async (replica: Replica, name: string) =>
    (
      (
        await write(
          replica,
          `mutation ($name: String!) { createPerson(input: { displayName: $name }) { __typename ... on CreatePersonSuccess { person { id } } ... on Error { message } } }`,
          { name },
        )
      ).person as { id: string }
    ).id;

  const tie = (replica: Replica, personId: string, otherPersonId: string) =>
    write(
      replica,
      `mutation ($input: CreateRelationshipInput!) { createRelationship(input: $input) { __typename ... on Error { message } } }`,
      {
        input: {
          personId,
          otherPersonId,
          interactions: [{ kind: "MEETING", occurredAt: new Date().toISOString() }],
        },
      },
    );

  const introduce = async (replica: Replica, connectorId: string, fromId: string, toId: string) =>
    (
      (
        await write(
          replica,
          `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) { __typename ... on CreateIntroductionSuccess { introduction { id } } ... on Error { message } } }`,
          {
            input: {
              connectorId,
              fromId,
              toId,
              occurredAt: "2026-03-02T00:00:00Z",
              fromConsentedAt: "2026-03-03T00:00:00Z",
              toConsentedAt: "2026-03-03T00:00:00Z",
            },
          },
        )
      ).introduction as { id: string }
    ).id;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    adminKey = (await issueApiKey(database.prisma, { name: "admin", scopes: ["admin"] })).key;
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    logs = await mkdtemp(path.join(tmpdir(), "intrograph-replicas-"));
    cluster = await startCluster({
      replicas: 2,
      // Two workers follow the log side by side: still one delivery per event.
      workers: 2,
      port: await freeClusterPort(2),
      databaseUrl: database.location,
      redisUrl: REDIS_URL,
      demoData: false,
      env: {
        // This run's own keys, so runs sharing the Redis do not count each other's requests.
        INTROGRAPH_REDIS_PREFIX: `intrograph-test-${randomUUID()}:`,
        INTROGRAPH_SECRET_KEY: randomBytes(32).toString("base64"),
        INTROGRAPH_RATE_LIMIT_ANONYMOUS: String(ANONYMOUS_LIMIT),
        // Followers read the log on timers this slow, so what arrives sooner came by Redis's "the log moved".
        INTROGRAPH_EVENTS_POLL_MS: "5000",
        INTROGRAPH_GRAPH_POLL_MS: "5000",
      },
      output: { kind: "files", directory: logs },
      log: () => {},
      readyTimeoutMs: 90_000,
    });
    a = { name: "api-1", url: `${cluster.replicaUrls[0]}/graphql` };
    b = { name: "api-2", url: `${cluster.replicaUrls[1]}/graphql` };
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    receiver?.close();
    await database?.drop();
    if (logs) await rm(logs, { recursive: true, force: true });
  });

  it("shares the rate limit: requests to A and B draw from one budget", async () => {
    const anonymous = (replica: Replica) => gql(replica, "{ __typename }", {}, null).then((result) => result.status);
    const statuses = [];
    for (let index = 0; index < ANONYMOUS_LIMIT; index++) statuses.push(await anonymous(index % 2 ? b : a));
    expect(statuses.every((status) => status === 200)).toBe(true);
    // Each replica has seen only half the budget; together they have spent it.
    const refused = await gql(b, "{ __typename }", {}, null);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect((await gql(a, "{ __typename }", {}, null)).status).toBe(429);
  });

  it("refuses on B, within a second, a key revoked on A", async () => {
    const partner = await database.prisma.partner.create({
      data: { name: "Partner", slug: `partner-${randomUUID()}` },
    });
    const issued = await issueApiKey(database.prisma, { name: "doomed", scopes: ["partner"], partnerId: partner.id });
    expect((await gql(b, "{ people(first: 1) { pageInfo { hasNextPage } } }", {}, issued.key)).status).toBe(200);
    const keyId = (
      await gql<{ apiKeys: { edges: { node: { id: string; prefix: string } }[] } }>(
        a,
        "{ apiKeys(first: 100) { edges { node { id prefix } } } }",
      )
    ).data!.apiKeys.edges.find((edge) => edge.node.prefix === issued.prefix)!.node.id;
    const revoked = await write(
      a,
      "mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ... on Error { message } } }",
      { id: keyId },
    );
    expect(revoked.__typename).toBe("RevokeApiKeySuccess");
    const revokedAt = Date.now();
    const refused = await until(
      "B to refuse the revoked key",
      () => gql(b, "{ people(first: 1) { pageInfo { hasNextPage } } }", {}, issued.key),
      (result) => result.status === 401,
      5_000,
    );
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("serves on B, within 2 s, the paths and metrics of a write on A; subscribers on B and webhooks see it", async () => {
    const endpoint = await write(
      a,
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename ... on RegisteredWebhookEndpoint { secret } ... on Error { message } } }`,
      {
        input: {
          url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
          eventTypes: WEBHOOK_TYPES,
        },
      },
    );
    expect(endpoint.secret).toMatch(/^whsec_/);
    const stream = await subscribe(
      b.url,
      adminKey,
      "subscription { introductionChanged { eventId introductionId connectorId } }",
    );
    try {
      const [x, y, z] = [await createPerson(a, "X"), await createPerson(a, "Y"), await createPerson(a, "Z")];
      await tie(a, x, y);
      await tie(a, y, z);
      const tiedAt = Date.now();
      const paths = await until(
        "B's warm paths from X to Z",
        () =>
          gql<{ warmIntroPaths: { paths?: { people: { id: string }[] }[] } }>(
            b,
            `query ($from: ID!, $to: ID!) { warmIntroPaths(from: $from, to: $to) { ... on WarmIntroPathsSuccess { paths { people { id } } } } }`,
            { from: x, to: z },
          ),
        (result) => (result.data?.warmIntroPaths.paths?.length ?? 0) > 0,
        5_000,
      );
      expect(paths.data!.warmIntroPaths.paths![0]!.people.map((person) => person.id)).toEqual([x, y, z]);
      await until(
        "B's metrics of Y",
        () =>
          gql<{ node: { metrics: { degree: number } | null } }>(
            b,
            "query ($id: ID!) { node(id: $id) { ... on Person { metrics { degree } } } }",
            { id: y },
          ),
        (result) => result.data?.node.metrics?.degree === 2,
        5_000,
      );
      expect(Date.now() - tiedAt).toBeLessThan(2_000);

      const introductionId = await introduce(a, y, x, z);
      const introducedAt = Date.now();
      const message = await stream.waitFor((m) => m.data.data?.introductionChanged !== undefined, 10_000);
      expect(Date.now() - introducedAt).toBeLessThan(1_000);
      expect(message.data.data!.introductionChanged).toMatchObject({ introductionId, connectorId: y });

      const deliveries = await until(
        "the webhook for the introduction",
        async () => received.filter((delivery) => JSON.parse(delivery.body).type === "introduction.created"),
        (found) => found.length > 0,
        15_000,
      );
      expect(JSON.parse(deliveries[0]!.body).data.introductionId).toBe(introductionId);
    } finally {
      stream.close();
    }
  });

  it("loses no committed write or event when a replica is killed (SIGKILL) mid-write", async () => {
    const stream: SseStream = await subscribe(
      b.url,
      adminKey,
      "subscription { introductionChanged { eventId introductionId } }",
    );
    try {
      const [p, q, r] = [await createPerson(b, "P"), await createPerson(b, "Q"), await createPerson(b, "R")];
      const answered: string[] = [];
      let failures = 0;
      let killed = false;
      // Four writers keep A busy; A dies under them.
      const writers = Array.from({ length: 4 }, async () => {
        while (!killed) {
          try {
            answered.push(await introduce(a, p, q, r));
          } catch {
            failures += 1;
          }
        }
      });
      await until(
        "some answered writes",
        async () => answered.length,
        (count) => count >= 12,
        20_000,
      );
      const replicaA = cluster.processes.find((child) => child.name === a.name)!;
      replicaA.signal("SIGKILL");
      await replicaA.exited;
      killed = true;
      await Promise.all(writers);
      expect(failures).toBeGreaterThan(0);

      // Every write A answered is committed, and every committed one (answered or not) has its event.
      const rows = await database.prisma.introduction.findMany({ where: { connectorId: rowId(p) } });
      const committed = new Set(rows.map((row) => row.id));
      for (const id of answered) expect(committed.has(rowId(id))).toBe(true);
      const events = await database.prisma.domainEvent.findMany({
        where: { type: "introduction.created", entityId: { in: [...committed] } },
      });
      expect(new Set(events.map((event) => event.entityId))).toEqual(committed);

      // B's subscriber and the webhook receiver get every committed one, each webhook id once per event.
      await until(
        "B's subscriber to see every committed introduction",
        async () =>
          new Set(
            stream.messages
              .map((m) => (m.data.data?.introductionChanged as { introductionId: string } | undefined)?.introductionId)
              .filter(Boolean)
              .map((id) => rowId(id!)),
          ),
        (seen) => [...committed].every((id) => seen.has(id)),
        15_000,
      );
      // Webhooks: every event of the endpoint's types, at least once, always under its own id (the event's position
      // in the log), and one delivery row per event however many replicas followed the log.
      const expected = new Set(
        (
          await database.prisma.domainEvent.findMany({
            where: { type: { in: WEBHOOK_TYPES } },
            select: { txid: true, id: true },
          })
        ).map(formatPosition),
      );
      const ids = () => new Set(received.map((delivery) => String(delivery.headers["webhook-id"])));
      await until(
        "a webhook for every event",
        async () => ids(),
        (seen) => seen.size >= expected.size,
        20_000,
      );
      expect(ids()).toEqual(expected);
      expect(await database.prisma.webhookDelivery.count()).toBe(expected.size);
    } finally {
      stream.close();
    }
  });
});

const rowId = (globalId: string) => fromGlobalId(globalId).id;
