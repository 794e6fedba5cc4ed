// Turns the file's references (own ids, profile URLs, emails, domains, names) into database ids, a few set-based
// queries per batch. A merged person resolves to the person it was merged into.
import type { OrganizationRef, PersonRef } from "../records.ts";
import { type Batch, idList, importedId, json, textList } from "./batch.ts";

export function personRefKey(ref: PersonRef): string {
  return ref.kind === "file" ? `file:${ref.id}` : ref.kind === "url" ? `url:${ref.url}` : `email:${ref.email}`;
}

export function describePersonRef(ref: PersonRef): string {
  return ref.kind === "file"
    ? `person "${ref.id}"`
    : ref.kind === "url"
      ? `person ${ref.url}`
      : `person <${ref.email}>`;
}

const PERSON_ID_CACHE = 500_000;

export function personFileId(batch: Batch, fileId: string): string {
  const matched = batch.key(`person:${fileId}`);
  if (matched !== undefined) return matched;
  const cache = batch.state.personIds;
  let id = cache.get(fileId);
  if (id === undefined) {
    id = importedId(batch.state, "person", fileId);
    if (cache.size >= PERSON_ID_CACHE) cache.clear();
    cache.set(fileId, id);
  }
  return id;
}

export function organizationFileId(batch: Batch, fileId: string): string {
  return batch.key(`organization:${fileId}`) ?? importedId(batch.state, "organization", fileId);
}

interface PersonRow {
  id: string;
  key: string;
  mergedIntoId: string | null;
}

/** Resolves each distinct reference once; a reference with no live person is absent from the result. */
export async function resolvePeople(batch: Batch, refs: Iterable<PersonRef>): Promise<Map<string, string>> {
  const byFileId = new Map<string, string[]>();
  const urls = new Set<string>();
  const emails = new Set<string>();
  for (const ref of refs) {
    if (ref.kind === "file") {
      const id = personFileId(batch, ref.id);
      const fileIds = byFileId.get(id);
      if (fileIds) fileIds.push(ref.id);
      else byFileId.set(id, [ref.id]);
    } else if (ref.kind === "url") urls.add(ref.url);
    else emails.add(ref.email);
  }
  const resolved = new Map<string, string>();
  for (const [id, fileIds] of byFileId) {
    if (!batch.state.knownPeople.has(id) && !batch.knownPeople.has(id)) continue;
    for (const fileId of fileIds) resolved.set(`file:${fileId}`, id);
    byFileId.delete(id);
  }
  if (byFileId.size > 0) {
    const rows = await batch.sql.$queryRawUnsafe<PersonRow[]>(
      `SELECT id::text AS id, id::text AS key, "mergedIntoId"::text AS "mergedIntoId" FROM "Person"
       WHERE id = ANY(${idList}) AND "deletedAt" IS NULL`,
      json([...byFileId.keys()]),
    );
    for (const row of rows) {
      for (const fileId of byFileId.get(row.key) ?? []) resolved.set(`file:${fileId}`, row.mergedIntoId ?? row.id);
      if (row.mergedIntoId === null) batch.knownPeople.add(row.id);
    }
  }
  if (urls.size > 0) {
    const rows = await batch.sql.$queryRawUnsafe<PersonRow[]>(
      `SELECT id::text AS id, "profileUrl" AS key, "mergedIntoId"::text AS "mergedIntoId" FROM "Person"
       WHERE "profileUrl" = ANY(${textList}) AND "deletedAt" IS NULL`,
      json([...urls]),
    );
    for (const row of rows) resolved.set(`url:${row.key}`, row.mergedIntoId ?? row.id);
  }
  if (emails.size > 0) {
    for (const row of await findPeopleByEmail(batch, [...emails]))
      resolved.set(`email:${row.key}`, row.mergedIntoId ?? row.id);
  }
  return resolved;
}

/** Email is not unique in the schema: when several people share one, the oldest is the match. */
export async function findPeopleByEmail(batch: Batch, emails: string[]): Promise<PersonRow[]> {
  return batch.sql.$queryRawUnsafe<PersonRow[]>(
    `SELECT DISTINCT ON (email) id::text AS id, email AS key, "mergedIntoId"::text AS "mergedIntoId" FROM "Person"
     WHERE email = ANY(${textList}) AND "deletedAt" IS NULL ORDER BY email, "createdAt", id`,
    json(emails),
  );
}

export function organizationRefKey(ref: OrganizationRef): string {
  return ref.kind === "file"
    ? `file:${ref.id}`
    : ref.kind === "domain"
      ? `domain:${ref.domain}`
      : `name:${ref.name.toLowerCase()}`;
}

export function describeOrganizationRef(ref: OrganizationRef): string {
  return ref.kind === "file"
    ? `organization "${ref.id}"`
    : `organization ${ref.kind}:${ref.kind === "domain" ? ref.domain : ref.name}`;
}

export async function resolveOrganizations(
  batch: Batch,
  refs: Iterable<OrganizationRef>,
): Promise<Map<string, string>> {
  const byFileId = new Map<string, string[]>();
  const domains = new Set<string>();
  const names = new Set<string>();
  for (const ref of refs) {
    if (ref.kind === "file") {
      const id = organizationFileId(batch, ref.id);
      byFileId.set(id, [...(byFileId.get(id) ?? []), ref.id]);
    } else if (ref.kind === "domain") domains.add(ref.domain);
    else names.add(ref.name.toLowerCase());
  }
  const resolved = new Map<string, string>();
  if (byFileId.size > 0) {
    const rows = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id::text AS id FROM "Organization" WHERE id = ANY(${idList}) AND "deletedAt" IS NULL`,
      json([...byFileId.keys()]),
    );
    for (const row of rows) for (const fileId of byFileId.get(row.id) ?? []) resolved.set(`file:${fileId}`, row.id);
  }
  if (domains.size > 0) {
    const rows = await batch.sql.$queryRawUnsafe<{ id: string; key: string }[]>(
      `SELECT id::text AS id, domain AS key FROM "Organization" WHERE domain = ANY(${textList}) AND "deletedAt" IS NULL`,
      json([...domains]),
    );
    for (const row of rows) resolved.set(`domain:${row.key}`, row.id);
  }
  if (names.size > 0) {
    for (const [name, id] of await findOrganizationsByName(batch, [...names])) resolved.set(`name:${name}`, id);
  }
  return resolved;
}

/** Case-insensitive name lookup, cached: a LinkedIn export names the same few hundred companies over and over. */
export async function findOrganizationsByName(batch: Batch, lowerNames: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const name of lowerNames) {
    const cached = batch.organizationNames.get(name) ?? batch.state.organizationNames.get(name);
    if (cached) found.set(name, cached);
    else missing.push(name);
  }
  if (missing.length > 0) {
    const rows = await batch.sql.$queryRawUnsafe<{ id: string; key: string }[]>(
      `SELECT DISTINCT ON (lower(name)) id::text AS id, lower(name) AS key FROM "Organization"
       WHERE lower(name) = ANY(${textList}) AND "deletedAt" IS NULL ORDER BY lower(name), "createdAt", id`,
      json(missing),
    );
    for (const row of rows) {
      found.set(row.key, row.id);
      batch.organizationNames.set(row.key, row.id);
    }
  }
  return found;
}
