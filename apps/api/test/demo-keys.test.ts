// Demo keys on PostgreSQL as on the embedded database: issued once into a file only its owner can read, the same keys
// at every start, issued again when they stop working, and printed by `pnpm keys demo`.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDataDir } from "@intrograph/db";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { demoKeysFile, ensureDemoKeys } from "../src/demo-keys.ts";
import { ApiKeyVerifier, isApiKeyActive } from "../src/modules/access/api-keys.ts";

const apiDir = fileURLToPath(new URL("..", import.meta.url));

describe("demo keys on PostgreSQL", () => {
  let database: TestDatabase;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    await database.prisma.partner.create({ data: { slug: "acme-crm", name: "Acme CRM" } });
    dir = await mkdtemp(path.join(tmpdir(), "intrograph-demo-keys-"));
    file = path.join(dir, "nested", "demo-keys.json");
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("keeps them beside the embedded database, per PostgreSQL database under .data/, or where configured", () => {
    expect(demoKeysFile({ kind: "pglite", location: "/srv/intrograph/pglite" }, {})).toBe(
      "/srv/intrograph/demo-keys.json",
    );
    expect(demoKeysFile({ kind: "pglite", location: "memory://" }, {})).toBeNull();
    expect(demoKeysFile({ kind: "postgres", location: "postgresql://postgres@db.example:6543/intro" }, {})).toBe(
      path.join(path.dirname(defaultDataDir), "demo-keys-db.example-6543-intro.json"),
    );
    expect(
      demoKeysFile({ kind: "postgres", location: "postgresql://x@h/y" }, { INTROGRAPH_DEMO_KEYS_FILE: "/tmp/k.json" }),
    ).toBe("/tmp/k.json");
  });

  it("issues working keys once, into a file only its owner can read, and answers the same keys at the next start", async () => {
    const first = await ensureDemoKeys(database, file);
    expect(first).toMatchObject({ file, partnerName: "Acme CRM" });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const verifier = new ApiKeyVerifier(database.prisma);
    expect((await verifier.verify(first!.admin)).kind).toBe("admin");
    expect((await verifier.verify(first!.partner)).kind).toBe("partner");

    const again = await ensureDemoKeys(database, file);
    expect(again).toEqual(first);
    expect(await database.prisma.apiKey.count()).toBe(2);
  });

  it("issues a key again when the stored one stopped working, and closes a file others could read", async () => {
    const before = JSON.parse(await readFile(file, "utf8")) as { admin: string; partner: string };
    const prefix = before.admin.split("_")[1]!;
    await database.prisma.apiKey.update({ where: { prefix }, data: { revokedAt: new Date() } });
    await chmod(file, 0o644);
    const after = await ensureDemoKeys(database, file);
    expect(after?.admin).not.toBe(before.admin);
    expect(after?.partner).toBe(before.partner);
    expect(await isApiKeyActive(database.prisma, after!.admin)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8")).admin).toBe(after?.admin);

    // A file from another database (keys this one never issued) is replaced too.
    await writeFile(file, JSON.stringify({ admin: `ig_${"a".repeat(12)}_${"b".repeat(43)}`, partner: "" }));
    expect(await isApiKeyActive(database.prisma, (await ensureDemoKeys(database, file))!.admin)).toBe(true);
  });

  it("`pnpm keys demo` prints them for the configured database", async () => {
    const stored = JSON.parse(await readFile(file, "utf8")) as { admin: string; partner: string };
    if (database.connection.kind !== "postgres") throw new Error("expected PostgreSQL");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/keys.ts", "demo"], {
      cwd: apiDir,
      env: { ...process.env, DATABASE_URL: database.connection.url, INTROGRAPH_DEMO_KEYS_FILE: file },
      timeout: 60_000,
    });
    expect(stdout).toContain(`admin    ${stored.admin}`);
    expect(stdout).toContain(`partner  ${stored.partner}  (Acme CRM)`);
    expect(stdout).toContain(file);
  });
});
