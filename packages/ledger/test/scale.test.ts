// The ledger under concurrent writers on PostgreSQL, and its cost as the ledger grows: writes to unrelated outcomes
// never wait on each other's locks, two writes to one outcome serialize, a new outcome does not miss a concurrent
// consent change on its chain, and the rows a write reads do not depend on how many other outcomes there are.
import { type Database, openDatabase, type Prisma } from "@intrograph/db";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeMissingCredit, outcomesDownstreamOf, recomputeCreditForOutcomes } from "../src/ledger.ts";

type Transaction = Prisma.TransactionClient;

const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n));
const consented = (n: number) => ({ fromConsentedAt: day(n), toConsentedAt: day(n) });
const HOLD = { timeout: 60_000, maxWait: 60_000 } as const;

describe("credit ledger under concurrent writers (postgres)", () => {
  let database: TestDatabase;
  /** The same database through a pool wide enough for every writer below at once. */
  let wide: Database;
  let people: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    if (database.connection.kind !== "postgres") throw new Error("expected PostgreSQL");
    wide = await openDatabase({ databaseUrl: database.connection.url, maxConnections: 14 });
    people = (
      await database.prisma.person.createManyAndReturn({
        data: ["Ada", "Ben", "Cy", "Dee"].map((displayName) => ({ displayName })),
        select: { id: true },
      })
    ).map((person) => person.id);
  });
  afterAll(async () => {
    await wide?.close();
    await database?.drop();
  });

  /** An outcome reached by a chain of two introductions (the earlier one consented as asked); committed. */
  async function chainedOutcome(options: { earlierConsented?: boolean } = {}) {
    const [a, b, c, d] = people as [string, string, string, string];
    return database.prisma.$transaction(async (tx) => {
      const earlier = await tx.introduction.create({
        data: {
          connectorId: a,
          fromId: b,
          toId: c,
          occurredAt: day(1),
          ...(options.earlierConsented === false ? {} : consented(1)),
        },
      });
      const later = await tx.introduction.create({
        data: {
          connectorId: b,
          fromId: c,
          toId: d,
          occurredAt: day(2),
          ...consented(2),
          ledFrom: { create: [{ earlierId: earlier.id }] },
        },
      });
      const outcome = await tx.outcome.create({
        data: {
          kind: "DEAL",
          title: "Deal",
          value: "1000.00",
          currency: "USD",
          occurredAt: day(3),
          introductions: { create: [{ introductionId: later.id }] },
        },
      });
      return { earlierId: earlier.id, laterId: later.id, outcomeId: outcome.id };
    });
  }

  /** Runs `work` in a transaction that stays open until the returned `release` is called. */
  function holdOpen(work: (tx: Transaction) => Promise<unknown>) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const ready = new Promise<void>((resolve) => {
      started = resolve;
    });
    const done = wide.prisma.$transaction(async (tx) => {
      await work(tx);
      started();
      await released;
    }, HOLD);
    return { ready, release, done };
  }

  /** Advisory locks some transaction of this database is waiting for. */
  async function waitingAdvisoryLocks(): Promise<number> {
    const [row] = await database.prisma.$queryRaw<[{ waiting: number }]>`
      SELECT count(*)::int AS waiting FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
    return row.waiting;
  }

  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it("8 writes to unrelated outcomes all complete while another outcome's write holds its locks", async () => {
    const held = await chainedOutcome();
    const others = await Promise.all(Array.from({ length: 8 }, () => chainedOutcome()));
    // A new outcome's write, held open after its recompute: its outcome lock and its chain's share locks stay taken.
    const holder = holdOpen((tx) => recomputeCreditForOutcomes(tx, [held.outcomeId], { chainsChanged: true }));
    await holder.ready;
    let waited = 0;
    const writes = Promise.all(
      others.map((other, index) =>
        wide.prisma.$transaction(async (tx) => {
          // Half are new outcomes (chain locks), half consent changes upstream of theirs.
          if (index % 2 === 0) return recomputeCreditForOutcomes(tx, [other.outcomeId], { chainsChanged: true });
          await tx.introduction.update({ where: { id: other.earlierId }, data: consented(1) });
          return recomputeCreditForOutcomes(tx, await outcomesDownstreamOf(tx, [other.earlierId]));
        }, HOLD),
      ),
    );
    const monitor = (async () => {
      for (let sample = 0; sample < 20; sample++) waited = Math.max(waited, await waitingAdvisoryLocks());
    })();
    const results = await writes;
    await monitor;
    expect(results.every((result) => result.outcomes === 1 && result.credits > 0)).toBe(true);
    expect(waited).toBe(0);
    holder.release();
    await holder.done;
  });

  it("two writes to one outcome serialize: the second waits for the first to commit, then reads it", async () => {
    const { earlierId, outcomeId } = await chainedOutcome({ earlierConsented: false });
    // The first write records consent on the outcome's chain and holds its transaction open.
    const first = holdOpen(async (tx) => {
      await tx.introduction.update({ where: { id: earlierId }, data: consented(1) });
      await recomputeCreditForOutcomes(tx, await outcomesDownstreamOf(tx, [earlierId]));
    });
    await first.ready;
    let secondDone = false;
    const second = wide.prisma
      .$transaction((tx) => recomputeCreditForOutcomes(tx, [outcomeId]), HOLD)
      .finally(() => {
        secondDone = true;
      });
    await eventually(async () => (await waitingAdvisoryLocks()) === 1, "the second write waits for the outcome's lock");
    expect(secondDone).toBe(false);
    first.release();
    await first.done;
    // Run after the first committed, the second saw the consent: the chain is complete and credited.
    expect((await second).credits).toBeGreaterThan(0);
    expect(await database.prisma.credit.count({ where: { outcomeId, model: "SHAPLEY" } })).toBe(2);
  });

  it("a new outcome does not miss a consent change committed on its chain while it was being recorded", async () => {
    const { earlierId, laterId } = await chainedOutcome({ earlierConsented: false });
    // The consent change holds its row (and credits the outcomes downstream it can see) but has not committed.
    const consent = holdOpen(async (tx) => {
      await tx.introduction.update({ where: { id: earlierId }, data: consented(1) });
      await recomputeCreditForOutcomes(tx, await outcomesDownstreamOf(tx, [earlierId]));
    });
    await consent.ready;
    // A second outcome on the same chain, invisible to the consent change's writer.
    let recorded = "";
    const record = wide.prisma.$transaction(async (tx) => {
      const outcome = await tx.outcome.create({
        data: {
          kind: "HIRE",
          title: "Hire",
          value: "500.00",
          currency: "EUR",
          occurredAt: day(4),
          introductions: { create: [{ introductionId: laterId }] },
        },
      });
      recorded = outcome.id;
      return recomputeCreditForOutcomes(tx, [outcome.id], { chainsChanged: true });
    }, HOLD);
    await eventually(async () => {
      const [row] = await database.prisma.$queryRaw<[{ waiting: number }]>`
        SELECT count(*)::int AS waiting FROM pg_locks
        WHERE locktype IN ('transactionid', 'tuple') AND NOT granted`;
      return row.waiting > 0;
    }, "the new outcome's write waits for the consent change's row");
    consent.release();
    await consent.done;
    await record;
    // Credited with the consent: the whole chain earns, half each.
    const credit = await database.prisma.credit.findMany({ where: { outcomeId: recorded, model: "SHAPLEY" } });
    expect(credit.map((row) => row.amount.toFixed(2)).sort()).toEqual(["250.00", "250.00"]);
  });

  it("reads no more rows of any table for a ledger of 200 other outcomes than for one of 10", async () => {
    // Rows fetched from every table so far by this connection (this transaction and what it has not reported yet).
    const rowsRead = async (tx: Transaction) => {
      const tables = await tx.$queryRaw<{ table: string; rows: number }[]>`
        SELECT relname AS table, (seq_tup_read + coalesce(idx_tup_fetch, 0))::int AS rows
        FROM pg_stat_xact_user_tables`;
      return new Map(tables.map((row) => [row.table, row.rows]));
    };
    const cost = async () => {
      const { earlierId, outcomeId } = await chainedOutcome();
      return wide.prisma.$transaction(async (tx) => {
        // Index lookups in nested loops, the plans the planner picks on a large ledger (on tables of a few hundred rows
        // it may hash-join a whole table instead, which is cheaper there). A statement that has no such plan, because
        // it must read every row of a table, reads more on the larger ledger below.
        for (const method of ["seqscan", "hashjoin", "mergejoin"])
          await tx.$executeRawUnsafe(`SET LOCAL enable_${method} = off`);
        const before = await rowsRead(tx);
        await tx.introduction.update({ where: { id: earlierId }, data: consented(1) });
        await recomputeCreditForOutcomes(tx, await outcomesDownstreamOf(tx, [earlierId]));
        await recomputeCreditForOutcomes(tx, [outcomeId], { chainsChanged: true });
        const after = await rowsRead(tx);
        return Object.fromEntries([...after].map(([table, rows]) => [table, rows - (before.get(table) ?? 0)]));
      }, HOLD);
    };
    const grow = async (target: number) => {
      while ((await database.prisma.outcome.count()) < target) await chainedOutcome();
      await computeMissingCredit(database.prisma);
      await database.prisma.$executeRawUnsafe("ANALYZE");
    };
    await grow(10);
    const small = await cost();
    await grow(200);
    const large = await cost();
    expect(Object.values(small).reduce((sum, rows) => sum + rows, 0)).toBeGreaterThan(0);
    for (const [table, rows] of Object.entries(large)) expect(rows, table).toBeLessThanOrEqual(small[table] ?? 0);
  });
});
