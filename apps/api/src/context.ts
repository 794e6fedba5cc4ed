// What every resolver knows about a request: who is asking and which database serves it.
import type { Database } from "@intrograph/db";

export type ViewerKind = "anonymous" | "admin" | "partner";

export interface Viewer {
  kind: ViewerKind;
  apiKeyId?: string;
  /** Set for partner keys: the partner whose private reports this viewer may read and write. */
  partnerId?: string;
  /** A label for the audit log: the key's prefix, or "anonymous". */
  label: string;
}

// The Prisma client is kept behind an opaque handle: putting its full type in the context slows type-checking of every
// resolver (see plugin-prisma's setup notes). `prismaOf(ctx)` recovers it where a resolver needs it.
declare const databaseBrand: unique symbol;
export interface DatabaseHandle {
  readonly [databaseBrand]: true;
}

/** The cache of verified keys: revoking a key drops it here at once, and in every other process that hears of it. */
export interface ApiKeyCache {
  forget(apiKeyId: string): Promise<void>;
}

export interface Context {
  viewer: Viewer;
  db: DatabaseHandle;
  requestId: string;
  apiKeys: ApiKeyCache;
  /** The Last-Event-ID header of a reconnecting EventSource: where its subscription resumes. */
  lastEventId?: string | null;
}

export function databaseHandle(database: Database): DatabaseHandle {
  return database as unknown as DatabaseHandle;
}

export function prismaOf(ctx: { db: DatabaseHandle }): Database["prisma"] {
  return (ctx.db as unknown as Database).prisma;
}

export const anonymousViewer: Viewer = { kind: "anonymous", label: "anonymous" };
