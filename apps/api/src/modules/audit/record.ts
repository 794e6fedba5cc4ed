// Writes go through here so every admin and partner write leaves an AuditEvent in the same transaction as the write.
import type { Prisma } from "@intrograph/db";
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

export async function recordAudit(tx: Transaction, ctx: Context, entry: AuditEntry): Promise<void> {
  const { viewer } = ctx;
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
