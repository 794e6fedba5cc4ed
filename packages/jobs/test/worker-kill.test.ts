// Kills a real job-worker process (`pnpm worker`'s entry point) with SIGKILL while it computes MARKOV credit, and checks
// that nothing is lost: the job expires, another runner runs it again, and MARKOV credit ends equal to a full rebuild.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { appendEvents } from "@intrograph/db/events";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { rebuildCredit } from "@intrograph/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES, startJobRunner } from "../src/runner.ts";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
/**
 * A job's expiry is fixed when it is queued (from the queue the killed worker created). Short, so the killed job is
 * retried within the test, yet longer than a MARKOV run, which would otherwise expire (and be retried) while it runs.
 */
const EXPIRE_SECONDS = 10;

/** Chains a → b → c of consented introductions, each leading to an outcome, with the events a write would append. */
async function recordChains(database: TestDatabase, count: number): Promise<void> {
  const { prisma } = database;
  const people = await prisma.person.createManyAndReturn({
    data: Array.from({ length: 6 }, (_, i) => ({ displayName: `Connector ${i}` })),
    select: { id: true },
  });
  const id = (i: number) => people[i % people.length]!.id;
  const consented = { fromConsentedAt: new Date("2026-01-02"), toConsentedAt: new Date("2026-01-02") };
  for (let c = 0; c < count; c++) {
    await prisma.$transaction(async (tx) => {
      const first = await tx.introduction.create({
        data: {
          connectorId: id(c),
          fromId: id(c + 1),
          toId: id(c + 2),
          occurredAt: new Date("2026-01-01"),
          ...consented,
        },
      });
      const second = await tx.introduction.create({
        data: {
          connectorId: id(c + 1),
          fromId: id(c + 2),
          toId: id(c + 3),
          occurredAt: new Date("2026-01-05"),
          ...consented,
        },
      });
      await tx.introductionLink.create({ data: { earlierId: first.id, laterId: second.id } });
      const outcome = await tx.outcome.create({
        data: {
          kind: "DEAL",
          title: `Deal ${c}`,
          value: `${900 + c}.00`,
          currency: "USD",
          occurredAt: new Date("2026-02-01"),
          introductions: { create: [{ introductionId: (c % 2 === 0 ? second : first).id }] },
        },
      });
      await appendEvents(tx, [{ type: "outcome.created", entityType: "Outcome", entityId: outcome.id }]);
    });
  }
}

async function markovRows(database: TestDatabase) {
  const rows = await database.prisma.credit.findMany({
    where: { model: "MARKOV" },
    select: { outcomeId: true, personId: true, share: true, amount: true, explanation: true },
    orderBy: [{ outcomeId: "asc" }, { personId: "asc" }],
  });
  return rows.map((row) => ({ ...row, share: row.share.toString(), amount: row.amount.toString() }));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a job worker killed mid-job", () => {
  let database: TestDatabase;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    if (worker?.exitCode === null) worker.kill("SIGKILL");
    await database?.drop();
  });

  it("loses nothing: the job expires, runs again on another runner, and MARKOV credit equals a rebuild", async () => {
    const { prisma } = database;
    await recordChains(database, 4);
    worker = spawn(process.execPath, ["--import", "tsx", "src/worker-main.ts"], {
      cwd: packageDir,
      env: {
        ...process.env,
        DATABASE_URL: database.location,
        INTROGRAPH_JOB_EXPIRE_SECONDS: String(EXPIRE_SECONDS),
        INTROGRAPH_TEST_MARKOV_DELAY_MS: "120000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      worker!.on("exit", (_code, signal) => resolve(signal)),
    );
    const job = await waitFor("the worker to take the MARKOV job", async () => {
      const [{ ready }] = await prisma.$queryRaw<
        [{ ready: boolean }]
      >`SELECT to_regclass('pgboss.job') IS NOT NULL AS ready`;
      if (!ready) return undefined;
      const [active] = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id::text AS id FROM pgboss.job WHERE name = ${QUEUES.markovCredit} AND state = 'active'`;
      return active;
    });
    worker.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(await prisma.credit.count({ where: { model: "MARKOV" } })).toBe(0);

    // Maintenance every second notices the expiry; the event-log follower, which would queue a fresh job beside the
    // killed one, stays idle, so what runs is the killed job itself.
    const runner = await startJobRunner(database, {
      expireInSeconds: EXPIRE_SECONDS,
      maintenanceIntervalSeconds: 1,
      followIntervalMs: 10 * 60_000,
    });
    try {
      const rerun = await waitFor(
        "the killed job to run again",
        async () => {
          const found = await runner.boss.getJobById(QUEUES.markovCredit, job.id, { includeArchive: true });
          return found?.state === "completed" ? found : undefined;
        },
        45_000,
      );
      expect(rerun.retryCount).toBeGreaterThanOrEqual(1);
    } finally {
      await runner.stop();
    }
    const fromJob = await markovRows(database);
    expect(fromJob.length).toBeGreaterThan(0);
    await rebuildCredit(prisma);
    expect(fromJob).toEqual(await markovRows(database));
  });
});
