// intrograph under growth, on PostgreSQL: for each data size (the demo network × 1, 10, 100) a fresh database seeded by
// the demo generator, the API (and job worker) as child processes, and a fixed-time load of concurrent writers and
// readers, first with 1 writer then with 8. Beside it, on identically seeded data and under the same load, the
// reference: the design before this round's scale work (commit 9ace706: the whole ledger recomputed in every credit
// write, the graph built lazily on the API thread). Then the in-memory graph at 1M people / 10M relationships.
// Prints per operation p50/p95/p99, errors and throughput, /healthz p99, the API's event-loop delay and RSS, lock
// waits, ratios new/reference, growth with size, MARKOV freshness after a burst, and a closing summary line.
//
// Usage: pnpm --filter @intrograph/bench run bench:scale [--sizes 1,10,100] [--seconds 30] [--readers 2]
//          [--writers 1,8] [--no-reference] [--no-graph-1m] [--fresh-seed] [--markov-timeout 180] [--keep-databases]
//          [--worker]   (jobs in a separate `pnpm worker` process, the API started with INTROGRAPH_WORKER=off)
// Seeded databases are kept as templates between runs (bench_scale_tpl_*; re-seeded when the migrations or the
// generator change, or with --fresh-seed); run logs go to bench/.work/scale/.
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type pg from "pg";
import { endBurst, markovFreshness, type PhaseResult, readPools, runPhase, warmUp } from "./scale/load.ts";
import { type FailedRun, type GraphMillion, printReport, type RunResult } from "./scale/report.ts";
import {
  createKeys,
  currentTree,
  databaseFromTemplate,
  dropDatabase,
  referenceTree,
  jobPlacement,
  seededTemplate,
  type ServiceProcess,
  startApi,
  startWorker,
  waitUntilSettled,
  type Tree,
  withPostgres,
  workDir,
} from "./scale/stack.ts";

/** The last commit before this round's scale work. */
const REFERENCE_COMMIT = "9ace706";
/** Above this size the reference is not run: a credit write recomputes the whole ledger, minutes per write at 100×. */
const REFERENCE_MAX_SCALE = 10;
const SEED = 42;
/** Start-up work (credit of a freshly seeded database, the first MARKOV run) gets this long before the load starts. */
const SETTLE_TIMEOUT_MS = 15 * 60_000;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    sizes: { type: "string", default: "1,10" },
    seconds: { type: "string", default: "30" },
    readers: { type: "string", default: "2" },
    writers: { type: "string", default: "1,8" },
    "no-reference": { type: "boolean", default: false },
    "graph-1m": { type: "boolean", default: true },
    "no-graph-1m": { type: "boolean", default: false },
    "fresh-seed": { type: "boolean", default: false },
    "markov-timeout": { type: "string", default: "180" },
    "keep-databases": { type: "boolean", default: false },
    worker: { type: "boolean", default: false },
  },
});

const numbers = (text: string, flag: string) =>
  text.split(",").map((part) => {
    const value = Number(part);
    if (!(value > 0)) throw new Error(`${flag}: "${part}" is not a positive number`);
    return value;
  });
const sizes = numbers(values.sizes, "--sizes");
const writerCounts = numbers(values.writers, "--writers");
const seconds = Number(values.seconds);
const readers = Number(values.readers);
const markovTimeoutMs = Number(values["markov-timeout"]) * 1000;

const log = (line: string) => console.log(`· ${line}`);

/** One design at one size: seed (or reuse), start, warm up, the phases, then MARKOV freshness after the last burst. */
async function benchRun(tree: Tree, scale: number): Promise<RunResult> {
  const prefix = `${scale}× ${tree.name}`;
  log(`${prefix}: seeding (or reusing) a database at scale ${scale}…`);
  const template = await seededTemplate(tree, scale, values["fresh-seed"]);
  const database = `bench_scale_run_${tree.name}_${String(scale).replace(".", "p")}`;
  const url = await databaseFromTemplate(template.name, database);
  const logs = path.join(workDir, "logs");
  await mkdir(logs, { recursive: true });
  try {
    const keys = await createKeys(tree, url);
    const { pools, counts } = await withPostgres(url, async (client) => ({
      pools: await readPools(client, keys.partnerId),
      counts: await tableCounts(client),
    }));
    const jobs = await jobPlacement(tree, values.worker);
    log(`${prefix}: starting the API${jobs === "worker" ? " and the job worker" : ""}…`);
    const api = await startApi(tree, url, path.join(logs, `${tree.name}-${scale}-api.log`), jobs);
    let worker: ServiceProcess | null = null;
    try {
      if (jobs === "worker") worker = startWorker(tree, url, path.join(logs, `${tree.name}-${scale}-worker.log`));
      return await withPostgres(url, async (monitor) => {
        log(`${prefix}: API ready in ${api.readySeconds.toFixed(1)} s; waiting for start-up work to settle`);
        const settledSeconds = await waitUntilSettled(monitor, SETTLE_TIMEOUT_MS);
        const firstReads = await warmUp(api.url, keys, pools);
        const phases: PhaseResult[] = [];
        for (const writers of writerCounts) {
          log(`${prefix}: ${writers} writer(s) + ${readers} readers for ${seconds} s`);
          phases.push(
            await runPhase({ url: api.url, keys, pools, writers, readers, seconds, seed: SEED, monitor, database }),
          );
        }
        // The burst ends with one more introduction, so its last event is one that MARKOV credit must reflect.
        const burstEndError = await endBurst(api.url, keys, pools);
        if (burstEndError)
          log(`${prefix}: the write ending the burst failed (${burstEndError}); timing from the last event`);
        const markov = await markovFreshness(monitor, markovTimeoutMs);
        return {
          tree,
          scale,
          counts,
          seedSeconds: template.seedSeconds,
          readySeconds: api.readySeconds,
          jobs,
          settledSeconds,
          firstReads,
          phases,
          markov,
          burstEndError,
        };
      });
    } finally {
      await Promise.all([api.stop(), worker?.stop()]);
    }
  } finally {
    if (!values["keep-databases"]) await dropDatabase(database);
  }
}

async function tableCounts(client: pg.Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [label, table] of [
    ["people", "Person"],
    ["relationships", "Relationship"],
    ["introductions", "Introduction"],
    ["outcomes", "Outcome"],
  ] as const) {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[label] = rows[0]!.n;
  }
  return counts;
}

/** The 1M-people graph in a child process of its own, so its RSS is the graph's alone. */
function graphMillion(): Promise<GraphMillion> {
  const script = fileURLToPath(new URL("./scale/graph-1m.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = output.trim().split("\n").at(-1) ?? "";
      if (code === 0) resolve(JSON.parse(line) as GraphMillion);
      else reject(new Error(`graph child exited with ${code}: ${output.slice(-2000)}`));
    });
  });
}

console.log(
  `intrograph scale benchmark (node ${process.version}): sizes ${sizes.map((s) => `${s}×`).join(", ")}, ` +
    `${seconds} s per phase, writers ${writerCounts.join("/")}, ${readers} readers`,
);
const runReference = !values["no-reference"];
const reference = runReference ? await referenceTree(REFERENCE_COMMIT, log) : null;
const runs: RunResult[] = [];
const failed: FailedRun[] = [];
const skippedReference: number[] = [];
for (const scale of sizes) {
  const trees = [currentTree()];
  if (reference && scale <= REFERENCE_MAX_SCALE) trees.push(reference);
  else if (reference) skippedReference.push(scale);
  for (const tree of trees) {
    try {
      runs.push(await benchRun(tree, scale));
    } catch (error) {
      const message = (error as Error).message;
      log(`${scale}× ${tree.name} failed: ${message}`);
      failed.push({ tree, scale, error: message.split("\n")[0]! });
    }
  }
}
let graph: GraphMillion | null = null;
if (values["graph-1m"] && !values["no-graph-1m"]) {
  log("building the 1M-people graph in a child process…");
  graph = await graphMillion();
}
printReport(runs, failed, graph, { seconds, readers, writerCounts, skippedReference });
