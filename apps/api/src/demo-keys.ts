// The demo's API keys, on the embedded database or PostgreSQL. Keys are stored hashed, so the only copy of the secrets
// is a file only its owner may read (mode 0600): beside the embedded database, or .data/demo-keys-<database>.json for
// PostgreSQL; INTROGRAPH_DEMO_KEYS_FILE chooses another path. The start command prints them at every start and
// `pnpm keys demo` on demand; keys that no longer work (revoked, or a database that was reset) are issued again.
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Database, defaultDataDir } from "@intrograph/db";
import { isApiKeyActive, issueApiKey } from "./modules/access/api-keys.ts";

export interface DemoKeys {
  admin: string;
  /** Empty when the database has no partner yet. */
  partner: string;
  partnerName: string;
}

export interface DemoKeysFile extends DemoKeys {
  file: string;
}

/** Where the demo keys of this database are kept; null for a throwaway in-memory database. */
export function demoKeysFile(database: Pick<Database, "kind" | "location">, env = process.env): string | null {
  if (env.INTROGRAPH_DEMO_KEYS_FILE) return path.resolve(env.INTROGRAPH_DEMO_KEYS_FILE);
  if (database.kind === "pglite")
    return database.location.startsWith("memory://")
      ? null
      : path.join(path.dirname(database.location), "demo-keys.json");
  const url = new URL(database.location);
  const name = `${url.hostname}-${url.port || "5432"}-${decodeURIComponent(url.pathname.slice(1))}`;
  return path.join(path.dirname(defaultDataDir), `demo-keys-${name.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
}

/** Reads the file, first taking read access away from everyone but its owner if a copy or an editor gave it. */
async function readKeys(file: string): Promise<DemoKeys | null> {
  const info = await stat(file).catch(() => null);
  if (!info) return null;
  if (info.mode & 0o077) {
    await chmod(file, 0o600);
    console.warn(`${file} was readable by others: it holds API keys, so it is now readable by its owner only`);
  }
  try {
    const keys = JSON.parse(await readFile(file, "utf8")) as Partial<DemoKeys>;
    return typeof keys.admin === "string"
      ? { admin: keys.admin, partner: keys.partner ?? "", partnerName: keys.partnerName ?? "" }
      : null;
  } catch {
    return null;
  }
}

async function writeKeys(file: string, keys: DemoKeys): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only to a file writeFile creates.
  await chmod(file, 0o600);
}

/** The demo keys of this database: the file's when they still work, else newly issued ones (and the file rewritten). */
export async function ensureDemoKeys(
  database: Database,
  file: string | null = demoKeysFile(database),
): Promise<DemoKeysFile | null> {
  if (!file) return null;
  const { prisma } = database;
  const stored = await readKeys(file);
  const adminWorks = stored ? await isApiKeyActive(prisma, stored.admin) : false;
  const partnerWorks = stored?.partner ? await isApiKeyActive(prisma, stored.partner) : false;
  const partner = partnerWorks ? null : await prisma.partner.findFirst({ orderBy: { slug: "asc" } });
  if (stored && adminWorks && (partnerWorks || !partner)) return { ...stored, file };

  const keys: DemoKeys = {
    admin: adminWorks
      ? stored!.admin
      : (await issueApiKey(prisma, { name: "demo admin", scopes: ["admin"], createdBy: "start" })).key,
    partner: partnerWorks ? stored!.partner : "",
    partnerName: partnerWorks ? stored!.partnerName : (partner?.name ?? ""),
  };
  if (!partnerWorks && partner)
    keys.partner = (
      await issueApiKey(prisma, {
        name: `demo ${partner.name}`,
        scopes: ["partner"],
        partnerId: partner.id,
        createdBy: "start",
      })
    ).key;
  await writeKeys(file, keys);
  return { ...keys, file };
}

/** The lines the start command and `pnpm keys demo` print. */
export function describeDemoKeys(keys: DemoKeysFile): string {
  const lines = [`Demo API keys (send as "Authorization: Bearer <key>"; kept in ${keys.file}, readable by you only):`];
  lines.push(`  admin    ${keys.admin}`);
  if (keys.partner) lines.push(`  partner  ${keys.partner}  (${keys.partnerName})`);
  return lines.join("\n");
}
