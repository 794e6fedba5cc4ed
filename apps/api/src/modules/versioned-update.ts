// Optimistic concurrency for the update mutations: a write lands only on the version the client read, a stale version
// is a ConflictError that tells the client the version stored now, and every landed update is audited.
import type { Context } from "../context.ts";
import { ConflictError } from "../errors.ts";
import { recordAudit, type Transaction } from "./audit/record.ts";

/** The part of a Prisma model delegate (`tx.person`, `tx.outcome`...) a write at a version needs. */
interface VersionedDelegate {
  updateMany(args: { where: { id: string; version: number }; data: object }): PromiseLike<{ count: number }>;
  findUnique(args: { where: { id: string }; select: { version: true } }): PromiseLike<{ version: number } | null>;
  findUniqueOrThrow(args: { where: { id: string } }): PromiseLike<unknown>;
}

type UpdateManyArgs<Delegate> = Delegate extends { updateMany(args: infer Args): unknown } ? Args : never;
type UpdateData<Delegate> = UpdateManyArgs<Delegate> extends { data: infer Data } ? Data : never;
type UpdateWhere<Delegate> = UpdateManyArgs<Delegate> extends { where?: infer Where } ? Where : never;

export interface WriteAtVersion<Delegate> {
  /** The GraphQL type a conflict names ("Person"). */
  entityType: string;
  id: string;
  /** The id a conflict names: the id as the client sent it. */
  conflictId: string;
  /** The version the client read. */
  version: number;
  /** Further conditions the row must still meet; a row that no longer meets them is a conflict too. */
  where?: Omit<UpdateWhere<Delegate>, "id" | "version">;
  /** The changes; the version bump is added. */
  data?: UpdateData<Delegate>;
}

/**
 * Writes `data` to one row and bumps its version if the row is still at `version`. Otherwise nothing is written and
 * the ConflictError carries the version stored now, which may be newer than any the caller read earlier.
 */
export async function writeAtVersion<Delegate extends VersionedDelegate>(
  delegate: Delegate,
  write: WriteAtVersion<Delegate>,
): Promise<void> {
  const { id } = write;
  const { count } = await delegate.updateMany({
    where: { ...(write.where as object | undefined), id, version: write.version },
    data: { ...(write.data as object | undefined), version: { increment: 1 } },
  });
  if (count === 0) {
    const current = await delegate.findUnique({ where: { id }, select: { version: true } });
    throw new ConflictError(write.entityType, write.conflictId, current?.version ?? null);
  }
}

export interface UpdateAtVersion<Delegate, Followed> extends WriteAtVersion<Delegate> {
  data: UpdateData<Delegate>;
  /** The row as read before the update, for the audit row. */
  before: unknown;
  /** The audit action ("person.update"). */
  action: string;
  /** Writes that follow from the update and come before its audit (a recomputed strength, say); returns their result. */
  beforeAudit?: () => Promise<Followed>;
}

/** An update mutation's write: `writeAtVersion`, then the row as written is audited in the same transaction. */
export async function updateAtVersion<Delegate extends VersionedDelegate, Followed = undefined>(
  tx: Transaction,
  ctx: Context,
  delegate: Delegate,
  update: UpdateAtVersion<Delegate, Followed>,
): Promise<Followed | undefined> {
  await writeAtVersion(delegate, update);
  const followed = await update.beforeAudit?.();
  const after = await delegate.findUniqueOrThrow({ where: { id: update.id } });
  await recordAudit(tx, ctx, {
    action: update.action,
    entityType: update.entityType,
    entityId: update.id,
    before: update.before,
    after,
  });
  return followed;
}
