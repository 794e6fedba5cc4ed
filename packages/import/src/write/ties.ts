// Writes the ties between people: memberships, relationships (canonical pair + both RelationshipSide rows) and the
// interactions that are their evidence, recomputing strength from that evidence with computeStrength.
import {
  computeStrength,
  initiatorSide,
  type StrengthEvidence,
  type StrengthInteraction,
} from "@intrograph/db/strength";
import { uuidv7 } from "../ids.ts";
import { type Batch, iso, json, notOwnedIds, NOW_UTC, pgArray, recordOwner, utc } from "./batch.ts";

export interface MembershipInput {
  index: number;
  personId: string;
  organizationId: string;
  title?: string;
  isDecisionMaker?: boolean;
  since?: Date;
  until?: Date;
}

export async function writeMemberships(batch: Batch, inputs: MembershipInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const byPair = lastByKey(inputs, (input) => `${input.personId}:${input.organizationId}`);
  const rows = [...byPair.values()].map((input) => ({
    id: uuidv7(),
    personId: input.personId,
    organizationId: input.organizationId,
    title: input.title ?? null,
    isDecisionMaker: input.isDecisionMaker ?? null,
    since: iso(input.since),
    until: iso(input.until),
  }));
  const recordset = `json_to_recordset($1::json) AS i(id uuid, "personId" uuid, "organizationId" uuid, title text,
    "isDecisionMaker" boolean, since timestamptz, until timestamptz)`;
  const updated = await batch.sql.$queryRawUnsafe<{ id: string; key: string }[]>(
    `UPDATE "Membership" AS m SET
       title = COALESCE(i.title, m.title),
       "isDecisionMaker" = COALESCE(i."isDecisionMaker", m."isDecisionMaker"),
       since = COALESCE(${utc("i.since")}, m.since),
       until = COALESCE(${utc("i.until")}, m.until),
       version = m.version + 1,
       "updatedAt" = ${NOW_UTC}
     FROM ${recordset}
     WHERE m."personId" = i."personId" AND m."organizationId" = i."organizationId" AND (
       m.title IS DISTINCT FROM COALESCE(i.title, m.title)
       OR m."isDecisionMaker" IS DISTINCT FROM COALESCE(i."isDecisionMaker", m."isDecisionMaker")
       OR m.since IS DISTINCT FROM COALESCE(${utc("i.since")}, m.since)
       OR m.until IS DISTINCT FROM COALESCE(${utc("i.until")}, m.until))
     RETURNING m.id::text AS id, m."personId"::text || ':' || m."organizationId"::text AS key`,
    json(rows),
  );
  const created = await batch.sql.$queryRawUnsafe<{ id: string; key: string }[]>(
    `INSERT INTO "Membership" (id, "personId", "organizationId", title, "isDecisionMaker", since, until, "updatedAt")
     SELECT i.id, i."personId", i."organizationId", i.title, COALESCE(i."isDecisionMaker", false), ${utc("i.since")},
            ${utc("i.until")}, ${NOW_UTC}
     FROM ${recordset}
     ON CONFLICT ("personId", "organizationId") DO NOTHING
     RETURNING id::text AS id, "personId"::text || ':' || "organizationId"::text AS key`,
    json(rows),
  );
  markByKey(batch, inputs, (input) => `${input.personId}:${input.organizationId}`, created, updated);
  batch.count("memberships", created.length, updated.length);
  batch.wrote(
    "memberships",
    [...created, ...updated].map((row) => row.id),
  );
}

export interface RelationshipInput {
  index: number;
  /** Canonical order: personAId < personBId. */
  personAId: string;
  personBId: string;
  kind?: string;
  since?: Date;
}

/** Orders a pair canonically; undefined for a person paired with themselves. */
export function canonicalPair(x: string, y: string): [string, string] | undefined {
  if (x === y) return undefined;
  return x < y ? [x, y] : [y, x];
}

/**
 * Creates relationships that do not exist yet in the import's scope (with both sides) and, unless `createOnly`,
 * updates the kind and since of relationships an import made earlier; relationships an admin or partner recorded are
 * left as they are. Relationships are unique per pair within a scope: an admin's import matches the public
 * relationship of a pair, a partner's import the partner's own private one — created beside a public one, or another
 * partner's, which it neither sees nor touches.
 */
export async function writeRelationships(
  batch: Batch,
  inputs: RelationshipInput[],
  options: { createOnly?: boolean } = {},
): Promise<void> {
  if (inputs.length === 0) return;
  const pairKey = (input: RelationshipInput) => `${input.personAId}:${input.personBId}`;
  // In pair order, so the unique index and the people's rows are visited in order, and concurrent batches take their
  // locks in the same order.
  const pairs = [...lastByKey(inputs, pairKey)].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  // A relationship without interactions scores the same for every `since` on a given day: compute each once. The
  // evidence of one `since` differs from another's in a field or two, so the first travels whole and the others as the
  // top-level fields that differ, merged back in SQL (`||` replaces top-level keys: the stored object is exactly
  // computeStrength's, whose evidence always has the same keys).
  let baseEvidence: StrengthEvidence | undefined;
  const evidence: Partial<StrengthEvidence>[] = [];
  const strengths: number[] = [];
  const bySince = new Map<number, { e: number; since: string | null }>();
  const columns = {
    id: [] as string[],
    a: [] as string[],
    b: [] as string[],
    kind: [] as (string | null)[],
    since: [] as (string | null)[],
    e: [] as number[],
    sideA: [] as string[],
    sideB: [] as string[],
  };
  for (const [, input] of pairs) {
    const sinceMs = input.since?.getTime() ?? Number.NaN;
    let scored = bySince.get(sinceMs);
    if (!scored) {
      const result = computeStrength([], {
        since: input.since ?? null,
        now: batch.state.now,
        halfLifeDays: batch.state.halfLifeDays,
      });
      scored = { e: evidence.length, since: iso(input.since) };
      baseEvidence ??= result.evidence;
      evidence.push(evidencePatch(baseEvidence, result.evidence));
      strengths.push(result.strength);
      bySince.set(sinceMs, scored);
    }
    columns.id.push(uuidv7());
    columns.a.push(input.personAId);
    columns.b.push(input.personBId);
    columns.kind.push(input.kind ?? null);
    columns.since.push(scored.since);
    columns.e.push(scored.e + 1);
    columns.sideA.push(uuidv7());
    columns.sideB.push(uuidv7());
  }
  const owner = recordOwner(batch.state, "r");
  // One statement writes the batch: the relationships, then both sides of those it created (a conflict there is an
  // error, not something to skip: a relationship must never lack a side). Only the rows that already existed come back.
  const [result] = await batch.sql.$queryRawUnsafe<{ sides: number; existing: string | null }[]>(
    `WITH i AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::"RelationshipKind"[], $5::timestamptz[], $6::int[],
         $7::uuid[], $8::uuid[]) WITH ORDINALITY AS i(id, a, b, kind, since, e, "sideA", "sideB", n)
     ), ev AS (
       SELECT ord::int AS e, ($10::float8[])[ord] AS strength, $11::jsonb || patch AS evidence
       FROM jsonb_array_elements($9::jsonb) WITH ORDINALITY AS t(patch, ord)
     ), ins AS (
       INSERT INTO "Relationship" (id, "personAId", "personBId", kind, status, source, "reportedByPartnerId", since, strength,
         "strengthEvidence", "updatedAt")
       SELECT i.id, i.a, i.b, COALESCE(i.kind, 'OTHER'), 'UNVERIFIED', ${owner.source}, ${owner.partner}, ${utc("i.since")},
         ev.strength, ev.evidence, ${NOW_UTC}
       FROM i JOIN ev USING (e)
       ON CONFLICT ("personAId", "personBId", "reportedByPartnerId") DO NOTHING
       RETURNING id, "personAId", "personBId"
     ), sides AS (
       INSERT INTO "RelationshipSide" (id, "relationshipId", "personId", "otherPersonId")
       SELECT i."sideA", ins.id, ins."personAId", ins."personBId" FROM ins JOIN i USING (id)
       UNION ALL
       SELECT i."sideB", ins.id, ins."personBId", ins."personAId" FROM ins JOIN i USING (id)
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM sides)::int AS sides,
       (SELECT string_agg((n - 1)::text, ',') FROM i WHERE id NOT IN (SELECT id FROM ins)) AS existing`,
    pgArray(columns.id),
    pgArray(columns.a),
    pgArray(columns.b),
    pgArray(columns.kind),
    pgArray(columns.since),
    pgArray(columns.e),
    pgArray(columns.sideA),
    pgArray(columns.sideB),
    json(evidence),
    pgArray(strengths),
    json(baseEvidence),
  );
  const existingPositions = result?.existing ? result.existing.split(",").map(Number) : [];
  const existing = existingPositions.map((position) => pairs[position]![1]);
  const existingKeys = new Set(existingPositions.map((position) => pairs[position]![0]));
  const createdPositions = pairs
    .map((_, position) => position)
    .filter((position) => !existingKeys.has(pairs[position]![0]));
  const created = createdPositions.map((position) => ({ key: pairs[position]![0] }));
  // Insert first: on a first import nothing is left to update, and the update's join is skipped entirely.
  let updated: { id: string; key: string }[] = [];
  if (!options.createOnly && existing.length > 0) {
    updated = await batch.sql.$queryRawUnsafe<{ id: string; key: string }[]>(
      `UPDATE "Relationship" AS r SET
         kind = COALESCE(i.kind, r.kind),
         since = COALESCE(${utc("i.since")}, r.since),
         version = r.version + 1,
         "updatedAt" = ${NOW_UTC}
       FROM json_to_recordset($1::json) AS i(a uuid, b uuid, kind "RelationshipKind", since timestamptz)
       WHERE r."personAId" = i.a AND r."personBId" = i.b AND ${owner.owns} AND r."deletedAt" IS NULL AND (
         r.kind IS DISTINCT FROM COALESCE(i.kind, r.kind) OR r.since IS DISTINCT FROM COALESCE(${utc("i.since")}, r.since))
       RETURNING r.id::text AS id, r."personAId"::text || ':' || r."personBId"::text AS key`,
      // JSON on purpose: the planner cannot see its size, so it probes the unique index per row; with an array's
      // known size it would hash-join against the whole (unanalyzed, growing) table.
      json(
        existing.map((input) => ({
          a: input.personAId,
          b: input.personBId,
          kind: input.kind ?? null,
          since: iso(input.since),
        })),
      ),
    );
    if (updated.length > 0) await refreshStrength(batch, { ids: updated.map((row) => row.id) });
  }

  markByKey(batch, inputs, pairKey, created, updated);
  batch.count("relationships", created.length, updated.length);
  batch.count("relationshipSides", result?.sides ?? 0);
  batch.wrote(
    "relationships",
    createdPositions.map((position) => columns.id[position]!),
  );
  batch.wrote(
    "relationships",
    updated.map((row) => row.id),
  );
}

/** The top-level fields of `evidence` that differ from `base`. */
function evidencePatch(base: StrengthEvidence, evidence: StrengthEvidence): Partial<StrengthEvidence> {
  if (base === evidence) return {};
  const patch: Record<string, unknown> = {};
  const before = base as Record<string, unknown>;
  for (const [key, value] of Object.entries(evidence)) {
    const old = before[key];
    if (value === old) continue;
    if (typeof value === "object" && value !== null && JSON.stringify(value) === JSON.stringify(old)) continue;
    patch[key] = value;
  }
  return patch as Partial<StrengthEvidence>;
}

export interface InteractionInput {
  index: number;
  id: string;
  externalId: string;
  personAId: string;
  personBId: string;
  kind: string;
  occurredAt: Date;
  weight?: number;
  initiatedById?: string;
  note?: string;
}

/**
 * Interactions need their relationship in the import's scope: one is created (kind OTHER) when the pair has none there
 * yet. A partner's interactions are evidence on its own private relationship of the pair, so they move nothing that
 * others see.
 */
export async function writeInteractions(batch: Batch, inputs: InteractionInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const pairKey = (input: { personAId: string; personBId: string }) => `${input.personAId}:${input.personBId}`;
  const pairs = lastByKey(inputs, pairKey);
  await writeRelationships(
    batch,
    [...pairs.values()].map((input) => ({ index: -1, personAId: input.personAId, personBId: input.personBId })),
    { createOnly: true },
  );
  batch.status.delete(-1);
  const owner = recordOwner(batch.state, "x");
  const byId = lastByKey(inputs, (input) => input.id);
  const rows = [...byId.values()].map((input) => ({
    id: input.id,
    externalId: input.externalId,
    a: input.personAId,
    b: input.personBId,
    kind: input.kind,
    occurredAt: input.occurredAt.toISOString(),
    weight: input.weight ?? 1,
    initiatedById: input.initiatedById ?? null,
    note: input.note ?? null,
  }));
  const recordset = `json_to_recordset($1::json) AS i(id uuid, "externalId" text, a uuid, b uuid, kind "InteractionKind",
    "occurredAt" timestamptz, weight float8, "initiatedById" uuid, note text)`;
  const updated = await batch.sql.$queryRawUnsafe<{ id: string; relationshipId: string }[]>(
    `UPDATE "Interaction" AS x SET
       kind = i.kind, "occurredAt" = ${utc(`i."occurredAt"`)}, weight = i.weight,
       "initiatedById" = i."initiatedById", note = i.note
     FROM ${recordset}
     WHERE x.id = i.id AND ${owner.owns} AND (
       x.kind IS DISTINCT FROM i.kind OR x."occurredAt" IS DISTINCT FROM ${utc(`i."occurredAt"`)}
       OR x.weight IS DISTINCT FROM i.weight OR x."initiatedById" IS DISTINCT FROM i."initiatedById"
       OR x.note IS DISTINCT FROM i.note)
     RETURNING x.id::text AS id, x."relationshipId"::text AS "relationshipId"`,
    json(rows),
  );
  const created = await batch.sql.$queryRawUnsafe<{ id: string; relationshipId: string }[]>(
    `INSERT INTO "Interaction" (id, "relationshipId", kind, "occurredAt", weight, "initiatedById", note, source,
       "reportedByPartnerId", "externalId")
     SELECT i.id, r.id, i.kind, ${utc(`i."occurredAt"`)}, i.weight, i."initiatedById", i.note, ${owner.source}, ${owner.partner},
       i."externalId"
     FROM ${recordset} JOIN "Relationship" r ON r."personAId" = i.a AND r."personBId" = i.b
       AND r."reportedByPartnerId" IS NOT DISTINCT FROM ${owner.partner}
     ON CONFLICT (id) DO NOTHING
     RETURNING id::text AS id, "relationshipId"::text AS "relationshipId"`,
    json(rows),
  );
  const createdIds = new Set(created.map((row) => row.id));
  const updatedIds = new Set(updated.map((row) => row.id));
  const foreign = await notOwnedIds(
    batch,
    "Interaction",
    [...byId.keys()].filter((id) => !createdIds.has(id) && !updatedIds.has(id)),
  );
  for (const input of inputs) {
    if (foreign.has(input.id))
      batch.reject(input.index, "this interaction id belongs to a record this import did not create; left unchanged");
    else
      batch.mark(
        input.index,
        createdIds.has(input.id) ? "created" : updatedIds.has(input.id) ? "updated" : "unchanged",
      );
  }
  batch.count("interactions", created.length, updated.length);
  batch.wrote(
    "interactions",
    [...created, ...updated].map((row) => row.id),
  );
  const touched = new Set([...created, ...updated].map((row) => row.relationshipId));
  if (touched.size > 0) await refreshStrength(batch, { ids: [...touched] });
}

interface EvidenceRow {
  id: string;
  personAId: string;
  personBId: string;
  sinceMs: number | null;
  occurredAtMs: number | null;
  weight: number | null;
  initiatedById: string | null;
}

/**
 * Recomputes strength (and lastInteractionAt) from a relationship's evidence — the interactions reported with the same
 * visibility as the tie (public ones for a public tie) — and writes only real changes.
 */
export async function refreshStrength(batch: Batch, target: { ids: string[] }): Promise<void> {
  const rows = await batch.sql.$queryRawUnsafe<EvidenceRow[]>(
    `SELECT r.id::text AS id, r."personAId"::text AS "personAId", r."personBId"::text AS "personBId",
            (extract(epoch FROM r.since) * 1000)::float8 AS "sinceMs",
            (extract(epoch FROM x."occurredAt") * 1000)::float8 AS "occurredAtMs", x.weight, x."initiatedById"::text AS "initiatedById"
     FROM "Relationship" r
     -- The evidence everyone who sees the tie may see: a public tie's strength never counts a partner's private reports.
     LEFT JOIN "Interaction" x ON x."relationshipId" = r.id
       AND x."reportedByPartnerId" IS NOT DISTINCT FROM r."reportedByPartnerId"
     WHERE r.id = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid))`,
    json(target.ids),
  );
  const byRelationship = new Map<
    string,
    { row: EvidenceRow; interactions: StrengthInteraction[]; lastMs: number | null }
  >();
  for (const row of rows) {
    let entry = byRelationship.get(row.id);
    if (!entry) {
      entry = { row, interactions: [], lastMs: null };
      byRelationship.set(row.id, entry);
    }
    if (row.occurredAtMs !== null && row.weight !== null) {
      entry.interactions.push({
        occurredAt: new Date(row.occurredAtMs),
        weight: row.weight,
        initiatedBySide: initiatorSide(row.initiatedById, row),
      });
      entry.lastMs = Math.max(entry.lastMs ?? row.occurredAtMs, row.occurredAtMs);
    }
  }
  const updates = [...byRelationship.values()].map(({ row, interactions, lastMs }) => {
    const { strength, evidence } = computeStrength(interactions, {
      since: row.sinceMs === null ? null : new Date(row.sinceMs),
      now: batch.state.now,
      halfLifeDays: batch.state.halfLifeDays,
    });
    return { id: row.id, strength, evidence, last: lastMs === null ? null : new Date(lastMs).toISOString() };
  });
  if (updates.length === 0) return;
  // Time decay moves strength a hair between two runs of the same file; below 1e-6 that is not a change.
  const changed = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Relationship" AS r SET strength = i.strength, "strengthEvidence" = i.evidence,
       "lastInteractionAt" = ${utc("i.last")}, "updatedAt" = ${NOW_UTC}
     FROM json_to_recordset($1::json) AS i(id uuid, strength float8, evidence jsonb, last timestamptz)
     WHERE r.id = i.id AND (abs(r.strength - i.strength) > 1e-6
       OR r."lastInteractionAt" IS DISTINCT FROM ${utc("i.last")})
     RETURNING r.id::text AS id`,
    json(updates),
  );
  batch.wrote(
    "relationships",
    changed.map((row) => row.id),
  );
}

function lastByKey<T>(items: T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return map;
}

function markByKey<T extends { index: number }>(
  batch: Batch,
  inputs: T[],
  key: (input: T) => string,
  created: { key: string }[],
  updated: { key: string }[],
): void {
  const createdKeys = new Set(created.map((row) => row.key));
  const updatedKeys = new Set(updated.map((row) => row.key));
  for (const input of inputs) {
    const k = key(input);
    batch.mark(input.index, createdKeys.has(k) ? "created" : updatedKeys.has(k) ? "updated" : "unchanged");
  }
}
