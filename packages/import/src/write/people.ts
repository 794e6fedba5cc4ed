// Writes people and organizations: match conservatively (own id, profile URL or exact email for people; own id, domain
// or case-insensitive name for organizations), update what changed, create the rest, and record likely duplicates
// as DuplicateSuggestion rows instead of merging them. People and organizations are shared public records, whoever
// imports them.
import { type Batch, json, NOW_UTC } from "./batch.ts";
import { findOrganizationsByName, findPeopleByEmail } from "./resolve.ts";

/** Thrown when a concurrent writer created a row between lookup and insert: the batch is simply retried. */
export class RetryBatchError extends Error {
  override name = "RetryBatchError";
}

export interface PersonInput {
  index: number;
  /** The id a new person gets: derived from the file's key so a re-import finds it again. */
  detId: string;
  /** Where the file id → database id exception is kept when the match is an older record ("person:<file id>"). */
  fileKey?: string;
  displayName: string;
  email?: string;
  profileUrl?: string;
  headline?: string;
  location?: string;
  topics?: string[];
}

/** Returns the person id for each input index. */
export async function writePeople(batch: Batch, inputs: PersonInput[]): Promise<Map<number, string>> {
  const existing = new Map<number, string>();
  const candidateIds = inputs.map((input) => (input.fileKey && batch.key(input.fileKey)) || input.detId);
  const live = await batch.sql.$queryRawUnsafe<{ id: string; mergedIntoId: string | null }[]>(
    `SELECT id::text AS id, "mergedIntoId"::text AS "mergedIntoId" FROM "Person"
     WHERE id = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid)) AND "deletedAt" IS NULL`,
    json([...new Set(candidateIds)]),
  );
  const liveIds = new Map(live.map((row) => [row.id, row.mergedIntoId ?? row.id]));
  inputs.forEach((input, i) => {
    const id = liveIds.get(candidateIds[i]!);
    if (id) existing.set(input.index, id);
  });
  const byUrl = inputs.filter((input) => !existing.has(input.index) && input.profileUrl);
  if (byUrl.length > 0) {
    const rows = await batch.sql.$queryRawUnsafe<{ id: string; key: string; mergedIntoId: string | null }[]>(
      `SELECT id::text AS id, "profileUrl" AS key, "mergedIntoId"::text AS "mergedIntoId" FROM "Person"
       WHERE "profileUrl" = ANY(ARRAY(SELECT json_array_elements_text($1::json))) AND "deletedAt" IS NULL`,
      json([...new Set(byUrl.map((input) => input.profileUrl))]),
    );
    const ids = new Map(rows.map((row) => [row.key, row.mergedIntoId ?? row.id]));
    for (const input of byUrl) {
      const id = ids.get(input.profileUrl!);
      if (id) existing.set(input.index, id);
    }
  }
  const byEmail = inputs.filter((input) => !existing.has(input.index) && input.email);
  if (byEmail.length > 0) {
    const rows = await findPeopleByEmail(batch, [...new Set(byEmail.map((input) => input.email!))]);
    const ids = new Map(rows.map((row) => [row.key, row.mergedIntoId ?? row.id]));
    for (const input of byEmail) {
      const id = ids.get(input.email!);
      if (id) existing.set(input.index, id);
    }
  }

  // New people that share a URL or email within the batch are one person; the last row's values win.
  const result = new Map<number, string>();
  const fresh = new Map<string, PersonInput>();
  for (const input of inputs) {
    const id = existing.get(input.index);
    if (id) {
      result.set(input.index, id);
      continue;
    }
    const key = input.profileUrl
      ? `url:${input.profileUrl}`
      : input.email
        ? `email:${input.email}`
        : `id:${input.detId}`;
    const first = fresh.get(key);
    fresh.set(key, first ? { ...input, detId: first.detId } : input);
    result.set(input.index, first?.detId ?? input.detId);
  }

  const updates = new Map<string, PersonInput>();
  for (const input of inputs) {
    const id = existing.get(input.index);
    if (id) updates.set(id, input);
  }
  const updated = new Set<string>();
  // Partners may add people but not change existing ones (the API's updatePerson is for admins).
  if (updates.size > 0 && !batch.state.partnerId) {
    const rows = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "Person" AS p SET
         "displayName" = i."displayName",
         headline = COALESCE(i.headline, p.headline),
         location = COALESCE(i.location, p.location),
         topics = CASE WHEN i.topics IS NULL THEN p.topics ELSE ARRAY(SELECT json_array_elements_text(i.topics)) END,
         email = COALESCE(p.email, i.email),
         "profileUrl" = CASE WHEN p."profileUrl" IS NULL AND NOT EXISTS
           (SELECT 1 FROM "Person" x WHERE x."profileUrl" = i."profileUrl") THEN i."profileUrl" ELSE p."profileUrl" END,
         version = p.version + 1,
         "updatedAt" = ${NOW_UTC}
       FROM json_to_recordset($1::json) AS i(id uuid, "displayName" text, headline text, location text, topics json,
                                             email text, "profileUrl" text)
       WHERE p.id = i.id AND (
         p."displayName" IS DISTINCT FROM i."displayName"
         OR p.headline IS DISTINCT FROM COALESCE(i.headline, p.headline)
         OR p.location IS DISTINCT FROM COALESCE(i.location, p.location)
         OR (i.topics IS NOT NULL AND p.topics IS DISTINCT FROM ARRAY(SELECT json_array_elements_text(i.topics)))
         OR (p.email IS NULL AND i.email IS NOT NULL)
         OR (p."profileUrl" IS NULL AND i."profileUrl" IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM "Person" x WHERE x."profileUrl" = i."profileUrl")))
       RETURNING p.id::text AS id`,
      json([...updates].map(([id, input]) => personJson(id, input))),
    );
    for (const row of rows) updated.add(row.id);
  }

  const created = new Set<string>();
  if (fresh.size > 0) {
    const rows = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO "Person" (id, "displayName", headline, location, topics, email, "profileUrl", "updatedAt")
       SELECT i.id, i."displayName", i.headline, i.location, ARRAY(SELECT json_array_elements_text(i.topics)),
              i.email, i."profileUrl", ${NOW_UTC}
       FROM json_to_recordset($1::json) AS i(id uuid, "displayName" text, headline text, location text, topics json,
                                             email text, "profileUrl" text)
       ON CONFLICT DO NOTHING
       RETURNING id::text AS id`,
      json([...fresh.values()].map((input) => personJson(input.detId, input))),
    );
    for (const row of rows) created.add(row.id);
    if (created.size < fresh.size) throw new RetryBatchError("a person was created concurrently");
  }

  for (const input of inputs) {
    const id = result.get(input.index)!;
    batch.mark(input.index, created.has(id) ? "created" : updated.has(id) ? "updated" : "unchanged");
    if (input.fileKey && id !== input.detId) batch.keys.set(input.fileKey, id);
  }
  batch.count("people", created.size, updated.size);
  batch.wrote("people", created);
  batch.wrote("people", updated);
  if (created.size > 0) await suggestDuplicates(batch, [...created]);
  return result;
}

function personJson(id: string, input: PersonInput) {
  return {
    id,
    displayName: input.displayName,
    headline: input.headline ?? null,
    location: input.location ?? null,
    topics: input.topics ?? null,
    email: input.email ?? null,
    profileUrl: input.profileUrl ?? null,
  };
}

// Same name with whitespace and case folded; deliberately no fuzzier than that, since a suggestion costs an admin's time.
const NAME_KEY = (column: string) => `lower(regexp_replace(btrim(${column}), '\\s+', ' ', 'g'))`;

/** New people whose normalized name matches another live person: suggest, never merge (their keys differ). */
async function suggestDuplicates(batch: Batch, createdIds: string[]): Promise<void> {
  // The name key must be computed once per person and matched by hash. Rows inserted in this transaction have no
  // statistics yet, so the planner would pick a nested loop that evaluates the expression for every pair.
  await batch.sql.$executeRawUnsafe(`SET LOCAL enable_nestloop = off`);
  const count = await batch.sql.$executeRawUnsafe(
    `WITH fresh AS MATERIALIZED (
       SELECT id, ${NAME_KEY(`"displayName"`)} AS name_key FROM "Person"
       WHERE id = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid))
     ), candidates AS MATERIALIZED (
       SELECT id, ${NAME_KEY(`"displayName"`)} AS name_key FROM "Person"
       WHERE "deletedAt" IS NULL AND "mergedIntoId" IS NULL
     ), pairs AS (
       SELECT DISTINCT LEAST(f.id, c.id) AS a, GREATEST(f.id, c.id) AS b, f.name_key
       FROM fresh f JOIN candidates c ON c.name_key = f.name_key AND c.id <> f.id
     )
     INSERT INTO "DuplicateSuggestion" (id, "personAId", "personBId", reason, score, "updatedAt")
     SELECT md5(a::text || b::text)::uuid, a, b, 'same normalized name "' || name_key || '", different keys (import)', 0.5,
            ${NOW_UTC}
     FROM pairs
     ON CONFLICT ("personAId", "personBId") DO NOTHING`,
    json(createdIds),
  );
  await batch.sql.$executeRawUnsafe(`RESET enable_nestloop`);
  batch.count("duplicateSuggestions", count);
}

export interface OrganizationInput {
  index: number;
  detId: string;
  fileKey?: string;
  name: string;
  kind?: string;
  domain?: string;
  description?: string;
}

/** Returns the organization id for each input index. */
export async function writeOrganizations(batch: Batch, inputs: OrganizationInput[]): Promise<Map<number, string>> {
  const existing = new Map<number, { id: string; byName: boolean }>();
  const candidateIds = inputs.map((input) => (input.fileKey && batch.key(input.fileKey)) || input.detId);
  const live = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text AS id FROM "Organization"
     WHERE id = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid)) AND "deletedAt" IS NULL`,
    json([...new Set(candidateIds)]),
  );
  const liveIds = new Set(live.map((row) => row.id));
  inputs.forEach((input, i) => {
    if (liveIds.has(candidateIds[i]!)) existing.set(input.index, { id: candidateIds[i]!, byName: false });
  });
  const byDomain = inputs.filter((input) => !existing.has(input.index) && input.domain);
  if (byDomain.length > 0) {
    const rows = await batch.sql.$queryRawUnsafe<{ id: string; key: string }[]>(
      `SELECT id::text AS id, domain AS key FROM "Organization"
       WHERE domain = ANY(ARRAY(SELECT json_array_elements_text($1::json))) AND "deletedAt" IS NULL`,
      json([...new Set(byDomain.map((input) => input.domain))]),
    );
    const ids = new Map(rows.map((row) => [row.key, row.id]));
    for (const input of byDomain) {
      const id = ids.get(input.domain!);
      if (id) existing.set(input.index, { id, byName: false });
    }
  }
  const byName = inputs.filter((input) => !existing.has(input.index));
  if (byName.length > 0) {
    const ids = await findOrganizationsByName(batch, [...new Set(byName.map((input) => input.name.toLowerCase()))]);
    for (const input of byName) {
      const id = ids.get(input.name.toLowerCase());
      if (id) existing.set(input.index, { id, byName: true });
    }
  }

  const result = new Map<number, string>();
  const fresh = new Map<string, OrganizationInput>();
  const updates = new Map<string, OrganizationInput & { byName: boolean }>();
  for (const input of inputs) {
    const match = existing.get(input.index);
    if (match) {
      result.set(input.index, match.id);
      updates.set(match.id, { ...input, byName: match.byName });
      continue;
    }
    const key = input.domain ? `domain:${input.domain}` : `name:${input.name.toLowerCase()}`;
    const first = fresh.get(key);
    fresh.set(key, first ? { ...input, detId: first.detId } : input);
    result.set(input.index, first?.detId ?? input.detId);
  }

  const updated = new Set<string>();
  // As for people: a partner's import matches existing organizations but leaves them as they are.
  if (updates.size > 0 && !batch.state.partnerId) {
    // A name match, or a row without its own id (LinkedIn), keeps the stored spelling; an id or domain match takes the file's name.
    const rows = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "Organization" AS o SET
         name = COALESCE(i.name, o.name),
         kind = COALESCE(i.kind, o.kind),
         description = COALESCE(i.description, o.description),
         domain = CASE WHEN o.domain IS NULL AND NOT EXISTS (SELECT 1 FROM "Organization" x WHERE x.domain = i.domain)
                  THEN i.domain ELSE o.domain END,
         version = o.version + 1,
         "updatedAt" = ${NOW_UTC}
       FROM json_to_recordset($1::json) AS i(id uuid, name text, kind "OrganizationKind", description text, domain text)
       WHERE o.id = i.id AND (
         o.name IS DISTINCT FROM COALESCE(i.name, o.name)
         OR o.kind IS DISTINCT FROM COALESCE(i.kind, o.kind)
         OR o.description IS DISTINCT FROM COALESCE(i.description, o.description)
         OR (o.domain IS NULL AND i.domain IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM "Organization" x WHERE x.domain = i.domain)))
       RETURNING o.id::text AS id`,
      json(
        [...updates].map(([id, input]) => ({
          id,
          name: input.byName || !input.fileKey ? null : input.name,
          kind: input.kind ?? null,
          description: input.description ?? null,
          domain: input.domain ?? null,
        })),
      ),
    );
    for (const row of rows) updated.add(row.id);
  }

  const created = new Set<string>();
  if (fresh.size > 0) {
    const rows = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO "Organization" (id, name, kind, domain, description, "updatedAt")
       SELECT i.id, i.name, COALESCE(i.kind, 'COMPANY'), i.domain, i.description, ${NOW_UTC}
       FROM json_to_recordset($1::json) AS i(id uuid, name text, kind "OrganizationKind", domain text, description text)
       ON CONFLICT DO NOTHING
       RETURNING id::text AS id`,
      json(
        [...fresh.values()].map((input) => ({
          id: input.detId,
          name: input.name,
          kind: input.kind ?? null,
          domain: input.domain ?? null,
          description: input.description ?? null,
        })),
      ),
    );
    for (const row of rows) created.add(row.id);
    if (created.size < fresh.size) throw new RetryBatchError("an organization was created concurrently");
  }

  for (const input of inputs) {
    const id = result.get(input.index)!;
    batch.mark(input.index, created.has(id) ? "created" : updated.has(id) ? "updated" : "unchanged");
    if (input.fileKey && id !== input.detId) batch.keys.set(input.fileKey, id);
    batch.organizationNames.set(input.name.toLowerCase(), id);
  }
  batch.count("organizations", created.size, updated.size);
  batch.wrote("organizations", created);
  batch.wrote("organizations", updated);
  return result;
}
