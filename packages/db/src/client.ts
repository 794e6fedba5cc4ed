// Opens intrograph's database: embedded PGlite under .data/ by default, PostgreSQL when DATABASE_URL is set.
// Either way the migrations are applied first, so a caller always gets an up-to-date schema.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/prisma/client.ts";
import { applyMigrations, MIGRATION_LOCK_ID, type MigrationConnection } from "./migrate.ts";

export { Prisma, PrismaClient } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/client.ts";
export * from "./generated/prisma/enums.ts";

export const defaultDataDir = fileURLToPath(new URL("../../../.data/pglite", import.meta.url));

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Where the data lives: a directory for PGlite, the URL without password for PostgreSQL. */
  location: string;
  /**
   * How other clients reach the same data: PostgreSQL's connection string (for the job runner's and graph worker's
   * own connections), or the embedded PGlite instance, which only this process may use.
   */
  connection: { kind: "postgres"; url: string } | { kind: "pglite"; pglite: PGlite };
  close(): Promise<void>;
}

/** One SQL statement the client ran: its text, its parameters (a JSON array) and how long it took. */
export interface QueryEvent {
  query: string;
  params: string;
  durationMs: number;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; defaults to DATABASE_URL. When absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or "memory://" for a throwaway database; defaults to INTROGRAPH_DATA_DIR or .data/pglite. */
  dataDir?: string | undefined;
  /** A PGlite dump (`dumpDataDir`) to start from instead of an empty data directory; migrations still apply on top. */
  loadDataDir?: Blob | undefined;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /** Hook for tests and metrics: observe every SQL statement the client runs. */
  onQuery?: (event: QueryEvent) => void;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const databaseUrl = options.databaseUrl ?? (options.dataDir ? undefined : process.env.DATABASE_URL);
  return databaseUrl
    ? openPostgres(databaseUrl, options)
    : openPGlite(options.dataDir ?? process.env.INTROGRAPH_DATA_DIR ?? defaultDataDir, options);
}

export function pgliteConnection(pglite: PGlite): MigrationConnection {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
    exec: async (script) => {
      await pglite.exec(script);
    },
    // A PGlite directory can only be opened by one process, so there is nobody to lock out.
    withLock: (work) => work(),
  };
}

export function postgresConnection(client: pg.ClientBase): MigrationConnection {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    exec: async (script) => {
      await client.query(script);
    },
    withLock: async (work) => {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
      }
    },
  };
}

function withQueryLog(prisma: PrismaClient, onQuery: OpenDatabaseOptions["onQuery"]): PrismaClient {
  if (!onQuery) return prisma;
  prisma.$on("query" as never, (event: { query: string; params: string; duration: number }) =>
    onQuery({ query: event.query, params: event.params, durationMs: event.duration }),
  );
  return prisma;
}

async function openPGlite(dataDir: string, options: OpenDatabaseOptions): Promise<Database> {
  if (!dataDir.startsWith("memory://")) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  await applyMigrations(pgliteConnection(pglite));
  const prisma = withQueryLog(
    new PrismaClient({
      adapter: new PrismaPGlite(pglite),
      log: options.onQuery ? [{ emit: "event", level: "query" }] : [],
    }),
    options.onQuery,
  );
  return {
    kind: "pglite",
    prisma,
    location: dataDir,
    connection: { kind: "pglite", pglite },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** Creates the database named in the URL when the server does not have it yet, so a first start just works. */
async function connectCreatingDatabase(databaseUrl: string): Promise<pg.Client> {
  const first = new pg.Client({ connectionString: databaseUrl });
  try {
    await first.connect();
    return first;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error;
  }
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
      if (error.code !== "42P04") throw error; // created meanwhile by another process
    });
  } finally {
    await admin.end();
  }
  const created = new pg.Client({ connectionString: databaseUrl });
  await created.connect();
  return created;
}

async function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): Promise<Database> {
  const client = await connectCreatingDatabase(databaseUrl);
  try {
    await applyMigrations(postgresConnection(client));
  } finally {
    await client.end();
  }
  const prisma = withQueryLog(
    new PrismaClient({
      // JIT off: the planner's cost estimates for joins over recursive chains and topic communities exceed its
      // threshold, and compiling took a second where running took a hundred milliseconds (measured at 10×).
      adapter: new PrismaPg({
        connectionString: databaseUrl,
        max: options.maxConnections ?? 10,
        options: "-c jit=off",
      }),
      log: options.onQuery ? [{ emit: "event", level: "query" }] : [],
    }),
    options.onQuery,
  );
  const url = new URL(databaseUrl);
  url.password = "";
  return {
    kind: "postgres",
    prisma,
    location: url.toString(),
    connection: { kind: "postgres", url: databaseUrl },
    close: () => prisma.$disconnect(),
  };
}
