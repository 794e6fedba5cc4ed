// Integrity signals: patterns in the ledger that may mean gamed credit — self-dealing, reciprocal rings, introductions
// recorded after the outcome they claim, one outcome claimed by several partners, bursts from one reporter. A scan
// stores each finding once as an IntegrityFlag; admins review the queue and dismiss a flag or turn it into a credit
// dispute in one step. Flags never change credit: only an adjudicated dispute does.
import { IntegrityFlagKind, IntegrityFlagStatus, type Prisma } from "@intrograph/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { z } from "zod";
import { builder } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { ValidationError, NotFoundError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { recordAudit } from "../audit/record.ts";
import { plannedQuery } from "../planned-query.ts";
import { writeAtVersion } from "../versioned-update.ts";

export const IntegrityFlagKindEnum = builder.enumType(IntegrityFlagKind, { name: "IntegrityFlagKind" });
export const IntegrityFlagStatusEnum = builder.enumType(IntegrityFlagStatus, { name: "IntegrityFlagStatus" });

export const IntegrityFlag = builder.prismaNode("IntegrityFlag", {
  id: { field: "id" },
  select: { id: true },
  nullable: true,
  authScopes: { admin: true },
  description: "A pattern an admin should look at. It never changes credit by itself.",
  fields: (t) => ({
    kind: t.expose("kind", { type: IntegrityFlagKindEnum }),
    status: t.expose("status", { type: IntegrityFlagStatusEnum }),
    reason: t.exposeString("reason"),
    evidence: t.expose("evidence", { type: "JSON", description: "The records involved, by global id." }),
    outcome: t.relation("outcome", { nullable: true }),
    introduction: t.relation("introduction", { nullable: true }),
    person: t.relation("person", { nullable: true, description: "The connector the flag is about." }),
    dispute: t.relation("dispute", { nullable: true, description: "The credit dispute the flag became." }),
    note: t.exposeString("note", { nullable: true }),
    resolvedAt: t.expose("resolvedAt", { type: "DateTime", nullable: true }),
    detectedAt: t.expose("detectedAt", { type: "DateTime" }),
    version: t.exposeInt("version"),
  }),
});

builder.queryField("integrityFlags", (t) =>
  t.prismaConnection({
    type: IntegrityFlag,
    cursor: "id",
    description: "The review queue: flags by status (OPEN by default) and kind, oldest first. Admins only.",
    authScopes: { admin: true },
    args: {
      status: t.arg({ type: IntegrityFlagStatusEnum, required: false, defaultValue: "OPEN" }),
      kind: t.arg({ type: IntegrityFlagKindEnum, required: false }),
    },
    resolve: (query, _root, args, ctx) =>
      prismaOf(ctx).integrityFlag.findMany({
        ...query,
        where: { status: args.status ?? "OPEN", ...(args.kind ? { kind: args.kind } : {}) },
        orderBy: [{ detectedAt: "asc" }, { id: "asc" }],
      }),
    totalCount: (_parent, args, ctx) =>
      prismaOf(ctx).integrityFlag.count({
        where: { status: args.status ?? "OPEN", ...(args.kind ? { kind: args.kind } : {}) },
      }),
  }),
);

interface Finding {
  kind: IntegrityFlagKind;
  key: string;
  outcomeId: string | null;
  introductionId: string | null;
  personId: string | null;
  partnerId: string | null;
  reason: string;
  evidence: Prisma.JsonValue;
}

/** The chains of every live outcome: (outcome, introduction) for its direct introductions and all upstream ones. */
const CHAINS = `
  chain("outcomeId", id) AS (
    SELECT oi."outcomeId", oi."introductionId" FROM "OutcomeIntroduction" oi
    JOIN "Outcome" o ON o.id = oi."outcomeId" AND o."deletedAt" IS NULL
    UNION
    SELECT chain."outcomeId", link."earlierId" FROM chain JOIN "IntroductionLink" link ON link."laterId" = chain.id
  )`;

/** Outcomes per hour a reporter must reach, and how many times its usual hour, to count as a burst. */
const BURST_MINIMUM = 50;
const BURST_FACTOR = 10;

/** Every finding in the ledger now, one query per kind; ids only in reasons and evidence. */
async function detect(prisma: Prisma.TransactionClient): Promise<Finding[]> {
  const gid = (type: string, id: string | null) => (id ? encodeGlobalID(type, id) : null);
  const selfDealing = await prisma.$queryRawUnsafe<{ outcomeId: string; introductionId: string; personId: string }[]>(
    `WITH RECURSIVE ${CHAINS}
     SELECT DISTINCT ON (o.id, i."connectorId") o.id::text AS "outcomeId", i.id::text AS "introductionId",
       i."connectorId"::text AS "personId"
     FROM chain JOIN "Introduction" i ON i.id = chain.id AND i."deletedAt" IS NULL
     JOIN "Outcome" o ON o.id = chain."outcomeId" AND o."organizationId" IS NOT NULL
     JOIN "Membership" m ON m."personId" = i."connectorId" AND m."organizationId" = o."organizationId"
       AND (m.since IS NULL OR m.since <= o."occurredAt") AND (m.until IS NULL OR m.until > o."occurredAt")
     ORDER BY o.id, i."connectorId", i.id`,
  );
  const rings = await prisma.$queryRawUnsafe<
    { outcomeId: string; first: string; second: string; firstIntro: string; secondIntro: string }[]
  >(
    `WITH RECURSIVE ${CHAINS}, pairs AS (
       SELECT i1."connectorId" AS first, i2."connectorId" AS second, i1.id AS "firstIntro", i2.id AS "secondIntro"
       FROM "Introduction" i1
       JOIN "Introduction" i2 ON i2."connectorId" IN (i1."fromId", i1."toId") AND i1."connectorId" IN (i2."fromId", i2."toId")
       WHERE i1."deletedAt" IS NULL AND i2."deletedAt" IS NULL AND i1."connectorId" < i2."connectorId"
     )
     SELECT DISTINCT ON (chain."outcomeId", pairs.first, pairs.second) chain."outcomeId"::text AS "outcomeId",
       pairs.first::text AS first, pairs.second::text AS second,
       pairs."firstIntro"::text AS "firstIntro", pairs."secondIntro"::text AS "secondIntro"
     FROM pairs JOIN chain ON chain.id IN (pairs."firstIntro", pairs."secondIntro")
     ORDER BY chain."outcomeId", pairs.first, pairs.second`,
  );
  const late = await prisma.$queryRawUnsafe<
    { outcomeId: string; introductionId: string; personId: string; happened: boolean }[]
  >(
    `WITH RECURSIVE ${CHAINS}
     SELECT DISTINCT o.id::text AS "outcomeId", i.id::text AS "introductionId", i."connectorId"::text AS "personId",
       i."occurredAt" > o."occurredAt" AS happened
     FROM chain JOIN "Introduction" i ON i.id = chain.id AND i."deletedAt" IS NULL
     JOIN "Outcome" o ON o.id = chain."outcomeId"
     WHERE i."occurredAt" > o."occurredAt" OR i."createdAt" > o."createdAt" + interval '1 minute'`,
  );
  const contested = await prisma.$queryRawUnsafe<{ outcomeId: string; partners: string[]; others: string[] }[]>(
    `SELECT o.id::text AS "outcomeId",
       array_agg(DISTINCT i."reportedByPartnerId"::text) FILTER (WHERE i."reportedByPartnerId" IS NOT NULL) AS partners,
       ARRAY[]::text[] AS others
     FROM "Outcome" o JOIN "OutcomeIntroduction" oi ON oi."outcomeId" = o.id
     JOIN "Introduction" i ON i.id = oi."introductionId" AND i."deletedAt" IS NULL
     WHERE o."deletedAt" IS NULL
     GROUP BY o.id HAVING count(DISTINCT i."reportedByPartnerId") >= 2
     UNION ALL
     SELECT o1.id::text, ARRAY[o1."reportedByPartnerId"::text, o2."reportedByPartnerId"::text], ARRAY[o2.id::text]
     FROM "Outcome" o1 JOIN "Outcome" o2 ON o2."organizationId" = o1."organizationId" AND o2.kind = o1.kind
       AND o2.currency = o1.currency AND o2.value = o1.value AND o2.id > o1.id
       AND o2."reportedByPartnerId" IS DISTINCT FROM o1."reportedByPartnerId"
       AND abs(extract(epoch FROM o2."occurredAt" - o1."occurredAt")) <= 14 * 86400
     WHERE o1."deletedAt" IS NULL AND o2."deletedAt" IS NULL`,
  );
  const bursts = await prisma.$queryRawUnsafe<{ partnerId: string; hour: Date; count: number; usual: number }[]>(
    `WITH hourly AS (
       SELECT "reportedByPartnerId" AS partner, date_trunc('hour', "createdAt") AS hour, count(*)::int AS n
       FROM "Introduction" WHERE "reportedByPartnerId" IS NOT NULL GROUP BY 1, 2
     ), usual AS (
       SELECT partner, percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS median FROM hourly GROUP BY partner
     )
     SELECT hourly.partner::text AS "partnerId", hourly.hour, hourly.n AS count, usual.median::float8 AS usual
     FROM hourly JOIN usual USING (partner)
     WHERE hourly.n >= ${BURST_MINIMUM} AND hourly.n >= ${BURST_FACTOR} * usual.median`,
  );
  return [
    ...selfDealing.map((row) => ({
      kind: "SELF_DEALING" as const,
      key: `SELF_DEALING:${row.outcomeId}:${row.personId}`,
      outcomeId: row.outcomeId,
      introductionId: row.introductionId,
      personId: row.personId,
      partnerId: null,
      reason: "the connector was a member of the organization that gained the outcome when it happened",
      evidence: { introduction: gid("Introduction", row.introductionId) },
    })),
    ...rings.map((row) => ({
      kind: "RECIPROCAL_RING" as const,
      key: `RECIPROCAL_RING:${row.outcomeId}:${row.first}:${row.second}`,
      outcomeId: row.outcomeId,
      introductionId: row.firstIntro,
      personId: row.first,
      partnerId: null,
      reason: "two connectors introduced each other, and this outcome came through one of those introductions",
      evidence: {
        connectors: [gid("Person", row.first), gid("Person", row.second)],
        introductions: [gid("Introduction", row.firstIntro), gid("Introduction", row.secondIntro)],
      },
    })),
    ...late.map((row) => ({
      kind: "INTRODUCTION_AFTER_OUTCOME" as const,
      key: `INTRODUCTION_AFTER_OUTCOME:${row.outcomeId}:${row.introductionId}`,
      outcomeId: row.outcomeId,
      introductionId: row.introductionId,
      personId: row.personId,
      partnerId: null,
      reason: row.happened
        ? "an introduction on the outcome's chain happened after the outcome"
        : "an introduction on the outcome's chain was recorded after the outcome",
      evidence: { introduction: gid("Introduction", row.introductionId) },
    })),
    ...contested.map((row) => ({
      kind: "CONTESTED_CLAIM" as const,
      key: `CONTESTED_CLAIM:${row.outcomeId}:${row.others.join(":")}`,
      outcomeId: row.outcomeId,
      introductionId: null,
      personId: null,
      partnerId: null,
      reason: row.others.length
        ? "another partner recorded the same outcome (organization, kind, value, within 14 days) through its own introductions"
        : "several partners' introductions claim this outcome",
      evidence: {
        partners: row.partners.filter(Boolean).map((id) => gid("Partner", id)),
        outcomes: row.others.map((id) => gid("Outcome", id)),
      },
    })),
    ...bursts.map((row) => ({
      kind: "REPORTER_BURST" as const,
      key: `REPORTER_BURST:${row.partnerId}:${row.hour.toISOString()}`,
      outcomeId: null,
      introductionId: null,
      personId: null,
      partnerId: row.partnerId,
      reason: `the partner recorded ${row.count} introductions in one hour; it usually records ${row.usual}`,
      evidence: { partner: gid("Partner", row.partnerId), hour: row.hour.toISOString(), count: row.count },
    })),
  ];
}

interface ScanResult {
  found: number;
  added: number;
  kinds: { kind: IntegrityFlagKind; found: number }[];
}

const ScanResultRef = builder.objectRef<ScanResult>("IntegrityScan").implement({
  fields: (t) => ({
    found: t.exposeInt("found", { description: "Findings in the ledger now." }),
    added: t.exposeInt("added", {
      description: "Of those, new flags (the rest were flagged before, whatever their status).",
    }),
    kinds: t.field({
      type: [
        builder.objectRef<{ kind: IntegrityFlagKind; found: number }>("IntegrityScanKind").implement({
          fields: (k) => ({
            kind: k.field({ type: IntegrityFlagKindEnum, resolve: (row) => row.kind }),
            found: k.exposeInt("found"),
          }),
        }),
      ],
      resolve: (scan) => scan.kinds,
    }),
  }),
});

builder.mutationField("scanIntegrity", (t) =>
  t.field({
    type: ScanResultRef,
    description:
      "Looks for every integrity pattern in the ledger and adds a flag for each finding not flagged before (a dismissed finding stays dismissed). Admins only.",
    authScopes: { admin: true },
    resolve: async (_root, _args, ctx) =>
      prismaOf(ctx).$transaction(
        async (tx) => {
          const findings = await detect(tx);
          const { count } = await tx.integrityFlag.createMany({
            data: findings.map((finding) => ({ ...finding, evidence: finding.evidence as Prisma.InputJsonValue })),
            skipDuplicates: true,
          });
          await recordAudit(tx, ctx, {
            action: "integrity.scan",
            entityType: "IntegrityFlag",
            entityId: null,
            after: { found: findings.length, added: count },
          });
          const kinds = Object.values(IntegrityFlagKind).map((kind) => ({
            kind,
            found: findings.filter((finding) => finding.kind === kind).length,
          }));
          return { found: findings.length, added: count, kinds };
        },
        { timeout: 120_000, maxWait: 10_000 },
      ),
  }),
);

const ResolveFlagInput = builder.inputType("ResolveIntegrityFlagInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    note: t.string({ required: false, validate: z.string().trim().max(2000) }),
  }),
});

type FlagInput = typeof ResolveFlagInput.$inferInput;
type StoredFlag = Prisma.IntegrityFlagGetPayload<object>;

/**
 * Closes an OPEN flag at the client's version: `close` does what the verdict implies (a dispute, say) and returns the
 * flag's new status and fields; the write is audited as `action`. A stale version rolls everything back.
 */
async function resolveFlag(
  ctx: Context,
  input: FlagInput,
  action: string,
  close: (tx: Prisma.TransactionClient, flag: StoredFlag) => Promise<Prisma.IntegrityFlagUpdateManyMutationInput>,
): Promise<string> {
  const id = decodeId(input.id, "IntegrityFlag", "input.id");
  await prismaOf(ctx).$transaction(async (tx) => {
    const flag = await openFlag(tx, id, input.id);
    const data = await close(tx, flag);
    await writeAtVersion(tx.integrityFlag, {
      entityType: "IntegrityFlag",
      id,
      conflictId: input.id,
      version: input.version,
      data: { ...data, note: input.note ?? null, resolvedAt: new Date(), resolvedBy: ctx.viewer.label },
    });
    await recordAudit(tx, ctx, { action, entityType: "IntegrityFlag", entityId: id, before: flag });
  });
  return id;
}

builder.mutationField("dismissIntegrityFlag", (t) =>
  t.prismaField({
    type: IntegrityFlag,
    description: "The pattern is explained: the flag leaves the queue, and later scans do not raise it again.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "flag" } },
    args: { input: t.arg({ type: ResolveFlagInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await resolveFlag(ctx, input, "integrity.dismiss", async () => ({ status: "DISMISSED" }));
      return prismaOf(ctx).integrityFlag.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
    },
  }),
);

builder.mutationField("disputeIntegrityFlag", (t) =>
  t.prismaField({
    type: IntegrityFlag,
    description:
      "Turns a flag into a credit dispute on its outcome (naming its introduction, if any), in one step; the dispute is adjudicated like any other. Flags without an outcome (a reporter's burst) cannot be disputed.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "flag" } },
    args: { input: t.arg({ type: ResolveFlagInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await resolveFlag(ctx, input, "integrity.dispute", async (tx, flag) => {
        if (!flag.outcomeId)
          throw ValidationError.of(["input", "id"], "this flag names no outcome: there is no credit to dispute");
        const dispute = await tx.creditDispute.create({
          data: {
            outcomeId: flag.outcomeId,
            introductionId: flag.introductionId,
            reason: `Integrity flag ${flag.kind}: ${flag.reason}${input.note ? `. ${input.note.trim()}` : ""}`,
            evidence: [encodeGlobalID("IntegrityFlag", flag.id)],
            reportedByPartnerId: null,
          },
        });
        await recordAudit(tx, ctx, {
          action: "creditDispute.open",
          entityType: "CreditDispute",
          entityId: dispute.id,
          after: dispute,
        });
        return { status: "DISPUTED", disputeId: dispute.id };
      });
      return prismaOf(ctx).integrityFlag.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
    },
  }),
);

async function openFlag(tx: Prisma.TransactionClient, id: string, globalId: string): Promise<StoredFlag> {
  const flag = await tx.integrityFlag.findUnique({ where: { id } });
  if (!flag) throw new NotFoundError("IntegrityFlag", globalId);
  if (flag.status !== "OPEN")
    throw ValidationError.of(["input", "id"], `this flag was ${flag.status.toLowerCase()} already`);
  return flag;
}
