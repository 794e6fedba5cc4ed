// How the mixed read load scales over API replicas: the local cluster (`pnpm cluster`'s code: replicas with
// INTROGRAPH_WORKER=off, the worker, the balancer, Redis) with 1, then 2, then 4 replicas on one PostgreSQL database
// seeded at --scale, the mixed read mix of bench:reads through the balancer (and, with 1 replica, straight at the
// replica too, so the balancer's own cost shows). Besides req/s and latency it measures the CPU seconds each part used
// during the run (replicas, balancer, PostgreSQL, the load generator) and from them the requests per second the
// machine's cores allow when they serve only the API and PostgreSQL.
//
// Usage: pnpm --filter @intrograph/bench run bench:replicas [--scale 1] [--replicas 1,2,4] [--seconds 30]
//          [--connections 32] [--warmup-seconds 10] [--cores 2] [--fresh-seed] [--keep-databases]
// Seeded databases are bench:reads' templates (bench_reads_tpl_*); logs go to bench/.work/replicas/logs/.
import { mkdir } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Cluster, DEFAULT_REDIS_URL, freeClusterPort, startCluster } from "@intrograph/api/src/cluster/cluster.ts";
import { buildStalePackages } from "../../.config/compiled-build.ts";
import { type LoadResult, runLoad } from "./reads/load.ts";
import { mixedReads, type Pools, readPools, sdkOperations } from "./reads/operations.ts";
import { cpuSeconds, postgresDelta, samplePostgres } from "./replicas/cpu.ts";
import {
  createKeys,
  currentTree,
  databaseFromTemplate,
  dropDatabase,
  METRICS_TOKEN,
  repositoryRoot,
  seededTemplate,
  waitUntilSettled,
  withPostgres,
} from "./scale/stack.ts";

const SEED = 42;
const SETTLE_TIMEOUT_MS = 15 * 60_000;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    scale: { type: "string", default: "1" },
    replicas: { type: "string", default: "1,2,4" },
    seconds: { type: "string", default: "30" },
    connections: { type: "string", default: "32" },
    "warmup-seconds": { type: "string", default: "10" },
    cores: { type: "string", default: "2" },
    "fresh-seed": { type: "boolean", default: false },
    "keep-databases": { type: "boolean", default: false },
  },
});
const scale = Number(values.scale);
const replicaCounts = values.replicas.split(",").map(Number);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const warmupSeconds = Number(values["warmup-seconds"]);
const cores = Number(values.cores);
if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${values.scale}`);
if (!replicaCounts.every((count) => Number.isInteger(count) && count > 0))
  throw new Error(`--replicas must list positive integers, got ${values.replicas}`);

const tree = currentTree();
const logs = path.join(repositoryRoot, "bench", ".work", "replicas", "logs");
const log = (line: string) => console.log(`· ${line}`);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

interface Measured {
  label: string;
  replicas: number;
  /** Share of a core one replica used while no request came (background work: event feed, graph follower, timers). */
  idlePerReplica: number;
  result: LoadResult;
  /** CPU seconds during the measured run. */
  cpu: {
    api: number;
    worker: number;
    balancer: number;
    postgres: number;
    postgresOthers: number;
    loadGenerator: number;
  };
  loadAverage: string;
}

/** Runs the load against `url` and the CPU each part of the cluster and PostgreSQL used meanwhile. */
async function measure(
  label: string,
  cluster: Cluster,
  idlePerReplica: number,
  url: string,
  next: ReturnType<typeof mixedReads>,
  client: Parameters<typeof samplePostgres>[0],
  database: string,
): Promise<Measured> {
  const sampleCluster = () =>
    new Map(cluster.processes.map((child) => [child.pid, { role: child.role, seconds: cpuSeconds(child.pid) ?? 0 }]));
  const clusterBefore = sampleCluster();
  const postgresBefore = await samplePostgres(client, database);
  const ownBefore = process.cpuUsage();
  const result = await runLoad({ url: `${url}/graphql`, connections, seconds, next, timeoutSeconds: 30 });
  const own = process.cpuUsage(ownBefore);
  const postgres = postgresDelta(postgresBefore, await samplePostgres(client, database));
  const cpu = {
    api: 0,
    worker: 0,
    balancer: 0,
    postgres: postgres.database + postgres.server,
    postgresOthers: postgres.others,
    // The load generator (autocannon) runs in this process; the cluster's children log to files, not through it.
    loadGenerator: (own.user + own.system) / 1e6,
  };
  for (const [pid, { role, seconds: before }] of clusterBefore) cpu[role] += (cpuSeconds(pid) ?? before) - before;
  const measured = { label, replicas: cluster.replicaUrls.length, idlePerReplica, result, cpu, loadAverage: load() };
  log(
    `${label}: ${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}` +
      `${result.firstError ? ` (first: ${result.firstError.slice(0, 200)})` : ""}; load average ${measured.loadAverage}`,
  );
  return measured;
}

/** The share of a core each replica uses on average over a few seconds without requests. */
async function idleShare(cluster: Cluster, seconds = 3): Promise<number> {
  const replicas = cluster.processes.filter((child) => child.role === "api");
  const before = replicas.map((child) => cpuSeconds(child.pid) ?? 0);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const used = replicas.reduce((sum, child, index) => sum + (cpuSeconds(child.pid) ?? 0) - before[index]!, 0);
  return used / seconds / replicas.length;
}

/**
 * Waits until the replicas are idle: each builds its graph snapshot and then computes the whole-graph metrics
 * (betweenness, roles) in its graph thread, work every replica repeats; measuring during it would charge it to the load.
 * Returns the seconds waited and the CPU seconds the replicas spent meanwhile.
 */
async function waitUntilIdle(cluster: Cluster, timeoutSeconds = 600): Promise<{ seconds: number; cpuSeconds: number }> {
  const replicas = cluster.processes.filter((child) => child.role === "api");
  const cpu = () => replicas.reduce((sum, child) => sum + (cpuSeconds(child.pid) ?? 0), 0);
  const started = performance.now();
  const before = cpu();
  while ((await idleShare(cluster, 2)) > 0.08 && performance.now() - started < timeoutSeconds * 1000);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpu() - before };
}

async function withCluster<T>(replicas: number, url: string, work: (cluster: Cluster) => Promise<T>): Promise<T> {
  const directory = path.join(logs, `${replicas}-replicas`);
  await mkdir(directory, { recursive: true });
  const cluster = await startCluster({
    replicas,
    port: await freeClusterPort(replicas),
    databaseUrl: url,
    redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL,
    demoData: false,
    env: {
      // As bench:reads measures the mixed load: two keys at full speed (no per-key limits), the response cache off.
      INTROGRAPH_RATE_LIMIT: "off",
      INTROGRAPH_RESPONSE_CACHE: "off",
      NODE_ENV: "production",
      INTROGRAPH_METRICS_TOKEN: METRICS_TOKEN,
    },
    output: { kind: "files", directory },
    log: (line) => log(`cluster: ${line}`),
    onUnexpectedExit: (child, exit) =>
      log(`!!! ${child.name} exited during the benchmark (${JSON.stringify(exit)}); see ${child.logFile}`),
  });
  try {
    return await work(cluster);
  } finally {
    await cluster.stop();
  }
}

const ms = (seconds: number, requests: number) => ((1000 * seconds) / Math.max(1, requests)).toFixed(2);

function printTable(runs: Measured[]) {
  const base = runs.find((run) => run.label === "1 replica, balancer") ?? runs[0]!;
  console.log(
    `\nMixed read load at ${scale}× on PostgreSQL through the local cluster (${connections} connections, ${seconds} s per run, response cache off)`,
  );
  console.log(
    "| replicas | target | req/s | p50 / p99 ms | errors | × vs 1 replica | CPU ms per request: API / PostgreSQL / balancer / load generator | ceiling req/s on " +
      `${cores} cores (API + PostgreSQL) | load average |`,
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const run of runs) {
    const { requests, requestsPerSecond } = run.result;
    const servingSeconds = run.cpu.api + run.cpu.postgres;
    const ceiling = cores / (servingSeconds / Math.max(1, requests));
    console.log(
      `| ${run.replicas} | ${run.label.includes("direct") ? "replica directly" : "balancer"} | ${requestsPerSecond.toFixed(1)} | ` +
        `${run.result.p50} / ${run.result.p99} | ${run.result.errors} | ${(requestsPerSecond / base.result.requestsPerSecond).toFixed(2)} | ` +
        `${ms(run.cpu.api, requests)} / ${ms(run.cpu.postgres, requests)} / ${ms(run.cpu.balancer, requests)} / ${ms(run.cpu.loadGenerator, requests)} | ` +
        `${ceiling.toFixed(0)} | ${run.loadAverage} |`,
    );
  }
  console.log("\nRatios and what the CPU figures say");
  const direct = runs.find((run) => run.label === "1 replica, direct");
  if (direct)
    console.log(
      `- 1 replica: through the balancer / directly = ${(base.result.requestsPerSecond / direct.result.requestsPerSecond).toFixed(2)} ` +
        `(p99 ${base.result.p99} vs ${direct.result.p99} ms)`,
    );
  for (const run of runs.filter((run) => run.replicas > 1))
    console.log(
      `- ${run.replicas} replicas / 1 replica = ${(run.result.requestsPerSecond / base.result.requestsPerSecond).toFixed(2)} (ideal ${run.replicas}.00)`,
    );
  for (const run of runs) {
    const share = (cpuSeconds: number) => `${((100 * cpuSeconds) / run.result.seconds).toFixed(0)} % of a core`;
    const busy = run.cpu.api + run.cpu.postgres + run.cpu.balancer + run.cpu.loadGenerator + run.cpu.worker;
    const withBalancer =
      cores / ((run.cpu.api + run.cpu.postgres + run.cpu.balancer) / Math.max(1, run.result.requests));
    console.log(
      `- ${run.label}: API ${share(run.cpu.api)}, PostgreSQL ${share(run.cpu.postgres)}, balancer ${share(run.cpu.balancer)}, ` +
        `load generator ${share(run.cpu.loadGenerator)}, worker ${share(run.cpu.worker)} ` +
        `(together ${(busy / run.result.seconds).toFixed(2)} of ${cores} cores); ` +
        `ceiling with the balancer on the same cores ${withBalancer.toFixed(0)} req/s; ` +
        `a replica uses ${(100 * run.idlePerReplica).toFixed(0)} % of a core when idle` +
        (run.cpu.postgresOthers > 0.05 * run.cpu.postgres
          ? `; other databases' PostgreSQL backends used ${share(run.cpu.postgresOthers)} meanwhile (not counted)`
          : ""),
    );
  }
}

await mkdir(logs, { recursive: true });
// The cluster runs the compiled build, as production does.
const built = buildStalePackages();
if (built.length) log(`compiled ${built.join(", ")}`);
console.log(
  `intrograph replicas benchmark (node ${process.version}, ${availableParallelism()} cores seen, ceiling figured for ${cores}): ` +
    `${scale}×, replicas ${replicaCounts.join(", ")}, ${connections} connections × ${seconds} s; load average ${load()}`,
);
log(`${scale}× PostgreSQL: seeding (or reusing) a database…`);
const template = await seededTemplate(tree, scale, values["fresh-seed"], "reads");
const database = `bench_replicas_run_${String(scale).replace(".", "p")}`;
const url = await databaseFromTemplate(template.name, database);
const runs: Measured[] = [];
try {
  const keys = await createKeys(tree, url);
  const operations = await sdkOperations(repositoryRoot);
  let pools: Pools | null = null;
  await withPostgres(url, async (client) => {
    for (const replicas of replicaCounts)
      await withCluster(replicas, url, async (cluster) => {
        if (!pools) {
          // The work a fresh start leaves (the first MARKOV run) is done once, before the first measurement.
          const settled = await waitUntilSettled(client, SETTLE_TIMEOUT_MS);
          log(`settled in ${settled === null ? "—" : settled.toFixed(1)} s`);
          await client.query("VACUUM ANALYZE");
          pools = await readPools(`${cluster.url}/graphql`, keys);
        }
        const quiet = await waitUntilIdle(cluster);
        log(
          `${replicas} replica(s) idle after ${quiet.seconds.toFixed(0)} s (their graph threads' start-up metrics: ${quiet.cpuSeconds.toFixed(0)} CPU seconds)`,
        );
        // Before any load, whose backlog (requests still queued when the load generator stops) would count as idle.
        const idle = await idleShare(cluster);
        const next = mixedReads(operations, pools, keys, SEED);
        // Warms every replica (round-robin: each its share of the requests, to compile the hot paths) and
        // PostgreSQL's caches.
        await runLoad({ url: `${cluster.url}/graphql`, connections, seconds: warmupSeconds, next });
        if (replicas === 1)
          runs.push(await measure("1 replica, direct", cluster, idle, cluster.replicaUrls[0]!, next, client, database));
        runs.push(
          await measure(
            `${replicas} replica${replicas === 1 ? "" : "s"}, balancer`,
            cluster,
            idle,
            cluster.url,
            next,
            client,
            database,
          ),
        );
      });
  });
  printTable(runs);
} finally {
  if (!values["keep-databases"]) await dropDatabase(database);
}
