// API keys: `ig_<prefix>_<secret>`. Only a scrypt hash of the secret is stored; the prefix finds the row and is safe to
// show in lists and logs. Verified keys are cached briefly so the slow hash is not paid on every request.
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { Database } from "@intrograph/db";
import type { Viewer } from "../../context.ts";

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export type ApiKeyScope = "admin" | "partner";

const KEY_PATTERN = /^ig_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

export interface IssuedApiKey {
  id: string;
  /** The full key: shown once, never stored. */
  key: string;
  prefix: string;
}

async function hashSecret(secret: string, salt: Buffer): Promise<string> {
  const derived = await scryptAsync(secret, salt, 32);
  return `scrypt$${salt.toString("base64url")}$${derived.toString("base64url")}`;
}

async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, expected] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !expected) return false;
  const derived = await scryptAsync(secret, Buffer.from(salt, "base64url"), 32);
  const expectedBytes = Buffer.from(expected, "base64url");
  return expectedBytes.length === derived.length && timingSafeEqual(derived, expectedBytes);
}

export async function issueApiKey(
  // Only the apiKey delegate, so a transaction client works as well as the full client.
  prisma: Pick<Database["prisma"], "apiKey">,
  input: {
    name: string;
    scopes: ApiKeyScope[];
    partnerId?: string | null;
    expiresAt?: Date | null;
    createdBy?: string;
  },
): Promise<IssuedApiKey> {
  const prefix = randomBytes(9)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "0")
    .slice(0, 12);
  const secret = randomBytes(32).toString("base64url");
  const row = await prisma.apiKey.create({
    data: {
      name: input.name,
      prefix,
      secretHash: await hashSecret(secret, randomBytes(16)),
      scopes: input.scopes,
      partnerId: input.partnerId ?? null,
      expiresAt: input.expiresAt ?? null,
      createdBy: input.createdBy ?? null,
    },
  });
  return { id: row.id, key: `ig_${prefix}_${secret}`, prefix };
}

/** Whether a key would be accepted now (known, secret matches, not revoked or expired), without marking it used. */
export async function isApiKeyActive(
  prisma: Pick<Database["prisma"], "apiKey">,
  key: string,
  now = new Date(),
): Promise<boolean> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return false;
  const row = await prisma.apiKey.findUnique({ where: { prefix: match[1]! } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return false;
  return secretMatches(match[2]!, row.secretHash);
}

export class InvalidApiKeyError extends Error {}

interface CachedKey {
  viewer: Viewer;
  expiresAt: number;
}

const VERIFIED_KEY_TTL_MS = 30_000;

/** Where revocations travel between API processes (see revocations.ts); without one, each process is on its own. */
export interface RevocationChannel {
  /** Tells every other process (best effort: their cache expires within 30 s regardless). */
  announce(apiKeyId: string): Promise<void>;
  /** Calls `forget` for each revocation another process announces, and `forgetAll` when announcements may be lost. */
  listen(handlers: { forget(apiKeyId: string): void; forgetAll(): void }): Promise<void>;
}

/** Resolves `Authorization: Bearer <key>` to a viewer; throws InvalidApiKeyError for unknown, revoked or expired keys. */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CachedKey>();
  private listening: Promise<void> | null = null;

  constructor(
    private readonly prisma: Database["prisma"],
    private readonly revocations: RevocationChannel | null = null,
  ) {}

  /** Starts hearing other processes' revocations (once). */
  start(): Promise<void> {
    this.listening ??= this.revocations
      ? this.revocations.listen({ forget: (id) => this.forgetHere(id), forgetAll: () => this.cache.clear() })
      : Promise.resolve();
    return this.listening;
  }

  async verify(key: string, now = new Date()): Promise<Viewer> {
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now.getTime()) return cached.viewer;
    this.cache.delete(key);

    const match = KEY_PATTERN.exec(key);
    if (!match) throw new InvalidApiKeyError("malformed API key");
    const [, prefix, secret] = match as unknown as [string, string, string];
    const row = await this.prisma.apiKey.findUnique({ where: { prefix } });
    if (!row || !(await secretMatches(secret, row.secretHash))) throw new InvalidApiKeyError("unknown API key");
    if (row.revokedAt) throw new InvalidApiKeyError("this API key was revoked");
    if (row.expiresAt && row.expiresAt <= now) throw new InvalidApiKeyError("this API key has expired");

    await this.prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    const viewer: Viewer = row.scopes.includes("admin")
      ? { kind: "admin", apiKeyId: row.id, label: `key:${row.prefix}` }
      : { kind: "partner", apiKeyId: row.id, partnerId: row.partnerId ?? undefined, label: `key:${row.prefix}` };
    // Cap the cache so a revoked key stops working within the TTL, even where no revocation channel tells.
    this.cache.set(key, {
      viewer,
      expiresAt: Math.min(now.getTime() + VERIFIED_KEY_TTL_MS, row.expiresAt?.getTime() ?? Infinity),
    });
    return viewer;
  }

  /** A key was revoked: refused from now on here, and, through the revocation channel, in every other process. */
  async forget(apiKeyId: string): Promise<void> {
    this.forgetHere(apiKeyId);
    await this.revocations?.announce(apiKeyId);
  }

  private forgetHere(apiKeyId: string): void {
    for (const [key, entry] of this.cache) if (entry.viewer.apiKeyId === apiKeyId) this.cache.delete(key);
  }
}
