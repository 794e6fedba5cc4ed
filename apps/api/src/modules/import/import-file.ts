// `importFile`: the small-file import for admins and partners. A LinkedIn export or a generic CSV / JSON-lines file
// arrives as a string and goes through the same core as the command-line importer; the caller gets its report back.
import { Readable } from "node:stream";
import { z } from "zod";
import {
  analyzeImportedTables,
  type EntityCounts,
  entityNames,
  type ImportFormat,
  type ImportReport,
  importStream,
  type RowIssue,
} from "@intrograph/import";
import { builder } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { ForbiddenError, ValidationError } from "../../errors.ts";
import { decodeOptionalId } from "../../ids.ts";
import { graphChanged } from "../graph/snapshot.ts";

/** Larger files belong to the command-line importer, which streams them in batches with checkpoints. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Control characters other than tab and line breaks, or U+FFFD (what bytes that are not UTF-8 decode to). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;
/** Issues returned inline; the counts still cover every rejected row and warning. */
export const MAX_INLINE_ISSUES = 200;

const formatValues = {
  LINKEDIN: { value: "linkedin", description: "LinkedIn's Connections.csv; needs `owner`." },
  PEOPLE: { value: "people" },
  ORGANIZATIONS: { value: "organizations" },
  MEMBERSHIPS: { value: "memberships" },
  RELATIONSHIPS: { value: "relationships" },
  INTERACTIONS: { value: "interactions" },
  INTRODUCTIONS: { value: "introductions" },
  OUTCOMES: { value: "outcomes" },
  SOCIAL_ACCOUNTS: {
    value: "socialAccounts",
    description: "Social-account observations: each row's counts join the account's history and rescore it.",
  },
  MIXED: { value: "mixed", description: "JSON lines whose rows carry their own `type`." },
} as const satisfies Record<string, { value: ImportFormat; description?: string }>;

const ImportFormatEnum = builder.enumType("ImportFormat", {
  description:
    "What the file holds: a LinkedIn export, one entity type per file, or a mix (see packages/import/README.md).",
  values: formatValues,
});

const ImportEncodingEnum = builder.enumType("ImportEncoding", {
  values: {
    CSV: { value: "csv" },
    JSONL: { value: "jsonl", description: "JSON lines: one object per line." },
  } as const,
});

const ImportIssueStatusEnum = builder.enumType("ImportIssueStatus", {
  values: {
    REJECTED: { value: "rejected", description: "The row was not imported." },
    WARNING: {
      value: "warning",
      description: "The row was imported, but part of it (a chain or outcome link) was not.",
    },
  } as const,
});

const ImportIssueRef = builder.objectRef<RowIssue>("ImportIssue").implement({
  description: "A rejected row or a warning, with the line of the file it is on.",
  fields: (t) => ({
    line: t.exposeInt("line"),
    status: t.expose("status", { type: ImportIssueStatusEnum }),
    reason: t.exposeString("reason"),
  }),
});

const ImportCountRef = builder.objectRef<{ created: number; updated: number }>("ImportCount").implement({
  fields: (t) => ({ created: t.exposeInt("created"), updated: t.exposeInt("updated") }),
});

const ImportEntityCountsRef = builder.objectRef<EntityCounts>("ImportEntityCounts").implement({
  description: "Rows created and updated per table.",
  fields: (t) =>
    Object.fromEntries(
      entityNames.map((name) => [name, t.field({ type: ImportCountRef, resolve: (counts) => counts[name] })]),
    ),
});

const ImportReportRef = builder.objectRef<ImportReport>("ImportReport").implement({
  description: "What an import did. Re-importing the same file creates nothing: its rows come back as `skipped`.",
  fields: (t) => ({
    importId: t.exposeID("importId", { description: "The audit event's entityId for this run." }),
    format: t.expose("format", { type: ImportFormatEnum }),
    source: t.exposeString("source"),
    rowsRead: t.exposeInt("rowsRead"),
    created: t.exposeInt("created", { description: "Rows that created at least one record." }),
    updated: t.exposeInt("updated"),
    skipped: t.exposeInt("skipped", { description: "Rows already up to date." }),
    rejected: t.exposeInt("rejected"),
    warnings: t.exposeInt("warnings"),
    batches: t.exposeInt("batches", { description: "Transactions committed." }),
    durationMs: t.exposeInt("durationMs"),
    entities: t.field({ type: ImportEntityCountsRef, resolve: (report) => report.entities }),
    issues: t.field({
      type: [ImportIssueRef],
      description: `The first ${MAX_INLINE_ISSUES} rejected rows and warnings, in file order.`,
      resolve: (report) => report.issues.slice(0, MAX_INLINE_ISSUES),
    }),
    issuesOmitted: t.int({
      description: "Rejected rows and warnings beyond those in `issues`.",
      resolve: (report) =>
        Math.max(0, report.rejected + report.warnings - Math.min(report.issues.length, MAX_INLINE_ISSUES)),
    }),
  }),
});

const ImportFileInput = builder.inputType("ImportFileInput", {
  fields: (t) => ({
    format: t.field({ type: ImportFormatEnum, required: true }),
    content: t.string({
      required: true,
      description: `The file's text, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB (UTF-8); use the command-line importer for larger files.`,
      validate: z
        .string()
        .refine((content) => content.trim().length > 0, "the file is empty")
        .refine(
          (content) => !BINARY.test(content),
          "the file is not text (it holds control characters or bytes that are not UTF-8): export it as CSV or JSON lines",
        )
        .refine(
          (content) => Buffer.byteLength(content, "utf8") <= MAX_IMPORT_BYTES,
          `larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: use the command-line importer (pnpm intrograph import)`,
        ),
    }),
    encoding: t.field({
      type: ImportEncodingEnum,
      required: false,
      description: "Defaults to JSONL for MIXED and CSV otherwise; LinkedIn exports are always CSV.",
    }),
    source: t.string({
      required: true,
      description:
        'The system the file comes from (e.g. "hubspot"). Row ids are namespaced by it (and, for partners, by partner): use the same source when re-importing.',
      validate: z.string().trim().min(1, "must name the system the file comes from").max(100),
    }),
    owner: t.id({ required: false, description: "LinkedIn only: the person whose connections the export holds." }),
    fileName: t.string({ required: false, description: "Recorded in the audit log.", validate: z.string().max(255) }),
  }),
});

builder.mutationField("importFile", (t) =>
  t.field({
    type: ImportReportRef,
    description:
      "Imports a small file (admins and partners). Good rows are imported and bad ones reported with their line, " +
      "idempotently: the same file twice changes nothing. A partner's introductions, outcomes, interactions and " +
      "relationships become its private reports; people, organizations and memberships are shared records.",
    authScopes: { admin: true, partner: true },
    errors: { types: [ValidationError, ForbiddenError], dataField: { name: "report" } },
    args: { input: t.arg({ type: ImportFileInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { viewer } = ctx;
      // A partner key that belongs to no partner has no private space to import into.
      if (viewer.kind === "partner" && !viewer.partnerId)
        throw new ForbiddenError("this partner key belongs to no partner, so it cannot import");
      const format = input.format;
      const ownerId = decodeOptionalId(input.owner, "Person", "input.owner");
      if (format === "linkedin") {
        if (!ownerId)
          throw ValidationError.of(
            ["input", "owner"],
            "a LinkedIn import needs the person whose connections the export holds",
          );
        if (input.encoding === "jsonl") throw ValidationError.of(["input", "encoding"], "LinkedIn exports are CSV");
      } else if (ownerId) {
        throw ValidationError.of(["input", "owner"], "only LinkedIn imports have an owner");
      }
      const prisma = prismaOf(ctx);
      if (
        ownerId &&
        !(await prisma.person.findFirst({ where: { id: ownerId, deletedAt: null }, select: { id: true } }))
      ) {
        throw ValidationError.of(["input", "owner"], `no person ${input.owner}`);
      }
      const report = await importStream(prisma, {
        format,
        input: Readable.from([Buffer.from(input.content, "utf8")]),
        ...(input.encoding ? { encoding: input.encoding } : {}),
        ...(ownerId ? { ownerPersonId: ownerId } : {}),
        source: input.source.trim(),
        actor: {
          kind: viewer.kind === "partner" ? "PARTNER" : "ADMIN",
          id: viewer.label,
          ...(viewer.apiKeyId ? { apiKeyId: viewer.apiKeyId } : {}),
          requestId: ctx.requestId,
        },
        ...(viewer.kind === "partner" && viewer.partnerId ? { partnerId: viewer.partnerId } : {}),
        ...(input.fileName ? { inputName: input.fileName } : {}),
      });
      await afterImport(ctx, report);
      return report;
    },
  }),
);

/**
 * After the import: each batch already wrote the credit of the outcomes it fed, and its credit.changed events, in its
 * own transaction; what is left is a fresh graph for path and metric queries, and planner statistics for what it wrote.
 */
async function afterImport(ctx: Context, report: ImportReport): Promise<void> {
  const changed = (...names: (keyof EntityCounts)[]) =>
    names.some((name) => report.entities[name].created + report.entities[name].updated > 0);
  if (changed("relationships", "interactions", "memberships", "people")) graphChanged(ctx);
  const prisma = prismaOf(ctx);
  await analyzeImportedTables(prisma, report);
}
