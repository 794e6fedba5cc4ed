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

/**
 * Who may see events about the record: a partner's private report is visible to that partner (and admins) only; an API
 * key's and a webhook endpoint's events belong to its partner (an admin key's to admins: the event catalogue keeps
 * apiKey events from others).
 */
function reportingPartnerOf(entry: AuditEntry): string | null {
  for (const record of [entry.after, entry.before]) {
    if (record && typeof record === "object") {
      const field =
        entry.entityType === "ApiKey" || entry.entityType === "WebhookEndpoint" ? "partnerId" : "reportedByPartnerId";
      if (field in record) {
        const partnerId = (record as Record<string, unknown>)[field];
        return typeof partnerId === "string" ? partnerId : null;
      }
    }
  }
  return null;
}

type Row = Record<string, unknown>;
const asRow = (value: unknown): Row | null => (value && typeof value === "object" ? (value as Row) : null);
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);

/**
 * What an event says besides its entity: database ids and the few fields followers act on (subscriptions, webhooks;
 * see modules/events/catalog.ts for what partners receive). Nothing private: no PII, no notes.
 */
function payloadOf(entry: AuditEntry): Prisma.InputJsonValue {
  const after = asRow(entry.after);
  const before = asRow(entry.before);
  switch (entry.entityType) {
    case "Introduction":
      return after
        ? {
            connectorId: text(after.connectorId),
            fromId: text(after.fromId),
            toId: text(after.toId),
            organizationId: text(after.organizationId),
            status: text(after.status),
            fromConsentedAt: text(after.fromConsentedAt),
            toConsentedAt: text(after.toConsentedAt),
          }
        : {};
    case "Outcome":
      return after
        ? {
            kind: text(after.kind),
            value: text(after.value),
            currency: text(after.currency),
            occurredAt: text(after.occurredAt),
          }
        : {};
    case "Relationship":
      return after
        ? {
            personAId: text(after.personAId),
            personBId: text(after.personBId),
            status: text(after.status),
            previousStatus: text(before?.status),
          }
        : {};
    case "CreditDispute":
      return after
        ? { outcomeId: text(after.outcomeId), introductionId: text(after.introductionId), status: text(after.status) }
        : {};
    case "Person":
      return entry.action === "person.merge" && after ? { mergedId: text(after.mergedId) } : {};
    case "ApiKey":
      return { prefix: text(after?.prefix ?? before?.prefix) };
    default:
      return {};
  }
}

/** Events that follow from the write besides the one its action names: consent given or withdrawn, a curation. */
function derivedEvents(entry: AuditEntry): DomainEventType[] {
  const after = asRow(entry.after);
  const before = asRow(entry.before);
  if (!after || !before) return [];
  if (
    entry.entityType === "Introduction" &&
    (text(after.fromConsentedAt) !== text(before.fromConsentedAt) ||
      text(after.toConsentedAt) !== text(before.toConsentedAt))
  )
    return ["introduction.consentChanged"];
  if (entry.entityType === "Relationship" && text(after.status) !== text(before.status))
    return ["relationship.curated"];
  return [];
}

export async function recordAudit(tx: Transaction, ctx: Context, entry: AuditEntry): Promise<void> {
  const { viewer } = ctx;
  // The actor of every event this transaction appends, before or after this point (credit.changed from the ledger):
  // a trigger fills it in for later ones (see the webhooks migration).
  await tx.$queryRaw`SELECT set_config('intrograph.actor', ${viewer.label}, true) AS actor`;
  await tx.$executeRaw`
    UPDATE "DomainEvent" SET "actorId" = ${viewer.label}
    WHERE txid = (pg_current_xact_id()::text)::bigint AND "actorId" IS NULL`;
  const partnerId = reportingPartnerOf(entry);
  const payload = payloadOf(entry);
  await appendEvents(
    tx,
    [EVENT_TYPES[entry.action] ?? entry.action, ...derivedEvents(entry)].map((type) => ({
      type,
      entityType: entry.entityType,
      entityId: entry.entityId,
      actorId: viewer.label,
      partnerId,
      payload,
    })),
  );
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
