// Kills a real importer process mid-file and checks that only whole batches reached the database and that a re-run
// completes the import without duplicates.
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importStream } from "../src/index.ts";
import { writeSyntheticPeople, writeSyntheticRelationships } from "../src/synthetic.ts";

const PEOPLE = 3_000;
const RELATIONSHIPS = 60_000;
const BATCH = 1_000;
const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("a killed import", () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    dir = await mkdtemp(join(tmpdir(), "intrograph-crash-"));
    await writeSyntheticPeople(join(dir, "people.csv"), PEOPLE);
    await writeSyntheticRelationships(join(dir, "relationships.csv"), PEOPLE, RELATIONSHIPS);
    await importStream(database.prisma, {
      format: "people",
      input: createReadStream(join(dir, "people.csv")),
      source: "crash",
      actor: { kind: "SYSTEM" },
    });
  });
  afterAll(async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the CLI; with `killAfterBatches`, SIGKILLs it once its progress shows that many committed batches. */
  function runCli(
    extra: string[],
    killAfterBatches?: number,
  ): Promise<{ code: number | null; signal: string | null; stderr: string }> {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli.ts",
        "import",
        "relationships",
        join(dir, "relationships.csv"),
        "--source",
        "crash",
        "--batch-size",
        String(BATCH),
        "--concurrency",
        "1",
        "--progress",
        "lines",
        "--checkpoint",
        join(dir, "checkpoint.json"),
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

  async function counts() {
    const [row] = await database.prisma.$queryRawUnsafe<{ relationships: number; pairs: number; sides: number }[]>(
      `SELECT (SELECT count(*) FROM "Relationship")::int AS relationships,
              (SELECT count(DISTINCT ("personAId", "personBId")) FROM "Relationship")::int AS pairs,
              (SELECT count(*) FROM "RelationshipSide")::int AS sides`,
    );
    return row!;
  }

  it("holds only whole batches, and a re-run completes it without duplicates", async () => {
    const killed = await runCli([], 3);
    expect(killed.signal).toBe("SIGKILL");
    const afterKill = await counts();
    expect(afterKill.relationships).toBeGreaterThanOrEqual(3 * BATCH);
    expect(afterKill.relationships).toBeLessThan(RELATIONSHIPS);
    expect(afterKill.relationships % BATCH).toBe(0);
    expect(afterKill.sides).toBe(2 * afterKill.relationships);
    const checkpoint = JSON.parse(await readFile(join(dir, "checkpoint.json"), "utf8")) as {
      batchesCommitted: number;
      complete: boolean;
    };
    expect(checkpoint.complete).toBe(false);
    // The checkpoint is written after the commit, so the database may be one batch ahead of it, never behind.
    expect(checkpoint.batchesCommitted * BATCH).toBeLessThanOrEqual(afterKill.relationships);
    expect(checkpoint.batchesCommitted * BATCH).toBeGreaterThanOrEqual(afterKill.relationships - BATCH);

    const rerun = await runCli(["--resume"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await counts()).toEqual({ relationships: RELATIONSHIPS, pairs: RELATIONSHIPS, sides: 2 * RELATIONSHIPS });

    // Idempotency, not the checkpoint, is what makes re-running safe: a full run from the top changes nothing.
    const full = await importStream(database.prisma, {
      format: "relationships",
      input: createReadStream(join(dir, "relationships.csv")),
      source: "crash",
      actor: { kind: "SYSTEM" },
    });
    expect(full).toMatchObject({
      rowsRead: RELATIONSHIPS,
      created: 0,
      updated: 0,
      skipped: RELATIONSHIPS,
      rejected: 0,
    });
    expect(await counts()).toEqual({ relationships: RELATIONSHIPS, pairs: RELATIONSHIPS, sides: 2 * RELATIONSHIPS });
  });
});
