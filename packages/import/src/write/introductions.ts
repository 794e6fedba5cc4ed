// Writes introductions with their consent record and chain links (IntroductionLink earlier → later), and outcomes
// with the introductions that led to them. A link whose other end is not in the database yet waits until the end of
// the file, so rows may refer forward.
import { type Batch, iso, json, notOwnedIds, NOW_UTC, type PendingLink, recordOwner, utc } from "./batch.ts";

export interface IntroductionInput {
  index: number;
  line: number;
  id: string;
  externalId: string;
  connectorId: string;
  fromId: string;
  toId: string;
  organizationId?: string;
  channel?: string;
  status?: string;
  occurredAt: Date;
  fromConsentedAt?: Date;
  toConsentedAt?: Date;
  consentNote?: string;
  note?: string;
  /** Resolved ids and file ids of linked introductions. */
  ledFrom: { id: string; fileId: string }[];
  ledTo: { id: string; fileId: string }[];
}

export async function writeIntroductions(batch: Batch, inputs: IntroductionInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const rows = [...new Map(inputs.map((input) => [input.id, input])).values()].map((input) => ({
    id: input.id,
    externalId: input.externalId,
    connectorId: input.connectorId,
    fromId: input.fromId,
    toId: input.toId,
    organizationId: input.organizationId ?? null,
    channel: input.channel ?? null,
    status: input.status ?? null,
    occurredAt: input.occurredAt.toISOString(),
    fromConsentedAt: iso(input.fromConsentedAt),
    toConsentedAt: iso(input.toConsentedAt),
    consentNote: input.consentNote ?? null,
    note: input.note ?? null,
  }));
  const recordset = `json_to_recordset($1::json) AS i(id uuid, "externalId" text, "connectorId" uuid, "fromId" uuid,
    "toId" uuid, "organizationId" uuid, channel "IntroductionChannel", status "IntroductionStatus",
    "occurredAt" timestamptz, "fromConsentedAt" timestamptz, "toConsentedAt" timestamptz, "consentNote" text, note text)`;
  const compared = [
    [`"connectorId"`, `i."connectorId"`],
    [`"fromId"`, `i."fromId"`],
    [`"toId"`, `i."toId"`],
    [`"organizationId"`, `COALESCE(i."organizationId", t."organizationId")`],
    [`channel`, `COALESCE(i.channel, t.channel)`],
    [`status`, `COALESCE(i.status, t.status)`],
    [`"occurredAt"`, utc(`i."occurredAt"`)],
    [`"fromConsentedAt"`, `COALESCE(${utc(`i."fromConsentedAt"`)}, t."fromConsentedAt")`],
    [`"toConsentedAt"`, `COALESCE(${utc(`i."toConsentedAt"`)}, t."toConsentedAt")`],
    [`"consentNote"`, `COALESCE(i."consentNote", t."consentNote")`],
    [`note`, `COALESCE(i.note, t.note)`],
  ];
  const owner = recordOwner(batch.state, "t");
  const updated = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Introduction" AS t SET ${compared.map(([column, value]) => `${column} = ${value}`).join(", ")},
       version = t.version + 1, "updatedAt" = ${NOW_UTC}
     FROM ${recordset}
     WHERE t.id = i.id AND ${owner.owns} AND (${compared.map(([column, value]) => `t.${column} IS DISTINCT FROM ${value}`).join(" OR ")})
     RETURNING t.id::text AS id`,
    json(rows),
  );
  const created = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "Introduction" (id, "connectorId", "fromId", "toId", "organizationId", channel, status, "occurredAt",
       "fromConsentedAt", "toConsentedAt", "consentNote", note, source, "reportedByPartnerId", "externalId", "updatedAt")
     SELECT i.id, i."connectorId", i."fromId", i."toId", i."organizationId", COALESCE(i.channel, 'EMAIL'),
       COALESCE(i.status, 'PROPOSED'), ${utc(`i."occurredAt"`)}, ${utc(`i."fromConsentedAt"`)}, ${utc(`i."toConsentedAt"`)},
       i."consentNote", i.note, ${owner.source}, ${owner.partner}, i."externalId", ${NOW_UTC}
     FROM ${recordset}
     ON CONFLICT (id) DO NOTHING
     RETURNING id::text AS id`,
    json(rows),
  );
  markById(batch, inputs, created, updated);
  batch.count("introductions", created.length, updated.length);
  batch.wrote(
    "introductions",
    [...created, ...updated].map((row) => row.id),
  );
  const foreign = await rejectNotOwned(batch, "Introduction", "introduction", inputs, created, updated);

  const links: PendingLink[] = [];
  for (const input of inputs) {
    if (foreign.has(input.id)) continue;
    for (const earlier of input.ledFrom) {
      links.push(link("IntroductionLink", input.line, earlier.id, input.id, `ledFrom "${earlier.fileId}"`));
    }
    for (const later of input.ledTo) {
      links.push(link("IntroductionLink", input.line, input.id, later.id, `ledTo "${later.fileId}"`));
    }
  }
  await writeLinks(batch, links);
}

export interface OutcomeInput {
  index: number;
  line: number;
  id: string;
  externalId: string;
  kind: string;
  title: string;
  description?: string;
  value: string;
  currency: string;
  occurredAt: Date;
  organizationId?: string;
  introductions: { id: string; fileId: string }[];
}

export async function writeOutcomes(batch: Batch, inputs: OutcomeInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const rows = [...new Map(inputs.map((input) => [input.id, input])).values()].map((input) => ({
    id: input.id,
    externalId: input.externalId,
    kind: input.kind,
    title: input.title,
    description: input.description ?? null,
    value: input.value,
    currency: input.currency,
    occurredAt: input.occurredAt.toISOString(),
    organizationId: input.organizationId ?? null,
  }));
  const recordset = `json_to_recordset($1::json) AS i(id uuid, "externalId" text, kind "OutcomeKind", title text,
    description text, value numeric, currency text, "occurredAt" timestamptz, "organizationId" uuid)`;
  const compared = [
    [`kind`, `i.kind`],
    [`title`, `i.title`],
    [`description`, `COALESCE(i.description, t.description)`],
    [`value`, `i.value`],
    [`currency`, `i.currency`],
    [`"occurredAt"`, utc(`i."occurredAt"`)],
    [`"organizationId"`, `COALESCE(i."organizationId", t."organizationId")`],
  ];
  const owner = recordOwner(batch.state, "t");
  // Once an outcome's credit has locked, what its credit depends on stays as it is (a dispute changes credit now).
  const changesLockedCredit = `t."creditLocksAt" <= ${NOW_UTC} AND (${compared
    .slice(3, 6)
    .map(([column, value]) => `t.${column} IS DISTINCT FROM ${value}`)
    .join(" OR ")})`;
  const updated = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Outcome" AS t SET ${compared.map(([column, value]) => `${column} = ${value}`).join(", ")},
       version = t.version + 1, "updatedAt" = ${NOW_UTC}
     FROM ${recordset}
     WHERE t.id = i.id AND ${owner.owns} AND (${compared.map(([column, value]) => `t.${column} IS DISTINCT FROM ${value}`).join(" OR ")})
       AND NOT (${changesLockedCredit})
     RETURNING t.id::text AS id`,
    json(rows),
  );
  const locked = await batch.sql.$queryRawUnsafe<{ id: string; changed: boolean }[]>(
    `SELECT t.id::text AS id, (${changesLockedCredit}) AS changed
     FROM "Outcome" AS t JOIN ${recordset} ON t.id = i.id WHERE t."creditLocksAt" <= ${NOW_UTC}`,
    json(rows),
  );
  // Their chains too: links the file adds to a locked outcome are not written.
  const lockedIds = new Set(locked.map((row) => row.id));
  const refused = new Set(locked.filter((row) => row.changed).map((row) => row.id));
  for (const input of inputs)
    if (refused.has(input.id))
      batch.reject(
        input.index,
        "this outcome's credit has locked: its value, currency and date can no longer change; left unchanged",
      );
  const created = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "Outcome" (id, kind, title, description, value, currency, "occurredAt", "organizationId", source,
       "reportedByPartnerId", "externalId", "updatedAt")
     SELECT i.id, i.kind, i.title, i.description, i.value, i.currency, ${utc(`i."occurredAt"`)}, i."organizationId",
       ${owner.source}, ${owner.partner}, i."externalId", ${NOW_UTC}
     FROM ${recordset}
     ON CONFLICT (id) DO NOTHING
     RETURNING id::text AS id`,
    json(rows),
  );
  markById(batch, inputs, created, updated);
  batch.count("outcomes", created.length, updated.length);
  batch.wrote(
    "outcomes",
    [...created, ...updated].map((row) => row.id),
  );
  const foreign = await rejectNotOwned(batch, "Outcome", "outcome", inputs, created, updated);
  await writeLinks(
    batch,
    inputs
      .filter((input) => !foreign.has(input.id) && !lockedIds.has(input.id))
      .flatMap((input) =>
        input.introductions.map((intro) =>
          link("OutcomeIntroduction", input.line, input.id, intro.id, `introductions "${intro.fileId}"`),
        ),
      ),
  );
}

function link(
  table: PendingLink["table"],
  line: number,
  first: string,
  second: string,
  description: string,
): PendingLink {
  return { table, line, first, second, description };
}

const linkSql: Record<
  PendingLink["table"],
  {
    columns: string;
    returning: string;
    firstTable: string;
    secondTable: string;
    entity: "introductionLinks" | "outcomeIntroductions";
  }
> = {
  IntroductionLink: {
    columns: `"earlierId", "laterId"`,
    returning: `"earlierId" AS first, "laterId" AS second`,
    firstTable: "Introduction",
    secondTable: "Introduction",
    entity: "introductionLinks",
  },
  OutcomeIntroduction: {
    columns: `"outcomeId", "introductionId"`,
    returning: `"outcomeId" AS first, "introductionId" AS second`,
    firstTable: "Outcome",
    secondTable: "Introduction",
    entity: "outcomeIntroductions",
  },
};

/** Inserts the links whose both ends exist; returns the others (also queued on the batch unless `final`). */
export async function writeLinks(batch: Batch, links: PendingLink[], final = false): Promise<PendingLink[]> {
  const waiting: PendingLink[] = [];
  for (const table of ["IntroductionLink", "OutcomeIntroduction"] as const) {
    const ofTable = links.filter((l) => l.table === table && l.first !== l.second);
    if (ofTable.length === 0) continue;
    const sql = linkSql[table];
    const present = await batch.sql.$queryRawUnsafe<{ first: string; second: string; inserted: boolean }[]>(
      `WITH i AS (SELECT * FROM json_to_recordset($1::json) AS i(first uuid, second uuid)),
       ok AS (
         SELECT DISTINCT i.first, i.second FROM i
         WHERE EXISTS (SELECT 1 FROM "${sql.firstTable}" x WHERE x.id = i.first)
           AND EXISTS (SELECT 1 FROM "${sql.secondTable}" y WHERE y.id = i.second)
       ), ins AS (
         INSERT INTO "${table}" (${sql.columns}) SELECT first, second FROM ok ON CONFLICT DO NOTHING
         RETURNING ${sql.returning}
       )
       SELECT ok.first::text AS first, ok.second::text AS second, ins.first IS NOT NULL AS inserted
       FROM ok LEFT JOIN ins ON ins.first = ok.first AND ins.second = ok.second`,
      json(ofTable.map((l) => ({ first: l.first, second: l.second }))),
    );
    const done = new Set(present.map((row) => `${row.first}:${row.second}`));
    let inserted = present.filter((row) => row.inserted);
    if (table === "IntroductionLink" && inserted.length > 0) {
      const insertedKeys = new Set(inserted.map((row) => `${row.first}:${row.second}`));
      const cyclic = await removeCycles(
        batch,
        ofTable.filter((l) => insertedKeys.has(`${l.first}:${l.second}`)),
      );
      if (cyclic.size > 0) {
        inserted = inserted.filter((row) => !cyclic.has(`${row.first}:${row.second}`));
        for (const l of ofTable)
          if (cyclic.has(`${l.first}:${l.second}`))
            batch.skippedLinks.push({
              line: l.line,
              reason: `${l.description}: the introduction would lead back to itself through its chain, link skipped`,
            });
      }
    }
    batch.count(sql.entity, inserted.length);
    // What the new links change is the chains into outcomes: the outcome's own, or those running through `later`.
    for (const row of inserted) {
      if (table === "IntroductionLink") batch.linkedIntroductions.add(row.second);
      else batch.linkedOutcomes.add(row.first);
    }
    for (const l of ofTable) if (!done.has(`${l.first}:${l.second}`)) waiting.push(l);
  }
  if (!final) batch.pendingLinks.push(...waiting);
  return waiting;
}

/** Longer chains than this are not looked through for a cycle (real chains are a handful of intros long). */
const MAX_CHAIN_DEPTH = 100;

/**
 * Intro chains are acyclic: an introduction never leads back to itself. Of the links just inserted, while some close a
 * cycle (their later introduction now leads to their earlier one), the one latest in the file is deleted again — so a
 * file's chain keeps its first links and loses the one that turned it back on itself. Returns them as "earlier:later".
 */
async function removeCycles(batch: Batch, inserted: PendingLink[]): Promise<Set<string>> {
  const removed = new Set<string>();
  for (;;) {
    const candidates = inserted.filter((l) => !removed.has(`${l.first}:${l.second}`));
    const rows = await batch.sql.$queryRawUnsafe<{ first: string; second: string }[]>(
      `WITH RECURSIVE walk(first, second, node, depth) AS (
         SELECT l.first, l.second, l.second, 0 FROM json_to_recordset($1::json) AS l(first uuid, second uuid)
         UNION
         SELECT w.first, w.second, k."laterId", w.depth + 1
         FROM walk w JOIN "IntroductionLink" k ON k."earlierId" = w.node
         WHERE w.depth < ${MAX_CHAIN_DEPTH} AND w.node <> w.first
       )
       SELECT DISTINCT first::text AS first, second::text AS second FROM walk WHERE node = first`,
      json(candidates.map((l) => ({ first: l.first, second: l.second }))),
    );
    if (rows.length === 0) return removed;
    const cyclic = new Set(rows.map((row) => `${row.first}:${row.second}`));
    const latest = candidates
      .filter((l) => cyclic.has(`${l.first}:${l.second}`))
      .reduce((a, b) => (b.line > a.line ? b : a));
    await batch.sql.$queryRawUnsafe(
      `DELETE FROM "IntroductionLink" WHERE "earlierId" = $1::uuid AND "laterId" = $2::uuid`,
      latest.first,
      latest.second,
    );
    removed.add(`${latest.first}:${latest.second}`);
  }
}

/**
 * Rows whose id exists but belongs to someone else (an admin's or another partner's record) were neither inserted nor
 * updated: reject them rather than report them as unchanged. Namespaced ids make this a safeguard, not a routine case.
 */
async function rejectNotOwned(
  batch: Batch,
  table: "Introduction" | "Outcome",
  noun: string,
  inputs: { index: number; id: string }[],
  created: { id: string }[],
  updated: { id: string }[],
): Promise<Set<string>> {
  const touched = new Set([...created, ...updated].map((row) => row.id));
  const foreign = await notOwnedIds(batch, table, [
    ...new Set(inputs.map((input) => input.id).filter((id) => !touched.has(id))),
  ]);
  for (const input of inputs) {
    if (foreign.has(input.id))
      batch.reject(input.index, `this ${noun} id belongs to a record this import did not create; left unchanged`);
  }
  return foreign;
}

function markById(
  batch: Batch,
  inputs: { index: number; id: string }[],
  created: { id: string }[],
  updated: { id: string }[],
): void {
  const createdIds = new Set(created.map((row) => row.id));
  const updatedIds = new Set(updated.map((row) => row.id));
  for (const input of inputs) {
    batch.mark(input.index, createdIds.has(input.id) ? "created" : updatedIds.has(input.id) ? "updated" : "unchanged");
  }
}
