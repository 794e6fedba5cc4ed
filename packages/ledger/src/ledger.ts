// The credit ledger: turns introductions, consent, outcomes and adjudicated disputes into Credit rows (one per
// outcome × connector × model), incrementally after a write and from scratch on demand.
//
// Materialization: every model is stored. The six per-outcome models (SHAPLEY, LINEAR, FIRST_TOUCH, LAST_TOUCH,
// POSITION_BASED, TIME_DECAY) are recomputed inside the write's transaction for the outcomes it affects, reading only
// those outcomes' chains — a write costs the same on a ledger of ten outcomes or a million. MARKOV is cross-outcome (a
// new journey moves every connector's removal effect), so `recomputeMarkovCredit` computes it over the whole ledger in a
// background job (@intrograph/jobs queues it and runs the model in a worker thread); each outcome's credit says which
// write, or which MARKOV run, it reflects.
//
// Eligibility: an introduction earns credit when both sides consented and no UPHELD dispute on that outcome names it
// (an upheld dispute without an introduction voids the outcome's credit). An OPEN dispute changes nothing — credit
// follows the verdict, so nobody can zero a connector's credit just by filing a dispute.
//
// Concurrency: a recompute holds a transaction advisory lock per outcome, so two writes to one outcome serialize and
// writes to unrelated outcomes never wait on each other. A write that changes an introduction updates its row first
// (a row lock), then credits every outcome downstream that it can see; a write that links an outcome to chains (a new
// outcome) share-locks the chains' introductions first, so it either waits for such a change and reads it,
// or commits before the change's writer looks downstream and finds it.
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
import { appendEvents, comparePositions, currentSnapshot, type EventPosition, logHead } from "@intrograph/db/events";
import { code as currencyCode } from "currency-codes";
import { appendCreditHistory, type CreditCause, type CreditMove, creditMoves, lockedOutcomeIds } from "./history.ts";

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

/** Key space of the per-outcome advisory locks (the first of the two-int keys; the second is hashtext(outcome id)). */
const OUTCOME_LOCK_SPACE = 0x1e70_c4ed;

/** Outcome values are stored with 4 decimals; a value finer than its currency's unit splits at the finer unit. */
const MAX_MINOR_UNITS = 4;

/**
 * The decimals of an ISO 4217 currency's minor unit (USD 2, JPY 0, BHD 3), from the currency-codes package's copy of
 * the ISO list; undefined for a code that is no currency: unknown, or one of the list's special codes (gold, SDR,
 * testing, "no currency"), which it files under pseudo-countries named "Zz…".
 */
export function currencyMinorUnits(currency: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  const record = currencyCode(currency);
  if (!record || record.countries.every((country) => country.startsWith("Zz"))) return undefined;
  return record.digits;
}

export function minorUnitsFor(currency: string, value: string): number {
  // Rows written before currencies were checked may hold any code: they split to the cent.
  const unit = currencyMinorUnits(currency) ?? 2;
  return Math.min(MAX_MINOR_UNITS, Math.max(unit, new Decimal(value).decimalPlaces()));
}

interface LedgerOutcome {
  id: string;
  value: string;
  currency: string;
  occurredAt: Date;
  /** The partner that reported it privately, or null for a public outcome. */
  reportedByPartnerId: string | null;
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
  outcomes: readonly {
    id: string;
    value: string;
    currency: string;
    occurredAt: Date;
    reportedByPartnerId?: string | null;
  }[];
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
      reportedByPartnerId: outcome.reportedByPartnerId ?? null,
      directIntroductionIds: (direct.get(outcome.id) ?? []).sort(),
      upheldIntroductionIds: upheld.get(outcome.id) ?? new Set(),
    })),
  };
}

/** What the ledger reads of an outcome: its money, its time, who reported it and its live direct introductions. */
const OUTCOME_SELECT = {
  id: true,
  value: true,
  currency: true,
  occurredAt: true,
  reportedByPartnerId: true,
  introductions: { where: { introduction: { deletedAt: null } }, select: { introductionId: true } },
} satisfies Prisma.OutcomeSelect;

/** Everything credit is computed from: live introductions with their links, live outcomes, upheld disputes (MARKOV). */
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
      select: OUTCOME_SELECT,
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

/**
 * The ids of the live introductions on the chains into `outcomeIds`: their direct introductions and every ancestor
 * through ledFrom links (live rows only, as loadLedger reads them). UNION drops rows already seen, so a cycle in bad
 * data terminates. Callers match it as `id = ANY(ARRAY(…))`: the planner then looks each id up in the primary key,
 * where `IN (…)` lets it misjudge the recursion's size and hash-join a scan of the whole table.
 */
const chainIntroductionIds = (outcomeIds: readonly string[]) => Prisma.sql`
  WITH RECURSIVE chain(id) AS (
    SELECT oi."introductionId"
    FROM "OutcomeIntroduction" oi
    JOIN "Introduction" direct ON direct.id = oi."introductionId" AND direct."deletedAt" IS NULL
    WHERE oi."outcomeId" = ANY(${outcomeIds}::uuid[])
    UNION
    SELECT link."earlierId"
    FROM chain
    JOIN "IntroductionLink" link ON link."laterId" = chain.id
    JOIN "Introduction" earlier ON earlier.id = link."earlierId" AND earlier."deletedAt" IS NULL
  )
  SELECT id FROM chain`;

interface ChainIntroductionRow {
  id: string;
  connectorId: string;
  occurredAt: Date;
  fromConsentedAt: Date | null;
  toConsentedAt: Date | null;
  ledFrom: string[];
}

/**
 * What the per-outcome models need for `outcomeIds`, and nothing else: the live outcomes, the introductions on their
 * chains with the links between them, and their upheld disputes. Three statements, whatever the ledger's size.
 */
export async function loadOutcomeLedger(db: Reader, outcomeIds: readonly string[]): Promise<Ledger> {
  const outcomes = await db.outcome.findMany({
    where: { id: { in: [...outcomeIds] }, deletedAt: null },
    select: OUTCOME_SELECT,
  });
  if (outcomes.length === 0) return { introductions: [], outcomes: [] };
  const live = outcomes.map((outcome) => outcome.id);
  const introductions = await db.$queryRaw<ChainIntroductionRow[]>`
    SELECT i.id::text AS id, i."connectorId"::text AS "connectorId", i."occurredAt", i."fromConsentedAt",
      i."toConsentedAt",
      ARRAY(
        SELECT link."earlierId"::text
        FROM "IntroductionLink" link
        JOIN "Introduction" earlier ON earlier.id = link."earlierId" AND earlier."deletedAt" IS NULL
        WHERE link."laterId" = i.id
      ) AS "ledFrom"
    FROM "Introduction" i
    WHERE i.id = ANY(ARRAY(${chainIntroductionIds(live)}))`;
  const upheldDisputes = await db.creditDispute.findMany({
    where: { outcomeId: { in: live }, status: "UPHELD" },
    select: { outcomeId: true, introductionId: true },
  });
  return ledgerFromRows({
    introductions,
    introductionLinks: introductions.flatMap((introduction) =>
      introduction.ledFrom.map((earlierId) => ({ earlierId, laterId: introduction.id })),
    ),
    outcomes: outcomes.map((outcome) => ({ ...outcome, value: outcome.value.toFixed() })),
    outcomeIntroductions: outcomes.flatMap((outcome) =>
      outcome.introductions.map((link) => ({ outcomeId: outcome.id, introductionId: link.introductionId })),
    ),
    upheldDisputes,
  });
}

/** The ledger's introductions by id, built once per ledger: per outcome it made MARKOV quadratic in the ledger. */
const introductionIndexes = new WeakMap<Ledger, ReadonlyMap<string, IntroductionRecord>>();
function introductionIndex(ledger: Ledger): ReadonlyMap<string, IntroductionRecord> {
  let index = introductionIndexes.get(ledger);
  if (!index) {
    index = new Map(ledger.introductions.map((introduction) => [introduction.id, introduction]));
    introductionIndexes.set(ledger, index);
  }
  return index;
}

function chainsOf(ledger: Ledger, outcome: LedgerOutcome): Chain[] {
  const { chains } = enumerateChains(introductionIndex(ledger), outcome.directIntroductionIds);
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
  return enumerateChains(introductionIndex(ledger), ends, { maxChains: 100_000 }).chains;
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

/** A raw-SQL timestamp as Prisma stores DateTime (UTC in a column without time zone), whatever the session's zone. */
const utc = (at: Date) => Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/** Rows per INSERT: each row's explanation is a kilobyte or two of JSON. */
const INSERT_CHUNK = 2_000;

/**
 * Inserts credit rows as one JSON parameter per chunk, which PostgreSQL unpacks (jsonb_to_recordset): several times
 * faster than createMany's bound parameters for rows this wide. Ids are random: an allocation's id is not stable anyway.
 */
async function insertCredit(
  tx: Transaction,
  rows: readonly Prisma.CreditCreateManyInput[],
  computedAt: Date,
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = JSON.stringify(rows.slice(start, start + INSERT_CHUNK));
    await tx.$executeRaw`
      INSERT INTO "Credit" (id, "outcomeId", "personId", model, share, amount, currency, explanation, "computedAt")
      SELECT gen_random_uuid(), row."outcomeId", row."personId", row.model, row.share, row.amount, row.currency,
        row.explanation, ${utc(computedAt)}
      FROM jsonb_to_recordset(${chunk}::jsonb) AS row(
        "outcomeId" uuid, "personId" uuid, model "CreditModel", share numeric, amount numeric, currency text,
        explanation jsonb
      )`;
  }
}

/**
 * Transaction advisory locks on the outcomes, in key order so two writers never wait on each other in a cycle. Held to
 * commit: a second write to one of these outcomes waits, then reads what this one committed.
 */
async function lockOutcomes(tx: Transaction, outcomeIds: readonly string[]): Promise<void> {
  await tx.$queryRaw`
    SELECT count(*)::int AS locked
    FROM (SELECT DISTINCT hashtext(id) AS key FROM unnest(${outcomeIds}::text[]) AS id ORDER BY key) AS sorted,
      LATERAL pg_advisory_xact_lock(${OUTCOME_LOCK_SPACE}::int, sorted.key)`;
}

/**
 * Share-locks the introductions on the outcomes' chains. A concurrent change to one of them (consent, a merge) holds
 * its row and cannot see these outcomes before this transaction commits: the lock waits for that change to commit, so
 * the credit read next includes it — or, taken first, makes the change wait until these outcomes are visible to it.
 */
async function lockChainIntroductions(tx: Transaction, outcomeIds: readonly string[]): Promise<void> {
  await tx.$queryRaw`
    SELECT count(*)::int AS locked
    FROM (
      SELECT i.id FROM "Introduction" i
      WHERE i.id = ANY(ARRAY(${chainIntroductionIds(outcomeIds)}))
      ORDER BY i.id
      FOR SHARE
    ) AS chain`;
}

export interface RecomputeOptions {
  /**
   * The write linked these outcomes to introductions (a new outcome, links added to one): lock the chains' introductions
   * before reading them, so a concurrent change to one of them is not missed.
   */
  chainsChanged?: boolean;
  /** Why: recorded on each history row. Default REBUILD. */
  cause?: CreditCause;
  /**
   * Recompute outcomes whose credit has locked too. Only an adjudicated dispute does: otherwise a locked outcome keeps
   * its rows, whatever changed upstream.
   */
  includeLocked?: boolean;
}

export interface CreditChange {
  outcomeId: string;
  /** The models whose allocation of this outcome changed. */
  models: CreditModel[];
  /** The people whose amount changed under any of those models. */
  personIds: string[];
}

export interface CreditRecompute {
  /** Live outcomes recomputed. */
  outcomes: number;
  credits: number;
  /** Per outcome whose credit moved: which models and people (publish after commit). */
  changes: CreditChange[];
  /** Outcomes left as they were because their credit has locked. */
  locked: string[];
}

/**
 * Recomputes the per-outcome models of `outcomeIds` inside the caller's transaction, so the ledger never disagrees
 * with the write that changed it, reading only those outcomes' chains. Outcomes that no longer exist (or were deleted)
 * lose their rows; outcomes whose credit has locked keep theirs (unless `includeLocked`). Appends each moved amount to
 * the credit history with its cause, and a `credit.changed` event per outcome whose credit moved (ids only; a private
 * outcome's event is its reporting partner's), and records when, and in which transaction, each outcome was computed.
 * MARKOV is left to its job, which the write's own event queues.
 */
export async function recomputeCreditForOutcomes(
  tx: Transaction,
  outcomeIds: readonly string[],
  options: RecomputeOptions = {},
): Promise<CreditRecompute> {
  const requested = [...new Set(outcomeIds)].sort();
  if (requested.length === 0) return { outcomes: 0, credits: 0, changes: [], locked: [] };
  if (options.chainsChanged) await lockChainIntroductions(tx, requested);
  await lockOutcomes(tx, requested);
  const locked = options.includeLocked ? new Set<string>() : await lockedOutcomeIds(tx, requested);
  const ids = requested.filter((id) => !locked.has(id));
  if (ids.length === 0) return { outcomes: 0, credits: 0, changes: [], locked: [...locked].sort() };
  const ledger = await loadOutcomeLedger(tx, ids);
  const computedAt = new Date();
  const rows = perOutcomeCredit(ledger, new Set(ids));
  const scope: Prisma.CreditWhereInput = { outcomeId: { in: ids }, model: { in: [...PER_OUTCOME_MODELS] } };
  const before = await tx.credit.findMany({
    where: scope,
    select: { outcomeId: true, personId: true, model: true, amount: true, currency: true },
  });
  await tx.credit.deleteMany({ where: scope });
  await insertCredit(tx, rows, computedAt);
  const moves = creditMoves(before, rows);
  await appendCreditHistory(tx, moves, options.cause ?? { cause: "REBUILD" }, computedAt);
  const changes = changesOf(moves);
  const partnerOf = await audienceOf(tx, ledger, changes);
  await appendEvents(
    tx,
    changes.map((change) => ({
      type: "credit.changed",
      entityType: "Outcome",
      entityId: change.outcomeId,
      partnerId: partnerOf.get(change.outcomeId) ?? null,
      payload: { outcomeId: change.outcomeId, models: change.models, personIds: change.personIds },
    })),
  );
  await recordOutcomeRuns(tx, ids, computedAt);
  return { outcomes: ledger.outcomes.length, credits: rows.length, changes, locked: [...locked].sort() };
}

/** When, and in which transaction (the write's event-log position), each outcome's credit was computed. */
async function recordOutcomeRuns(tx: Transaction, outcomeIds: readonly string[], computedAt: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "OutcomeCreditRun" ("outcomeId", "computedAt", txid)
    SELECT id, ${utc(computedAt)}, (pg_current_xact_id()::text)::bigint FROM "Outcome" WHERE id = ANY(${outcomeIds}::uuid[])
    ON CONFLICT ("outcomeId") DO UPDATE SET "computedAt" = excluded."computedAt", txid = excluded.txid`;
}

/** Per outcome whose credit moved: the models and people whose amounts changed. */
export function changesOf(moves: readonly CreditMove[]): CreditChange[] {
  const changed = new Map<string, { models: Set<CreditModel>; personIds: Set<string> }>();
  for (const move of moves) {
    const change = changed.get(move.outcomeId) ?? { models: new Set(), personIds: new Set() };
    change.models.add(move.model);
    change.personIds.add(move.personId);
    changed.set(move.outcomeId, change);
  }
  return [...changed]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([outcomeId, change]) => ({
      outcomeId,
      models: [...change.models].sort(),
      personIds: [...change.personIds].sort(),
    }));
}

/** Outcomes whose chains run through any of the introductions (the introductions themselves, or later ones). */
export async function outcomesDownstreamOf(db: Reader, introductionIds: readonly string[]): Promise<string[]> {
  if (introductionIds.length === 0) return [];
  // UNION (not UNION ALL) drops rows already seen, so a cycle in bad data still terminates; = ANY(ARRAY(…)) keeps the
  // lookup on the index (see chainIntroductionIds).
  const rows = await db.$queryRawUnsafe<{ outcomeId: string }[]>(
    `WITH RECURSIVE downstream(id) AS (
       SELECT unnest($1::uuid[])
       UNION
       SELECT link."laterId" FROM "IntroductionLink" link JOIN downstream ON link."earlierId" = downstream.id
     )
     SELECT DISTINCT oi."outcomeId"::text AS "outcomeId"
     FROM "OutcomeIntroduction" oi WHERE oi."introductionId" = ANY(ARRAY(SELECT id FROM downstream))
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

/**
 * Outcomes per rebuild transaction: each holds its outcomes' locks only while it computes them (tens of ms), and stays
 * far below the lock table's size (max_locks_per_transaction × connections).
 */
const REBUILD_BATCH = 250;
// A batch of outcomes with long chains can take a while on a busy machine; more than the 5 s interactive default.
const BATCH_TRANSACTION = { timeout: 5 * 60_000, maxWait: 60_000 } as const;

/** Recomputes the per-outcome models of `outcomeIds`, `REBUILD_BATCH` outcomes per transaction. */
async function recomputeInBatches(
  prisma: PrismaClient,
  outcomeIds: readonly string[],
  options: RecomputeOptions,
): Promise<CreditRecompute> {
  const total: CreditRecompute = { outcomes: 0, credits: 0, changes: [], locked: [] };
  for (let start = 0; start < outcomeIds.length; start += REBUILD_BATCH) {
    const batch = outcomeIds.slice(start, start + REBUILD_BATCH);
    const result = await prisma.$transaction((tx) => recomputeCreditForOutcomes(tx, batch, options), BATCH_TRANSACTION);
    total.outcomes += result.outcomes;
    total.credits += result.credits;
    total.changes.push(...result.changes);
    total.locked.push(...result.locked);
  }
  return total;
}

/**
 * Computes the per-outcome models of every outcome again from the data, in short transactions of a few hundred outcomes
 * each, so writers wait for one batch at most.
 */
export async function rebuildPerOutcomeCredit(prisma: PrismaClient): Promise<CreditRebuild> {
  const started = performance.now();
  // Deleted outcomes too: recomputing one removes its rows.
  const outcomes = await prisma.outcome.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  const result = await recomputeInBatches(
    prisma,
    outcomes.map((outcome) => outcome.id),
    { cause: { cause: "REBUILD" } },
  );
  return { outcomes: result.outcomes, credits: result.credits, durationMs: Math.round(performance.now() - started) };
}

/**
 * Computes the per-outcome credit of outcomes that have none recorded (data loaded without it: the demo load, a restore,
 * an upgrade), in batches. Safe to repeat: what a crash left undone is still missing at the next start.
 */
export async function computeMissingCredit(prisma: PrismaClient): Promise<CreditRebuild> {
  const started = performance.now();
  const missing = await prisma.outcome.findMany({
    where: { creditRun: { is: null } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  // An outcome without computed credit has nothing to keep: it is computed even if its credit has locked.
  const result = await recomputeInBatches(
    prisma,
    missing.map((outcome) => outcome.id),
    { cause: { cause: "REBUILD" }, includeLocked: true },
  );
  return { outcomes: result.outcomes, credits: result.credits, durationMs: Math.round(performance.now() - started) };
}

/** MARKOV credit rows of a whole ledger: in this thread by default; the job runner passes a worker thread. */
export type MarkovCompute = (ledger: Ledger) => Promise<Prisma.CreditCreateManyInput[]>;

const computeMarkovHere: MarkovCompute = async (ledger) => markovCredit(ledger);

/** Throws the ledger away and computes it again from the data: the per-outcome models in batches, then MARKOV. */
export async function rebuildCredit(
  prisma: PrismaClient,
  options: { computeMarkov?: MarkovCompute } = {},
): Promise<CreditRebuild> {
  const started = performance.now();
  const perOutcome = await rebuildPerOutcomeCredit(prisma);
  const markov = await recomputeMarkovCredit(prisma, options.computeMarkov);
  return {
    outcomes: perOutcome.outcomes,
    credits: perOutcome.credits + markov.credits,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Serialises MARKOV writers (two workers finishing at once); the later position wins. */
const MARKOV_LOCK_ID = 0x1e70_c4ee;
const MARKOV_WRITE_TRANSACTION = { timeout: 5 * 60_000, maxWait: 60_000 } as const;
/** The ledger and the log head are read in one snapshot, so the position names exactly what was read. */
const MARKOV_READ_TRANSACTION = {
  timeout: 5 * 60_000,
  maxWait: 60_000,
  isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
} as const;

export interface MarkovRun {
  /** False when a newer run had already written its result. */
  written: boolean;
  through: EventPosition;
  outcomes: number;
  credits: number;
  changedOutcomes: number;
  durationMs: number;
}

/**
 * MARKOV credit over the whole ledger, off the request path: reads the ledger in one snapshot, computes, and replaces
 * the MARKOV rows in one short transaction, recording the event-log position the result reflects (CreditModelRun).
 */
export async function recomputeMarkovCredit(
  prisma: PrismaClient,
  compute: MarkovCompute = computeMarkovHere,
): Promise<MarkovRun> {
  const started = performance.now();
  // Everything up to `through` is committed and in the snapshot the ledger is read from.
  const { through, snapshot, ledger } = await prisma.$transaction(
    async (tx) => ({
      through: await logHead(tx),
      snapshot: await currentSnapshot(tx),
      ledger: await loadLedger(tx),
    }),
    MARKOV_READ_TRANSACTION,
  );
  const rows = await compute(ledger);
  const result = await prisma.$transaction(async (tx) => {
    await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM pg_advisory_xact_lock(${MARKOV_LOCK_ID})`);
    const last = await tx.creditModelRun.findUnique({ where: { model: "MARKOV" } });
    if (last && comparePositions({ txid: last.throughTxid, id: last.throughEventId }, through) > 0)
      return { written: false, changed: 0 };
    // Outcomes whose credit has locked keep their MARKOV rows; the journeys still count for everyone else's.
    const locked = new Set(
      (
        await tx.$queryRaw<{ id: string }[]>`
          SELECT id::text AS id FROM "Outcome" WHERE "creditLocksAt" <= (now() AT TIME ZONE 'UTC')`
      ).map((row) => row.id),
    );
    const open = rows.filter((row) => !locked.has(row.outcomeId));
    const before = (
      await tx.credit.findMany({
        where: { model: "MARKOV" },
        select: { outcomeId: true, personId: true, model: true, amount: true, currency: true },
      })
    ).filter((row) => !locked.has(row.outcomeId));
    await tx.$executeRaw`
      DELETE FROM "Credit" WHERE model = 'MARKOV' AND NOT ("outcomeId" = ANY(${[...locked]}::uuid[]))`;
    const computedAt = new Date();
    await insertCredit(tx, open, computedAt);
    const moves = creditMoves(before, open);
    await appendCreditHistory(tx, moves, { cause: "MARKOV_RUN", actorId: "job:credit-markov" }, computedAt);
    const changes = changesOf(moves);
    const run = {
      computedAt,
      throughTxid: through.txid,
      throughEventId: through.id,
      throughSnapshot: snapshot,
      durationMs: Math.round(performance.now() - started),
      outcomes: ledger.outcomes.length,
    };
    await tx.creditModelRun.upsert({ where: { model: "MARKOV" }, create: { model: "MARKOV", ...run }, update: run });
    // One combined event per run and audience (public outcomes, each partner's private ones): subscribers re-read the
    // credit of the people listed, and no partner learns of another's private outcomes.
    await appendEvents(
      tx,
      [...(await changesByAudience(tx, ledger, changes))].map(([partnerId, audience]) => ({
        type: "credit.changed",
        entityType: "Credit",
        actorId: "job:credit-markov",
        partnerId,
        payload: {
          model: "MARKOV",
          changes: audience.map((change) => ({ outcomeId: change.outcomeId, personIds: change.personIds })),
        },
      })),
    );
    return { written: true, changed: changes.length };
  }, MARKOV_WRITE_TRANSACTION);
  return {
    written: result.written,
    through,
    outcomes: ledger.outcomes.length,
    credits: rows.length,
    changedOutcomes: result.changed,
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * Who may see each changed outcome's event: null for public outcomes, else the partner that reported it. Outcomes the
 * ledger no longer holds (deleted since, losing their rows) are looked up, so a private one never turns public.
 */
async function audienceOf(
  tx: Transaction,
  ledger: Ledger,
  changes: readonly CreditChange[],
): Promise<Map<string, string | null>> {
  const partnerOf = new Map(ledger.outcomes.map((outcome) => [outcome.id, outcome.reportedByPartnerId]));
  const unknown = changes.map((change) => change.outcomeId).filter((id) => !partnerOf.has(id));
  if (unknown.length)
    for (const outcome of await tx.outcome.findMany({
      where: { id: { in: unknown } },
      select: { id: true, reportedByPartnerId: true },
    }))
      partnerOf.set(outcome.id, outcome.reportedByPartnerId);
  return partnerOf;
}

/** The changes grouped by who may see them: null for public outcomes, else the reporting partner. */
async function changesByAudience(
  tx: Transaction,
  ledger: Ledger,
  changes: readonly CreditChange[],
): Promise<Map<string | null, CreditChange[]>> {
  const partnerOf = await audienceOf(tx, ledger, changes);
  const audiences = new Map<string | null, CreditChange[]>();
  for (const change of changes) {
    const partnerId = partnerOf.get(change.outcomeId) ?? null;
    audiences.set(partnerId, [...(audiences.get(partnerId) ?? []), change]);
  }
  return audiences;
}
