// A person's rights over what intrograph keeps about them: opting out of warm-intro paths, erasure (everything that
// identifies them goes; the structure other people's credit stands on stays, under a pseudonymous placeholder) and
// export (everything stored about them, as one JSON document, for an access request).
import type { Prisma } from "@intrograph/db";
import { builder } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { recordAudit } from "../audit/record.ts";
import { plannedQuery } from "../planned-query.ts";
import { updateAtVersion, writeAtVersion } from "../versioned-update.ts";
import { Person } from "./person.ts";
import { JOB_SCHEMA } from "@intrograph/jobs/runner";

type Transaction = Prisma.TransactionClient;

builder.prismaObjectFields(Person, (t) => ({
  pathsOptOut: t.boolean({
    description: "The person asked not to appear on anyone's warm-intro paths; path searches leave them out.",
    select: { pathsOptOutAt: true },
    resolve: (person) => person.pathsOptOutAt !== null,
  }),
  erasedAt: t.expose("erasedAt", {
    type: "DateTime",
    nullable: true,
    description: "When everything identifying this person was erased; the record stays as a pseudonymous placeholder.",
  }),
}));

const PathsOptOutInput = builder.inputType("SetPathsOptOutInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    optOut: t.boolean({ required: true, description: "True: leave this person off every warm-intro path." }),
  }),
});

builder.mutationField("setPathsOptOut", (t) =>
  t.prismaField({
    type: Person,
    description:
      "Records a person's wish not to appear on anyone's warm-intro paths (as a hop or as the person reached), or withdraws it. Their relationships, introductions and credit are unchanged.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "person" } },
    args: { input: t.arg({ type: PathsOptOutInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Person", "input.id");
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.person.findFirst({ where: { id, deletedAt: null, mergedIntoId: null } });
        if (!before) throw new NotFoundError("Person", input.id);
        await updateAtVersion(tx, ctx, tx.person, {
          entityType: "Person",
          id,
          conflictId: input.id,
          version: input.version,
          data: { pathsOptOutAt: input.optOut ? (before.pathsOptOutAt ?? new Date()) : null },
          before: { pathsOptOutAt: before.pathsOptOutAt },
          action: "person.update",
        });
        return tx.person.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);

/** People who asked to stay off warm-intro paths (a partial index keeps this to the opted-out rows). */
export async function optedOutOfPaths(ctx: Context): Promise<string[]> {
  const rows = await prismaOf(ctx).person.findMany({ where: { pathsOptOutAt: { not: null } }, select: { id: true } });
  return rows.map((row) => row.id);
}

const ERASED = "[erased]";

const ErasePersonInput = builder.inputType("ErasePersonInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    irreversible: t.boolean({
      required: true,
      description: "Must be true: erasure cannot be undone, and no copy of what it removes is kept.",
    }),
  }),
});

builder.mutationField("erasePerson", (t) =>
  t.prismaField({
    type: Person,
    description:
      "Erases everything that identifies a person — name, headline, location, email, profile URL, social accounts, job titles, and free-text notes on their relationships, introductions, consent records and disputes — everywhere it is stored (audit log, event log, stored responses and job data included). The record stays as a pseudonymous placeholder, so the outcomes it took part in and everyone's credit stay as they are. Irreversible. Audited (without the erased data).",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "person" } },
    args: { input: t.arg({ type: ErasePersonInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Person", "input.id");
      if (!input.irreversible)
        throw ValidationError.of(["input", "irreversible"], "erasure cannot be undone: pass irreversible: true");
      return prismaOf(ctx).$transaction(
        async (tx) => {
          const person = await tx.person.findFirst({ where: { id, deletedAt: null, mergedIntoId: null } });
          if (!person) throw new NotFoundError("Person", input.id);
          // Claimed at the version the admin looked at: a concurrent edit makes this a conflict.
          await writeAtVersion(tx.person, { entityType: "Person", id, conflictId: input.id, version: input.version });
          const counts = await erase(tx, id);
          await recordAudit(tx, ctx, {
            action: "person.erase",
            entityType: "Person",
            entityId: id,
            after: { erasedAt: new Date(), counts },
          });
          return tx.person.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
        },
        { timeout: 5 * 60_000, maxWait: 10_000 },
      );
    },
  }),
);

interface ErasureCounts {
  people: number;
  socialAccounts: number;
  notesCleared: number;
  /** Values elsewhere (audit log, event payloads, stored responses, job data, other free text) that named the person. */
  mentionsErased: number;
}

/** The person and the merged records of the same human: each held their identifying data. */
async function erase(tx: Transaction, id: string): Promise<ErasureCounts> {
  const people = await tx.person.findMany({
    where: { OR: [{ id }, { mergedIntoId: id }] },
    include: { socialAccounts: true },
  });
  const ids = people.map((person) => person.id);
  const identifiers = identifyingStrings(people);
  const socialAccounts = await tx.socialAccount.deleteMany({ where: { personId: { in: ids } } });
  const notesCleared = await clearNotes(tx, ids);
  for (const person of people) {
    await tx.person.update({
      where: { id: person.id },
      data: {
        displayName: `Erased person ${person.id.slice(-8)}`,
        headline: null,
        location: null,
        email: null,
        profileUrl: null,
        erasedAt: new Date(),
      },
    });
  }
  const mentionsErased = await eraseMentions(tx, identifiers);
  return { people: people.length, socialAccounts: socialAccounts.count, notesCleared, mentionsErased };
}

/** Every string that identifies the person: names, contacts, profile URLs, social handles (with and without "@"). */
function identifyingStrings(
  people: {
    displayName: string;
    email: string | null;
    profileUrl: string | null;
    socialAccounts: { handle: string }[];
  }[],
): string[] {
  const strings = new Set<string>();
  for (const person of people) {
    for (const value of [person.displayName, person.email, person.profileUrl])
      if (value?.trim()) strings.add(value.trim());
    for (const account of person.socialAccounts) {
      const handle = account.handle.trim().replace(/^@/, "");
      if (handle) strings.add(handle);
    }
  }
  // Longest first, so a name is replaced whole before a shorter string inside it.
  return [...strings].filter((value) => value.length >= 3).sort((a, b) => b.length - a.length);
}

/** Free text written about the person's ties, introductions, consent, disputes and duplicate checks, and job titles. */
async function clearNotes(tx: Transaction, ids: string[]): Promise<number> {
  const involves = { OR: [{ connectorId: { in: ids } }, { fromId: { in: ids } }, { toId: { in: ids } }] };
  const introductions = await tx.introduction.findMany({ where: involves, select: { id: true } });
  const introductionIds = introductions.map((intro) => intro.id);
  const updates = await Promise.all([
    tx.membership.updateMany({ where: { personId: { in: ids }, title: { not: null } }, data: { title: null } }),
    tx.interaction.updateMany({
      where: {
        note: { not: null },
        OR: [
          { initiatedById: { in: ids } },
          { relationship: { OR: [{ personAId: { in: ids } }, { personBId: { in: ids } }] } },
        ],
      },
      data: { note: null },
    }),
    tx.relationship.updateMany({
      where: { disputeReason: { not: null }, OR: [{ personAId: { in: ids } }, { personBId: { in: ids } }] },
      data: { disputeReason: null },
    }),
    tx.introduction.updateMany({
      where: { id: { in: introductionIds }, OR: [{ note: { not: null } }, { consentNote: { not: null } }] },
      data: { note: null, consentNote: null },
    }),
    tx.consentChange.updateMany({
      where: { introductionId: { in: introductionIds }, reason: { not: null } },
      data: { reason: null },
    }),
    tx.creditDispute.updateMany({
      where: { OR: [{ raisedById: { in: ids } }, { introductionId: { in: introductionIds } }] },
      data: { reason: ERASED, evidence: [], resolution: null },
    }),
    tx.duplicateSuggestion.updateMany({
      where: { OR: [{ personAId: { in: ids } }, { personBId: { in: ids } }] },
      data: { reason: ERASED },
    }),
  ]);
  return updates.reduce((sum, update) => sum + update.count, 0);
}

/**
 * Replaces the identifying strings wherever else they were written — the audit log's before/after snapshots, stored
 * idempotent responses, event payloads, job data, import records, other free text — in every text and JSON column of
 * every table, intrograph's and the job runner's. Left as they are: people's own names, emails and profile URLs (the erased records are
 * overwritten above; someone else called the same is not this person), and the credit history, which holds ids only
 * and refuses updates.
 * A scan of each table per erasure: erasure is rare, and completeness matters more here than speed.
 */
async function eraseMentions(tx: Transaction, identifiers: string[]): Promise<number> {
  if (identifiers.length === 0) return 0;
  const columns = await tx.$queryRaw<{ schema: string; table: string; column: string; type: string }[]>`
    SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column, c.data_type AS type
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE t.table_type = 'BASE TABLE'
      AND c.table_schema IN (current_schema(), ${JOB_SCHEMA})
      AND c.data_type IN ('text', 'character varying', 'json', 'jsonb')
      AND c.table_name NOT IN ('_prisma_migrations', 'CreditHistory')
      AND NOT (c.table_schema = current_schema() AND c.table_name = 'Person'
        AND c.column_name IN ('displayName', 'email', 'profileUrl'))
    ORDER BY 1, 2, 3`;
  // One case-insensitive pattern for all the strings; in JSON a string appears with JSON escapes.
  const pattern = (values: string[]) => values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const plain = pattern(identifiers);
  const escaped = pattern(identifiers.map((value) => JSON.stringify(value).slice(1, -1)));
  // One pass per table: a row is rewritten once, whichever of its columns name the person.
  const tables = new Map<string, { column: string; type: string }[]>();
  for (const { schema, table, column, type } of columns) {
    const target = `${quote(schema)}.${quote(table)}`;
    tables.set(target, [...(tables.get(target) ?? []), { column, type }]);
  }
  let erased = 0;
  for (const [target, textColumns] of tables) {
    // The statement binds the patterns it uses, each once.
    const params: string[] = [];
    const bind = (pattern: string) =>
      `$${(params.includes(pattern) ? params.indexOf(pattern) : params.push(pattern) - 1) + 1}::text`;
    const parts = textColumns.map(({ column, type }) => {
      const json = type === "json" || type === "jsonb";
      const value = json ? `${quote(column)}::text` : quote(column);
      const pattern = bind(json ? escaped : plain);
      const replaced = `regexp_replace(${value}, ${pattern}, '${ERASED}', 'gi')`;
      return {
        matches: `${value} ~* ${pattern}`,
        assignment: `${quote(column)} = CASE WHEN ${value} ~* ${pattern} THEN ${json ? `(${replaced})::${type}` : replaced} ELSE ${quote(column)} END`,
      };
    });
    erased += await tx.$executeRawUnsafe(
      `UPDATE ${target} SET ${parts.map((part) => part.assignment).join(", ")}
       WHERE ${parts.map((part) => part.matches).join(" OR ")}`,
      ...params,
    );
  }
  return erased;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

builder.queryField("personExport", (t) =>
  t.field({
    type: "JSON",
    description:
      "Everything stored about a person, as one JSON document, for an access request: the person record (and the merged records of the same human), memberships, social accounts with their follower-count history, relationships and their interactions, introductions they took part in with consent records, outcomes those led to, credit and its history, disputes they raised, duplicate checks and the audit log entries about them. Other people appear by id only. Admins only.",
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = decodeId(args.id, "Person", "id");
      const prisma = prismaOf(ctx);
      const person = await prisma.person.findFirst({ where: { id, mergedIntoId: null } });
      if (!person) throw new NotFoundError("Person", args.id);
      const ids = [id, ...(await prisma.person.findMany({ where: { mergedIntoId: id } })).map((merged) => merged.id)];
      const involves = { OR: [{ connectorId: { in: ids } }, { fromId: { in: ids } }, { toId: { in: ids } }] };
      const [mergedRecords, memberships, socialAccounts, relationships, introductions, credit, creditHistory] =
        await Promise.all([
          prisma.person.findMany({ where: { mergedIntoId: id } }),
          prisma.membership.findMany({ where: { personId: { in: ids } }, include: { organization: true } }),
          prisma.socialAccount.findMany({
            where: { personId: { in: ids } },
            include: { history: { orderBy: { at: "asc" } } },
          }),
          prisma.relationship.findMany({
            where: { OR: [{ personAId: { in: ids } }, { personBId: { in: ids } }] },
            include: { interactions: true },
          }),
          prisma.introduction.findMany({
            where: involves,
            include: { consentChanges: true, outcomes: { include: { outcome: true } } },
          }),
          prisma.credit.findMany({ where: { personId: { in: ids } } }),
          prisma.creditHistory.findMany({ where: { personId: { in: ids } }, orderBy: { id: "asc" } }),
        ]);
      const [disputes, duplicateSuggestions, auditEvents] = await Promise.all([
        prisma.creditDispute.findMany({ where: { raisedById: { in: ids } } }),
        prisma.duplicateSuggestion.findMany({
          where: { OR: [{ personAId: { in: ids } }, { personBId: { in: ids } }] },
        }),
        prisma.auditEvent.findMany({
          where: { entityType: "Person", entityId: { in: ids } },
          orderBy: { occurredAt: "asc" },
        }),
      ]);
      // Dates, decimals and bigints become JSON-safe strings.
      return JSON.parse(
        JSON.stringify(
          {
            exportedAt: new Date(),
            person,
            mergedRecords,
            memberships,
            socialAccounts,
            relationships,
            introductions,
            credit,
            creditHistory,
            disputes,
            duplicateSuggestions,
            auditEvents,
          },
          (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
        ),
      );
    },
  }),
);
