// Outcomes — deals, hires, investments, acquisitions — and the introductions that led to them.
import { z } from "zod";
import { OutcomeKind, type Prisma } from "@intrograph/db";
import { builder } from "../../builder.ts";
import { plannedQuery } from "../planned-query.ts";
import { type Context, prismaOf } from "../../context.ts";
import { CreditLockedError, ForbiddenError, NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeId, decodeOptionalId } from "../../ids.ts";
import { provenanceOf, reportedVisibleTo } from "../access/visibility.ts";
import { idempotencyKeyField, withIdempotency } from "../access/idempotency.ts";
import { recordAudit } from "../audit/record.ts";
import { updateAtVersion } from "../versioned-update.ts";
import { direction, occurredWithin, SortDirection } from "../common.ts";
import { currencyMinorUnits, minorUnitsFor, recomputeCreditForOutcomes } from "@intrograph/ledger";
import { Introduction } from "../introductions/introduction.ts";
import { RecordSourceEnum } from "../relationships/enums.ts";

export const OutcomeKindEnum = builder.enumType(OutcomeKind, { name: "OutcomeKind" });

export const Outcome = builder.prismaNode("Outcome", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  // node(id) and nodes(ids) load through this: another partner's private report, or a retired record, is not found.
  findUnique: (id, ctx) => ({ id, deletedAt: null, ...reportedVisibleTo(ctx) }),
  description: "Something of value an introduction led to.",
  fields: (t) => ({
    kind: t.expose("kind", { type: OutcomeKindEnum }),
    title: t.exposeString("title"),
    description: t.exposeString("description", { nullable: true }),
    value: t.field({
      type: "Decimal",
      description:
        'Exact amount in `currency`, with the currency\'s decimals ("1.00" USD, "100" JPY; finer when recorded so).',
      select: { value: true, currency: true },
      resolve: (outcome) => outcome.value.toFixed(minorUnitsFor(outcome.currency, outcome.value.toFixed())),
    }),
    currency: t.exposeString("currency"),
    occurredAt: t.expose("occurredAt", { type: "DateTime" }),
    creditLocksAt: t.field({
      type: "DateTime",
      description:
        "When this outcome's credit becomes final: from then on its value, currency, date and chains cannot change, rebuilds and MARKOV runs leave its allocations as they are, and only an adjudicated credit dispute changes them.",
      select: { creditLocksAt: true, occurredAt: true, createdAt: true },
      // Filled in by the database on insert; the fallback only covers a row written around it.
      resolve: (outcome) => outcome.creditLocksAt ?? defaultLockDate(outcome),
    }),
    creditLocked: t.boolean({
      description: "Whether `creditLocksAt` has passed.",
      select: { creditLocksAt: true, occurredAt: true, createdAt: true },
      resolve: (outcome) => (outcome.creditLocksAt ?? defaultLockDate(outcome)) <= new Date(),
    }),
    organization: t.relation("organization", { nullable: true }),
    source: t.expose("source", { type: RecordSourceEnum }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

// Added after both types exist: introductions and outcomes refer to each other.
builder.prismaObjectFields(Outcome, (t) => ({
  introductions: t.field({
    type: [Introduction],
    description: "The introductions that led directly to this outcome (the last links of its intro chains).",
    select: (_args, ctx, nestedSelection) => ({
      introductions: {
        where: { introduction: { deletedAt: null, ...reportedVisibleTo(ctx) } },
        select: { introduction: nestedSelection(true) },
      },
    }),
    resolve: (outcome) => outcome.introductions.map((link) => link.introduction),
  }),
}));

const OutcomeFilter = builder.inputType("OutcomeFilter", {
  fields: (t) => ({
    kind: t.field({ type: OutcomeKindEnum, required: false }),
    currency: t.string({ required: false }),
    occurredAfter: t.field({ type: "DateTime", required: false }),
    occurredBefore: t.field({ type: "DateTime", required: false }),
  }),
});

const OutcomeOrderField = builder.enumType("OutcomeOrderField", {
  values: ["OCCURRED_AT", "CREATED_AT"] as const,
});
const OutcomeOrder = builder.inputType("OutcomeOrder", {
  fields: (t) => ({
    field: t.field({ type: OutcomeOrderField, required: true }),
    direction: t.field({ type: SortDirection, required: false, defaultValue: "ASC" }),
  }),
});
const outcomeOrderColumn = { OCCURRED_AT: "occurredAt", CREATED_AT: "createdAt" } as const;

builder.queryField("outcomes", (t) =>
  t.prismaConnection({
    type: Outcome,
    cursor: "id",
    description: "Outcomes, filtered; in the order recorded unless `orderBy` says otherwise (e.g. newest first).",
    authScopes: { authenticated: true },
    args: {
      filter: t.arg({ type: OutcomeFilter, required: false }),
      orderBy: t.arg({ type: OutcomeOrder, required: false }),
    },
    resolve: (query, _root, { filter, orderBy }, ctx) =>
      prismaOf(ctx).outcome.findMany({
        ...query,
        where: outcomesWhere(filter, ctx),
        orderBy: orderBy
          ? [
              { [outcomeOrderColumn[orderBy.field]]: direction(orderBy.direction) },
              { id: direction(orderBy.direction) },
            ]
          : [{ id: "asc" }],
      }),
    // Counted only when selected, by one COUNT over the same filtered, visible set.
    totalCount: (_parent, { filter }, ctx) => prismaOf(ctx).outcome.count({ where: outcomesWhere(filter, ctx) }),
  }),
);

function outcomesWhere(
  filter: typeof OutcomeFilter.$inferInput | null | undefined,
  ctx: Context,
): Prisma.OutcomeWhereInput {
  return {
    deletedAt: null,
    ...reportedVisibleTo(ctx),
    ...(filter?.kind ? { kind: filter.kind } : {}),
    ...(filter?.currency ? { currency: filter.currency.toUpperCase() } : {}),
    ...occurredWithin(filter?.occurredAfter, filter?.occurredBefore),
  };
}

const money = z.string().regex(/^\d{1,20}(\.\d{1,4})?$/, "must be a non-negative amount with at most 4 decimals");
const currency = z
  .string()
  .refine((code) => currencyMinorUnits(code) !== undefined, "must be an ISO 4217 currency code such as USD");

/** A value finer than its currency's minor unit (12.345 USD, 10.5 JPY) cannot be paid, so it is refused. */
function assertPayable(value: string, currencyCode: string, path: string[]): void {
  const minorUnits = currencyMinorUnits(currencyCode);
  const decimals = value.split(".")[1]?.replace(/0+$/, "").length ?? 0;
  if (minorUnits !== undefined && decimals > minorUnits) {
    throw ValidationError.of(
      path,
      minorUnits === 0
        ? `${currencyCode} has no minor unit: the value must be a whole number`
        : `${currencyCode} has ${minorUnits} decimals: the value must not have more`,
    );
  }
}

const RecordOutcomeInput = builder.inputType("RecordOutcomeInput", {
  fields: (t) => ({
    idempotencyKey: t.string(idempotencyKeyField),
    kind: t.field({ type: OutcomeKindEnum, required: true }),
    title: t.string({ required: true, validate: z.string().trim().min(1, "must not be empty").max(300) }),
    description: t.string({ required: false, validate: z.string().max(5000) }),
    value: t.field({ type: "Decimal", required: true, validate: money }),
    currency: t.string({ required: true, validate: currency }),
    occurredAt: t.field({ type: "DateTime", required: true }),
    organizationId: t.id({ required: false }),
    introductionIds: t.idList({
      required: true,
      description: "The introductions that led directly to the outcome.",
      validate: z.array(z.string()).min(1, "an outcome needs at least one introduction").max(50),
    }),
  }),
});

const UpdateOutcomeInput = builder.inputType("UpdateOutcomeInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    title: t.string({ required: false, validate: z.string().trim().min(1).max(300) }),
    description: t.string({ required: false, validate: z.string().max(5000) }),
    value: t.field({ type: "Decimal", required: false, validate: money }),
    currency: t.string({ required: false, validate: currency }),
    occurredAt: t.field({ type: "DateTime", required: false }),
  }),
});

const DEFAULT_LOCK_DAYS = 90;

function defaultLockDate(outcome: { occurredAt: Date; createdAt: Date }): Date {
  const start = Math.max(outcome.occurredAt.getTime(), outcome.createdAt.getTime());
  return new Date(start + DEFAULT_LOCK_DAYS * 86_400_000);
}

builder.mutationField("recordOutcome", (t) =>
  t.prismaField({
    type: Outcome,
    description: "Records an outcome and the introductions that led to it.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "outcome" } },
    args: { input: t.arg({ type: RecordOutcomeInput, required: true }) },
    resolve: (query, _root, { input }, requestCtx) =>
      withIdempotency(
        requestCtx,
        "recordOutcome",
        input,
        (id, ctx) => prismaOf(ctx).outcome.findUniqueOrThrow({ ...query, where: { id } }),
        async (ctx) => {
          assertPayable(input.value, input.currency, ["input", "value"]);
          const introductionIds = input.introductionIds.map((id, index) =>
            decodeId(id, "Introduction", `input.introductionIds.${index}`),
          );
          const organizationId = decodeOptionalId(input.organizationId, "Organization", "input.organizationId");
          return prismaOf(ctx).$transaction(async (tx) => {
            const found = await tx.introduction.findMany({
              where: { id: { in: introductionIds }, deletedAt: null, ...reportedVisibleTo(ctx) },
              select: { id: true, occurredAt: true },
            });
            for (const [index, id] of introductionIds.entries()) {
              const intro = found.find((candidate) => candidate.id === id);
              if (!intro) throw new NotFoundError("Introduction", input.introductionIds[index]!);
              if (intro.occurredAt > input.occurredAt) {
                throw ValidationError.of(
                  ["input", "introductionIds", String(index)],
                  "the outcome happened before this introduction",
                );
              }
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
            const outcome = await tx.outcome.create({
              data: {
                kind: input.kind,
                title: input.title,
                description: input.description ?? null,
                value: input.value,
                currency: input.currency,
                occurredAt: input.occurredAt,
                organizationId: organizationId ?? null,
                ...provenanceOf(ctx.viewer),
                introductions: { create: [...new Set(introductionIds)].map((introductionId) => ({ introductionId })) },
              },
            });
            await recordAudit(tx, ctx, {
              action: "outcome.create",
              entityType: "Outcome",
              entityId: outcome.id,
              after: { ...outcome, introductionIds },
            });
            // The new outcome links chains to credit: lock them, so a concurrent consent change is not missed.
            await recomputeCreditForOutcomes(tx, [outcome.id], {
              chainsChanged: true,
              cause: {
                cause: "OUTCOME_RECORDED",
                entityType: "Outcome",
                entityId: outcome.id,
                actorId: ctx.viewer.label,
              },
            });
            return tx.outcome.findUniqueOrThrow({ ...plannedQuery(query), where: { id: outcome.id } });
          });
        },
      ),
  }),
);

builder.mutationField("updateOutcome", (t) =>
  t.prismaField({
    type: Outcome,
    authScopes: { admin: true, partner: true },
    errors: { types: [...writeErrors, CreditLockedError], dataField: { name: "outcome" } },
    args: { input: t.arg({ type: UpdateOutcomeInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Outcome", "input.id");
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.outcome.findFirst({ where: { id, deletedAt: null, ...reportedVisibleTo(ctx) } });
        if (!before) throw new NotFoundError("Outcome", input.id);
        if (ctx.viewer.kind === "partner" && before.reportedByPartnerId !== ctx.viewer.partnerId) {
          throw new ForbiddenError("partners can only change outcomes they reported");
        }
        const changesCredit = [input.value, input.currency, input.occurredAt].some((field) => field != null);
        if (changesCredit && before.creditLocksAt && before.creditLocksAt <= new Date())
          throw new CreditLockedError(input.id, before.creditLocksAt);
        if (input.value || input.currency) {
          assertPayable(input.value ?? before.value.toFixed(), input.currency ?? before.currency, ["input", "value"]);
        }
        await updateAtVersion(tx, ctx, tx.outcome, {
          entityType: "Outcome",
          id,
          conflictId: input.id,
          version: input.version,
          data: {
            ...(input.title ? { title: input.title } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.value ? { value: input.value } : {}),
            ...(input.currency ? { currency: input.currency } : {}),
            ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
          },
          before,
          action: "outcome.update",
        });
        if (changesCredit)
          await recomputeCreditForOutcomes(tx, [id], {
            cause: { cause: "OUTCOME_UPDATED", entityType: "Outcome", entityId: id, actorId: ctx.viewer.label },
          });
        return tx.outcome.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);
