// The embedded demo's API keys. Keys are stored hashed, so the only copy of the secrets is a file beside the embedded
// database (same trust as the database file itself); the start command prints them so a new user can sign in at once.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Database } from "@intrograph/db";
import { issueApiKey } from "./modules/access/api-keys.ts";

export interface DemoKeys {
  admin: string;
  partner: string;
  partnerName: string;
}

export async function ensureDemoKeys(database: Database): Promise<DemoKeys | null> {
  if (database.kind !== "pglite" || database.location.startsWith("memory://")) return null;
  const file = path.join(path.dirname(database.location), "demo-keys.json");
  const existing = await readFile(file, "utf8")
    .then((text) => JSON.parse(text) as DemoKeys)
    .catch(() => null);
  if (existing) return existing;
  const partner = await database.prisma.partner.findFirst({ orderBy: { slug: "asc" } });
  const admin = await issueApiKey(database.prisma, { name: "demo admin", scopes: ["admin"], createdBy: "start" });
  const partnerKey = partner
    ? await issueApiKey(database.prisma, {
        name: `demo ${partner.name}`,
        scopes: ["partner"],
        partnerId: partner.id,
        createdBy: "start",
      })
    : null;
  const keys: DemoKeys = { admin: admin.key, partner: partnerKey?.key ?? "", partnerName: partner?.name ?? "" };
  await writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}
