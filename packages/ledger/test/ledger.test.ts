// The ledger on a real database: after every write, followed by the recompute the API runs for it (and the MARKOV job
// the write queues), the stored credit is exactly what a rebuild from scratch stores, for every model; the bounded
// recompute reads exactly what the whole ledger gives; and every allocation adds up to its outcome's value.
import { CREDIT_MODELS } from "@intrograph/credit";
import { Prisma, type PrismaClient } from "@intrograph/db";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadLedger,
  outcomesDownstreamOf,
  PER_OUTCOME_MODELS,
  perOutcomeCredit,
  rebuildCredit,
  recomputeCreditForOutcomes,
  recomputeMarkovCredit,
} from "../src/ledger.ts";

type Transaction = Prisma.TransactionClient;

const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n));

async function storedCredit(prisma: PrismaClient) {
  const rows = await prisma.credit.findMany({
    select: {
      outcomeId: true,
      personId: true,
      model: true,
      share: true,
      amount: true,
      currency: true,
      explanation: true,
    },
    orderBy: [{ model: "asc" }, { outcomeId: "asc" }, { personId: "asc" }],
  });
  return rows.map((row) => ({ ...row, share: row.share.toFixed(), amount: row.amount.toFixed() }));
}

type StoredCredit = Awaited<ReturnType<typeof storedCredit>>;

const byModelOutcomePerson = (a: StoredCredit[number], b: StoredCredit[number]) =>
  a.model.localeCompare(b.model) || a.outcomeId.localeCompare(b.outcomeId) || a.personId.localeCompare(b.personId);

/**
 * The per-outcome credit of every outcome computed in memory from the whole ledger (what every write recomputed before
 * writes read only their outcomes' chains), as the database stores it: shares to 10 places, JSON explanations.
 */
async function wholeLedgerCredit(prisma: PrismaClient): Promise<StoredCredit> {
  const ledger = await loadLedger(prisma);
  const rows = perOutcomeCredit(ledger, new Set(ledger.outcomes.map((outcome) => outcome.id)));
  return rows
    .map((row) => ({
      outcomeId: row.outcomeId,
      personId: row.personId,
      model: row.model,
      share: new Prisma.Decimal(String(row.share)).toDecimalPlaces(10, Prisma.Decimal.ROUND_HALF_UP).toFixed(),
      amount: new Prisma.Decimal(String(row.amount)).toFixed(),
      currency: row.currency,
      explanation: JSON.parse(JSON.stringify(row.explanation)),
    }))
    .sort(byModelOutcomePerson);
}

/** What the ledger held after one write's recompute, what the whole ledger gives, and what a rebuild stored. */
interface Step {
  write: string;
  incremental: StoredCredit;
  wholeLedger: StoredCredit;
  rebuilt: StoredCredit;
}

describe("credit ledger on PGlite", () => {
  let database: TestDatabase;
  const steps: Step[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    const { prisma } = database;
    const person = async (displayName: string) => (await prisma.person.create({ data: { displayName } })).id;
    const [ada, ben, cy, dee, eve, p1, p2, p3] = await Promise.all(
      ["Ada", "Ben", "Cy", "Dee", "Eve", "P1", "P2", "P3"].map(person),
    );
    const consented = (at: number) => ({ fromConsentedAt: day(at), toConsentedAt: day(at) });
    const introduce = (
      tx: Transaction,
      connectorId: string,
      occurredAt: number,
      options: { ledFrom?: string[]; consented?: boolean } = {},
    ) =>
      tx.introduction.create({
        data: {
          connectorId,
          fromId: p1!,
          toId: p2!,
          occurredAt: day(occurredAt),
          ...(options.consented === false ? {} : consented(occurredAt)),
          ledFrom: { create: (options.ledFrom ?? []).map((earlierId) => ({ earlierId })) },
        },
      });
    const recordOutcome = (tx: Transaction, value: string, currency: string, at: number, introductionIds: string[]) =>
      tx.outcome.create({
        data: {
          kind: "DEAL",
          title: `${value} ${currency}`,
          value,
          currency,
          occurredAt: day(at),
          introductions: { create: introductionIds.map((introductionId) => ({ introductionId })) },
        },
      });

    const ids: Record<string, string> = {};
    /**
     * Runs one write and the recompute the API runs for it (none when `run` returns null), then what the MARKOV job
     * runs, then records the comparison.
     */
    const step = async (write: string, run: (tx: Transaction) => Promise<string[] | null>) => {
      await prisma.$transaction(async (tx) => {
        const affected = await run(tx);
        if (affected !== null) await recomputeCreditForOutcomes(tx, affected);
      });
      await recomputeMarkovCredit(prisma);
      const incremental = await storedCredit(prisma);
      const wholeLedger = await wholeLedgerCredit(prisma);
      await rebuildCredit(prisma);
      steps.push({ write, incremental, wholeLedger, rebuilt: await storedCredit(prisma) });
    };

    // A new introduction is on no outcome's chain yet; only the cross-outcome MARKOV model sees it.
    await step("a root introduction", async (tx) => {
      ids.i1 = (await introduce(tx, ada!, 0)).id;
      return [];
    });
    await step("two introductions that grew out of it, one not consented", async (tx) => {
      ids.i2 = (await introduce(tx, ben!, 5, { ledFrom: [ids.i1!] })).id;
      ids.i3 = (await introduce(tx, cy!, 6, { ledFrom: [ids.i1!], consented: false })).id;
      return [];
    });
    await step("an outcome from both", async (tx) => {
      ids.o1 = (await recordOutcome(tx, "1000.00", "USD", 40, [ids.i2!, ids.i3!])).id;
      return [ids.o1];
    });
    await step("a later introduction out of both", async (tx) => {
      ids.i4 = (await introduce(tx, dee!, 20, { ledFrom: [ids.i2!, ids.i3!] })).id;
      return [];
    });
    await step("an outcome in a zero-decimal currency", async (tx) => {
      ids.o2 = (await recordOutcome(tx, "250000", "JPY", 60, [ids.i4!])).id;
      return [ids.o2];
    });
    await step("consent to the unconsented introduction", async (tx) => {
      await tx.introduction.update({ where: { id: ids.i3! }, data: consented(30) });
      return outcomesDownstreamOf(tx, [ids.i3!]);
    });
    await step("another root introduction", async (tx) => {
      ids.i5 = (await introduce(tx, eve!, 10)).id;
      return [];
    });
    await step("an outcome from two separate chains", async (tx) => {
      ids.o3 = (await recordOutcome(tx, "333.33", "EUR", 50, [ids.i5!, ids.i2!])).id;
      return [ids.o3];
    });
    await step("a journey that led nowhere (yet)", async (tx) => {
      await introduce(tx, ada!, 45, { ledFrom: [ids.i5!] });
      return [];
    });
    // An open dispute changes nothing (credit follows the verdict), so the API does not recompute.
    await step("an open dispute on an introduction", async (tx) => {
      ids.dispute = (
        await tx.creditDispute.create({
          data: { outcomeId: ids.o1!, introductionId: ids.i2!, raisedById: p3!, reason: "not this intro" },
        })
      ).id;
      return null;
    });
    await step("the dispute upheld", async (tx) => {
      await tx.creditDispute.update({ where: { id: ids.dispute! }, data: { status: "UPHELD", resolvedAt: day(70) } });
      return [ids.o1!];
    });
  });
  afterAll(() => database?.drop());

  it.each(CREDIT_MODELS)(
    "%s: the incremental recompute after every write stores exactly what a rebuild stores",
    (model) => {
      for (const { write, incremental, rebuilt } of steps) {
        const ofModel = (rows: StoredCredit) => rows.filter((row) => row.model === model);
        expect(ofModel(incremental), `after ${write}`).toEqual(ofModel(rebuilt));
      }
      // Every outcome ends up credited under the model, so the comparison above was not of empty ledgers.
      const final = steps.at(-1)!.rebuilt.filter((row) => row.model === model);
      expect(new Set(final.map((row) => row.outcomeId)).size).toBe(3);
    },
  );

  it.each(PER_OUTCOME_MODELS)(
    "%s: a write's recompute, reading only its outcomes' chains, stores what the whole ledger gives",
    (model) => {
      for (const { write, incremental, wholeLedger } of steps) {
        const ofModel = (rows: StoredCredit) => rows.filter((row) => row.model === model).sort(byModelOutcomePerson);
        expect(ofModel(incremental), `after ${write}`).toEqual(ofModel(wholeLedger));
      }
    },
  );

  it("allocates every outcome's exact value under every model, in shares that sum to 1", async () => {
    const outcomes = await database.prisma.outcome.findMany({ select: { id: true, value: true, currency: true } });
    const credit = steps.at(-1)!.rebuilt;
    for (const model of CREDIT_MODELS) {
      for (const outcome of outcomes) {
        const rows = credit.filter((row) => row.model === model && row.outcomeId === outcome.id);
        expect(rows.length, `${model} ${outcome.currency}`).toBeGreaterThan(0);
        const amounts = rows.reduce((sum, row) => sum.add(row.amount), new Prisma.Decimal(0));
        expect(amounts.toFixed(), `${model} ${outcome.currency}`).toBe(outcome.value.toFixed());
        // Shares are stored to 10 decimals, so their sum may be off by half a unit in the last place per row.
        const shares = rows.reduce((sum, row) => sum.add(row.share), new Prisma.Decimal(0));
        expect(shares.minus(1).abs().toNumber()).toBeLessThanOrEqual(rows.length * 0.5e-10);
        expect(rows.every((row) => row.currency === outcome.currency)).toBe(true);
      }
    }
  });
});
