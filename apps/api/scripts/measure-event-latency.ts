// Measures how soon a write reaches subscribers and webhook receivers: the API in-process on a fresh database (PGlite;
// with DATABASE_URL set, a fresh database on the local PostgreSQL test server), one SSE subscriber of creditChanged and one webhook endpoint on a local receiver,
// then `--writes` recordOutcome calls one after another; reports percentiles from each write's answer to its event.
//   tsx scripts/measure-event-latency.ts [--writes 50] [--database-url postgresql://…/a-seeded-database] [--redis]
// With --database-url the writes go to that database as it is (e.g. one seeded at 10×), which is left in place.
// Measured (2 cores, 40 writes, default 200 ms feed and 250 ms dispatcher polls): PGlite SSE p50 12 / p95 111 ms,
// webhook p50 160 / p95 202 ms; PostgreSQL SSE p50 95 / p95 190 ms, webhook p50 185 / p95 211 ms.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { openDatabase } from "@intrograph/db";
import { createTestDatabase } from "@intrograph/db/testing";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { WebhookDispatcher } from "../src/modules/webhooks/dispatcher.ts";
import { followLogSignal } from "../src/modules/events/log-signal.ts";
import { connectRedis } from "../src/redis.ts";
import { createApi } from "../src/server.ts";
import { listen, subscribe } from "../test/sse-client.ts";

const { values } = parseArgs({
  options: {
    writes: { type: "string", default: "50" },
    "database-url": { type: "string" },
    // With REDIS_URL's Redis: followers read the log when a write is announced, not at their next tick.
    redis: { type: "boolean", default: false },
  },
});
const writes = Number(values.writes);

const existing = values["database-url"];
const database = existing
  ? { ...(await openDatabase({ databaseUrl: existing })), drop: async () => {} }
  : await createTestDatabase(process.env.DATABASE_URL ? "postgres" : "pglite");
const redis = values.redis ? await connectRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379") : null;
const { yoga, bus } = createApi({ database, rateLimit: false, redis });
const { url, server } = await listen(yoga);
const dispatcher = new WebhookDispatcher(database);
await dispatcher.start();
if (bus) await followLogSignal(bus, [dispatcher]);
const key = (await issueApiKey(database.prisma, { name: "measure", scopes: ["admin"] })).key;
const gql = async <Data = unknown>(query: string, variables: Record<string, unknown> = {}): Promise<Data> => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: Data }).data;
};

const hookArrivals = new Map<string, number>();
const receiver = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk: Buffer) => {
    body += chunk.toString();
  });
  request.on("end", () => {
    const event = JSON.parse(body) as { data: { changes: { outcomeId: string }[] } };
    for (const change of event.data.changes) hookArrivals.set(change.outcomeId, performance.now());
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
await gql(`mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename } }`, {
  input: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, eventTypes: ["credit.changed"] },
});

const person = async (name: string) =>
  (
    await gql<{ createPerson: { person: { id: string } } }>(
      `mutation ($n: String!) { createPerson(input: { displayName: $n }) { ... on CreatePersonSuccess { person { id } } } }`,
      { n: name },
    )
  ).createPerson!.person!.id;
const [a, b, c] = [await person("A"), await person("B"), await person("C")];
const intro = (
  await gql<{ createIntroduction: { introduction: { id: string } } }>(
    `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) { ... on CreateIntroductionSuccess { introduction { id } } } }`,
    {
      input: {
        connectorId: a,
        fromId: b,
        toId: c,
        occurredAt: "2026-03-01T00:00:00Z",
        fromConsentedAt: "2026-03-02T00:00:00Z",
        toConsentedAt: "2026-03-02T00:00:00Z",
      },
    },
  )
).createIntroduction.introduction.id;

const stream = await subscribe(url, key, `subscription { creditChanged { changes { outcomeId } } }`);
const sse: number[] = [];
const hooks: number[] = [];
for (let index = 0; index < writes; index++) {
  const recorded = await gql<{ recordOutcome: { outcome: { id: string } } }>(
    `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) { ... on RecordOutcomeSuccess { outcome { id } } } }`,
    {
      input: {
        kind: "DEAL",
        title: `Deal ${index}`,
        value: "100",
        currency: "USD",
        occurredAt: "2026-03-05T00:00:00Z",
        introductionIds: [intro],
      },
    },
  );
  const answered = performance.now();
  const outcomeId = recorded.recordOutcome.outcome.id;
  await stream.waitFor((message) =>
    ((message.data.data?.creditChanged as { changes: { outcomeId: string }[] } | undefined)?.changes ?? []).some(
      (change) => change.outcomeId === outcomeId,
    ),
  );
  sse.push(performance.now() - answered);
  while (!hookArrivals.has(outcomeId)) await new Promise((resolve) => setTimeout(resolve, 2));
  hooks.push(hookArrivals.get(outcomeId)! - answered);
}

const percentile = (values: number[], p: number) =>
  [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) * p)]!;
const line = (name: string, values: number[]) =>
  `${name}: p50 ${percentile(values, 0.5).toFixed(0)} ms, p95 ${percentile(values, 0.95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;
console.log(`${database.kind}, ${writes} writes${redis ? ", announced through Redis" : ""}`);
console.log(line("write answered → SSE event", sse));
console.log(line("write answered → webhook received", hooks));
stream.close();
await dispatcher.stop();
receiver.close();
server.close();
bus?.close();
await redis?.quit();
await database.drop();
process.exit(0);
