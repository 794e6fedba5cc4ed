// How fast intrograph reads, beside references on the same data. For each size (the demo network × 1, 10) on
// PostgreSQL: the nested read people(20) → relationships(5) → otherPerson → relationships(3) against PostGraphile 5 and
// one raw SQL statement, interleaved in rounds, with ratios; a survey of every SDK query (p50/p95 with realistic
// variables); and the mixed read load (people pages, credit and role, introductions and outcomes, warm paths,
// leaderboard), then the mixed load again with the response cache on (its hit rate and throughput beside the same mix
// uncached). Then the survey and the mixed load on the embedded database (PGlite). Everything but that one run has the
// response cache off.
//
// Usage: pnpm --filter @intrograph/bench run bench:reads [--sizes 1,10] [--pglite-sizes 1] [--seconds 60]
//          [--connections 32] [--nested-seconds 10] [--nested-connections 8] [--rounds 3] [--survey-requests 40]
//          [--no-postgraphile] [--fresh-seed] [--keep-databases]
// Seeded databases are kept as templates (bench_reads_tpl_*) and PGlite directories under bench/.work/reads/ between
// runs; logs go to bench/.work/reads/logs/.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { type GraphQLRequest, type LoadResult, median, percentile, runLoad, timeRequest } from "./reads/load.ts";
import {
  type Keys,
  mixedReads,
  NESTED_READ,
  NESTED_READ_POSTGRAPHILE,
  type Pools,
  readPools,
  sdkOperations,
  seededPick,
  surveyOperations,
} from "./reads/operations.ts";
import { SupervisedApi } from "./reads/supervised-api.ts";
import {
  installPostGraphile,
  POSTGRAPHILE_VERSION,
  type ServerProcess,
  startPostGraphile,
  startRawSql,
} from "./reads/references.ts";
import {
  createKeys,
  currentTree,
  databaseFromTemplate,
  dropDatabase,
  jobPlacement,
  repositoryRoot,
  runCommand,
  seedInputsHash,
  seededTemplate,
  startApi,
  waitUntilSettled,
  withPostgres,
} from "./scale/stack.ts";

const SEED = 42;
const SETTLE_TIMEOUT_MS = 15 * 60_000;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    sizes: { type: "string", default: "1,10" },
    "pglite-sizes": { type: "string", default: "1" },
    seconds: { type: "string", default: "60" },
    connections: { type: "string", default: "32" },
    "nested-seconds": { type: "string", default: "10" },
    "nested-connections": { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
    "survey-requests": { type: "string", default: "40" },
    "no-postgraphile": { type: "boolean", default: false },
    "fresh-seed": { type: "boolean", default: false },
    "keep-databases": { type: "boolean", default: false },
  },
});

const numbers = (text: string, flag: string) =>
  text
    .split(",")
    .filter(Boolean)
    .map((part) => {
      const value = Number(part);
      if (!(value > 0)) throw new Error(`${flag}: "${part}" is not a positive number`);
      return value;
    });
const sizes = numbers(values.sizes, "--sizes");
const pgliteSizes = numbers(values["pglite-sizes"], "--pglite-sizes");
const mixedSeconds = Number(values.seconds);
const mixedConnections = Number(values.connections);
const nestedSeconds = Number(values["nested-seconds"]);
const nestedConnections = Number(values["nested-connections"]);
const rounds = Number(values.rounds);
const surveyRequests = Number(values["survey-requests"]);

const tree = currentTree();
const workDir = path.join(repositoryRoot, "bench", ".work", "reads");
const logs = path.join(workDir, "logs");
const log = (line: string) => console.log(`· ${line}`);
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "—");

/** Targets from the issue "Reads at the speed of one SQL statement". */
const TARGETS = {
  nestedVsPostGraphile: 1.0,
  nestedVsRawSql: 0.5,
  surveyP95Ms: { 1: 50, 10: 150 } as Record<number, number>,
  mixedRequestsPerSecond: 150,
  mixedP99Ms: 500,
  pgliteShare: 1 / 3,
};

interface Summary {
  lines: string[];
}
const summary: Summary = { lines: [] };

// ---------------------------------------------------------------------------------------------------------------
// The nested read, interleaved against the references.

async function nestedRead(api: SupervisedApi, keys: Keys, databaseUrl: string, partnerId: string, scale: number) {
  const servers: { server: { name: string; url: string }; request: GraphQLRequest }[] = [
    {
      // The URL changes if the API has to be started again (see SupervisedApi).
      server: {
        name: "intrograph",
        get url() {
          return `${api.url}/graphql`;
        },
      },
      request: { name: "nested", key: keys.partner, body: JSON.stringify({ query: NESTED_READ }) },
    },
  ];
  const started: ServerProcess[] = [];
  try {
    if (!values["no-postgraphile"]) {
      const node = await installPostGraphile(path.join(workDir, "postgraphile"), log);
      const postgraphile = await startPostGraphile(
        path.join(workDir, "postgraphile"),
        node,
        databaseUrl,
        path.join(logs, `postgraphile-${scale}.log`),
      );
      started.push(postgraphile);
      servers.push({
        server: postgraphile,
        request: { name: "nested", key: "", body: JSON.stringify({ query: NESTED_READ_POSTGRAPHILE }) },
      });
    }
    const raw = await startRawSql(databaseUrl, partnerId, path.join(logs, `raw-sql-${scale}.log`));
    started.push(raw);
    servers.push({ server: raw, request: { name: "nested", key: "", body: "{}" } });

    // Warm every server (JIT, plan caches, pools) before the first measured round.
    for (const { server, request } of servers)
      await runLoad({ url: server.url, connections: nestedConnections, seconds: 3, next: () => request });
    const results = new Map<string, LoadResult[]>(servers.map(({ server }) => [server.name, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const { server, request } of servers) {
        const load = () =>
          runLoad({ url: server.url, connections: nestedConnections, seconds: nestedSeconds, next: () => request });
        const result = server.name === "intrograph" ? await api.run(`nested round ${round}`, load) : await load();
        results.get(server.name)!.push(result);
        log(
          `${scale}× nested round ${round}: ${server.name.padEnd(12)} ${result.requestsPerSecond.toFixed(1)} req/s, ` +
            `p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ""}`,
        );
      }
    }
    console.log(
      `\nNested read at ${scale}× (PostgreSQL, ${nestedConnections} connections, ${rounds} rounds × ${nestedSeconds} s, interleaved; partner key)`,
    );
    console.log("| server | req/s (median) | p50 / p99 ms (median) | errors |");
    console.log("| --- | --- | --- | --- |");
    const medianRps = new Map<string, number>();
    for (const [name, runs] of results) {
      const rps = median(runs.map((run) => run.requestsPerSecond));
      medianRps.set(name, rps);
      const errors = runs.reduce((sum, run) => sum + run.errors, 0);
      console.log(
        `| ${name === "PostGraphile" ? `PostGraphile ${POSTGRAPHILE_VERSION}` : name} | ${rps.toFixed(1)} | ` +
          `${median(runs.map((run) => run.p50))} / ${median(runs.map((run) => run.p99))} | ${errors} |`,
      );
    }
    const ours = medianRps.get("intrograph")!;
    const ratios: string[] = [];
    const postgraphile = medianRps.get("PostGraphile");
    if (postgraphile)
      ratios.push(
        `intrograph/PostGraphile = ${(ours / postgraphile).toFixed(2)} (target ≥ ${TARGETS.nestedVsPostGraphile})`,
      );
    const rawSql = medianRps.get("raw SQL")!;
    ratios.push(`intrograph/raw SQL = ${(ours / rawSql).toFixed(2)} (target ≥ ${TARGETS.nestedVsRawSql}, aim 1.5)`);
    console.log(ratios.join("; "));
    summary.lines.push(`${scale}× nested: ${ours.toFixed(0)} req/s; ${ratios.join("; ")}`);
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The survey of every SDK query, one request at a time.

async function survey(
  label: string,
  api: SupervisedApi,
  keys: Keys,
  pools: Pools,
  operations: Awaited<ReturnType<typeof sdkOperations>>,
  scale: number,
) {
  const { reads, notSurveyed } = surveyOperations(operations, pools, keys);
  const pick = seededPick(SEED);
  const target = TARGETS.surveyP95Ms[scale];
  console.log(
    `\nSDK queries at ${scale}× on ${label}: ${surveyRequests} requests each, one at a time, after 3 to warm up` +
      (target ? `; target p95 < ${target} ms` : ""),
  );
  console.log("| operation | p50 ms | p95 ms | max ms | errors |");
  console.log("| --- | --- | --- | --- | --- |");
  const over: string[] = [];
  let worst = { name: "", p95: 0 };
  for (const operation of reads) {
    const measure = async (apiUrl: string) => {
      for (let warm = 0; warm < 3; warm++) await timeRequest(`${apiUrl}/graphql`, operation.request(pick));
      const times: number[] = [];
      let errors = 0;
      let firstError: string | null = null;
      for (let index = 0; index < surveyRequests; index++) {
        const timed = await timeRequest(`${apiUrl}/graphql`, operation.request(pick));
        times.push(timed.ms);
        if (timed.error) {
          errors += 1;
          firstError ??= timed.error;
        }
      }
      return { times, errors, firstError };
    };
    const { times, errors, firstError } = await api.run(`the survey of ${operation.name}`, measure);
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 0.95);
    if (p95 > worst.p95) worst = { name: operation.name, p95 };
    if (target && p95 >= target) over.push(`${operation.name} ${ms(p95)}`);
    console.log(
      `| ${operation.name} | ${ms(percentile(times, 0.5))} | ${ms(p95)} | ${ms(times.at(-1)!)} | ${errors}${firstError ? ` (${firstError.slice(0, 120)})` : ""} |`,
    );
  }
  console.log(`Not surveyed (writes belong to bench:scale): ${notSurveyed.join(", ")}`);
  summary.lines.push(
    `${scale}× survey on ${label}: ${reads.length} queries, worst p95 ${worst.name} ${ms(worst.p95)} ms` +
      (target ? `; ${over.length ? `over ${target} ms: ${over.join(", ")}` : `all under ${target} ms`}` : ""),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The mixed read load.

async function mixedLoad(
  label: string,
  api: SupervisedApi,
  keys: Keys,
  pools: Pools,
  operations: Awaited<ReturnType<typeof sdkOperations>>,
  scale: number,
): Promise<LoadResult> {
  const next = mixedReads(operations, pools, keys, SEED);
  const result = await api.run(`the mixed load on ${label}`, async (apiUrl) => {
    await runLoad({ url: `${apiUrl}/graphql`, connections: mixedConnections, seconds: 5, next });
    return runLoad({
      url: `${apiUrl}/graphql`,
      connections: mixedConnections,
      seconds: mixedSeconds,
      next,
      timeoutSeconds: 30,
    });
  });
  console.log(
    `\nMixed read load at ${scale}× on ${label} (${mixedConnections} connections, ${mixedSeconds} s): ` +
      `${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
      `errors ${result.errors}${result.firstError ? ` (first: ${result.firstError.slice(0, 200)})` : ""}`,
  );
  summary.lines.push(
    `${scale}× mixed on ${label}: ${result.requestsPerSecond.toFixed(1)} req/s, p99 ${result.p99} ms, errors ${result.errors}`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Runs per database.

async function postgresRun(scale: number, operations: Awaited<ReturnType<typeof sdkOperations>>) {
  log(`${scale}× PostgreSQL: seeding (or reusing) a database…`);
  const template = await seededTemplate(tree, scale, values["fresh-seed"], "reads");
  const database = `bench_reads_run_${String(scale).replace(".", "p")}`;
  const url = await databaseFromTemplate(template.name, database);
  try {
    const keys = await createKeys(tree, url);
    const jobs = await jobPlacement(tree, false);
    // The targets hold with the response cache off; it is measured on its own afterwards.
    const api = await SupervisedApi.start(
      (attempt) =>
        startApi(
          tree,
          url,
          path.join(logs, `api-postgres-${scale}${attempt ? `-restart${attempt}` : ""}.log`),
          jobs,
          undefined,
          {
            INTROGRAPH_RESPONSE_CACHE: "off",
          },
        ),
      log,
    );
    let uncached: LoadResult;
    let pools: Pools;
    try {
      const settled = await withPostgres(url, (client) => waitUntilSettled(client, SETTLE_TIMEOUT_MS));
      log(
        `${scale}× PostgreSQL: API ready in ${api.readySeconds.toFixed(1)} s, settled in ${ms(settled ?? Number.NaN)} s`,
      );
      // Statistics and visibility maps after the API's own start-up work (migrations, credit), as a deployment's
      // autovacuum would keep them (it is off on the benchmark machines): counts read indexes alone then.
      await withPostgres(url, (client) => client.query("VACUUM ANALYZE"));
      pools = await readPools(`${api.url}/graphql`, keys);
      await nestedRead(api, keys, url, keys.partnerId, scale);
      await survey("PostgreSQL", api, keys, pools, operations, scale);
      uncached = await mixedLoad("PostgreSQL", api, keys, pools, operations, scale);
    } finally {
      await api.stop();
    }
    const cachedApi = await SupervisedApi.start(
      (attempt) =>
        startApi(
          tree,
          url,
          path.join(logs, `api-postgres-cached-${scale}${attempt ? `-restart${attempt}` : ""}.log`),
          jobs,
          undefined,
          {
            INTROGRAPH_RESPONSE_CACHE: "on",
          },
        ),
      log,
    );
    try {
      const cached = await mixedLoad("PostgreSQL, response cache on", cachedApi, keys, pools, operations, scale);
      const line =
        `${scale}× mixed with the response cache: hit rate ${((100 * cached.cacheHits) / Math.max(1, cached.requests)).toFixed(1)} %, ` +
        `${cached.requestsPerSecond.toFixed(1)} req/s (p99 ${cached.p99} ms) vs ${uncached.requestsPerSecond.toFixed(1)} req/s ` +
        `(p99 ${uncached.p99} ms) uncached = ${(cached.requestsPerSecond / uncached.requestsPerSecond).toFixed(2)}×`;
      console.log(line);
      summary.lines.push(line);
    } finally {
      await cachedApi.stop();
    }
    return uncached;
  } finally {
    if (!values["keep-databases"]) await dropDatabase(database);
  }
}

/** A PGlite directory seeded by the demo generator at `scale`, kept between runs; a copy of it for each run. */
async function pgliteDirectory(scale: number): Promise<string> {
  const seeded = path.join(workDir, `pglite-${scale}-seeded`);
  const marker = path.join(workDir, `pglite-${scale}-seeded.hash`);
  const hash = await seedInputsHash(tree, scale);
  if (values["fresh-seed"] || (await readFile(marker, "utf8").catch(() => "")) !== hash) {
    log(`${scale}× PGlite: seeding ${path.relative(repositoryRoot, seeded)} (minutes at 10×)…`);
    await rm(seeded, { recursive: true, force: true });
    await runCommand(
      process.execPath,
      [
        path.join(repositoryRoot, ".config", "pnpm.mjs"),
        "--filter",
        "@intrograph/db",
        "seed",
        "--",
        "--scale",
        String(scale),
      ],
      { cwd: repositoryRoot, env: { DATABASE_URL: "", INTROGRAPH_DATA_DIR: seeded } },
    );
    await writeFile(marker, hash);
  }
  const run = path.join(workDir, `pglite-${scale}-run`);
  await rm(run, { recursive: true, force: true });
  await runCommand("cp", ["-a", seeded, run], { cwd: workDir });
  return run;
}

async function pgliteRun(scale: number, operations: Awaited<ReturnType<typeof sdkOperations>>) {
  const dataDir = await pgliteDirectory(scale);
  const keysFile = path.join(workDir, `pglite-${scale}-keys.json`);
  await rm(keysFile, { force: true });
  const jobs = await jobPlacement(tree, false);
  // The demo keys are issued at start (INTROGRAPH_DEMO_DATA on; the seeded data is kept) and written to a file.
  const api = await SupervisedApi.start(
    (attempt) =>
      startApi(
        tree,
        null,
        path.join(logs, `api-pglite-${scale}${attempt ? `-restart${attempt}` : ""}.log`),
        jobs,
        undefined,
        {
          INTROGRAPH_RESPONSE_CACHE: "off",
          INTROGRAPH_DATA_DIR: dataDir,
          INTROGRAPH_DEMO_DATA: "on",
          INTROGRAPH_DEMO_KEYS_FILE: keysFile,
        },
      ),
    log,
  );
  try {
    let demoKeys: { admin: string; partner: string } | null = null;
    for (let attempt = 0; attempt < 120 && !demoKeys?.partner; attempt++) {
      demoKeys = JSON.parse(await readFile(keysFile, "utf8").catch(() => "null"));
      if (!demoKeys?.partner) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (!demoKeys?.partner) throw new Error(`no demo keys in ${keysFile}`);
    const keys: Keys = { admin: demoKeys.admin, partner: demoKeys.partner };
    log(`${scale}× PGlite: API ready in ${api.readySeconds.toFixed(1)} s`);
    const pools = await readPools(`${api.url}/graphql`, keys);
    await survey("PGlite", api, keys, pools, operations, scale);
    return await mixedLoad("PGlite", api, keys, pools, operations, scale);
  } finally {
    await api.stop();
  }
}

await mkdir(logs, { recursive: true });
console.log(
  `intrograph read benchmark (node ${process.version}): PostgreSQL at ${sizes.map((s) => `${s}×`).join(", ")}, ` +
    `PGlite at ${pgliteSizes.map((s) => `${s}×`).join(", ") || "none"}; mixed load ${mixedConnections} connections × ${mixedSeconds} s`,
);
const operations = await sdkOperations(repositoryRoot);
const mixed = new Map<string, LoadResult>();
for (const scale of sizes) mixed.set(`postgres-${scale}`, await postgresRun(scale, operations));
for (const scale of pgliteSizes) mixed.set(`pglite-${scale}`, await pgliteRun(scale, operations));

console.log("\nSummary");
for (const line of summary.lines) console.log(`- ${line}`);
for (const scale of pgliteSizes) {
  const postgres = mixed.get(`postgres-${scale}`);
  const pglite = mixed.get(`pglite-${scale}`);
  if (postgres && pglite)
    console.log(
      `- ${scale}× mixed PGlite/PostgreSQL = ${(pglite.requestsPerSecond / postgres.requestsPerSecond).toFixed(2)} ` +
        `(target ≥ ${TARGETS.pgliteShare.toFixed(2)}); PostgreSQL target ≥ ${TARGETS.mixedRequestsPerSecond} req/s, p99 < ${TARGETS.mixedP99Ms} ms`,
    );
}
