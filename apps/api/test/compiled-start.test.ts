// The production start: the compiled build (dist/, run with `node --conditions=intrograph-compiled`) against a fresh
// PostgreSQL database with NODE_ENV=production and no TypeScript loader anywhere, threads included; and its graceful
// shutdown on SIGTERM, for the API (a request in flight is answered, an open subscription ends) and for the worker (a
// running job finishes).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Database, openDatabase } from "@intrograph/db";
import { appendEvents } from "@intrograph/db/events";
import { TEST_POSTGRES_URL, withAdminClient } from "@intrograph/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "@intrograph/jobs/runner";
import { issueApiKey } from "../src/modules/access/api-keys.ts";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const COMPILED_CONDITION = "--conditions=intrograph-compiled";

/** An empty database (no migrations: the compiled process applies them from packages/db/prisma/migrations). */
async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `intrograph_production_${randomBytes(4).toString("hex")}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

interface CompiledProcess {
  child: ChildProcess;
  /** Every module URL the process and its threads loaded (NODE_DEBUG=esm). */
  modules: Set<string>;
  output: string[];
  exited: Promise<number | null>;
}

/** Starts a compiled entry point the way the production scripts do, with no NODE_OPTIONS inherited from the tests. */
function startCompiled(entry: string, env: Record<string, string>): CompiledProcess {
  const { NODE_OPTIONS: _inherited, ...parentEnv } = process.env;
  const child = spawn(process.execPath, [COMPILED_CONDITION, entry], {
    cwd: apiDir,
    env: { ...parentEnv, NODE_ENV: "production", NODE_DEBUG: "esm", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const modules = new Set<string>();
  const output: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => output.push(line));
  createInterface({ input: child.stderr! }).on("line", (line) => {
    const loaded = /^ESM \d+: Storing (\S+) /.exec(line);
    if (loaded) modules.add(loaded[1]!);
    else if (!line.startsWith("ESM ") && !line.startsWith(" ") && !line.startsWith("}")) output.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, modules, output, exited };
}

/** Our own modules that ran: all compiled JavaScript from a dist folder, and nothing of tsx. */
function expectNoTypeScriptLoader(modules: Set<string>, ...expected: string[]): void {
  const urls = [...modules];
  expect(urls.filter((url) => url.includes("/tsx/") || url.includes("tsx@"))).toEqual([]);
  const ours = urls.filter((url) => url.startsWith("file:") && !url.includes("/node_modules/"));
  expect(ours.filter((url) => !/\/dist\/.*\.js$/.test(url))).toEqual([]);
  for (const path of expected)
    expect(
      ours.find((url) => url.endsWith(path)),
      path,
    ).toBeDefined();
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Resolves with the exit code, or fails if the process is still running after `timeoutMs`. */
function exitWithin(process: CompiledProcess, timeoutMs: number): Promise<number | null> {
  return Promise.race([
    process.exited,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`still running ${timeoutMs} ms after SIGTERM:\n${process.output.join("\n")}`)),
        timeoutMs,
      ),
    ),
  ]);
}

/** A GraphQL POST whose body arrives in two parts, `pauseMs` apart: in flight while the test does `during`. */
function slowRequest(
  url: string,
  key: string,
  query: string,
  during: () => void,
  pauseMs = 800,
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ query });
  const half = Math.floor(body.length / 2);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${key}`,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.write(body.slice(0, half));
    // The server has the headers (the request is in flight) before the signal; the rest of the body comes after it.
    setTimeout(() => {
      during();
      setTimeout(() => outgoing.end(body.slice(half)), pauseMs);
    }, 300);
  });
}

describe("the API from its compiled build", () => {
  let database: { url: string; drop(): Promise<void> };
  let api: CompiledProcess | undefined;
  let client: Database | undefined;
  const port = 46_000 + Math.floor(Math.random() * 1000);
  const base = `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    database = await createEmptyDatabase();
  }, 240_000);
  afterAll(async () => {
    if (api?.child.exitCode === null) api.child.kill("SIGKILL");
    await client?.close();
    await database?.drop();
  });

  it("serves in production mode without a TypeScript loader, and stops gracefully on SIGTERM", async () => {
    api = startCompiled("dist/main.js", {
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      INTROGRAPH_DEMO_DATA: "off",
    });
    const started = api;
    await waitFor("/readyz", async () => {
      if (started.child.exitCode !== null) throw new Error(`the API exited:\n${started.output.join("\n")}`);
      return (await fetch(`${base}/readyz`)).status === 200 ? true : undefined;
    }).catch((error: unknown) => {
      if (started.child.exitCode !== null) throw new Error(`the API exited:\n${started.output.join("\n")}`);
      throw error;
    });

    client = await openDatabase({ databaseUrl: database.url, maxConnections: 2 });
    const key = await issueApiKey(client.prisma, { name: "production test", scopes: ["admin"] });
    const answer = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key.key}` },
      body: JSON.stringify({ query: "{ apiKeys(first: 5) { edges { node { name } } } }" }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { apiKeys: { edges: [{ node: { name: "production test" } }] } } });
    // The production profile is on: /metrics without its token is refused.
    expect((await fetch(`${base}/metrics`)).status).toBeGreaterThanOrEqual(400);
    expectNoTypeScriptLoader(api.modules, "/apps/api/dist/main.js", "/apps/api/dist/modules/graph/graph.thread.js");

    // An open subscription: the response's headers mean the server holds the stream.
    const subscription = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${key.key}`,
      },
      body: JSON.stringify({ query: "subscription { outcomeChanged { eventId } }" }),
    });
    expect(subscription.status).toBe(200);
    const streamEnded = subscription.text();

    const inFlight = await slowRequest(
      `${base}/graphql`,
      key.key,
      "{ apiKeys(first: 1) { edges { node { name } } } }",
      () => started.child.kill("SIGTERM"),
    );
    expect(inFlight.status).toBe(200);
    expect(JSON.parse(inFlight.body)).toEqual({
      data: { apiKeys: { edges: [{ node: { name: "production test" } }] } },
    });
    await expect(streamEnded).resolves.toContain("event: complete");
    expect(await exitWithin(started, 10_000)).toBe(0);
    expect(started.output).toContain("stopped {}");
    // No new connections once stopping began.
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 120_000);
});

/** One consented introduction leading to an outcome, with the event the write appends: work for a MARKOV job. */
async function recordOutcome(database: Database): Promise<void> {
  const { prisma } = database;
  const [connector, from, to] = await prisma.person.createManyAndReturn({
    data: [{ displayName: "Connector" }, { displayName: "From" }, { displayName: "To" }],
    select: { id: true },
  });
  await prisma.$transaction(async (tx) => {
    const introduction = await tx.introduction.create({
      data: {
        connectorId: connector!.id,
        fromId: from!.id,
        toId: to!.id,
        occurredAt: new Date("2026-01-01"),
        fromConsentedAt: new Date("2026-01-02"),
        toConsentedAt: new Date("2026-01-02"),
      },
    });
    const outcome = await tx.outcome.create({
      data: {
        kind: "DEAL",
        title: "Deal",
        value: "900.00",
        currency: "USD",
        occurredAt: new Date("2026-02-01"),
        introductions: { create: [{ introductionId: introduction.id }] },
      },
    });
    await appendEvents(tx, [{ type: "outcome.created", entityType: "Outcome", entityId: outcome.id }]);
  });
}

describe("the worker from its compiled build", () => {
  let database: { url: string; drop(): Promise<void> };
  let worker: CompiledProcess | undefined;
  let client: Database | undefined;

  beforeAll(async () => {
    database = await createEmptyDatabase();
  }, 240_000);
  afterAll(async () => {
    if (worker?.child.exitCode === null) worker.child.kill("SIGKILL");
    await client?.close();
    await database?.drop();
  });

  it("finishes the running job on SIGTERM, then exits 0", async () => {
    client = await openDatabase({ databaseUrl: database.url, maxConnections: 2 });
    await recordOutcome(client);
    worker = startCompiled("dist/worker-main.js", {
      DATABASE_URL: database.url,
      // The job runs for at least this long, so the signal arrives while it runs.
      INTROGRAPH_TEST_MARKOV_DELAY_MS: "3000",
    });
    const started = worker;
    const prisma = client.prisma;
    const job = await waitFor("the worker to take the MARKOV job", async () => {
      if (started.child.exitCode !== null) throw new Error(`the worker exited:\n${started.output.join("\n")}`);
      const [active] = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id::text AS id FROM pgboss.job WHERE name = ${QUEUES.markovCredit} AND state = 'active'`;
      return active;
    });
    expect(started.output.some((line) => line.includes("worker started: jobs and webhook deliveries"))).toBe(true);
    started.child.kill("SIGTERM");
    expect(await exitWithin(started, 15_000)).toBe(0);
    const [finished] = await prisma.$queryRaw<{ state: string }[]>`
      SELECT state::text AS state FROM pgboss.job WHERE id = ${job.id}::uuid`;
    expect(finished?.state).toBe("completed");
    expect(await prisma.credit.count({ where: { model: "MARKOV" } })).toBeGreaterThan(0);
    expectNoTypeScriptLoader(started.modules, "/apps/api/dist/worker-main.js", "/packages/jobs/dist/markov.thread.js");
  }, 120_000);
});
