// The credit ledger: turns introductions, consent, outcomes and adjudicated disputes into Credit rows (one per
// outcome × connector × model), incrementally after a write and from scratch on demand.
//
// Materialization: every model is stored. The six per-outcome models (SHAPLEY, LINEAR, FIRST_TOUCH, LAST_TOUCH,
// POSITION_BASED, TIME_DECAY) are recomputed only for the outcomes a write affects. MARKOV is cross-outcome — a new or
// changed journey moves every connector's removal effect — so each recompute redoes MARKOV for the whole ledger. Both
// paths read the ledger through the same `loadLedger` and compute with the same functions, so an incremental
// recompute and a rebuild give identical rows; that costs O(introductions) per write, fine at the scale one Postgres
// serves, and the first thing to move to a background job when ledgers grow.
//
// Eligibility: an introduction earns credit when both sides consented and no UPHELD dispute on that outcome names it
// (an upheld dispute without an introduction voids the outcome's credit). An OPEN dispute changes nothing — credit
// follows the verdict, so nobody can zero a connector's credit just by filing a dispute.
import {
  attribute,
  attributeMarkov,
  type Allocation,
  type Chain,
  type CreditModel,
  enumerateChains,
  formatMinorUnits,
  type IntroductionRecord,
  type Outcome as CreditOutcome,
  Rational,
  splitByLargestRemainder,
  toMinorUnits,
} from "@intrograph/credit";
import { Prisma, type PrismaClient } from "@intrograph/db";

type Transaction = Prisma.TransactionClient;

const { Decimal } = Prisma;

/** The per-outcome models, materialized for the affected outcomes only. */
export const PER_OUTCOME_MODELS: readonly CreditModel[] = [
  "SHAPLEY",
  "LINEAR",
  "FIRST_TOUCH",
  "LAST_TOUCH",
  "POSITION_BASED",
  "TIME_DECAY",
];

/** Serialises credit recomputes: the second writer waits, then reads what the first committed. */
const CREDIT_LOCK_ID = 0x1e70_c4ed;

// Currencies whose minor unit is not the cent; everything else splits to 2 decimals.
const ZERO_DECIMAL_CURRENCIES = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF"]);
const THREE_DECIMAL_CURRENCIES = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);
/** Outcome values are stored with 4 decimals; a value finer than its currency's unit splits at the finer unit. */
const MAX_MINOR_UNITS = 4;

export function minorUnitsFor(currency: string, value: string): number {
  const unit = ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : THREE_DECIMAL_CURRENCIES.has(currency) ? 3 : 2;
  return Math.min(MAX_MINOR_UNITS, Math.max(unit, new Decimal(value).decimalPlaces()));
}

interface LedgerOutcome {
  id: string;
  value: string;
  currency: string;
  occurredAt: Date;
  directIntroductionIds: string[];
  /** Introductions excluded by upheld disputes on this outcome; "*" voids every introduction. */
  upheldIntroductionIds: Set<string>;
}

export interface Ledger {
  introductions: IntroductionRecord[];
  outcomes: LedgerOutcome[];
}

type Reader = Transaction | PrismaClient;

/**
 * The rows credit is computed from, live ones only (no deleted introduction, outcome or link to one), in any order.
 * `loadLedger` reads them from the database; the benchmarks take them from the generated demo data.
 */
export interface LedgerRows {
  introductions: readonly {
    id: string;
    connectorId: string;
    occurredAt: Date;
    fromConsentedAt: Date | null;
    toConsentedAt: Date | null;
  }[];
  introductionLinks: readonly { earlierId: string; laterId: string }[];
  outcomes: readonly { id: string; value: string; currency: string; occurredAt: Date }[];
  outcomeIntroductions: readonly { outcomeId: string; introductionId: string }[];
  upheldDisputes: readonly { outcomeId: string; introductionId: string | null }[];
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function appendTo(lists: Map<string, string[]>, key: string, value: string): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/** The ledger of those rows, introductions and outcomes in id order, so the same rows always give the same credit. */
export function ledgerFromRows(rows: LedgerRows): Ledger {
  const ledFrom = new Map<string, string[]>();
  for (const link of rows.introductionLinks) appendTo(ledFrom, link.laterId, link.earlierId);
  const direct = new Map<string, string[]>();
  for (const link of rows.outcomeIntroductions) appendTo(direct, link.outcomeId, link.introductionId);
  const upheld = new Map<string, Set<string>>();
  for (const dispute of rows.upheldDisputes) {
    const set = upheld.get(dispute.outcomeId) ?? new Set<string>();
    set.add(dispute.introductionId ?? "*");
    upheld.set(dispute.outcomeId, set);
  }
  return {
    introductions: [...rows.introductions].sort(byId).map((introduction) => ({
      id: introduction.id,
      connectorId: introduction.connectorId,
      occurredAt: introduction.occurredAt,
      consented: introduction.fromConsentedAt !== null && introduction.toConsentedAt !== null,
      disputed: false,
      ledFrom: ledFrom.get(introduction.id) ?? [],
    })),
    outcomes: [...rows.outcomes].sort(byId).map((outcome) => ({
      id: outcome.id,
      value: outcome.value,
      currency: outcome.currency.trim(),
      occurredAt: outcome.occurredAt,
      directIntroductionIds: (direct.get(outcome.id) ?? []).sort(),
      upheldIntroductionIds: upheld.get(outcome.id) ?? new Set(),
    })),
  };
}

/** Everything credit is computed from: live introductions with their links, live outcomes, upheld disputes. */
export async function loadLedger(db: Reader): Promise<Ledger> {
  const [introductions, outcomes, upheldDisputes] = await Promise.all([
    db.introduction.findMany({
      where: { deletedAt: null },
      select: {
        id: true,
        connectorId: true,
        occurredAt: true,
        fromConsentedAt: true,
        toConsentedAt: true,
        ledFrom: { where: { earlier: { deletedAt: null } }, select: { earlierId: true } },
      },
      orderBy: { id: "asc" },
    }),
    db.outcome.findMany({
      where: { deletedAt: null },
      select: {
        id: true,
        value: true,
        currency: true,
        occurredAt: true,
        introductions: { where: { introduction: { deletedAt: null } }, select: { introductionId: true } },
      },
      orderBy: { id: "asc" },
    }),
    db.creditDispute.findMany({ where: { status: "UPHELD" }, select: { outcomeId: true, introductionId: true } }),
  ]);
  return ledgerFromRows({
    introductions,
    introductionLinks: introductions.flatMap((introduction) =>
      introduction.ledFrom.map((link) => ({ earlierId: link.earlierId, laterId: introduction.id })),
    ),
    outcomes: outcomes.map((outcome) => ({ ...outcome, value: outcome.value.toFixed() })),
    outcomeIntroductions: outcomes.flatMap((outcome) =>
      outcome.introductions.map((link) => ({ outcomeId: outcome.id, introductionId: link.introductionId })),
    ),
    upheldDisputes,
  });
}

function chainsOf(ledger: Ledger, outcome: LedgerOutcome): Chain[] {
  const { chains } = enumerateChains(ledger.introductions, outcome.directIntroductionIds);
  const upheld = outcome.upheldIntroductionIds;
  if (upheld.size === 0) return chains;
  return chains.map((chain) =>
    chain.map((touch) => (upheld.has("*") || upheld.has(touch.introductionId) ? { ...touch, disputed: true } : touch)),
  );
}

function creditOutcome(ledger: Ledger, outcome: LedgerOutcome): CreditOutcome {
  return {
    id: outcome.id,
    value: outcome.value,
    currency: outcome.currency,
    occurredAt: outcome.occurredAt,
    chains: chainsOf(ledger, outcome),
  };
}

/** Journeys that led nowhere (yet): chains ending at an introduction with no later introduction and no outcome. */
function nonConvertingChains(ledger: Ledger): Chain[] {
  const continued = new Set<string>();
  for (const introduction of ledger.introductions) for (const earlier of introduction.ledFrom) continued.add(earlier);
  for (const outcome of ledger.outcomes) for (const id of outcome.directIntroductionIds) continued.add(id);
  const ends = ledger.introductions
    .filter((introduction) => !continued.has(introduction.id))
    .map((introduction) => introduction.id);
  return enumerateChains(ledger.introductions, ends, { maxChains: 100_000 }).chains;
}

function creditRows(allocation: Allocation, minorUnits: number): Prisma.CreditCreateManyInput[] {
  return allocation.credits.map((credit) => ({
    outcomeId: allocation.outcomeId,
    personId: credit.connectorId,
    model: allocation.model,
    share: credit.shareDecimal,
    amount: credit.amount,
    currency: allocation.currency,
    explanation: {
      note: credit.note,
      basis: credit.basis,
      shareExact: credit.shareDecimal,
      // The chains this connector is on, with the verdict on each, so a reader can follow the money.
      chains: allocation.chains.filter((chain) => chain.connectorIds.includes(credit.connectorId)),
      outcome: { value: allocation.value, currency: allocation.currency, minorUnits, summary: allocation.summary },
      ...(allocation.shapley ? { shapley: allocation.shapley } : {}),
    } as unknown as Prisma.InputJsonValue,
  }));
}

/** Credit rows of the per-outcome models for the given outcomes of the ledger. */
export function perOutcomeCredit(ledger: Ledger, outcomeIds: ReadonlySet<string>): Prisma.CreditCreateManyInput[] {
  const rows: Prisma.CreditCreateManyInput[] = [];
  for (const outcome of ledger.outcomes) {
    if (!outcomeIds.has(outcome.id)) continue;
    const input = creditOutcome(ledger, outcome);
    const minorUnits = minorUnitsFor(outcome.currency, outcome.value);
    for (const model of PER_OUTCOME_MODELS)
      rows.push(...creditRows(attribute(input, model, { minorUnits }), minorUnits));
  }
  return rows;
}

/**
 * What MARKOV is estimated from: every outcome with its chains, and every journey that led nowhere (yet), split at the
 * finest unit an outcome value can have (each outcome is split again at its own currency's unit afterwards).
 */
export function markovInput(ledger: Ledger): { outcomes: CreditOutcome[]; nonConverting: Chain[]; minorUnits: number } {
  return {
    outcomes: ledger.outcomes.map((outcome) => creditOutcome(ledger, outcome)),
    nonConverting: nonConvertingChains(ledger),
    minorUnits: MAX_MINOR_UNITS,
  };
}

/** MARKOV credit rows for every outcome of the ledger (the removal effects are estimated from all journeys). */
export function markovCredit(ledger: Ledger): Prisma.CreditCreateManyInput[] {
  if (ledger.outcomes.length === 0) return [];
  // One Markov model over every journey; each outcome is then split at its own currency's unit.
  const input = markovInput(ledger);
  const markov = attributeMarkov(input.outcomes, input.nonConverting, { minorUnits: input.minorUnits });
  return ledger.outcomes.flatMap((outcome, index) => {
    const minorUnits = minorUnitsFor(outcome.currency, outcome.value);
    const allocation = markov.allocations[index]!;
    return creditRows(minorUnits === MAX_MINOR_UNITS ? allocation : resplit(allocation, minorUnits), minorUnits);
  });
}

/**
 * The allocation with its amounts split again at `minorUnits` over the same exact shares, by the package's largest
 * remainder rule (attributeMarkov takes one minorUnits for all outcomes, and we split at the finest one).
 */
function resplit(allocation: Allocation, minorUnits: number): Allocation {
  const units = toMinorUnits(allocation.value, MAX_MINOR_UNITS) / 10n ** BigInt(MAX_MINOR_UNITS - minorUnits);
  const parts = splitByLargestRemainder(
    units,
    allocation.credits.map((credit) => ({
      connectorId: credit.connectorId,
      weight: Rational.fromDecimalString(credit.shareDecimal),
    })),
  );
  return {
    ...allocation,
    value: formatMinorUnits(units, minorUnits),
    minorUnits,
    unallocated: new Decimal(allocation.unallocated).toFixed(minorUnits),
    credits: allocation.credits.map((credit) => ({
      ...credit,
      amount: formatMinorUnits(parts.get(credit.connectorId) ?? 0n, minorUnits),
    })),
  };
}

async function lockCredit(tx: Transaction): Promise<void> {
  await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM pg_advisory_xact_lock(${CREDIT_LOCK_ID})`);
}

/**
 * Recomputes the per-outcome credit of `outcomeIds` and the MARKOV credit of every outcome, inside the caller's
 * transaction, so the ledger never disagrees with the write that changed it. Outcomes that no longer exist (or were
 * deleted) lose their rows.
 */
export async function recomputeCreditForOutcomes(
  tx: Transaction,
  outcomeIds: readonly string[],
): Promise<CreditRecompute> {
  await lockCredit(tx);
  const ledger = await loadLedger(tx);
  const affected = new Set(outcomeIds);
  const rows = [...perOutcomeCredit(ledger, affected), ...markovCredit(ledger)];
  const scope: Prisma.CreditWhereInput = {
    OR: [{ outcomeId: { in: [...affected] }, model: { in: [...PER_OUTCOME_MODELS] } }, { model: "MARKOV" }],
  };
  const before = await tx.credit.findMany({
    where: scope,
    select: { outcomeId: true, personId: true, model: true, amount: true },
  });
  await tx.credit.deleteMany({ where: scope });
  if (rows.length) await tx.credit.createMany({ data: rows });
  return { credits: rows.length, changes: changedOutcomes(before, rows) };
}

export interface CreditRecompute {
  credits: number;
  /** Per outcome whose credit moved: the people whose amount changed (publish after commit). */
  changes: { outcomeId: string; personIds: string[] }[];
}

export function changedOutcomes(
  before: { outcomeId: string; personId: string; model: string; amount: { toFixed(): string } }[],
  after: Prisma.CreditCreateManyInput[],
): CreditRecompute["changes"] {
  const amounts = new Map<string, string>();
  for (const row of before)
    amounts.set(`${row.outcomeId}|${row.personId}|${row.model}`, new Decimal(row.amount.toFixed()).toFixed(4));
  const changed = new Map<string, Set<string>>();
  const mark = (outcomeId: string, personId: string) =>
    changed.set(outcomeId, (changed.get(outcomeId) ?? new Set()).add(personId));
  for (const row of after) {
    const key = `${row.outcomeId}|${row.personId}|${row.model}`;
    if (amounts.get(key) !== new Decimal(String(row.amount)).toFixed(4)) mark(row.outcomeId, row.personId);
    amounts.delete(key);
  }
  for (const key of amounts.keys()) {
    const [outcomeId, personId] = key.split("|");
    mark(outcomeId!, personId!);
  }
  return [...changed]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([outcomeId, people]) => ({ outcomeId, personIds: [...people].sort() }));
}

/** Outcomes whose chains run through any of the introductions (the introductions themselves, or later ones). */
export async function outcomesDownstreamOf(tx: Transaction, introductionIds: readonly string[]): Promise<string[]> {
  if (introductionIds.length === 0) return [];
  // UNION (not UNION ALL) drops rows already seen, so a cycle in bad data still terminates.
  const rows = await tx.$queryRawUnsafe<{ outcomeId: string }[]>(
    `WITH RECURSIVE downstream(id) AS (
       SELECT unnest($1::uuid[])
       UNION
       SELECT link."laterId" FROM "IntroductionLink" link JOIN downstream ON link."earlierId" = downstream.id
     )
     SELECT DISTINCT oi."outcomeId"::text AS "outcomeId"
     FROM "OutcomeIntroduction" oi JOIN downstream ON oi."introductionId" = downstream.id
     ORDER BY 1`,
    introductionIds,
  );
  return rows.map((row) => row.outcomeId);
}

export interface CreditRebuild {
  outcomes: number;
  credits: number;
  durationMs: number;
}

// A rebuild of a large ledger writes many rows; give it room beyond the interactive-transaction default of 5 s.
const REBUILD_TRANSACTION = { timeout: 10 * 60_000, maxWait: 60_000 } as const;

/** Throws the ledger away and computes it again from the data, in one transaction. */
export async function rebuildCredit(prisma: PrismaClient): Promise<CreditRebuild> {
  const started = performance.now();
  return prisma.$transaction(async (tx) => {
    await lockCredit(tx);
    const ledger = await loadLedger(tx);
    const rows = [
      ...perOutcomeCredit(ledger, new Set(ledger.outcomes.map((outcome) => outcome.id))),
      ...markovCredit(ledger),
    ];
    await tx.credit.deleteMany({});
    for (let start = 0; start < rows.length; start += 5_000)
      await tx.credit.createMany({ data: rows.slice(start, start + 5_000) });
    return {
      outcomes: ledger.outcomes.length,
      credits: rows.length,
      durationMs: Math.round(performance.now() - started),
    };
  }, REBUILD_TRANSACTION);
}

/** Which rows an import run wrote: those carrying its source's external ids, for its partner (or public). */
export interface ImportedRows {
  source: string;
  partnerId: string | null;
}

/**
 * Recomputes the credit an import can have changed: the outcomes it wrote and those downstream of the introductions it
 * wrote, in one transaction (what the API's own writes do one at a time).
 */
export async function recomputeCreditAfterImport(
  prisma: PrismaClient,
  imported: ImportedRows,
): Promise<CreditRecompute> {
  const ofThisSource = {
    externalId: { startsWith: `import:${imported.source}:` },
    reportedByPartnerId: imported.partnerId,
    deletedAt: null,
  };
  return prisma.$transaction(
    async (tx) => {
      const [introductions, outcomes] = await Promise.all([
        tx.introduction.findMany({ where: ofThisSource, select: { id: true } }),
        tx.outcome.findMany({ where: ofThisSource, select: { id: true } }),
      ]);
      const downstream = await outcomesDownstreamOf(
        tx,
        introductions.map((introduction) => introduction.id),
      );
      return recomputeCreditForOutcomes(tx, [...new Set([...outcomes.map((outcome) => outcome.id), ...downstream])]);
    },
    { maxWait: 60_000, timeout: 10 * 60_000 },
  );
}
