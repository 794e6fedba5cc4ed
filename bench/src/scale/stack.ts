// What the scale benchmark runs against: a source tree (this checkout, or the reference commit unpacked under
// bench/.work), a PostgreSQL database seeded by that tree's own demo generator, API keys from its keys CLI, and its
// API (plus its job worker, when the tree has one) as child processes.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** The bearer token the benchmark's APIs require on /metrics, new for every run. */
export const METRICS_TOKEN = randomBytes(16).toString("hex");

export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const workDir = path.join(repositoryRoot, "bench", ".work", "scale");
const referenceDir = path.join(repositoryRoot, "bench", ".work", "reference");

/** PostgreSQL as the postgres superuser; the benchmark's databases are created and dropped through it. */
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface Tree {
  name: "new" | "reference";
  root: string;
  /** What it is, for the report: a commit or "working tree". */
  label: string;
}

export function databaseUrl(database: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs a command to completion; rejects with the tail of its output when it fails. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; shell?: boolean },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      shell: options.shell ?? false,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
}

/** The tree's own pinned pnpm (.config/pnpm.mjs), so each tree runs its scripts with its own dependencies. */
function pnpm(tree: Tree, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return runCommand(process.execPath, [path.join(tree.root, ".config", "pnpm.mjs"), ...args], { cwd: tree.root, env });
}

export function currentTree(): Tree {
  return { name: "new", root: repositoryRoot, label: "working tree" };
}

/**
 * The reference commit unpacked into bench/.work/reference with its dependencies installed and its code generated;
 * kept between runs (a marker file names the commit it holds).
 */
export async function referenceTree(commit: string, log: (line: string) => void): Promise<Tree> {
  const marker = path.join(referenceDir, ".bench-reference");
  const tree: Tree = { name: "reference", root: referenceDir, label: commit };
  const held = await readFile(marker, "utf8").catch(() => "");
  if (held.trim() === commit) return tree;
  const started = performance.now();
  log(`building the reference (${commit}) in bench/.work/reference…`);
  await rm(referenceDir, { recursive: true, force: true });
  await mkdir(referenceDir, { recursive: true });
  await runCommand(
    "sh",
    ["-c", `git -C "${repositoryRoot}" archive --format=tar ${commit} | tar -x -C "${referenceDir}"`],
    {
      cwd: repositoryRoot,
    },
  );
  await pnpm(tree, ["install", "--frozen-lockfile"]);
  await pnpm(tree, ["run", "generate"]);
  await writeFile(marker, `${commit}\n`);
  log(`reference ready in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return tree;
}

export async function withPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return withPostgres(POSTGRES_URL, async (client) => {
    const { rows } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return rows.length > 0;
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await withPostgres(POSTGRES_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Files whose change changes what the seed writes: the migrations and the demo generator. */
export async function seedInputsHash(tree: Tree, scale: number): Promise<string> {
  const hash = createHash("sha256").update(`scale ${scale}\n`);
  const files: string[] = [path.join("packages", "db", "scripts", "seed.ts")];
  for (const directory of [
    path.join("packages", "db", "prisma", "migrations"),
    path.join("packages", "db", "src", "seed"),
  ])
    for (const entry of await readdir(path.join(tree.root, directory), { recursive: true, withFileTypes: true }))
      if (entry.isFile()) files.push(path.relative(tree.root, path.join(entry.parentPath, entry.name)));
  for (const file of files.sort()) hash.update(`${file}\n`).update(await readFile(path.join(tree.root, file)));
  return hash.digest("hex").slice(0, 10);
}

const scaleTag = (scale: number) => String(scale).replace(".", "p");

export interface SeededTemplate {
  name: string;
  /** Seconds the seed took, or null when an earlier run's template was reused. */
  seedSeconds: number | null;
}

/**
 * A database seeded by the tree's demo generator at `scale`, kept as a template between runs: seeding 10× takes
 * minutes, and CREATE DATABASE … TEMPLATE copies it in seconds. Its name carries a hash of the migrations and the
 * generator, so a change to either seeds afresh; `fresh` seeds afresh regardless.
 */
export async function seededTemplate(
  tree: Tree,
  scale: number,
  fresh: boolean,
  benchmark = "scale",
): Promise<SeededTemplate> {
  // Per benchmark, so that one benchmark re-seeding for its tree's migrations never drops another's template.
  const prefix = `bench_${benchmark}_tpl_${tree.name}_${scaleTag(scale)}_`;
  const name = `${prefix}${await seedInputsHash(tree, scale)}`;
  if (!fresh && (await databaseExists(name))) return { name, seedSeconds: null };
  await withPostgres(POSTGRES_URL, async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `${prefix}%`,
    ]);
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  });
  // Seeded under another name and renamed when complete, so a failed seed never passes for a template.
  const loading = `${name}_loading`;
  await dropDatabase(loading);
  await withPostgres(POSTGRES_URL, (client) => client.query(`CREATE DATABASE "${loading}"`));
  const started = performance.now();
  await pnpm(tree, ["--filter", "@intrograph/db", "seed", "--", "--scale", String(scale), "--force"], {
    DATABASE_URL: databaseUrl(loading),
    // The generator holds every row in memory (~1.2 GB of RSS at 10×): larger sizes need more than V8's default heap.
    ...(scale > 10 ? { NODE_OPTIONS: `--max-old-space-size=${Math.min(16_384, 1_024 * Math.ceil(scale / 5))}` } : {}),
  });
  const seedSeconds = (performance.now() - started) / 1000;
  await withPostgres(POSTGRES_URL, (client) => client.query(`ALTER DATABASE "${loading}" RENAME TO "${name}"`));
  return { name, seedSeconds };
}

/** A fresh copy of the template, analyzed, so every run starts from the same rows and planner statistics. */
export async function databaseFromTemplate(template: string, name: string): Promise<string> {
  await dropDatabase(name);
  await withPostgres(POSTGRES_URL, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = databaseUrl(name);
  await withPostgres(url, (client) => client.query("ANALYZE"));
  return url;
}

export interface Keys {
  admin: string;
  partner: string;
  partnerId: string;
  partnerSlug: string;
}

function keyFrom(output: string): string {
  const key = output
    .split("\n")
    .map((line) => line.trim())
    .find((line) => /^ig_\S+$/.test(line));
  if (!key) throw new Error(`no key in the keys CLI output:\n${output}`);
  return key;
}

/** An admin key and a key of the first demo partner, through the tree's `pnpm keys create`. */
export async function createKeys(tree: Tree, url: string): Promise<Keys> {
  const partner = await withPostgres(url, async (client) => {
    const { rows } = await client.query<{ id: string; slug: string }>(
      `SELECT id::text AS id, slug FROM "Partner" WHERE "deletedAt" IS NULL ORDER BY slug LIMIT 1`,
    );
    return rows[0];
  });
  if (!partner) throw new Error("the seeded database has no partner");
  const env = { DATABASE_URL: url };
  const [admin, partnerKey] = await Promise.all([
    pnpm(tree, ["keys", "create", "--admin", "--name", "bench admin"], env),
    pnpm(tree, ["keys", "create", "--partner", partner.slug, "--name", "bench partner"], env),
  ]);
  return { admin: keyFrom(admin), partner: keyFrom(partnerKey), partnerId: partner.id, partnerSlug: partner.slug };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface ServiceProcess {
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Starts a long-running pnpm script of the tree in its own process group (pnpm → sh → node), output to a log file. */
export function startService(tree: Tree, args: string[], env: NodeJS.ProcessEnv, logFile: string) {
  const fd = openSync(logFile, "w");
  const child: ChildProcess = spawn(process.execPath, [path.join(tree.root, ".config", "pnpm.mjs"), ...args], {
    cwd: tree.root,
    env: { ...process.env, ...env },
    stdio: ["ignore", fd, fd],
    detached: true,
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const pid = child.pid!;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone already.
    }
  };
  const stop = async () => {
    signal("SIGTERM");
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 15_000).unref());
    if ((await Promise.race([exited, timeout])) === "timeout") signal("SIGKILL");
    // Grandchildren may outlive pnpm for a moment; the group is signalled again so none is left behind.
    signal("SIGKILL");
  };
  return { pid, logFile, exited, stop };
}

export interface ApiProcess extends ServiceProcess {
  url: string;
  /** Seconds from spawn to the first successful /readyz (includes the credit computed at start-up). */
  readySeconds: number;
}

/**
 * The tree's API on PostgreSQL at `url`, or on the embedded database when `url` is null (then `env` names its data
 * directory: INTROGRAPH_DATA_DIR); `env` adds to or overrides the environment below.
 */
export async function startApi(
  tree: Tree,
  url: string | null,
  logFile: string,
  jobs: JobPlacement,
  timeoutMs = 20 * 60_000,
  env: NodeJS.ProcessEnv = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const started = performance.now();
  const service = startService(
    tree,
    ["--filter", "@intrograph/api", "run", "serve"],
    {
      // Empty, not absent: an inherited DATABASE_URL must not turn an embedded run into a PostgreSQL one.
      DATABASE_URL: url ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      INTROGRAPH_DEMO_DATA: "off",
      // The load comes from two keys at full speed: per-key limits would measure the limiter.
      INTROGRAPH_RATE_LIMIT: "off",
      NODE_ENV: "production",
      // Production serves /metrics only with its token (the reference ignores it and serves it openly).
      INTROGRAPH_METRICS_TOKEN: METRICS_TOKEN,
      ...(jobs === "worker" ? { INTROGRAPH_WORKER: "off" } : {}),
      ...env,
    },
    logFile,
  );
  const base = `http://127.0.0.1:${port}`;
  let exitCode: number | null | undefined;
  void service.exited.then((code) => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the API exited (${exitCode}) before it was ready; see ${logFile}`);
    if (performance.now() - started > timeoutMs) {
      await service.stop();
      throw new Error(`the API was not ready after ${timeoutMs / 1000} s; see ${logFile}`);
    }
    const ready = await fetch(`${base}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { ...service, url: base, readySeconds: (performance.now() - started) / 1000 };
}

/**
 * Where the tree's background jobs (MARKOV credit) run: in the API process when the API depends on @intrograph/jobs
 * (it starts the runner itself), in a separate `pnpm worker` process when asked for or when only that exists, or
 * nowhere (the reference computes everything inside the writes).
 */
export type JobPlacement = "api" | "worker" | "none";

export async function jobPlacement(tree: Tree, separateWorker: boolean): Promise<JobPlacement> {
  const manifest = async (file: string) =>
    JSON.parse(await readFile(path.join(tree.root, file), "utf8").catch(() => "{}")) as {
      scripts?: Record<string, string>;
      dependencies?: Record<string, string>;
    };
  const hasWorker = Boolean((await manifest("packages/jobs/package.json")).scripts?.worker);
  const apiRunsJobs = Boolean((await manifest("apps/api/package.json")).dependencies?.["@intrograph/jobs"]);
  if (hasWorker && (separateWorker || !apiRunsJobs)) return "worker";
  return apiRunsJobs ? "api" : "none";
}

/** The tree's background job worker (`pnpm --filter @intrograph/jobs run worker`). */
export function startWorker(tree: Tree, url: string, logFile: string): ServiceProcess {
  return startService(tree, ["--filter", "@intrograph/jobs", "run", "worker"], { DATABASE_URL: url }, logFile);
}

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  const { rows } = await client.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [table]);
  return rows[0]?.found != null;
}

/**
 * Waits until the work a fresh start leaves behind is done, so the first phase does not pay for it: every outcome's
 * credit computed (OutcomeCreditRun, where the API computes missing credit in the background), a first MARKOV run
 * (CreditModelRun) and no job queued or running (pg-boss). Conditions whose tables the tree lacks are skipped.
 * Returns the seconds waited, or null if it did not settle in time.
 */
export async function waitUntilSettled(client: pg.Client, timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  const checks: string[] = [];
  if (await tableExists(client, '"OutcomeCreditRun"'))
    checks.push(`NOT EXISTS (SELECT 1 FROM "Outcome" o
      WHERE NOT EXISTS (SELECT 1 FROM "OutcomeCreditRun" r WHERE r."outcomeId" = o.id))`);
  if (await tableExists(client, '"CreditModelRun"'))
    checks.push(`(EXISTS (SELECT 1 FROM "CreditModelRun" WHERE model = 'MARKOV')
      OR NOT EXISTS (SELECT 1 FROM "Outcome" WHERE "deletedAt" IS NULL))`);
  if (await tableExists(client, "pgboss.job"))
    checks.push(`NOT EXISTS (SELECT 1 FROM pgboss.job WHERE state::text IN ('created', 'retry', 'active'))`);
  if (checks.length === 0) return 0;
  for (;;) {
    const { rows } = await client.query<{ settled: boolean }>(`SELECT ${checks.join(" AND ")} AS settled`);
    const seconds = (performance.now() - started) / 1000;
    if (rows[0]?.settled) return seconds;
    if (seconds * 1000 > timeoutMs) return null;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
