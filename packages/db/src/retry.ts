// Transactions PostgreSQL aborts so that others can go on — a deadlock victim (40P01), a serialization failure
// (40001) — are meant to be run again by the client. `withTransactionRetry` does so for interactive transactions:
// the whole function runs again in a new transaction, after a short random pause, a few times at most.
import type { PrismaClient } from "./generated/prisma/client.ts";

const RETRYABLE = /\b(40P01|40001|P2034)\b|deadlock detected|could not serialize access/i;

/** True for the failures PostgreSQL asks to retry: deadlock and serialization failures. */
export function isRetryableTransactionError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === "string" && RETRYABLE.test(code)) return true;
  if (typeof message === "string" && RETRYABLE.test(message)) return true;
  return cause !== undefined && cause !== error && isRetryableTransactionError(cause);
}

export interface TransactionRetryOptions {
  /** Runs in all, the first included. */
  attempts?: number;
  /** The pause before a retry is random in [0, base · 2^retry) ms. */
  baseDelayMs?: number;
}

/**
 * The client, with `$transaction(fn, options)` run again when PostgreSQL aborted it as a deadlock victim or for a
 * serialization failure. Only for the outermost transaction: a retry inside an aborted one cannot succeed. Work inside
 * the function must be the transaction's alone (what it publishes, it publishes after the commit).
 */
export function withTransactionRetry(prisma: PrismaClient, options: TransactionRetryOptions = {}): PrismaClient {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 25;
  const transaction = prisma.$transaction.bind(prisma) as (...args: unknown[]) => Promise<unknown>;
  const retrying = async (work: unknown, ...rest: unknown[]): Promise<unknown> => {
    if (typeof work !== "function") return transaction(work, ...rest);
    for (let attempt = 1; ; attempt++) {
      try {
        return await transaction(work, ...rest);
      } catch (error) {
        if (attempt >= attempts || !isRetryableTransactionError(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * baseDelayMs * 2 ** attempt));
      }
    }
  };
  return new Proxy(prisma, {
    get: (target, property) => {
      if (property === "$transaction") return retrying;
      const value = Reflect.get(target, property);
      // The client's own methods run on the client itself, not on the proxy.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
