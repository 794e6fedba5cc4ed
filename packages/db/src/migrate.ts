// Applies the SQL migrations in prisma/migrations in name order, one transaction per file, and records them in Prisma's
// own `_prisma_migrations` table so Prisma Migrate agrees about what has been applied.
import { randomUUID } from "node:crypto";
import { listMigrations, type MigrationFile } from "./migration-files.ts";

/** The few things the runner needs from a connection, implemented for PGlite and for node-postgres. */
export interface MigrationConnection {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a multi-statement script. */
  exec(script: string): Promise<void>;
  /** Runs `work` while holding a lock that keeps other processes from migrating at the same time. */
  withLock<T>(work: () => Promise<T>): Promise<T>;
}

// Prisma Migrate's advisory lock id, so our runner and `prisma migrate deploy` never interleave.
export const MIGRATION_LOCK_ID = 72707369;

export class MigrationChecksumError extends Error {
  constructor(readonly migrationName: string) {
    super(`migration ${migrationName} was changed after it was applied; restore it and add a new migration instead`);
  }
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
}

/** Applies every migration not yet applied; returns the names it applied. */
export async function applyMigrations(
  connection: MigrationConnection,
  migrations?: MigrationFile[],
): Promise<string[]> {
  const files = migrations ?? (await listMigrations());
  return connection.withLock(async () => {
    // Created only when missing: an API running as a role that may not create tables (see the README) still starts.
    const [table] = await connection.query<{ present: boolean }>(
      `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
    );
    if (!table?.present) await connection.exec(CREATE_MIGRATIONS_TABLE);
    const applied = await connection.query<AppliedRow>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const appliedChecksums = new Map(applied.map((row) => [row.migration_name, row.checksum]));
    const newlyApplied: string[] = [];
    for (const migration of files) {
      const checksum = appliedChecksums.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) throw new MigrationChecksumError(migration.name);
        continue;
      }
      const id = randomUUID();
      await connection
        .exec(
          `BEGIN;\n${migration.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) ` +
            `VALUES ('${id}', '${migration.checksum}', '${migration.name.replace(/'/g, "''")}', now(), now(), 1);\nCOMMIT;`,
        )
        .catch(async (error: unknown) => {
          await connection.exec("ROLLBACK").catch(() => undefined);
          throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        });
      newlyApplied.push(migration.name);
    }
    // New tables and indexes start without planner statistics (PGlite never gathers them by itself).
    if (newlyApplied.length > 0) await connection.exec("ANALYZE");
    return newlyApplied;
  });
}
