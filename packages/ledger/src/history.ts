// Credit over time: every change of one connector's amount on one outcome under one model is appended to CreditHistory
// with its cause, in the transaction that made it; and finality: an outcome whose credit has locked keeps its rows.
import { Prisma } from "@intrograph/db";
import type { CreditModel } from "@intrograph/credit";

type Transaction = Prisma.TransactionClient;

const { Decimal } = Prisma;

export type CreditChangeCause = Prisma.CreditHistoryCreateManyInput["cause"];

/** Why credit is being recomputed: recorded on every history row the recompute appends. */
export interface CreditCause {
  cause: CreditChangeCause;
  /** The record whose change caused it (the introduction, the dispute, the surviving person of a merge). */
  entityType?: string;
  entityId?: string;
  /** Who asked: the API key's label, or the job. */
  actorId?: string | null;
}

/** One connector's amount on one outcome under one model, before and after a recompute. */
export interface CreditMove {
  outcomeId: string;
  personId: string;
  model: CreditModel;
  share: string;
  amount: string;
  previousAmount: string;
  currency: string;
}

export interface StoredCredit {
  outcomeId: string;
  personId: string;
  model: string;
  amount: { toFixed(): string };
  currency: string;
}

const key = (row: { outcomeId: string; personId: string; model: string }) =>
  `${row.outcomeId}|${row.personId}|${row.model}`;
const fixed = (amount: unknown) => new Decimal(String(amount)).toFixed(4);

/** The allocations whose amount differs between the stored rows and the recomputed ones, in a stable order. */
export function creditMoves(
  before: readonly StoredCredit[],
  after: readonly Prisma.CreditCreateManyInput[],
): CreditMove[] {
  const previous = new Map(before.map((row) => [key(row), row]));
  const moves: CreditMove[] = [];
  for (const row of after) {
    const stored = previous.get(key(row));
    previous.delete(key(row));
    const previousAmount = stored ? fixed(stored.amount.toFixed()) : fixed(0);
    if (previousAmount === fixed(row.amount)) continue;
    moves.push({
      outcomeId: row.outcomeId,
      personId: row.personId,
      model: row.model as CreditModel,
      share: new Decimal(String(row.share)).toFixed(),
      amount: fixed(row.amount),
      previousAmount,
      currency: row.currency,
    });
  }
  for (const stored of previous.values()) {
    if (fixed(stored.amount.toFixed()) === fixed(0)) continue;
    moves.push({
      outcomeId: stored.outcomeId,
      personId: stored.personId,
      model: stored.model as CreditModel,
      share: "0",
      amount: fixed(0),
      previousAmount: fixed(stored.amount.toFixed()),
      currency: stored.currency,
    });
  }
  return moves.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Appends the moves to CreditHistory (one JSON parameter, unpacked by PostgreSQL), with their cause. */
export async function appendCreditHistory(
  tx: Transaction,
  moves: readonly CreditMove[],
  cause: CreditCause,
  recordedAt: Date,
): Promise<void> {
  if (moves.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "CreditHistory" ("outcomeId", "personId", model, share, amount, "previousAmount", currency, cause,
      "causeEntityType", "causeEntityId", "actorId", "recordedAt")
    SELECT row."outcomeId", row."personId", row.model, row.share, row.amount, row."previousAmount", row.currency,
      ${cause.cause}::"CreditChangeCause", ${cause.entityType ?? null}, ${cause.entityId ?? null}, ${cause.actorId ?? null},
      (${recordedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')
    FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS row(
      "outcomeId" uuid, "personId" uuid, model "CreditModel", share numeric, amount numeric, "previousAmount" numeric,
      currency text
    )`;
}

/** Of `outcomeIds`, those whose credit has locked (creditLocksAt at or before this transaction's start). */
export async function lockedOutcomeIds(tx: Transaction, outcomeIds: readonly string[]): Promise<Set<string>> {
  if (outcomeIds.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Outcome"
    WHERE id = ANY(${outcomeIds}::uuid[]) AND "creditLocksAt" <= (now() AT TIME ZONE 'UTC')`;
  return new Set(rows.map((row) => row.id));
}
