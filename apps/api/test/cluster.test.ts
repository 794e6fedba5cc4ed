// `pnpm cluster` end to end, as processes: two replicas, the worker and the balancer on a fresh PostgreSQL database.
// Requests through the balancer reach both replicas, an SSE subscription streams through it (with the write that
// triggers its event served by either replica), a killed replica is skipped, and SIGTERM stops every process.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_POSTGRES_URL, withAdminClient } from "@intrograph/db/testing";
import { freeClusterPort } from "../src/cluster/cluster.ts";
import { subscribe } from "./sse-client.ts";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const REPLICAS = 2;

const INTRODUCTION_CHANGED = `subscription { introductionChanged { eventId type introductionId } }`;
const PEOPLE = `{ people(first: 3) { edges { node { id } } } }`;
const CREATE_INTRO = `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) {
  __typename ... on CreateIntroductionSuccess { introduction { id } } ... on Error { message } } }`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("local cluster", () => {
  const database = `intrograph_cluster_test_${randomBytes(4).toString("hex")}`;
  let directory: string;
  let cluster: ChildProcess;
  let exited: Promise<number | null>;
  let output = "";
  let base: string;
  let keys: { admin: string; partner: string };
  const pids = new Map<string, number>();

  const graphql = (query: string, variables: Record<string, unknown> = {}, url = base) =>
    fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${keys.admin}` },
      body: JSON.stringify({ query, variables }),
    });

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "intrograph-cluster-"));
    const port = await freeClusterPort(REPLICAS);
    base = `http://127.0.0.1:${port}`;
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${database}`;
    cluster = spawn(
      process.execPath,
      ["--import", "tsx", "src/cluster-main.ts", "--replicas", String(REPLICAS), "--port", String(port)],
      {
        cwd: apiDir,
        env: {
          ...process.env,
          DATABASE_URL: url.toString(),
          INTROGRAPH_DEMO_KEYS_FILE: path.join(directory, "keys.json"),
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    exited = new Promise((resolve) => cluster.once("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the cluster did not start:\n${output}`)), 100_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Demo API keys")) {
          clearTimeout(timer);
          resolve();
        }
      };
      cluster.stdout!.on("data", read);
      cluster.stderr!.on("data", read);
      void exited.then((code) => reject(new Error(`the cluster exited (${code}):\n${output}`)));
    });
    for (const match of output.matchAll(/^ {2}(\S+)\s+pid (\d+)/gm)) pids.set(match[1]!, Number(match[2]));
    keys = JSON.parse(await readFile(path.join(directory, "keys.json"), "utf8"));
  });

  afterAll(async () => {
    if (cluster?.exitCode === null) cluster.kill("SIGKILL");
    for (const pid of pids.values()) if (alive(pid)) process.kill(pid, "SIGKILL");
    await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    await rm(directory, { recursive: true, force: true });
  });

  it("starts every replica, the worker's processes and the balancer", () => {
    expect([...pids.keys()].sort()).toEqual(["api-1", "api-2", "balancer", "worker"]);
  });

  it("spreads requests over both replicas", async () => {
    const servedBy = new Set<string>();
    for (let request = 0; request < 6; request++) {
      const response = await graphql(PEOPLE);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
      servedBy.add(response.headers.get("x-served-by") ?? "none");
    }
    expect([...servedBy].sort()).toEqual(["api-1", "api-2"]);
  });

  it("serves GraphiQL and the admin app as a replica does", async () => {
    const graphiql = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain("GraphiQL");
    const direct = await fetch(`http://127.0.0.1:${Number(new URL(base).port) + 1}/admin/`);
    const balanced = await fetch(`${base}/admin/`);
    expect(balanced.status).toBe(direct.status);
    expect(await balanced.text()).toBe(await direct.text());
  });

  it("streams a subscription over SSE while writes go to either replica", async () => {
    const stream = await subscribe(`${base}/graphql`, keys.admin, INTRODUCTION_CHANGED);
    try {
      expect(stream.status).toBe(200);
      const people = (
        (await (await graphql(PEOPLE)).json()) as { data: { people: { edges: { node: { id: string } }[] } } }
      ).data.people.edges.map((edge) => edge.node.id);
      const created: string[] = [];
      for (let write = 0; write < 2; write++) {
        const at = new Date(Date.UTC(2026, 0, 10 + write)).toISOString();
        const response = await graphql(CREATE_INTRO, {
          input: {
            connectorId: people[0],
            fromId: people[1],
            toId: people[2],
            occurredAt: at,
            fromConsentedAt: at,
            toConsentedAt: at,
          },
        });
        const result = (await response.json()) as {
          data: { createIntroduction: { __typename: string; message?: string; introduction: { id: string } } };
        };
        expect(result.data.createIntroduction.__typename, result.data.createIntroduction.message).toBe(
          "CreateIntroductionSuccess",
        );
        created.push(result.data.createIntroduction.introduction.id);
      }
      for (const id of created)
        await stream.waitFor(
          (message) =>
            (message.data.data?.introductionChanged as { introductionId?: string } | undefined)?.introductionId === id,
          30_000,
        );
    } finally {
      stream.close();
    }
  });

  it("skips a replica that was killed, and says so", async () => {
    process.kill(pids.get("api-1")!, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let request = 0; request < 4; request++) {
      const response = await graphql(PEOPLE);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-served-by")).toBe("api-2");
    }
    expect(output).toMatch(/api-1 \(pid \d+\) exited unexpectedly \(killed by SIGKILL\)/);
  });

  it("stops every process on SIGTERM", async () => {
    cluster.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const [name, pid] of pids) expect(alive(pid), name).toBe(false);
  });
});
