// The job runner on both databases: a write's event queues MARKOV credit, which lands with the position it reflects.
import { appendEvents } from "@intrograph/db/events";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@intrograph/db/testing";
import { rebuildCredit } from "@intrograph/ledger";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JobRunner, startJobRunner } from "../src/runner.ts";

async function recordChain(database: TestDatabase) {
  const { prisma } = database;
  const people = await prisma.person.createManyAndReturn({
    data: ["Ada", "Bo", "Cy", "Di"].map((displayName) => ({ displayName })),
    select: { id: true },
  });
  const [a, b, c, d] = people.map((person) => person.id) as [string, string, string, string];
  const consented = { fromConsentedAt: new Date("2026-01-02"), toConsentedAt: new Date("2026-01-02") };
  return prisma.$transaction(async (tx) => {
    const first = await tx.introduction.create({
      data: { connectorId: a, fromId: b, toId: c, occurredAt: new Date("2026-01-01"), ...consented },
    });
    const second = await tx.introduction.create({
      data: { connectorId: b, fromId: c, toId: d, occurredAt: new Date("2026-01-05"), ...consented },
    });
    await tx.introductionLink.create({ data: { earlierId: first.id, laterId: second.id } });
    const outcome = await tx.outcome.create({
      data: {
        kind: "DEAL",
        title: "Series A",
        value: "900.00",
        currency: "USD",
        occurredAt: new Date("2026-02-01"),
        introductions: { create: [{ introductionId: second.id }] },
      },
    });
    await appendEvents(tx, [{ type: "outcome.created", entityType: "Outcome", entityId: outcome.id }]);
    return outcome;
  });
}

describe.each(databaseKinds)("job runner on %s", (kind) => {
  let database: TestDatabase;
  let runner: JobRunner;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    runner = await startJobRunner(database, { followIntervalMs: 100 });
  });
  afterAll(async () => {
    await runner?.stop();
    await database?.drop();
  });

  it("computes MARKOV credit after a write, off the write's transaction, and records what it reflects", async () => {
    const outcome = await recordChain(database);
    await runner.settled();
    const markov = await database.prisma.credit.findMany({
      where: { outcomeId: outcome.id, model: "MARKOV" },
      orderBy: { personId: "asc" },
    });
    expect(markov.length).toBeGreaterThan(0);
    const total = markov.reduce((sum, row) => sum + Number(row.amount), 0);
    expect(total).toBeCloseTo(900, 6);
    const run = await database.prisma.creditModelRun.findUniqueOrThrow({ where: { model: "MARKOV" } });
    const last = await database.prisma.domainEvent.findFirstOrThrow({
      where: { type: "outcome.created" },
      orderBy: { id: "desc" },
    });
    expect(run.throughEventId >= last.id).toBe(true);
    expect(await database.prisma.domainEvent.count({ where: { type: "credit.changed" } })).toBe(1);

    // The job's rows are what a full rebuild computes.
    const fromJob = markov.map((row) => [row.personId, row.amount.toString()]);
    await rebuildCredit(database.prisma);
    const rebuilt = await database.prisma.credit.findMany({
      where: { outcomeId: outcome.id, model: "MARKOV" },
      orderBy: { personId: "asc" },
    });
    expect(rebuilt.map((row) => [row.personId, row.amount.toString()])).toEqual(fromJob);
    const stats = await runner.queueStats();
    expect(stats.find((queue) => queue.name === "credit-markov")).toMatchObject({ queued: 0, active: 0, failed: 0 });
  });

  it.runIf(kind === "postgres")("settles while a long transaction elsewhere on the server stays open", async () => {
    // An open transaction with an id holds back every snapshot's xmin on the server; the MARKOV run that read every
    // committed write must not look stale (and re-run) until it ends.
    if (database.connection.kind !== "postgres") return;
    const other = new pg.Client({ connectionString: database.connection.url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT pg_current_xact_id()");
      const outcome = await recordChain(database);
      await runner.settled(30_000);
      expect(await database.prisma.credit.count({ where: { outcomeId: outcome.id, model: "MARKOV" } })).toBeGreaterThan(
        0,
      );
      const run = await database.prisma.creditModelRun.findUniqueOrThrow({ where: { model: "MARKOV" } });
      expect(run.throughSnapshot).toMatch(/^\d+:\d+:/);
    } finally {
      await other.query("ROLLBACK");
      await other.end();
    }
  });
});

describe("job runners starting side by side (postgres)", () => {
  let database: TestDatabase;
  const runners: JobRunner[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await database?.drop();
  });

  // Replicas and workers of a new deployment start at once, each finding the queue missing.
  it("all start on a fresh database (none dies of a deadlock creating the queue)", async () => {
    runners.push(...(await Promise.all(Array.from({ length: 6 }, () => startJobRunner(database, { work: false })))));
    const queues = await database.prisma.$queryRaw<{ name: string }[]>`SELECT name FROM pgboss.queue`;
    expect(queues.map((queue) => queue.name)).toContain("credit-markov");
  });
});
