// What one batch of rows is written with: the SQL runner (the batch's transaction), the import-wide state, and the
// batch's own results, which only reach the import-wide state after the transaction commits.
import { deterministicId } from "../ids.ts";
import type { ImportRecord } from "../records.ts";

/** The part of a Prisma (transaction) client the writers use: raw SQL, identical on PGlite and PostgreSQL. */
export interface SqlRunner {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** Timestamps are `timestamp(3)` holding UTC, as Prisma writes them; convert explicitly whatever the session zone. */
export const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export function utc(column: string): string {
  return `(${column} AT TIME ZONE 'UTC')`;
}

export function iso(value: Date | undefined): string | null {
  return value === undefined ? null : value.toISOString();
}

/** Row sets travel as one JSON parameter, unpacked with json_to_recordset: one statement for a whole batch. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * A column of a row set as a PostgreSQL array literal, for `unnest($1::uuid[], $2::text[], ...)`: cheaper for the
 * server to read than JSON objects, which it parses into a hash per row. Every string is quoted (so any text is
 * safe); null is NULL.
 */
export function pgArray(values: readonly (string | number | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    parts[i] =
      value === null || value === undefined
        ? "NULL"
        : typeof value === "number"
          ? String(value)
          : `"${/["\\]/.test(value) ? value.replace(/["\\]/g, "\\$&") : value}"`;
  }
  return `{${parts.join(",")}}`;
}

export const idList = `ARRAY(SELECT json_array_elements_text($1::json)::uuid)`;
export const textList = `ARRAY(SELECT json_array_elements_text($1::json))`;

export type RowStatus = "created" | "updated" | "unchanged";

export interface BatchRow<R extends ImportRecord = ImportRecord> {
  index: number;
  line: number;
  record: R;
}

export interface Owner {
  id: string;
  /** Organizations the owner is a current member of: a connection there is a colleague. */
  organizationIds: Set<string>;
}

/** A chain or outcome link whose other end was not in the database yet; retried when the file is done. */
export interface PendingLink {
  table: "IntroductionLink" | "OutcomeIntroduction";
  line: number;
  /** IntroductionLink: earlierId/laterId; OutcomeIntroduction: outcomeId/introductionId. */
  first: string;
  second: string;
  description: string;
}

export interface ImportState {
  source: string;
  /**
   * Set when a partner imports: its introductions, outcomes, interactions and relationships become its private reports
   * (source PARTNER), and existing people and organizations are matched but never changed (updating them is for admins).
   */
  partnerId?: string;
  now: Date;
  halfLifeDays: number;
  /** File id → database id, kept only where a row matched an existing record whose id is not the deterministic one. */
  keys: Map<string, string>;
  /** Lower-cased organization name → id, a bounded cache of name lookups. */
  organizationNames: Map<string, string>;
  /** Person ids known to exist (bounded): relationship files name the same people again and again. */
  knownPeople: Set<string>;
  /** Person file id → its deterministic id (bounded), so each is hashed once per run rather than once per reference. */
  personIds: Map<string, string>;
  owner?: Owner;
}

/** The deterministic id of a file row: namespaced by source, and by partner for a partner's import, so no two collide. */
export function importedId(state: Pick<ImportState, "source" | "partnerId">, kind: string, fileId: string): string {
  return state.partnerId
    ? deterministicId("partner", state.partnerId, state.source, kind, fileId)
    : deterministicId(state.source, kind, fileId);
}

/**
 * Who the rows this import writes belong to, as SQL literals for the `source` and `reportedByPartnerId` columns, and
 * the condition under which an existing row is this import's own (the only rows it may update).
 */
export function recordOwner(
  state: Pick<ImportState, "partnerId">,
  alias: string,
): { source: string; partner: string; owns: string } {
  if (!state.partnerId) {
    return {
      source: `'IMPORT'`,
      partner: "NULL::uuid",
      owns: `${alias}.source = 'IMPORT' AND ${alias}."reportedByPartnerId" IS NULL`,
    };
  }
  // A partner id reaches SQL only after this check: it is interpolated as a literal, like the other constants here.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(state.partnerId)) {
    throw new Error(`not a partner id: ${state.partnerId}`);
  }
  const partner = `'${state.partnerId.toLowerCase()}'::uuid`;
  return {
    source: `'PARTNER'`,
    partner,
    owns: `${alias}.source = 'PARTNER' AND ${alias}."reportedByPartnerId" = ${partner}`,
  };
}

/** Of `ids`, those of existing rows this import does not own (an admin's, another partner's): never to be changed. */
export async function notOwnedIds(
  batch: Batch,
  table: "Introduction" | "Outcome" | "Interaction",
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
    `SELECT t.id::text AS id FROM "${table}" t WHERE t.id = ANY(${idList}) AND NOT (${recordOwner(batch.state, "t").owns})`,
    json(ids),
  );
  return new Set(rows.map((row) => row.id));
}

/** The tables an import writes, in the order its report lists them. */
export const entityNames = [
  "people",
  "organizations",
  "memberships",
  "relationships",
  "relationshipSides",
  "interactions",
  "introductions",
  "introductionLinks",
  "outcomes",
  "outcomeIntroductions",
  "duplicateSuggestions",
  "socialAccounts",
] as const;

export type EntityName = (typeof entityNames)[number];

export type EntityCounts = Record<EntityName, { created: number; updated: number }>;

export function emptyEntityCounts(): EntityCounts {
  return Object.fromEntries(entityNames.map((name) => [name, { created: 0, updated: 0 }])) as EntityCounts;
}

/** The tables whose written ids a batch's `import.batch` event lists (the link tables are only counted). */
export const listedEntityNames = [
  "people",
  "organizations",
  "memberships",
  "relationships",
  "interactions",
  "introductions",
  "outcomes",
] as const;

export type ListedEntityName = (typeof listedEntityNames)[number];

const rank: Record<RowStatus, number> = { unchanged: 0, updated: 1, created: 2 };

export class Batch {
  readonly status = new Map<number, RowStatus>();
  readonly rejected = new Map<number, string>();
  readonly counts = emptyEntityCounts();
  readonly keys = new Map<string, string>();
  readonly organizationNames = new Map<string, string>();
  readonly knownPeople = new Set<string>();
  readonly pendingLinks: PendingLink[] = [];
  /** Links left out, with why (a chain link that would close a cycle): reported as warnings on their lines. */
  readonly skippedLinks: { line: number; reason: string }[] = [];
  /** Ids of the rows this batch created or changed (a relationship whose strength moved included). */
  readonly written = Object.fromEntries(listedEntityNames.map((name) => [name, new Set<string>()])) as Record<
    ListedEntityName,
    Set<string>
  >;
  /** Chain links this batch inserted: the later introduction of each IntroductionLink, the outcome of each OutcomeIntroduction. */
  readonly linkedIntroductions = new Set<string>();
  readonly linkedOutcomes = new Set<string>();

  constructor(
    readonly sql: SqlRunner,
    readonly state: ImportState,
  ) {}

  /** A row's status is the strongest of its entities': one created entity makes the row "created". */
  mark(index: number, status: RowStatus): void {
    const current = this.status.get(index);
    if (current === undefined || rank[status] > rank[current]) this.status.set(index, status);
  }

  reject(index: number, reason: string): void {
    this.rejected.set(index, reason);
  }

  isRejected(index: number): boolean {
    return this.rejected.has(index);
  }

  count(entity: EntityName, created: number, updated = 0): void {
    this.counts[entity].created += created;
    this.counts[entity].updated += updated;
  }

  wrote(entity: ListedEntityName, ids: Iterable<string>): void {
    const set = this.written[entity];
    for (const id of ids) set.add(id);
  }

  /** Whether the batch changed anything in the database. */
  changedAnything(): boolean {
    return (
      Object.values(this.counts).some((count) => count.created + count.updated > 0) ||
      listedEntityNames.some((name) => this.written[name].size > 0)
    );
  }

  key(name: string): string | undefined {
    return this.keys.get(name) ?? this.state.keys.get(name);
  }
}
