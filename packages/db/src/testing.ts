// Fresh, isolated databases for tests: an in-memory PGlite, or a new PostgreSQL database dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, type DatabaseKind, openDatabase, type OpenDatabaseOptions } from "./client.ts";

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export const databaseKinds: DatabaseKind[] = ["pglite", "postgres"];

export interface TestDatabase extends Database {
  /** Closes the client and, for PostgreSQL, drops the database. */
  drop(): Promise<void>;
}

export async function createTestDatabase(
  kind: DatabaseKind,
  options: Pick<OpenDatabaseOptions, "onQuery"> = {},
): Promise<TestDatabase> {
  if (kind === "pglite") {
    const database = await openDatabase({ ...options, dataDir: "memory://" });
    return { ...database, drop: () => database.close() };
  }
  const name = `intrograph_test_${randomBytes(6).toString("hex")}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ ...options, databaseUrl: url.toString(), maxConnections: 5 });
  return {
    ...database,
    drop: async () => {
      await database.close();
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
