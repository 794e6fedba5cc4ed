import pg from "pg";
import { describe, expect, it } from "vitest";
import { EMPTY_MIGRATION, pendingSchemaChanges } from "../src/engine-diff.ts";
import { postgresConnection } from "../src/client.ts";
import { applyMigrations, MigrationChecksumError } from "../src/migrate.ts";
import { listMigrations } from "../src/migration-files.ts";
import { createTestDatabase, databaseKinds, openBlankPGlite } from "../src/testing.ts";

describe("migrations", () => {
  it("agree with schema.prisma (run `pnpm --filter @intrograph/db migration:create <name>` when this fails)", async () => {
    expect(await pendingSchemaChanges(openBlankPGlite)).toBe(EMPTY_MIGRATION);
  });

  describe.each(databaseKinds)("on %s", (kind) => {
    it("apply once, record themselves in _prisma_migrations and enforce canonical relationship order", async () => {
      // From an empty database: the copies other tests get were migrated once, before the run.
      const database = await createTestDatabase(kind, { fromScratch: true });
      try {
        const rows = await database.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
          `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
        );
        expect(rows.map((row) => row.migration_name)).toEqual((await listMigrations()).map((m) => m.name));
        const [a, b] = await Promise.all([
          database.prisma.person.create({ data: { displayName: "A" } }),
          database.prisma.person.create({ data: { displayName: "B" } }),
        ]);
        const [low, high] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
        await expect(
          database.prisma.relationship.create({ data: { personAId: high, personBId: low } }),
        ).rejects.toThrow(/canonical_order|check constraint/i);
      } finally {
        await database.drop();
      }
    });
  });

  it("refuse a migration that changed after it was applied, and apply concurrently without duplicates", async () => {
    const database = await createTestDatabase("postgres");
    const url = new URL(database.location);
    try {
      const clients = await Promise.all(
        [0, 1, 2].map(async () => {
          const client = new pg.Client({ connectionString: url.toString() });
          await client.connect();
          return client;
        }),
      );
      const migrations = await listMigrations();
      // Already applied by createTestDatabase: three concurrent runners must all see nothing to do.
      const results = await Promise.all(
        clients.map((client) => applyMigrations(postgresConnection(client), migrations)),
      );
      expect(results).toEqual([[], [], []]);
      const tampered = migrations.map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
      await expect(applyMigrations(postgresConnection(clients[0]!), tampered)).rejects.toBeInstanceOf(
        MigrationChecksumError,
      );
      await Promise.all(clients.map((client) => client.end()));
    } finally {
      await database.drop();
    }
  });
});
