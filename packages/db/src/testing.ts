// Fresh, isolated databases for tests: an in-memory PGlite, or a new PostgreSQL database dropped afterwards.
// Migrating is the slow part of a new database, so a test run migrates once (`prepareTestTemplates`, from the test
// runner's global setup) and every test database starts as a copy of that migrated template.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import {
  type Database,
  type DatabaseKind,
  openDatabase,
  type OpenDatabaseOptions,
  pgliteConnection,
} from "./client.ts";
import { applyMigrations } from "./migrate.ts";

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export const databaseKinds: DatabaseKind[] = ["pglite", "postgres"];

// How the global setup tells the test processes where the templates are (environment variables reach them all).
const POSTGRES_TEMPLATE_VARIABLE = "INTROGRAPH_TEST_POSTGRES_TEMPLATE";
const PGLITE_TEMPLATE_VARIABLE = "INTROGRAPH_TEST_PGLITE_TEMPLATE";
const PGLITE_BLANK_VARIABLE = "INTROGRAPH_TEST_PGLITE_BLANK";

export interface TestDatabase extends Database {
  /** Closes the client and, for PostgreSQL, drops the database. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions extends Pick<OpenDatabaseOptions, "onQuery"> {
  /** Start from an empty database and migrate it, rather than copy the migrated template (for the runner's own tests). */
  fromScratch?: boolean;
}

export async function createTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { fromScratch = false, ...openOptions } = options;
  if (kind === "pglite") {
    const loadDataDir = await readDump(fromScratch ? PGLITE_BLANK_VARIABLE : PGLITE_TEMPLATE_VARIABLE);
    const database = await openDatabase({ ...openOptions, dataDir: "memory://", loadDataDir });
    return { ...database, drop: () => database.close() };
  }
  const template = fromScratch ? undefined : process.env[POSTGRES_TEMPLATE_VARIABLE];
  const name = uniqueName("intrograph_test");
  await withAdminClient((client) =>
    client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`),
  );
  const database = await openDatabase({ ...openOptions, databaseUrl: databaseUrl(name), maxConnections: 5 });
  return {
    ...database,
    drop: async () => {
      await database.close();
      await dropDatabase(name);
    },
  };
}

/** An empty in-memory PGlite, as after initdb (which the dump saves each caller from running). */
export async function openBlankPGlite(): Promise<PGlite> {
  const loadDataDir = await readDump(PGLITE_BLANK_VARIABLE);
  return PGlite.create("memory://", loadDataDir ? { loadDataDir } : {});
}

async function readDump(variable: string): Promise<Blob | undefined> {
  const file = process.env[variable];
  return file ? new Blob([await readFile(file)]) : undefined;
}

/**
 * Migrates one PostgreSQL template database and one PGlite data directory for this run, points
 * `createTestDatabase` (in this process and in every process started after) at them, and returns the cleanup.
 */
export async function prepareTestTemplates(): Promise<() => Promise<void>> {
  const [postgres, pglite] = await Promise.all([preparePostgresTemplate(), preparePGliteTemplate()]);
  process.env[POSTGRES_TEMPLATE_VARIABLE] = postgres.name;
  process.env[PGLITE_TEMPLATE_VARIABLE] = pglite.migrated;
  process.env[PGLITE_BLANK_VARIABLE] = pglite.blank;
  return async () => {
    delete process.env[POSTGRES_TEMPLATE_VARIABLE];
    delete process.env[PGLITE_TEMPLATE_VARIABLE];
    delete process.env[PGLITE_BLANK_VARIABLE];
    await Promise.all([postgres.remove(), pglite.remove()]);
  };
}

async function preparePostgresTemplate(): Promise<{ name: string; remove(): Promise<void> }> {
  const name = uniqueName("intrograph_template");
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  // The real runner, so the template is exactly what `openDatabase` would make; its client must be closed before
  // the template is copied (PostgreSQL refuses to copy a database somebody is connected to).
  const database = await openDatabase({ databaseUrl: databaseUrl(name), maxConnections: 1 });
  await database.close();
  return { name, remove: () => dropDatabase(name) };
}

/** Dumps of one PGlite data directory: blank (just after initdb) and migrated. */
async function preparePGliteTemplate(): Promise<{ blank: string; migrated: string; remove(): Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), "intrograph-test-"));
  // Uncompressed: loading a dump is what every test file does, and unpacking gzip would cost each of them time.
  const dump = async (pglite: PGlite, name: string) => {
    const file = path.join(directory, name);
    await writeFile(file, Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer()));
    return file;
  };
  const pglite = await PGlite.create("memory://");
  try {
    const blank = await dump(pglite, "blank.tar");
    await applyMigrations(pgliteConnection(pglite));
    const migrated = await dump(pglite, "migrated.tar");
    return { blank, migrated, remove: () => rm(directory, { recursive: true, force: true }) };
  } finally {
    await pglite.close();
  }
}

function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A connection to the test server's maintenance database, for creating and dropping databases. */
export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
