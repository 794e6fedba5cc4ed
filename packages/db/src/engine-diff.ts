// Diffs two schema sources with Prisma's wasm schema engine: creates migrations and checks them for drift without the
// native engine, which cannot be downloaded everywhere. This wraps an internal Prisma API, pinned in package.json.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { listMigrations, migrationsDir, schemaPath } from "./migration-files.ts";

type SchemaSource = Record<string, unknown>;

interface WasmRuntime {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

interface WasmSchemaEngine {
  diff(params: Record<string, unknown>): Promise<{ exitCode: number; stdout?: string }>;
  free(): void;
}

async function loadSchemaEngine(): Promise<{
  SchemaEngine: { new: (...args: unknown[]) => Promise<WasmSchemaEngine> };
}> {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const bindings = await import(path.join(packageDir, "schema_engine_bg.js"));
  const wasmBytes = await readFile(path.join(packageDir, "schema_engine_bg.wasm"));
  // The base TypeScript config has no DOM lib, which is where WebAssembly's types live; the runtime has it.
  const wasm = (globalThis as unknown as { WebAssembly: WasmRuntime }).WebAssembly;
  const { instance } = await wasm.instantiate(wasmBytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return bindings;
}

/** Opens an empty in-memory PostgreSQL for the engine to work in. */
export type BlankDatabase = () => Promise<PGlite>;

const newBlankDatabase: BlankDatabase = () => PGlite.create("memory://");

/** The adapter's shadow database does not await `exec`, so a broken migration would fail later and obscurely. */
class AwaitingPGliteFactory extends PrismaPGlite {
  constructor(
    pglite: PGlite,
    private readonly blankDatabase: BlankDatabase,
  ) {
    super(pglite);
  }

  override async connectToShadowDb() {
    const shadow = await this.blankDatabase();
    const adapter = await new PrismaPGlite(shadow).connect();
    adapter.executeScript = async (script: string) => {
      await shadow.exec(script);
    };
    return adapter;
  }
}

/** Schema source for the migrations folder as it is on disk. */
export async function migrationsSource(): Promise<SchemaSource> {
  const migrations = await listMigrations();
  return {
    tag: "migrations",
    baseDir: migrationsDir,
    lockfile: {
      path: path.join(migrationsDir, "migration_lock.toml"),
      content: 'provider = "postgresql"\n',
    },
    migrationDirectories: migrations.map((migration) => ({
      path: migration.directory,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: migration.sql } },
    })),
    shadowDbInitScript: "",
  };
}

export async function schemaSource(): Promise<SchemaSource> {
  return { tag: "schemaDatamodel", files: [{ path: schemaPath, content: await readFile(schemaPath, "utf8") }] };
}

export const EMPTY_MIGRATION = "-- This is an empty migration.";

/**
 * SQL that takes the database from `from` to `to`; EMPTY_MIGRATION when they agree. `blankDatabase` opens the engine's
 * scratch databases (tests pass one that starts from a ready-made empty data directory instead of running initdb).
 */
export async function diffSchemas(
  from: SchemaSource,
  to: SchemaSource,
  blankDatabase: BlankDatabase = newBlankDatabase,
): Promise<string> {
  const { SchemaEngine } = await loadSchemaEngine();
  const pglite = await blankDatabase();
  const logs: string[] = [];
  const engine = await SchemaEngine.new(
    { datamodels: undefined },
    (message: string) => logs.push(message),
    bindMigrationAwareSqlAdapterFactory(new AwaitingPGliteFactory(pglite, blankDatabase)),
  );
  try {
    const result = await engine.diff({
      from,
      to,
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    // Roles without CREATE on the database cannot run this, and "public" always exists.
    return (result.stdout ?? "").replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, "").trim();
  } finally {
    engine.free();
    await pglite.close();
  }
}

/** What schema.prisma has that the migrations do not (EMPTY_MIGRATION when they agree). */
export async function pendingSchemaChanges(blankDatabase?: BlankDatabase): Promise<string> {
  return diffSchemas(await migrationsSource(), await schemaSource(), blankDatabase);
}
