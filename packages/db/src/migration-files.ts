// Locates the Prisma schema and the SQL migration folders that ship with this package.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const schemaPath = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));
export const migrationsDir = fileURLToPath(new URL("../prisma/migrations", import.meta.url));

export interface MigrationFile {
  name: string;
  directory: string;
  sql: string;
  checksum: string;
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Migration folders in name (= timestamp) order. */
export async function listMigrations(): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const directory = path.join(migrationsDir, name);
      const sql = await readFile(path.join(directory, "migration.sql"), "utf8");
      return { name, directory, sql, checksum: checksumOf(sql) };
    }),
  );
}
