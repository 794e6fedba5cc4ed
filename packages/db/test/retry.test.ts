// Deadlock victims are run again: two transactions that lock two rows in opposite orders both commit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRetryableTransactionError, withTransactionRetry } from "../src/retry.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

describe("transaction retry on PostgreSQL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(() => database?.drop());

  it("runs a deadlock victim's transaction again, so both writers commit", async () => {
    const { prisma } = database;
    const [a, b] = await prisma.person.createManyAndReturn({
      data: [{ displayName: "A" }, { displayName: "B" }],
      select: { id: true },
    });
    const retrying = withTransactionRetry(prisma);
    let runs = 0;
    // Each locks one row, waits until the other has locked its row, then asks for the other's: a deadlock, which
    // PostgreSQL breaks by aborting one of them.
    let locked = 0;
    const bothLocked = async () => {
      locked++;
      while (locked < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const writer = (first: string, second: string, name: string) =>
      retrying.$transaction(
        async (tx) => {
          runs++;
          await tx.person.update({ where: { id: first }, data: { headline: name } });
          if (runs <= 2) await bothLocked();
          await tx.person.update({ where: { id: second }, data: { headline: name } });
        },
        { timeout: 20_000 },
      );
    await Promise.all([writer(a!.id, b!.id, "one"), writer(b!.id, a!.id, "two")]);
    expect(runs).toBe(3);
    const headlines = await prisma.person.findMany({ select: { headline: true } });
    // The retried writer ran last: both rows carry its name.
    expect(new Set(headlines.map((person) => person.headline)).size).toBe(1);
  });

  it("tells retryable failures from others", () => {
    expect(isRetryableTransactionError(new Error("ERROR: deadlock detected"))).toBe(true);
    expect(isRetryableTransactionError({ code: "P2034" })).toBe(true);
    expect(isRetryableTransactionError({ message: "x", cause: { code: "40001" } })).toBe(true);
    expect(isRetryableTransactionError(new Error("unique constraint failed (23505)"))).toBe(false);
    expect(isRetryableTransactionError(null)).toBe(false);
  });
});
