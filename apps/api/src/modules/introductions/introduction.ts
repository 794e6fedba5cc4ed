// Introductions: a connector introduces one person to another, with consent; intros that grew out of earlier ones form
// chains (a DAG of IntroductionLink rows), which is what credit flows along.
import { z } from "zod";
import { ConsentSide, IntroductionChannel, IntroductionStatus, type Prisma } from "@intrograph/db";
import { builder } from "../../builder.ts";
import { plannedQuery } from "../planned-query.ts";
import { type Context, prismaOf } from "../../context.ts";
import { ForbiddenError, NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeDistinctIds, decodeId, decodeOptionalId } from "../../ids.ts";
import { provenanceOf, reportedVisibleTo } from "../access/visibility.ts";
import { idempotencyKeyField, withIdempotency } from "../access/idempotency.ts";
import { recordAudit } from "../audit/record.ts";
import { updateAtVersion } from "../versioned-update.ts";
import { occurredWithin } from "../common.ts";
import { outcomesDownstreamOf, recomputeCreditForOutcomes } from "@intrograph/ledger";
import { Outcome } from "../outcomes/outcome.ts";
import { RecordSourceEnum } from "../relationships/enums.ts";

export const IntroductionChannelEnum = builder.enumType(IntroductionChannel, { name: "IntroductionChannel" });
export const IntroductionStatusEnum = builder.enumType(IntroductionStatus, { name: "IntroductionStatus" });

export const Introduction = builder.prismaNode("Introduction", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  // node(id) and nodes(ids) load through this: another partner's private report, or a retired record, is not found.
  findUnique: (id, ctx) => ({ id, deletedAt: null, ...reportedVisibleTo(ctx) }),
  description:
    "A connector introduced `from` to `to`. Chains: `ledFrom` are the earlier intros this one grew out of, `ledTo` the later ones it led to.",
  fields: (t) => ({
    connector: t.relation("connector"),
    from: t.relation("from"),
    to: t.relation("to"),
    organization: t.relation("organization", {
      nullable: true,
      description: "The organization the intro was made for, if any.",
    }),
    channel: t.expose("channel", { type: IntroductionChannelEnum }),
    status: t.expose("status", { type: IntroductionStatusEnum }),
    occurredAt: t.expose("occurredAt", { type: "DateTime" }),
    fromConsentedAt: t.expose("fromConsentedAt", { type: "DateTime", nullable: true }),
    toConsentedAt: t.expose("toConsentedAt", { type: "DateTime", nullable: true }),
    consented: t.boolean({
      description: "Both sides opted in. Only consented introductions earn credit.",
      select: { fromConsentedAt: true, toConsentedAt: true },
      resolve: (intro) => intro.fromConsentedAt !== null && intro.toConsentedAt !== null,
    }),
    consentNote: t.exposeString("consentNote", { nullable: true }),
    note: t.exposeString("note", { nullable: true }),
    source: t.expose("source", { type: RecordSourceEnum }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

// Chain links are added after the type exists: they return the type itself.
builder.prismaObjectFields(Introduction, (t) => ({
  ledFrom: t.field({
    type: [Introduction],
    description: "The earlier introductions this one grew out of.",
    select: (_args, ctx, nestedSelection) => ({
      ledFrom: {
        where: { earlier: { deletedAt: null, ...reportedVisibleTo(ctx) } },
        select: { earlier: nestedSelection(true) },
      },
    }),
    resolve: (intro) => intro.ledFrom.map((link) => link.earlier),
  }),
  ledTo: t.field({
    type: [Introduction],
    description: "The later introductions that grew out of this one.",
    select: (_args, ctx, nestedSelection) => ({
      ledTo: {
        where: { later: { deletedAt: null, ...reportedVisibleTo(ctx) } },
        select: { later: nestedSelection(true) },
      },
    }),
    resolve: (intro) => intro.ledTo.map((link) => link.later),
  }),
  outcomes: t.field({
    type: [Outcome],
    description: "Outcomes this introduction led to directly.",
    select: (_args, ctx, nestedSelection) => ({
      outcomes: {
        where: { outcome: { deletedAt: null, ...reportedVisibleTo(ctx) } },
        select: { outcome: nestedSelection(true) },
      },
    }),
    resolve: (intro) => intro.outcomes.map((link) => link.outcome),
  }),
}));

const IntroductionFilter = builder.inputType("IntroductionFilter", {
  fields: (t) => ({
    status: t.field({ type: IntroductionStatusEnum, required: false }),
    connectorId: t.id({ required: false }),
    consentedOnly: t.boolean({ required: false }),
    occurredAfter: t.field({ type: "DateTime", required: false }),
    occurredBefore: t.field({ type: "DateTime", required: false }),
  }),
});

builder.queryField("introductions", (t) =>
  t.prismaConnection({
    type: "Introduction",
    cursor: "id",
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: IntroductionFilter, required: false }) },
    resolve: (query, _root, { filter }, ctx) =>
      prismaOf(ctx).introduction.findMany({ ...query, where: introductionsWhere(filter, ctx), orderBy: { id: "asc" } }),
    // Counted only when selected, by one COUNT over the same filtered, visible set.
    totalCount: (_parent, { filter }, ctx) =>
      prismaOf(ctx).introduction.count({ where: introductionsWhere(filter, ctx) }),
  }),
);

function introductionsWhere(
  filter: typeof IntroductionFilter.$inferInput | null | undefined,
  ctx: Context,
): Prisma.IntroductionWhereInput {
  return {
    deletedAt: null,
    ...reportedVisibleTo(ctx),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.connectorId ? { connectorId: decodeId(filter.connectorId, "Person", "filter.connectorId") } : {}),
    ...(filter?.consentedOnly ? { fromConsentedAt: { not: null }, toConsentedAt: { not: null } } : {}),
    ...occurredWithin(filter?.occurredAfter, filter?.occurredBefore),
  };
}

const note = z.string().max(2000);

const CreateIntroductionInput = builder.inputType("CreateIntroductionInput", {
  fields: (t) => ({
    idempotencyKey: t.string(idempotencyKeyField),
    connectorId: t.id({ required: true, description: "The person who made the introduction." }),
    fromId: t.id({ required: true }),
    toId: t.id({ required: true }),
    organizationId: t.id({ required: false }),
    channel: t.field({ type: IntroductionChannelEnum, required: false, defaultValue: "EMAIL" }),
    status: t.field({ type: IntroductionStatusEnum, required: false, defaultValue: "PROPOSED" }),
    occurredAt: t.field({ type: "DateTime", required: true }),
    fromConsentedAt: t.field({ type: "DateTime", required: false }),
    toConsentedAt: t.field({ type: "DateTime", required: false }),
    consentNote: t.string({ required: false, validate: note }),
    note: t.string({ required: false, validate: note }),
    ledFromIds: t.idList({
      required: false,
      description: "Earlier introductions this one grew out of (the chain links).",
      validate: z.array(z.string()).max(50, "at most 50 earlier introductions"),
    }),
  }),
});

const UpdateIntroductionInput = builder.inputType("UpdateIntroductionInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    status: t.field({ type: IntroductionStatusEnum, required: false }),
    fromConsentedAt: t.field({ type: "DateTime", required: false }),
    toConsentedAt: t.field({ type: "DateTime", required: false }),
    consentNote: t.string({ required: false, validate: note }),
    note: t.string({ required: false, validate: note }),
  }),
});

// proposed → accepted/declined → met; a declined or met intro stays where it is.
const allowedTransitions: Record<IntroductionStatus, IntroductionStatus[]> = {
  PROPOSED: ["PROPOSED", "ACCEPTED", "DECLINED", "MET"],
  ACCEPTED: ["ACCEPTED", "MET", "DECLINED"],
  DECLINED: ["DECLINED"],
  MET: ["MET"],
};

builder.mutationField("createIntroduction", (t) =>
  t.prismaField({
    type: "Introduction",
    description: "Records an introduction, its consent and the earlier introductions it grew out of.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "introduction" } },
    args: { input: t.arg({ type: CreateIntroductionInput, required: true }) },
    resolve: (query, _root, { input }, requestCtx) =>
      withIdempotency(
        requestCtx,
        "createIntroduction",
        input,
        (id, ctx) => prismaOf(ctx).introduction.findUniqueOrThrow({ ...query, where: { id } }),
        async (ctx) => {
          const connectorId = decodeId(input.connectorId, "Person", "input.connectorId");
          const fromId = decodeId(input.fromId, "Person", "input.fromId");
          const toId = decodeId(input.toId, "Person", "input.toId");
          const organizationId = decodeOptionalId(input.organizationId, "Organization", "input.organizationId");
          const ledFromIds = decodeDistinctIds(input.ledFromIds ?? [], "Introduction", "input.ledFromIds");
          if (fromId === toId) throw ValidationError.of(["input", "toId"], "cannot introduce a person to themselves");
          if (connectorId === fromId || connectorId === toId)
            throw ValidationError.of(["input", "connectorId"], "the connector must be a third person");
          for (const [field, at] of [
            ["fromConsentedAt", input.fromConsentedAt],
            ["toConsentedAt", input.toConsentedAt],
          ] as const) {
            if (at && at < input.occurredAt)
              throw ValidationError.of(
                ["input", field],
                "consent is recorded at or after the introduction was proposed",
              );
          }
          const prisma = prismaOf(ctx);
          return prisma.$transaction(async (tx) => {
            const people = await tx.person.findMany({
              where: { id: { in: [connectorId, fromId, toId] }, deletedAt: null },
              select: { id: true },
            });
            for (const [id, globalId] of [
              [connectorId, input.connectorId],
              [fromId, input.fromId],
              [toId, input.toId],
            ] as const) {
              if (!people.some((person) => person.id === id)) throw new NotFoundError("Person", globalId);
            }
            if (
              organizationId &&
              !(await tx.organization.findFirst({
                where: { id: organizationId, deletedAt: null },
                select: { id: true },
              }))
            ) {
              throw new NotFoundError("Organization", input.organizationId!);
            }
            const earlier = await tx.introduction.findMany({
              where: { id: { in: ledFromIds }, deletedAt: null, ...reportedVisibleTo(ctx) },
              select: { id: true, occurredAt: true },
            });
            for (const [index, id] of ledFromIds.entries()) {
              const found = earlier.find((intro) => intro.id === id);
              if (!found) throw new NotFoundError("Introduction", input.ledFromIds![index]!);
              if (found.occurredAt > input.occurredAt) {
                throw ValidationError.of(
                  ["input", "ledFromIds", String(index)],
                  "an introduction can only grow out of an earlier one",
                );
              }
            }
            const introduction = await tx.introduction.create({
              data: {
                connectorId,
                fromId,
                toId,
                organizationId: organizationId ?? null,
                channel: input.channel ?? "EMAIL",
                status: input.status ?? "PROPOSED",
                occurredAt: input.occurredAt,
                fromConsentedAt: input.fromConsentedAt ?? null,
                toConsentedAt: input.toConsentedAt ?? null,
                consentNote: input.consentNote ?? null,
                note: input.note ?? null,
                ...provenanceOf(ctx.viewer),
                ledFrom: { create: ledFromIds.map((earlierId) => ({ earlierId })) },
              },
            });
            await recordAudit(tx, ctx, {
              action: "introduction.create",
              entityType: "Introduction",
              entityId: introduction.id,
              after: { ...introduction, ledFromIds },
            });
            // A new intro is on no outcome's chain yet: no per-outcome credit moves. It is a new journey for MARKOV,
            // which its job recomputes after this write's event.
            return tx.introduction.findUniqueOrThrow({ ...plannedQuery(query), where: { id: introduction.id } });
          });
        },
      ),
  }),
);

builder.mutationField("updateIntroduction", (t) =>
  t.prismaField({
    type: "Introduction",
    description:
      "Moves an introduction along (proposed → accepted/declined → met) or records consent. Clearing a side's consent (null) withdraws it: see withdrawIntroductionConsent.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "introduction" } },
    args: { input: t.arg({ type: UpdateIntroductionInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Introduction", "input.id");
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await changeableIntroduction(tx, ctx, id, input.id);
        if (input.status && !allowedTransitions[before.status].includes(input.status)) {
          throw ValidationError.of(
            ["input", "status"],
            `an introduction cannot go from ${before.status} to ${input.status}`,
          );
        }
        await changeIntroduction(tx, ctx, before, {
          conflictId: input.id,
          version: input.version,
          data: {
            ...(input.status ? { status: input.status } : {}),
            ...(input.fromConsentedAt !== undefined ? { fromConsentedAt: input.fromConsentedAt } : {}),
            ...(input.toConsentedAt !== undefined ? { toConsentedAt: input.toConsentedAt } : {}),
            ...(input.consentNote !== undefined ? { consentNote: input.consentNote } : {}),
            ...(input.note !== undefined ? { note: input.note } : {}),
          },
        });
        return tx.introduction.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);

export const ConsentSideEnum = builder.enumType(ConsentSide, {
  name: "ConsentSide",
  description: "FROM is the person introduced, TO the person they were introduced to.",
});

const WithdrawConsentInput = builder.inputType("WithdrawIntroductionConsentInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    side: t.field({ type: ConsentSideEnum, required: true, description: "Whose consent is withdrawn." }),
    reason: t.string({ required: false, validate: note }),
  }),
});

builder.mutationField("withdrawIntroductionConsent", (t) =>
  t.prismaField({
    type: "Introduction",
    description:
      "Records that one side of an introduction withdrew consent (when, and on whose key). The introduction stops earning credit for every outcome whose credit has not locked; the credit history shows the move (cause CONSENT_WITHDRAWN). Locked outcomes keep their credit: open a dispute to change it.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "introduction" } },
    args: { input: t.arg({ type: WithdrawConsentInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Introduction", "input.id");
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await changeableIntroduction(tx, ctx, id, input.id);
        const field = input.side === "FROM" ? "fromConsentedAt" : "toConsentedAt";
        if (before[field] === null)
          throw ValidationError.of(["input", "side"], `the ${input.side} side has not consented: nothing to withdraw`);
        await changeIntroduction(tx, ctx, before, {
          conflictId: input.id,
          version: input.version,
          data: { [field]: null },
          reason: input.reason ?? null,
        });
        return tx.introduction.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);

type StoredIntroduction = Prisma.IntroductionGetPayload<object>;

/** The introduction the viewer may change, or the typed refusal. */
async function changeableIntroduction(
  tx: Prisma.TransactionClient,
  ctx: Context,
  id: string,
  globalId: string,
): Promise<StoredIntroduction> {
  const before = await tx.introduction.findFirst({ where: { id, deletedAt: null, ...reportedVisibleTo(ctx) } });
  if (!before) throw new NotFoundError("Introduction", globalId);
  if (ctx.viewer.kind === "partner" && before.reportedByPartnerId !== ctx.viewer.partnerId) {
    throw new ForbiddenError("partners can only change introductions they reported");
  }
  return before;
}

const consentSides = [
  ["FROM", "fromConsentedAt"],
  ["TO", "toConsentedAt"],
] as const;

/**
 * Writes the change at the client's version, records each side's consent given or withdrawn (ConsentChange), and
 * credits again every outcome whose chains run through the introduction, since consent decides eligibility.
 */
async function changeIntroduction(
  tx: Prisma.TransactionClient,
  ctx: Context,
  before: StoredIntroduction,
  change: {
    conflictId: string;
    version: number;
    data: Prisma.IntroductionUpdateManyMutationInput;
    reason?: string | null;
  },
): Promise<void> {
  await updateAtVersion(tx, ctx, tx.introduction, {
    entityType: "Introduction",
    id: before.id,
    conflictId: change.conflictId,
    version: change.version,
    data: change.data,
    before,
    action: "introduction.update",
  });
  const consentChanges = consentSides.flatMap(([side, field]) => {
    const now = change.data[field] as Date | null | undefined;
    if (now === undefined || (now === null) === (before[field] === null)) return [];
    return [{ side, action: now === null ? ("WITHDRAWN" as const) : ("GIVEN" as const), at: now ?? new Date() }];
  });
  await tx.consentChange.createMany({
    data: consentChanges.map((consent) => ({
      introductionId: before.id,
      ...consent,
      recordedBy: ctx.viewer.label,
      reason: change.reason ?? null,
    })),
  });
  const cause = consentChanges.some((consent) => consent.action === "WITHDRAWN")
    ? "CONSENT_WITHDRAWN"
    : consentChanges.length
      ? "CONSENT_GIVEN"
      : "INTRODUCTION_UPDATED";
  await recomputeCreditForOutcomes(tx, await outcomesDownstreamOf(tx, [before.id]), {
    cause: { cause, entityType: "Introduction", entityId: before.id, actorId: ctx.viewer.label },
  });
}
