// Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that brings the migrations up to schema.prisma.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { EMPTY_MIGRATION, pendingSchemaChanges } from "../src/engine-diff.ts";
import { migrationsDir } from "../src/migration-files.ts";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: pnpm --filter @intrograph/db migration:create <name>");
  process.exit(2);
}

const sql = await pendingSchemaChanges();
if (sql === EMPTY_MIGRATION || sql === "") {
  console.log("schema.prisma and the migrations agree: nothing to create.");
  process.exit(0);
}

const timestamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const directory = path.join(migrationsDir, `${timestamp}_${name}`);
await mkdir(directory, { recursive: true });
await writeFile(path.join(directory, "migration.sql"), `${sql}\n`);
await writeFile(path.join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
console.log(`created ${path.relative(process.cwd(), directory)}/migration.sql`);
