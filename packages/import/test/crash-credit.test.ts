// Kills a real importer process at several points of a file of intro chains and checks that the credit it leaves is
// what its committed rows imply: per-outcome credit at once (each batch wrote its own), MARKOV once the job has run —
// for every model the stored rows equal a full rebuild — and that a re-run finishes the import just as consistently.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { startJobRunner } from "@intrograph/jobs/runner";
import { rebuildCredit } from "@intrograph/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSyntheticChains } from "../src/synthetic.ts";
import { storedCredit } from "./helpers.ts";

const PEOPLE = 60;
const CHAINS = 120;
const BATCH = 40;
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Where the importer is killed: after this many committed batches, of `total`. */
const killPoints = [
  { when: "early (the first batch with introductions)", afterBatches: () => 2 },
  { when: "mid-file", afterBatches: (total: number) => Math.floor(total / 2) },
  { when: "right after the last batch commits", afterBatches: (total: number) => total },
];

describe("credit after a killed import", () => {
  let dir: string;
  let file: string;
  let totalBatches: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "intrograph-crash-credit-"));
    file = join(dir, "chains.jsonl");
    totalBatches = Math.ceil((await writeSyntheticChains(file, PEOPLE, CHAINS)) / BATCH);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Runs the CLI; with `killAfterBatches`, SIGKILLs it as soon as its progress shows that many committed batches. */
  function runCli(
    database: TestDatabase,
    checkpoint: string,
    extra: string[],
    killAfterBatches?: number,
  ): Promise<{ code: number | null; signal: string | null; stderr: string }> {
    const child = spawn(
      process.execPath,
      [
        ...["--import", "tsx", "src/cli.ts", "import", "mixed", file, "--source", "chains"],
        ...["--batch-size", String(BATCH), "--progress", "lines", "--checkpoint", checkpoint],
        ...extra,
      ],
      { cwd: packageDir, env: { ...process.env, DATABASE_URL: database.location, INTROGRAPH_CWD: dir } },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const batches = [...stderr.matchAll(/progress batches=(\d+)/g)].map((m) => Number(m[1]));
      if (killAfterBatches !== undefined && Math.max(0, ...batches) >= killAfterBatches) child.kill("SIGKILL");
    });
    return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
  }

  /** Runs the jobs the committed batches queued, then checks every model's stored credit against a full rebuild. */
  async function expectCreditOfCommittedRows(database: TestDatabase) {
    const { prisma } = database;
    const perOutcome = (rows: Awaited<ReturnType<typeof storedCredit>>) => rows.filter((row) => row.model !== "MARKOV");
    const beforeJobs = await storedCredit(prisma);
    const runner = await startJobRunner(database, { followIntervalMs: 100 });
    try {
      await runner.settled(30_000);
    } finally {
      await runner.stop();
    }
    const afterJobs = await storedCredit(prisma);
    await rebuildCredit(prisma);
    const rebuilt = await storedCredit(prisma);
    expect(afterJobs).toEqual(rebuilt);
    // The per-outcome models were right before any job ran: the batches wrote them.
    expect(perOutcome(beforeJobs)).toEqual(perOutcome(rebuilt));
    return rebuilt;
  }

  it.each(killPoints)("killed $when: credit matches the committed rows, and a re-run completes it", async (point) => {
    const database = await createTestDatabase("postgres");
    try {
      const { prisma } = database;
      const checkpoint = join(dir, `checkpoint-${randomUUID()}.json`);
      const killed = await runCli(database, checkpoint, [], point.afterBatches(totalBatches));
      expect(killed.signal, killed.stderr).toBe("SIGKILL");
      expect(await prisma.outcome.count()).toBeGreaterThan(0);
      const credit = await expectCreditOfCommittedRows(database);
      expect(credit.length).toBeGreaterThan(0);

      const rerun = await runCli(database, checkpoint, ["--resume"]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await prisma.outcome.count()).toBe(CHAINS);
      const final = await expectCreditOfCommittedRows(database);
      expect(new Set(final.map((row) => row.outcomeId)).size).toBeGreaterThan(CHAINS / 2);
    } finally {
      await database.drop();
    }
  });
});
