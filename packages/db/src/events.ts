// The event log: writes append domain events in their own transaction (`appendEvents`); followers read them in order
// (`readEventsAfter`) from a position they keep. Order is (txid, id): ids come from a sequence, so a transaction that
// took a smaller id can commit after one with a larger id; reading only events of transactions older than the oldest
// one still running (pg_snapshot_xmin) makes the order final, so a follower never skips an event.
import type { Prisma, PrismaClient } from "./client.ts";

/**
 * The event types intrograph writes. Followers match on them; payloads hold ids and the few fields followers act on
 * (statuses, consent times, amounts' currency), never PII.
 */
export type DomainEventType =
  | "person.created"
  | "person.updated"
  | "person.merged"
  | "organization.created"
  | "organization.updated"
  | "membership.changed"
  | "relationship.created"
  | "relationship.updated"
  | "relationship.curated"
  | "relationship.strength-aged"
  | "interaction.created"
  | "introduction.created"
  | "introduction.updated"
  | "introduction.consentChanged"
  | "outcome.created"
  | "outcome.updated"
  | "credit.changed"
  | "credit.rebuilt"
  | "creditDispute.opened"
  | "creditDispute.adjudicated"
  | "import.batch"
  | "apiKey.created"
  | "apiKey.revoked"
  | (string & {});

export interface DomainEventInput {
  type: DomainEventType;
  entityType: string;
  entityId?: string | null;
  actorId?: string | null;
  /** Null for public records; the reporting partner for its private reports. */
  partnerId?: string | null;
  payload?: Prisma.InputJsonValue;
}

export interface EventPosition {
  txid: bigint;
  id: bigint;
}

export interface DomainEventRow extends EventPosition {
  type: string;
  entityType: string;
  entityId: string | null;
  actorId: string | null;
  partnerId: string | null;
  payload: Prisma.JsonValue;
  occurredAt: Date;
}

type Writer = Prisma.TransactionClient;
type Reader = Prisma.TransactionClient | PrismaClient;

/** The position before every event. */
export const LOG_START: EventPosition = { txid: 0n, id: 0n };

export async function appendEvents(tx: Writer, events: readonly DomainEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.domainEvent.createMany({
    data: events.map((event) => ({
      type: event.type,
      entityType: event.entityType,
      entityId: event.entityId ?? null,
      actorId: event.actorId ?? null,
      partnerId: event.partnerId ?? null,
      payload: event.payload ?? {},
    })),
  });
}

/** Events after `position`, in log order, of transactions that can no longer be followed by an earlier one. */
export async function readEventsAfter(
  reader: Reader,
  position: EventPosition,
  limit = 1000,
): Promise<DomainEventRow[]> {
  return reader.$queryRaw<DomainEventRow[]>`
    SELECT id, txid, type, "entityType", "entityId", "actorId", "partnerId"::text AS "partnerId", payload, "occurredAt"
    FROM "DomainEvent"
    WHERE (txid, id) > (${position.txid}, ${position.id})
      AND txid < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
    ORDER BY txid, id
    LIMIT ${limit}`;
}

/** The position of the last event a follower may read now: start a follower here to see only what comes next. */
export async function logHead(reader: Reader): Promise<EventPosition> {
  const rows = await reader.$queryRaw<EventPosition[]>`
    SELECT txid, id FROM "DomainEvent"
    WHERE txid < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
    ORDER BY txid DESC, id DESC
    LIMIT 1`;
  return rows[0] ?? LOG_START;
}

/** The transaction's snapshot (pg_current_snapshot() as text): which transactions' events it sees. */
export async function currentSnapshot(reader: Reader): Promise<string> {
  const rows = await reader.$queryRaw<{ snapshot: string }[]>`SELECT pg_current_snapshot()::text AS snapshot`;
  return rows[0]!.snapshot;
}

export const formatPosition = (position: EventPosition): string => `${position.txid}.${position.id}`;

/** Parses `formatPosition`'s form; null when it is not one. */
export function parsePosition(text: string): EventPosition | null {
  const match = /^(\d{1,19})\.(\d{1,19})$/.exec(text);
  return match ? { txid: BigInt(match[1]!), id: BigInt(match[2]!) } : null;
}

export const comparePositions = (a: EventPosition, b: EventPosition): number =>
  a.txid !== b.txid ? (a.txid < b.txid ? -1 : 1) : a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
