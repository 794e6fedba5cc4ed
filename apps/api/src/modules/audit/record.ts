// Writes go through here so every admin and partner write leaves an AuditEvent, and the domain event that graph
// snapshots, credit jobs and subscribers follow, in the same transaction as the write.
import type { Prisma } from "@intrograph/db";
import { appendEvents, type DomainEventType } from "@intrograph/db/events";
import type { Context } from "../../context.ts";

export type Transaction = Prisma.TransactionClient;

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

function snapshot(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  // Dates, decimals and bigints become JSON-safe strings.
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Audit actions ("person.create") name what was asked; events name what happened ("person.created"). */
const EVENT_TYPES: Record<string, DomainEventType> = {
  "person.create": "person.created",
  "person.update": "person.updated",
  "person.merge": "person.merged",
  "organization.create": "organization.created",
  "organization.update": "organization.updated",
  "membership.create": "membership.changed",
  "membership.update": "membership.changed",
  "socialAccount.create": "socialAccount.created",
  "socialAccount.update": "socialAccount.updated",
  "relationship.create": "relationship.created",
  "relationship.update": "relationship.updated",
  "interaction.create": "interaction.created",
  "introduction.create": "introduction.created",
  "introduction.update": "introduction.updated",
  "outcome.create": "outcome.created",
  "outcome.update": "outcome.updated",
  "credit.rebuild": "credit.rebuilt",
  "creditDispute.open": "creditDispute.opened",
  "creditDispute.adjudicate": "creditDispute.adjudicated",
  "apiKey.create": "apiKey.created",
  "apiKey.revoke": "apiKey.revoked",
};

/** A partner's private report is visible to that partner (and admins) only; so is every event about it. */
function reportingPartnerOf(entry: AuditEntry): string | null {
  for (const record of [entry.after, entry.before]) {
    if (record && typeof record === "object" && "reportedByPartnerId" in record) {
      const partnerId = (record as { reportedByPartnerId: unknown }).reportedByPartnerId;
      return typeof partnerId === "string" ? partnerId : null;
    }
  }
  return null;
}

export async function recordAudit(tx: Transaction, ctx: Context, entry: AuditEntry): Promise<void> {
  const { viewer } = ctx;
  await appendEvents(tx, [
    {
      type: EVENT_TYPES[entry.action] ?? entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      actorId: viewer.label,
      partnerId: reportingPartnerOf(entry),
    },
  ]);
  await tx.auditEvent.create({
    data: {
      actorKind: viewer.kind === "admin" ? "ADMIN" : viewer.kind === "partner" ? "PARTNER" : "SYSTEM",
      actorId: viewer.label,
      apiKeyId: viewer.apiKeyId ?? null,
      partnerId: viewer.partnerId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
      requestId: ctx.requestId,
    },
  });
}
