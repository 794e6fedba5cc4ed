// Loads the generated demo network into a database, all of it in one transaction or none of it, so a crash mid-load
// never leaves a half-filled database that a later start would mistake for a seeded one.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { DEFAULT_DEMO_SEED, type DemoData, type DemoDataOptions, generateDemoData } from "./generate.ts";

export { DEFAULT_DEMO_SEED, DEMO_NOW, generateDemoData } from "./generate.ts";
export type { DemoData, DemoDataOptions } from "./generate.ts";

export interface LoadDemoDataOptions extends DemoDataOptions {
  /** Erase every table except the migration history first (API keys and the audit log included). */
  replaceExisting?: boolean;
}

export interface DemoLoadResult {
  /** False when ensureDemoData found people already there and left the database alone. */
  loaded: boolean;
  seed: number;
  scale: number;
  durationMs: number;
  /** Rows written per table. */
  counts: Record<string, number>;
}

// A load at scale 1 writes ~130k rows in seconds; the limit grows with the scale (100× writes 13M rows) and is generous
// enough that slow disks and busy machines do not abort it.
const transactionOptions = (scale = 1) => ({ timeout: Math.max(10, scale) * 60_000, maxWait: 60_000 }) as const;
/** Serialises concurrent ensureDemoData calls on PostgreSQL (API replicas starting together). */
const SEED_LOCK_ID = 0x1e70_5eed;
// Rows per INSERT: a few MB of JSON per statement, which both PGlite and PostgreSQL take in stride.
const ROWS_PER_BATCH = 5_000;

/** Generates the demo network and writes it. Fails (and writes nothing) if the rows already exist, unless replaceExisting. */
export async function loadDemoData(prisma: PrismaClient, options: LoadDemoDataOptions = {}): Promise<DemoLoadResult> {
  const started = performance.now();
  const data = generateDemoData(options);
  const counts = await prisma.$transaction(async (tx) => {
    if (options.replaceExisting) await eraseAll(tx);
    return writeDemoData(tx, data);
  }, transactionOptions(data.scale));
  await analyzeTables(prisma);
  return {
    loaded: true,
    seed: data.seed,
    scale: data.scale,
    durationMs: Math.round(performance.now() - started),
    counts,
  };
}

/** Loads the demo network only into a database without people, so every later start reuses what is there. */
export async function ensureDemoData(prisma: PrismaClient, options: DemoDataOptions = {}): Promise<DemoLoadResult> {
  const started = performance.now();
  const skipped = () => ({
    loaded: false,
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    scale: options.scale ?? 1,
    durationMs: Math.round(performance.now() - started),
    counts: {},
  });
  // The common case, a database seeded earlier, costs one query and takes no lock.
  if ((await prisma.person.count()) > 0) return skipped();
  // Generated before the transaction, which then only writes; a process that loses the race below wastes the work.
  const data = generateDemoData(options);
  const loaded = await prisma.$transaction(async (tx) => {
    // Check and load under one lock and one transaction: a second process waits, then sees the people and skips.
    await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM pg_advisory_xact_lock(${SEED_LOCK_ID})`);
    if ((await tx.person.count()) > 0) return null;
    return { data, counts: await writeDemoData(tx, data) };
  }, transactionOptions(data.scale));
  if (!loaded) return skipped();
  await analyzeTables(prisma);
  return {
    loaded: true,
    seed: loaded.data.seed,
    scale: loaded.data.scale,
    durationMs: Math.round(performance.now() - started),
    counts: loaded.counts,
  };
}

async function writeDemoData(tx: Prisma.TransactionClient, data: DemoData): Promise<Record<string, number>> {
  // The generator's rows must stay valid createMany input: this fails to compile when the schema drifts from them.
  data satisfies {
    organizations: Prisma.OrganizationCreateManyInput[];
    partners: Prisma.PartnerCreateManyInput[];
    people: Prisma.PersonCreateManyInput[];
    memberships: Prisma.MembershipCreateManyInput[];
    socialAccounts: Prisma.SocialAccountCreateManyInput[];
    socialAccountSnapshots: Prisma.SocialAccountSnapshotCreateManyInput[];
    relationships: Prisma.RelationshipCreateManyInput[];
    relationshipSides: Prisma.RelationshipSideCreateManyInput[];
    interactions: Prisma.InteractionCreateManyInput[];
    introductions: Prisma.IntroductionCreateManyInput[];
    introductionLinks: Prisma.IntroductionLinkCreateManyInput[];
    outcomes: Prisma.OutcomeCreateManyInput[];
    outcomeIntroductions: Prisma.OutcomeIntroductionCreateManyInput[];
    duplicateSuggestions: Prisma.DuplicateSuggestionCreateManyInput[];
  };
  const counts: Record<string, number> = {};
  for (const [key, table, hasUpdatedAt] of TABLES_IN_INSERT_ORDER) {
    counts[key] = await insertRows(tx, table, data[key], hasUpdatedAt);
  }
  return counts;
}

type RowArrayKey = { [K in keyof DemoData]: DemoData[K] extends readonly object[] ? K : never }[keyof DemoData];

/** Parents before children, so every foreign key points at a row that is already there. */
const TABLES_IN_INSERT_ORDER: readonly [key: RowArrayKey, table: string, hasUpdatedAt: boolean][] = [
  ["organizations", "Organization", true],
  ["partners", "Partner", false],
  ["people", "Person", true],
  ["memberships", "Membership", true],
  ["socialAccounts", "SocialAccount", true],
  ["socialAccountSnapshots", "SocialAccountSnapshot", false],
  ["relationships", "Relationship", true],
  ["relationshipSides", "RelationshipSide", false],
  ["interactions", "Interaction", false],
  ["introductions", "Introduction", true],
  ["introductionLinks", "IntroductionLink", false],
  ["outcomes", "Outcome", true],
  ["outcomeIntroductions", "OutcomeIntroduction", false],
  ["duplicateSuggestions", "DuplicateSuggestion", true],
];

/**
 * Bulk insert through one JSON parameter per batch. Prisma's createMany builds every row in JavaScript (~0.4 ms a row),
 * which made a full load take a minute; json_populate_recordset lets PostgreSQL (and PGlite) do the conversion, with
 * the same casts to enums, arrays, jsonb and numeric, and the same constraints checked.
 */
async function insertRows(
  tx: Prisma.TransactionClient,
  table: string,
  rows: readonly object[],
  hasUpdatedAt: boolean,
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]!).map((column) => `"${column}"`);
  const sql =
    // @updatedAt columns have no database default (Prisma fills them in), so the insert supplies them.
    `INSERT INTO "${table}" (${[...columns, ...(hasUpdatedAt ? ['"updatedAt"'] : [])].join(", ")}) ` +
    `SELECT ${[...columns, ...(hasUpdatedAt ? ["CURRENT_TIMESTAMP"] : [])].join(", ")} ` +
    `FROM json_populate_recordset(NULL::"${table}", $1::json)`;
  let written = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_BATCH) {
    written += await tx.$executeRawUnsafe(sql, JSON.stringify(rows.slice(start, start + ROWS_PER_BATCH)));
  }
  return written;
}

/**
 * Planner statistics for freshly loaded tables. Nothing else provides them here: PGlite has no autovacuum, and without
 * statistics the planner picks nested loops that turn millisecond queries into seconds.
 */
export async function analyzeTables(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe("ANALYZE");
}

async function eraseAll(tx: Prisma.TransactionClient): Promise<void> {
  const tables = await tx.$queryRawUnsafe<{ tablename: string }[]>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
  );
  if (tables.length === 0) return;
  // Credit history refuses TRUNCATE to everyone; reloading the demo throws the whole database away, so the owner
  // lifts that trigger for this one statement.
  const history = tables.some(({ tablename }) => tablename === "CreditHistory");
  if (history) await tx.$executeRawUnsafe(`ALTER TABLE "CreditHistory" DISABLE TRIGGER "CreditHistory_no_truncate"`);
  await tx.$executeRawUnsafe(`TRUNCATE ${tables.map(({ tablename }) => `"${tablename}"`).join(", ")} CASCADE`);
  if (history) await tx.$executeRawUnsafe(`ALTER TABLE "CreditHistory" ENABLE TRIGGER "CreditHistory_no_truncate"`);
}
