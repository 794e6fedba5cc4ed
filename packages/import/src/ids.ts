// Identifiers for imported rows: deterministic ids derived from a file's own keys (so a re-import finds the same rows
// without a lookup table) and time-ordered random ids for rows that are keyed by their content instead.
import { createHash, randomBytes } from "node:crypto";

/** A name-based UUID (version 5 layout over SHA-1): the same parts always give the same id. */
export function deterministicId(...parts: string[]): string {
  const hash = createHash("sha1")
    .update(`intrograph-import\u0000${parts.join("\u0000")}`)
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  return formatUuid(hash);
}

// Random bytes are drawn 64 KB at a time: one randomBytes call per id cost more than the rest of a row's import.
const POOL_SIZE = 65_536;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

/** A version 7 UUID like the schema's `uuid(7)` default, which Prisma fills in client-side and raw SQL must supply. */
export function uuidv7(now = Date.now()): string {
  if (poolOffset + 16 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
