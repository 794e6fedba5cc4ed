// Webhook signing secrets: issued once to the endpoint's owner, stored so the dispatcher can sign with them, encrypted
// at rest with AES-256-GCM under the server's secret key. The key comes from INTROGRAPH_SECRET_KEY (32 bytes, base64 or
// hex); without it, a key is generated into a file only its owner may read (INTROGRAPH_SECRET_KEY_FILE, default
// .data/secret-key beside the demo keys), so the embedded start works out of the box and keeps working across restarts.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Database, defaultDataDir } from "@intrograph/db";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = "v1";

/** A secret in the Standard Webhooks form: "whsec_" and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== KEY_BYTES)
    throw new Error(`the secret key must be ${KEY_BYTES} bytes (base64 or hex); this one has ${key.length}`);
  return key;
}

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(text: string): SecretBox {
    return new SecretBox(parseKey(text));
  }

  /** A box with a key of its own, for a throwaway in-memory database. */
  static ephemeral(): SecretBox {
    return new SecretBox(randomBytes(KEY_BYTES));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((part) => (typeof part === "string" ? part : part.toString("base64")))
      .join(".");
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  }
}

/** Where the generated key of this database lives when INTROGRAPH_SECRET_KEY is not set; null for memory databases. */
export function secretKeyFile(database: Pick<Database, "kind" | "location">, env = process.env): string | null {
  if (env.INTROGRAPH_SECRET_KEY_FILE) return path.resolve(env.INTROGRAPH_SECRET_KEY_FILE);
  if (database.kind === "pglite")
    return database.location.startsWith("memory://") ? null : path.join(path.dirname(database.location), "secret-key");
  return path.join(path.dirname(defaultDataDir), "secret-key");
}

const boxes = new WeakMap<object, Promise<SecretBox>>();

/** The secret box of this database: the environment's key, else the key file's (created on first use). */
export function secretBoxFor(database: Database, env = process.env): Promise<SecretBox> {
  // Keyed by the connection, which the API's wrapped handle shares with the database it was made from.
  let box = boxes.get(database.connection);
  if (!box) {
    box = loadBox(database, env);
    boxes.set(database.connection, box);
  }
  return box;
}

async function loadBox(database: Database, env: NodeJS.ProcessEnv): Promise<SecretBox> {
  if (env.INTROGRAPH_SECRET_KEY) return SecretBox.fromKey(env.INTROGRAPH_SECRET_KEY);
  const file = secretKeyFile(database, env);
  if (!file) return SecretBox.ephemeral();
  const stored = await readFile(file, "utf8").catch(() => null);
  if (stored) return SecretBox.fromKey(stored);
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(KEY_BYTES).toString("base64");
  // "wx": two processes starting at once do not overwrite each other's key; the loser reads the winner's.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  await chmod(file, 0o600);
  return SecretBox.fromKey(await readFile(file, "utf8"));
}
