// Credit disputes: anyone with a key can contest the credit of an outcome (or of one introduction on its chains);
// an admin upholds or rejects it, and the ledger follows the verdict — an upheld dispute excludes the introduction
// (or, without one, the whole outcome) from credit.
import { z } from "zod";
import { DisputeStatus } from "@intrograph/db";
import { plannedQuery } from "../planned-query.ts";
import { builder } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { ConflictError, NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeId, decodeOptionalId } from "../../ids.ts";
import { reportedVisibleTo } from "../access/visibility.ts";
import { recordAudit, type Transaction } from "../audit/record.ts";
import { updateAtVersion } from "../versioned-update.ts";
import { recomputeCreditForOutcomes } from "@intrograph/ledger";

export const DisputeStatusEnum = builder.enumType(DisputeStatus, { name: "CreditDisputeStatus" });
const VerdictEnum = builder.enumType("CreditDisputeVerdict", {
  values: {
    UPHOLD: { description: "The dispute is right: exclude the introduction from credit." },
    REJECT: {},
  } as const,
});

export const CreditDispute = builder.prismaNode("CreditDispute", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  // node(id) and nodes(ids) load through this: a dispute another partner opened is simply not found.
  findUnique: (id, ctx) => ({ id, ...visibleDisputes(ctx) }),
  description: "A challenge to an outcome's credit, with its evidence and the adjudication trail.",
  fields: (t) => ({
    outcome: t.relation("outcome"),
    introduction: t.relation("introduction", {
      nullable: true,
      description: "The contested introduction; none means the whole outcome.",
    }),
    reason: t.exposeString("reason"),
    evidence: t.stringList({
      description: "Links or statements supporting the dispute.",
      select: { evidence: true },
      resolve: (dispute) => (Array.isArray(dispute.evidence) ? dispute.evidence.map((item) => String(item)) : []),
    }),
    status: t.expose("status", { type: DisputeStatusEnum }),
    resolution: t.exposeString("resolution", { nullable: true }),
    resolvedAt: t.expose("resolvedAt", { type: "DateTime", nullable: true }),
    resolvedBy: t.exposeString("resolvedBy", { nullable: true, description: "The admin key that adjudicated it." }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

/**
 * A dispute is its opener's record: a partner sees the disputes it opened and those admins opened, on outcomes it may
 * see; never another partner's (their reasons and evidence are that partner's case).
 */
export function visibleDisputes(ctx: Context) {
  return { ...reportedVisibleTo(ctx), outcome: { deletedAt: null, ...reportedVisibleTo(ctx) } };
}

builder.queryField("creditDisputes", (t) =>
  t.prismaConnection({
    type: CreditDispute,
    cursor: "id",
    description: "Credit disputes, oldest first: `status: OPEN` is the adjudication queue.",
    authScopes: { authenticated: true },
    args: {
      status: t.arg({ type: DisputeStatusEnum, required: false }),
      outcomeId: t.arg.id({ required: false }),
    },
    resolve: (query, _root, args, ctx) =>
      prismaOf(ctx).creditDispute.findMany({
        ...query,
        where: {
          ...visibleDisputes(ctx),
          ...(args.status ? { status: args.status } : {}),
          ...(args.outcomeId ? { outcomeId: decodeId(args.outcomeId, "Outcome", "outcomeId") } : {}),
        },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      }),
  }),
);

const OpenCreditDisputeInput = builder.inputType("OpenCreditDisputeInput", {
  fields: (t) => ({
    outcomeId: t.id({ required: true }),
    introductionId: t.id({
      required: false,
      description: "The introduction whose credit is contested; omit to contest the whole outcome.",
    }),
    reason: t.string({ required: true, validate: z.string().trim().min(3, "must say why").max(2000) }),
    evidence: t.stringList({
      required: true,
      description: "Links or statements; may be empty.",
      validate: z
        .array(z.string().trim().min(1, "must not be empty").max(2000))
        .max(20, "at most 20 pieces of evidence"),
    }),
  }),
});

const AdjudicateCreditDisputeInput = builder.inputType("AdjudicateCreditDisputeInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    verdict: t.field({ type: VerdictEnum, required: true }),
    resolution: t.string({ required: true, validate: z.string().trim().min(3, "must explain the verdict").max(2000) }),
  }),
});

/** Introductions on the outcome's chains: the direct ones and everything upstream of them. */
async function introductionsBehind(tx: Transaction, outcomeId: string): Promise<Set<string>> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `WITH RECURSIVE upstream(id) AS (
       SELECT "introductionId" FROM "OutcomeIntroduction" WHERE "outcomeId" = $1::uuid
       UNION
       SELECT link."earlierId" FROM "IntroductionLink" link JOIN upstream ON link."laterId" = upstream.id
     )
     SELECT id::text AS id FROM upstream`,
    outcomeId,
  );
  return new Set(rows.map((row) => row.id));
}

builder.mutationField("openCreditDispute", (t) =>
  t.prismaField({
    type: CreditDispute,
    description: "Contests an outcome's credit. It stays OPEN, and credit unchanged, until an admin adjudicates it.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "dispute" } },
    args: { input: t.arg({ type: OpenCreditDisputeInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const outcomeId = decodeId(input.outcomeId, "Outcome", "input.outcomeId");
      const introductionId = decodeOptionalId(input.introductionId, "Introduction", "input.introductionId");
      return prismaOf(ctx).$transaction(async (tx) => {
        const outcome = await tx.outcome.findFirst({
          where: { id: outcomeId, deletedAt: null, ...reportedVisibleTo(ctx) },
          select: { id: true },
        });
        if (!outcome) throw new NotFoundError("Outcome", input.outcomeId);
        if (introductionId && !(await introductionsBehind(tx, outcomeId)).has(introductionId)) {
          throw ValidationError.of(
            ["input", "introductionId"],
            "this introduction is not on any intro chain into the outcome",
          );
        }
        const dispute = await tx.creditDispute.create({
          data: {
            outcomeId,
            introductionId: introductionId ?? null,
            reason: input.reason.trim(),
            evidence: input.evidence,
            reportedByPartnerId: ctx.viewer.partnerId ?? null,
          },
        });
        await recordAudit(tx, ctx, {
          action: "creditDispute.open",
          entityType: "CreditDispute",
          entityId: dispute.id,
          after: dispute,
        });
        return tx.creditDispute.findUniqueOrThrow({ ...plannedQuery(query), where: { id: dispute.id } });
      });
    },
  }),
);

builder.mutationField("adjudicateCreditDispute", (t) =>
  t.prismaField({
    type: CreditDispute,
    description:
      "Upholds or rejects an open dispute (admins). Upholding excludes the introduction from the outcome's credit, which is recomputed at once.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "dispute" } },
    args: { input: t.arg({ type: AdjudicateCreditDisputeInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "CreditDispute", "input.id");
      const result = await prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.creditDispute.findUnique({ where: { id } });
        if (!before) throw new NotFoundError("CreditDispute", input.id);
        if (before.status !== "OPEN") {
          throw new ConflictError(
            "CreditDispute",
            input.id,
            before.version,
            `this dispute was already adjudicated (${before.status})`,
          );
        }
        const recompute = await updateAtVersion(tx, ctx, tx.creditDispute, {
          entityType: "CreditDispute",
          id,
          conflictId: input.id,
          version: input.version,
          where: { status: "OPEN" },
          data: {
            status: input.verdict === "UPHOLD" ? "UPHELD" : "REJECTED",
            resolution: input.resolution.trim(),
            resolvedAt: new Date(),
            resolvedBy: ctx.viewer.label,
          },
          before,
          action: "creditDispute.adjudicate",
          beforeAudit: async () =>
            // A verdict is the one change a locked outcome's credit accepts.
            input.verdict === "UPHOLD"
              ? recomputeCreditForOutcomes(tx, [before.outcomeId], {
                  includeLocked: true,
                  cause: {
                    cause: "DISPUTE_ADJUDICATED",
                    entityType: "CreditDispute",
                    entityId: id,
                    actorId: ctx.viewer.label,
                  },
                })
              : null,
        });
        const dispute = await tx.creditDispute.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
        return { dispute, recompute };
      });
      return result.dispute;
    },
  }),
);
