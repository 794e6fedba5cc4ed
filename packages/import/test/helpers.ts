// Shared test helpers: fixture streams, a row count of every table (to prove a re-import adds nothing), and the
// stored credit in a comparable form.
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "@intrograph/db";

export function fixture(name: string) {
  return createReadStream(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
}

export async function countAllTables(prisma: PrismaClient): Promise<Record<string, number>> {
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "${name}"`);
    counts[name] = row!.count;
  }
  return counts;
}

/** Every credit row, as comparable values in a fixed order: two ledgers are equal when these are. */
export async function storedCredit(prisma: PrismaClient) {
  const rows = await prisma.credit.findMany({
    select: {
      outcomeId: true,
      personId: true,
      model: true,
      share: true,
      amount: true,
      currency: true,
      explanation: true,
    },
    orderBy: [{ outcomeId: "asc" }, { model: "asc" }, { personId: "asc" }],
  });
  return rows.map((row) => ({ ...row, share: row.share.toString(), amount: row.amount.toString() }));
}
