// What the graph thread reads from the database: the whole graph in pages for a build, and the few rows an event
// touched for a patch. Plain SQL over a minimal reader, so it runs on the thread's own PostgreSQL connection or, on the
// embedded PGlite (which only the API thread may use), through the API thread. Columns come out as text, numbers and
// booleans only, so both drivers return the same values.
import { strengthAsOf } from "@intrograph/db/strength";
import type { MembershipRow, SharedGraphArrays, SharedRelationshipRow } from "@intrograph/graph";

export interface GraphReader {
  query<Row>(sql: string, params: unknown[]): Promise<Row[]>;
}

/** Rows per page of a build: short statements keep an embedded database's (and the API thread's) pauses short. */
const PAGE_SIZE = 10_000;
const FIRST_ID = "00000000-0000-0000-0000-000000000000";
/** Strength is in (0, 1] by construction; a stored 0 would be rejected by the snapshot, so it is floored. */
const MIN_STRENGTH = 1e-6;

export interface RelationshipRecord {
  id: string;
  personAId: string;
  personBId: string;
  status: string;
  owner: string | null;
  strength: number;
  /** The stored evidence's terms (null when the relationship has none): strength is aged from them. */
  computedAt: string | null;
  halfLifeDays: number | null;
  saturation: number | null;
  decayedScore: number | null;
  reciprocity: number | null;
  lifetimeWeight: number | null;
  tenureDays: number | null;
  minimum: number | null;
}

/** A relationship read for a patch, with whether it and both its people are still live. */
export interface TouchedRelationship extends RelationshipRecord {
  live: boolean;
  personAActive: boolean;
  personBActive: boolean;
}

export interface MembershipRecord {
  personId: string;
  organizationId: string;
  decisionMaker: boolean;
}

const RELATIONSHIP_COLUMNS = `r.id::text AS id, r."personAId"::text AS "personAId", r."personBId"::text AS "personBId",
  r.status::text AS status, r."reportedByPartnerId"::text AS owner, r.strength,
  r."strengthEvidence"->>'computedAt' AS "computedAt",
  (r."strengthEvidence"->>'halfLifeDays')::float8 AS "halfLifeDays",
  (r."strengthEvidence"->>'saturation')::float8 AS saturation,
  (r."strengthEvidence"->>'decayedScore')::float8 AS "decayedScore",
  (r."strengthEvidence"#>>'{reciprocity,factor}')::float8 AS reciprocity,
  (r."strengthEvidence"->>'lifetimeWeight')::float8 AS "lifetimeWeight",
  (r."strengthEvidence"->>'tenureDays')::float8 AS "tenureDays",
  (r."strengthEvidence"->>'minimum')::float8 AS minimum`;

/** A membership counts while it has not ended and its organization is not deleted. */
const CURRENT_MEMBERSHIP = `o."deletedAt" IS NULL AND (m.until IS NULL OR m.until > $1::timestamp)`;

/** Timestamps are stored as UTC without a zone, so "now" is passed the same way. */
const utc = (at: Date): string => at.toISOString().replace("Z", "");

/**
 * Strength as of `now`: the stored evidence aged to this instant (strengthAsOf), or the stored strength for a
 * relationship without evidence.
 */
export function strengthNow(record: RelationshipRecord, now: Date): number {
  const { computedAt, halfLifeDays, saturation, decayedScore, reciprocity, lifetimeWeight, tenureDays, minimum } =
    record;
  const strength =
    computedAt === null ||
    halfLifeDays === null ||
    saturation === null ||
    decayedScore === null ||
    reciprocity === null ||
    lifetimeWeight === null ||
    tenureDays === null ||
    minimum === null
      ? record.strength
      : strengthAsOf(
          {
            computedAt,
            halfLifeDays,
            saturation,
            decayedScore,
            reciprocity: { factor: reciprocity },
            lifetimeWeight,
            tenureDays,
            minimum,
          },
          now,
        );
  return Math.min(1, Math.max(MIN_STRENGTH, strength));
}

export function sharedRow(record: RelationshipRecord, now: Date): SharedRelationshipRow {
  return {
    personAId: record.personAId,
    personBId: record.personBId,
    strength: strengthNow(record, now),
    verified: record.status === "VERIFIED",
    owner: record.owner,
  };
}

async function* pages<Row extends { id: string }>(
  reader: GraphReader,
  sql: (after: string) => { text: string; params: unknown[] },
): AsyncGenerator<Row[]> {
  let after = FIRST_ID;
  for (;;) {
    const { text, params } = sql(after);
    const rows = await reader.query<Row>(text, params);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE_SIZE) return;
    after = rows.at(-1)!.id;
  }
}

/**
 * Everything a snapshot is built from — active people, live undisputed relationships between them (strength as of
 * `now`), their current memberships — as typed arrays of person indices: a build holds one page of row objects at a
 * time, never one object per relationship.
 */
export async function readGraph(reader: GraphReader, now: Date): Promise<SharedGraphArrays> {
  const personIds: string[] = [];
  for await (const page of pages<{ id: string }>(reader, (after) => ({
    text: `SELECT id::text AS id FROM "Person"
           WHERE "deletedAt" IS NULL AND "mergedIntoId" IS NULL AND id > $1::uuid ORDER BY id LIMIT ${PAGE_SIZE}`,
    params: [after],
  })))
    for (const row of page) personIds.push(row.id);
  const index = new Map(personIds.map((id, i) => [id, i]));
  const personA: number[] = [];
  const personB: number[] = [];
  const strength: number[] = [];
  const verified: number[] = [];
  const owners = new Map<number, string>();
  for await (const page of pages<RelationshipRecord>(reader, (after) => ({
    text: `SELECT ${RELATIONSHIP_COLUMNS} FROM "Relationship" r
           WHERE r."deletedAt" IS NULL AND r.status <> 'DISPUTED' AND r.id > $1::uuid ORDER BY r.id LIMIT ${PAGE_SIZE}`,
    params: [after],
  })))
    for (const record of page) {
      const a = index.get(record.personAId);
      const b = index.get(record.personBId);
      if (a === undefined || b === undefined) continue;
      if (record.owner !== null) owners.set(personA.length, record.owner);
      personA.push(a);
      personB.push(b);
      strength.push(strengthNow(record, now));
      verified.push(record.status === "VERIFIED" ? 1 : 0);
    }
  const memberships: MembershipRow[] = [];
  for await (const page of pages<MembershipRecord & { id: string }>(reader, (after) => ({
    text: `SELECT m.id::text AS id, m."personId"::text AS "personId", m."organizationId"::text AS "organizationId",
             m."isDecisionMaker" AS "decisionMaker"
           FROM "Membership" m JOIN "Organization" o ON o.id = m."organizationId"
           WHERE ${CURRENT_MEMBERSHIP} AND m.id > $2::uuid ORDER BY m.id LIMIT ${PAGE_SIZE}`,
    params: [utc(now), after],
  })))
    for (const row of page)
      if (index.has(row.personId))
        memberships.push({
          personId: row.personId,
          organizationId: row.organizationId,
          decisionMaker: row.decisionMaker,
        });
  return {
    personIds,
    personA: Int32Array.from(personA),
    personB: Int32Array.from(personB),
    strength: Float64Array.from(strength),
    verified: Uint8Array.from(verified),
    owners,
    memberships,
  };
}

/** Whether each person is active (not deleted, not merged); people not found are absent. */
export async function readPeople(reader: GraphReader, ids: readonly string[]): Promise<Map<string, boolean>> {
  const rows = await reader.query<{ id: string; active: boolean }>(
    `SELECT id::text AS id, ("deletedAt" IS NULL AND "mergedIntoId" IS NULL) AS active FROM "Person"
     WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.active]));
}

/** The records merged into these people. */
export async function readTombstones(reader: GraphReader, survivorIds: readonly string[]): Promise<string[]> {
  const rows = await reader.query<{ id: string }>(
    `SELECT id::text AS id FROM "Person" WHERE "mergedIntoId" = ANY($1::uuid[])`,
    [survivorIds],
  );
  return rows.map((row) => row.id);
}

const TOUCHED_RELATIONSHIPS = `SELECT ${RELATIONSHIP_COLUMNS}, r."deletedAt" IS NULL AS live,
    (pa."deletedAt" IS NULL AND pa."mergedIntoId" IS NULL) AS "personAActive",
    (pb."deletedAt" IS NULL AND pb."mergedIntoId" IS NULL) AS "personBActive"
  FROM "Relationship" r JOIN "Person" pa ON pa.id = r."personAId" JOIN "Person" pb ON pb.id = r."personBId"`;

export function readRelationships(reader: GraphReader, ids: readonly string[]): Promise<TouchedRelationship[]> {
  return reader.query(`${TOUCHED_RELATIONSHIPS} WHERE r.id = ANY($1::uuid[])`, [ids]);
}

/** Every relationship of these people, live or not. */
export function readRelationshipsOf(reader: GraphReader, personIds: readonly string[]): Promise<TouchedRelationship[]> {
  return reader.query(
    `${TOUCHED_RELATIONSHIPS} WHERE r."personAId" = ANY($1::uuid[]) OR r."personBId" = ANY($1::uuid[])`,
    [personIds],
  );
}

export async function readInteractionRelationships(
  reader: GraphReader,
  interactionIds: readonly string[],
): Promise<string[]> {
  const rows = await reader.query<{ id: string }>(
    `SELECT DISTINCT "relationshipId"::text AS id FROM "Interaction" WHERE id = ANY($1::uuid[])`,
    [interactionIds],
  );
  return rows.map((row) => row.id);
}

/** The people of these memberships, and the members of these organizations (past and present). */
export async function readMembers(
  reader: GraphReader,
  membershipIds: readonly string[],
  organizationIds: readonly string[],
): Promise<string[]> {
  const rows = await reader.query<{ id: string }>(
    `SELECT DISTINCT "personId"::text AS id FROM "Membership"
     WHERE id = ANY($1::uuid[]) OR "organizationId" = ANY($2::uuid[])`,
    [membershipIds, organizationIds],
  );
  return rows.map((row) => row.id);
}

export function readMembershipsOf(
  reader: GraphReader,
  personIds: readonly string[],
  now: Date,
): Promise<MembershipRecord[]> {
  return reader.query(
    `SELECT m."personId"::text AS "personId", m."organizationId"::text AS "organizationId",
       m."isDecisionMaker" AS "decisionMaker"
     FROM "Membership" m JOIN "Organization" o ON o.id = m."organizationId"
     WHERE ${CURRENT_MEMBERSHIP} AND m."personId" = ANY($2::uuid[])`,
    [utc(now), personIds],
  );
}
