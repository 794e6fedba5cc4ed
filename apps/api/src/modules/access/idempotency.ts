// Idempotent writes. A create sent with `idempotencyKey` runs at most once per key and caller: a repeat with the same
// input replays the entity the first request created, a repeat with another input is a ConflictError.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Database, Prisma } from "@intrograph/db";
import { type Context, type DatabaseHandle, prismaOf } from "../../context.ts";
import { ConflictError } from "../../errors.ts";

type Client = Database["prisma"];

export interface IdempotentInput {
  idempotencyKey?: string | null;
}

/** The caller a key belongs to: two partners may use the same key without colliding. */
function scopeOf(ctx: Context): string {
  return ctx.viewer.partnerId ? `partner:${ctx.viewer.partnerId}` : ctx.viewer.kind;
}

/** Key order and null-versus-absent do not change what a request means, so they do not change its hash. */
function requestHash(operation: string, input: Record<string, unknown>): string {
  const canonical = JSON.stringify({ operation, input }, (_key, value: unknown) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== null && field !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
  return createHash("sha256").update(canonical).digest("hex");
}

/**
 * A client bound to one transaction whose `$transaction(fn)` runs `fn` inline, so a mutation written against
 * `prismaOf(ctx).$transaction(...)` runs, unchanged, inside the idempotency transaction.
 */
function transactionBound(tx: Prisma.TransactionClient): Client {
  const bound = new Proxy(tx, {
    get: (target, property) =>
      property === "$transaction"
        ? (work: unknown) => (typeof work === "function" ? work(bound) : Promise.all(work as Promise<unknown>[]))
        : Reflect.get(target, property),
  }) as unknown as Client;
  return bound;
}

function withClient(ctx: Context, prisma: Client): Context {
  return { ...ctx, db: { prisma } as unknown as DatabaseHandle };
}

/**
 * Runs `write` once per (caller, idempotencyKey). The check, the write and the stored record share one transaction
 * under an advisory lock on the key, so concurrent repeats wait for the first and then replay it; a failed write
 * stores nothing, so it can be retried with the same key.
 */
export async function withIdempotency<Result extends { id: string }>(
  ctx: Context,
  operation: string,
  input: IdempotentInput & object,
  replay: (id: string, ctx: Context) => Promise<Result>,
  write: (ctx: Context) => Promise<Result>,
): Promise<Result> {
  const key = input.idempotencyKey;
  if (!key) return write(ctx);
  const scope = scopeOf(ctx);
  const { idempotencyKey: _key, ...rest } = input as IdempotentInput & Record<string, unknown>;
  const hash = requestHash(operation, rest);
  return prismaOf(ctx).$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`idempotency/${scope}/${key}`}))`;
      const txCtx = withClient(ctx, transactionBound(tx));
      const existing = await tx.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
      if (existing) {
        if (existing.operation !== operation || existing.requestHash !== hash) {
          throw new ConflictError(
            "IdempotencyKey",
            key,
            null,
            existing.operation !== operation
              ? `idempotency key "${key}" was already used for ${existing.operation}; use a new key for a new write`
              : `idempotency key "${key}" was already used with a different input; use a new key for a new write`,
          );
        }
        return replay((existing.response as { id: string }).id, txCtx);
      }
      const result = await write(txCtx);
      await tx.idempotencyRecord.create({
        data: { scope, key, operation, requestHash: hash, response: { id: result.id } },
      });
      return result;
    },
    // Repeats queue on the key's lock while they hold a pooled connection: allow them to wait their turn.
    { maxWait: 20_000, timeout: 30_000 },
  );
}

/** The `idempotencyKey` input field of partner writes. */
export const idempotencyKeyField = {
  required: false,
  description:
    "Makes the write safe to retry: a repeat with the same key and input returns the first result without writing again; " +
    "the same key with a different input is a ConflictError. Keys are per caller; use a fresh UUID per logical write.",
  validate: z.string().min(8, "must be at least 8 characters").max(200, "must be at most 200 characters"),
} as const;
