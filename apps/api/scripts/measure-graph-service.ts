// Measures the graph service on a seeded database: starts the API (src/main.ts) as its own process and reports the
// time to ready, /healthz latency while the snapshot is built, warmIntroPaths and Person.metrics latency (first and
// percentiles), how soon a write shows, and the server's RSS.
//   DATABASE_URL=postgresql://…/db tsx scripts/measure-graph-service.ts [--requests 200] [--port 4123]
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { openDatabase } from "@intrograph/db";
import { issueApiKey } from "../src/modules/access/api-keys.ts";

const { values } = parseArgs({
  options: { requests: { type: "string", default: "200" }, port: { type: "string", default: "4123" } },
});
const requests = Number(values.requests);
const base = `http://127.0.0.1:${values.port}`;

const database = await openDatabase();
const admin = await issueApiKey(database.prisma, { name: "graph measurement", scopes: ["admin"] });
const partner = await database.prisma.partner.findFirstOrThrow({ orderBy: { slug: "asc" } });
const partnerKey = await issueApiKey(database.prisma, {
  name: "graph measurement",
  scopes: ["partner"],
  partnerId: partner.id,
});
const people = (
  await database.prisma.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Person" WHERE "deletedAt" IS NULL AND "mergedIntoId" IS NULL ORDER BY random() LIMIT 2000`
).map((row) => row.id);

const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
  env: {
    ...process.env,
    PORT: values.port,
    INTROGRAPH_DEMO_DATA: "off",
    LOG_LEVEL: "info",
    INTROGRAPH_RATE_LIMIT: "off",
    // Background jobs (MARKOV credit) would share the CPU with the graph here: measure them on their own.
    INTROGRAPH_WORKER: "off",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
const spawnedAt = performance.now();
let listeningAt = 0;
let graphReadyLine = "";
const graphLog: string[] = [];
server.stdout.on("data", (chunk: Buffer) => {
  const text = chunk.toString();
  if (!listeningAt && text.includes("intrograph is up")) listeningAt = performance.now();
  const ready = /graph snapshot ready in [\d.]+ s/.exec(text);
  if (ready) graphReadyLine = ready[0];
  // The graph service's own log lines: build and betweenness durations.
  for (const line of text.split("\n"))
    if (/"msg":"(graph snapshot built|betweenness computed|slow graph request)"/.test(line)) graphLog.push(line);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timed = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
};
const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const summary = (samples: number[]) =>
  `first ${samples[0]!.toFixed(1)} ms, p50 ${percentile(samples, 50).toFixed(1)}, p95 ${percentile(samples, 95).toFixed(1)}, max ${Math.max(...samples).toFixed(1)} (n=${samples.length})`;
async function rssMb(): Promise<number> {
  const status = await readFile(`/proc/${server.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function graphql<Data>(query: string, variables: Record<string, unknown>, key = admin.key): Promise<Data> {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

// Until ready: /healthz latency (the graph builds in its own thread meanwhile).
const healthDuringBuild: number[] = [];
let readyAt = 0;
while (!readyAt) {
  const [healthMs, health] = await timed(() => fetch(`${base}/healthz`).catch(() => null));
  if (health?.ok) healthDuringBuild.push(healthMs);
  const ready = await fetch(`${base}/readyz`).catch(() => null);
  if (ready?.status === 200) readyAt = performance.now();
  else await sleep(20);
  if (performance.now() - spawnedAt > 300_000) throw new Error("not ready after 5 minutes");
}
const rssReady = await rssMb();

const PATHS = `query ($from: ID!, $to: ID!) { warmIntroPaths(from: $from, to: $to, k: 3, maxHops: 4) {
  ... on WarmIntroPathsSuccess { paths { score hopCount people { id displayName } } } } }`;
const METRICS = `query ($id: ID!) { node(id: $id) { ... on Person { metrics { degree betweenness constraint effectiveSize
  brokerage { total } computedAt stale } role { role stale } } } }`;
const REACH = `query ($id: ID!) { node(id: $id) { ... on Person { metrics { reach(maxHops: 2) { decisionMakers } } } } }`;
const pick = (i: number) => encodeGlobalID("Person", people[i % people.length]!);

const pathTimes: number[] = [];
const partnerPathTimes: number[] = [];
let found = 0;
for (let i = 0; i < requests; i++) {
  const [ms, data] = await timed(() =>
    graphql<{ warmIntroPaths: { paths: unknown[] } }>(PATHS, { from: pick(2 * i), to: pick(2 * i + 1) }),
  );
  pathTimes.push(ms);
  if (data.warmIntroPaths.paths.length) found++;
  const [partnerMs] = await timed(() => graphql(PATHS, { from: pick(2 * i + 1), to: pick(2 * i) }, partnerKey.key));
  partnerPathTimes.push(partnerMs);
}
const metricTimes: number[] = [];
const reachTimes: number[] = [];
for (let i = 0; i < requests; i++) {
  metricTimes.push((await timed(() => graphql(METRICS, { id: pick(i) })))[0]);
  reachTimes.push((await timed(() => graphql(REACH, { id: pick(i) })))[0]);
}
const PAGE = `{ people(first: 20) { edges { node { metrics { degree betweenness constraint } role { role } } } } }`;
const pageTimes: number[] = [];
for (let i = 0; i < 20; i++) pageTimes.push((await timed(() => graphql(PAGE, {})))[0]);
const rssLoaded = await rssMb();

// A write: how soon paths show it, betweenness is marked stale, and fresh again.
const [a, b] = [people[0]!, people[1]!].sort();
const existing = await database.prisma.relationship.findFirst({ where: { personAId: a!, personBId: b! } });
if (existing) throw new Error("pick two people without a relationship");
const before = await graphql<{ node: { metrics: { computedAt: string } } }>(METRICS, {
  id: encodeGlobalID("Person", a!),
});
const [writeMs] = await timed(() =>
  graphql(`mutation ($input: CreateRelationshipInput!) { createRelationship(input: $input) { __typename } }`, {
    input: {
      personId: encodeGlobalID("Person", a!),
      otherPersonId: encodeGlobalID("Person", b!),
      interactions: [{ kind: "MEETING", occurredAt: new Date().toISOString() }],
    },
  }),
);
const wrote = performance.now();
let pathShownMs = 0;
let staleMs = 0;
let freshMs = 0;
while (!freshMs && performance.now() - wrote < 60_000) {
  if (!pathShownMs) {
    const data = await graphql<{ warmIntroPaths: { paths: { hopCount: number }[] } }>(PATHS, {
      from: encodeGlobalID("Person", a!),
      to: encodeGlobalID("Person", b!),
    });
    if (data.warmIntroPaths.paths.some((path) => path.hopCount === 1)) pathShownMs = performance.now() - wrote;
  }
  const metrics = (
    await graphql<{ node: { metrics: { computedAt: string; stale: boolean } } }>(METRICS, {
      id: encodeGlobalID("Person", a!),
    })
  ).node.metrics;
  if (!staleMs && metrics.stale) staleMs = performance.now() - wrote;
  if (staleMs && !metrics.stale && metrics.computedAt !== before.node.metrics.computedAt)
    freshMs = performance.now() - wrote;
  await sleep(10);
}
await database.prisma.relationship.deleteMany({ where: { personAId: a!, personBId: b! } });

console.log(`people ${people.length} sampled; database ${database.location}`);
console.log(`listening ${((listeningAt - spawnedAt) / 1000).toFixed(1)} s after spawn (${graphReadyLine})`);
console.log(
  `ready (/readyz 200) ${((readyAt - spawnedAt) / 1000).toFixed(1)} s after spawn, ${((readyAt - listeningAt) / 1000).toFixed(1)} s after listening`,
);
console.log(`/healthz while building: ${summary(healthDuringBuild)}`);
console.log(`warmIntroPaths admin: ${summary(pathTimes)}; ${found}/${requests} pairs connected`);
console.log(`warmIntroPaths partner: ${summary(partnerPathTimes)}`);
console.log(`Person.metrics: ${summary(metricTimes)}`);
console.log(`Person.metrics.reach(maxHops: 2): ${summary(reachTimes)}`);
console.log(`people(first: 20) with metrics and role: ${summary(pageTimes)}`);
console.log(
  `write ${writeMs.toFixed(0)} ms; in paths after ${pathShownMs.toFixed(0)} ms, betweenness stale after ${staleMs.toFixed(0)} ms, fresh after ${freshMs.toFixed(0)} ms`,
);
for (const line of graphLog) {
  const { msg, durationMs, people: count, relationships, method } = JSON.parse(line) as Record<string, unknown>;
  console.log(
    `graph thread: ${msg} in ${durationMs} ms (${count} people${relationships ? `, ${relationships} relationships` : ""}${method ? `, ${method}` : ""})`,
  );
}
console.log(`RSS ${rssReady.toFixed(0)} MB when ready, ${rssLoaded.toFixed(0)} MB after the requests`);

server.kill("SIGTERM");
await database.prisma.apiKey.deleteMany({ where: { id: { in: [admin.id, partnerKey.id] } } });
await database.close();
