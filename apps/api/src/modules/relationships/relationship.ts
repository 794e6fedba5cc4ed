// Relationships (undirected ties between two people), the per-person view of them, and their interaction evidence.
import { z } from "zod";
import { computeStrength } from "@intrograph/db/strength";
import type { Prisma } from "@intrograph/db";
import { builder } from "../../builder.ts";
import { plannedQuery } from "../planned-query.ts";
import { type Context, prismaOf } from "../../context.ts";
import { ConflictError, NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { idempotencyKeyField, withIdempotency } from "../access/idempotency.ts";
import { provenanceOf, reportedVisibleTo } from "../access/visibility.ts";
import { recordAudit, type Transaction } from "../audit/record.ts";
import { relationshipChanged } from "../graph/snapshot.ts";
import { updateAtVersion } from "../versioned-update.ts";
import { InteractionKindEnum, RecordSourceEnum, RelationshipKindEnum, RelationshipStatusEnum } from "./enums.ts";

export const Relationship = builder.prismaNode("Relationship", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  // node(id) and nodes(ids) load through this: another partner's private report is simply not found.
  findUnique: (id, ctx) => ({ id, deletedAt: null, ...reportedVisibleTo(ctx) }),
  description: "An undirected tie between two people, with a strength derived from its interaction evidence.",
  fields: (t) => ({
    personA: t.relation("personA"),
    personB: t.relation("personB"),
    kind: t.expose("kind", { type: RelationshipKindEnum }),
    status: t.expose("status", { type: RelationshipStatusEnum }),
    source: t.expose("source", { type: RecordSourceEnum }),
    since: t.expose("since", { type: "DateTime", nullable: true }),
    lastInteractionAt: t.expose("lastInteractionAt", { type: "DateTime", nullable: true }),
    strength: t.exposeFloat("strength", { description: "In (0, 1]; recomputed from the interactions." }),
    strengthEvidence: t.expose("strengthEvidence", {
      type: "JSON",
      description: "The terms of the strength formula for this relationship: why it scored what it did.",
    }),
    disputeReason: t.exposeString("disputeReason", { nullable: true }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    interactions: t.relatedConnection("interactions", {
      cursor: "id",
      description: "The evidence for this relationship, newest first.",
      query: (_args, ctx) => ({ where: reportedVisibleTo(ctx), orderBy: [{ occurredAt: "desc" }, { id: "desc" }] }),
      totalCount: true,
    }),
  }),
});

export const PersonRelationship = builder.prismaObject("RelationshipSide", {
  name: "PersonRelationship",
  select: { id: true },
  description: "A relationship seen from one person's side: the tie and the other person.",
  fields: (t) => ({
    relationship: t.relation("relationship"),
    otherPerson: t.relation("otherPerson"),
    strength: t.float({
      select: { relationship: { select: { strength: true } } },
      resolve: (side) => side.relationship.strength,
    }),
    kind: t.field({
      type: RelationshipKindEnum,
      select: { relationship: { select: { kind: true } } },
      resolve: (side) => side.relationship.kind,
    }),
    status: t.field({
      type: RelationshipStatusEnum,
      select: { relationship: { select: { status: true } } },
      resolve: (side) => side.relationship.status,
    }),
  }),
});

export const Interaction = builder.prismaNode("Interaction", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  // Visible when both the evidence and the relationship it belongs to are.
  findUnique: (id, ctx) => ({
    id,
    ...reportedVisibleTo(ctx),
    relationship: { deletedAt: null, ...reportedVisibleTo(ctx) },
  }),
  description: "Evidence for a relationship: a meeting, a call, a message, an event, a collaboration.",
  fields: (t) => ({
    relationship: t.relation("relationship"),
    kind: t.expose("kind", { type: InteractionKindEnum }),
    occurredAt: t.expose("occurredAt", { type: "DateTime" }),
    weight: t.exposeFloat("weight"),
    initiatedBy: t.relation("initiatedBy", { nullable: true }),
    note: t.exposeString("note", { nullable: true }),
    source: t.expose("source", { type: RecordSourceEnum }),
  }),
});

const RelationshipFilter = builder.inputType("RelationshipFilter", {
  fields: (t) => ({
    status: t.field({ type: RelationshipStatusEnum, required: false }),
    kind: t.field({ type: RelationshipKindEnum, required: false }),
    minStrength: t.float({ required: false }),
  }),
});

builder.queryField("relationships", (t) =>
  t.prismaConnection({
    type: "Relationship",
    cursor: "id",
    description: "All relationships, e.g. the curation queue: `filter: { status: UNVERIFIED }`.",
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: RelationshipFilter, required: false }) },
    resolve: (query, _root, { filter }, ctx) =>
      prismaOf(ctx).relationship.findMany({
        ...query,
        where: { ...relationshipWhere(filter), ...reportedVisibleTo(ctx) },
        orderBy: { id: "asc" },
      }),
    totalCount: (_parent, { filter }, ctx) =>
      prismaOf(ctx).relationship.count({ where: { ...relationshipWhere(filter), ...reportedVisibleTo(ctx) } }),
  }),
);

function relationshipWhere(
  filter: typeof RelationshipFilter.$inferInput | null | undefined,
): Prisma.RelationshipWhereInput {
  return {
    deletedAt: null,
    ...(filter?.status ? { status: filter.status } : {}),
    ...(filter?.kind ? { kind: filter.kind } : {}),
    ...(filter?.minStrength != null ? { strength: { gte: filter.minStrength } } : {}),
  };
}

const InteractionInput = builder.inputType("InteractionInput", {
  description: "Evidence for a relationship.",
  fields: (t) => ({
    kind: t.field({ type: InteractionKindEnum, required: true }),
    occurredAt: t.field({ type: "DateTime", required: true }),
    weight: t.float({ required: false, defaultValue: 1, validate: z.number().positive("must be > 0").max(100) }),
    initiatedById: t.id({ required: false, description: "One of the two people, when known: reciprocity counts." }),
    note: t.string({ required: false, validate: z.string().max(2000) }),
  }),
});

const CreateRelationshipInput = builder.inputType("CreateRelationshipInput", {
  fields: (t) => ({
    idempotencyKey: t.string(idempotencyKeyField),
    personId: t.id({ required: true }),
    otherPersonId: t.id({ required: true }),
    kind: t.field({ type: RelationshipKindEnum, required: false, defaultValue: "OTHER" }),
    since: t.field({ type: "DateTime", required: false }),
    interactions: t.field({
      type: [InteractionInput],
      required: false,
      description: "Evidence to record with the relationship; strength is derived from it.",
      validate: z.array(z.any()).max(500, "at most 500 interactions at once"),
    }),
  }),
});

const UpdateRelationshipInput = builder.inputType("UpdateRelationshipInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    kind: t.field({ type: RelationshipKindEnum, required: false }),
    status: t.field({ type: RelationshipStatusEnum, required: false }),
    disputeReason: t.string({
      required: false,
      description: "Required when setting status DISPUTED.",
      validate: z.string().trim().min(3, "must say why").max(2000),
    }),
    since: t.field({ type: "DateTime", required: false }),
  }),
});

const AddInteractionInput = builder.inputType("AddInteractionInput", {
  fields: (t) => ({
    idempotencyKey: t.string(idempotencyKeyField),
    relationshipId: t.id({ required: true }),
    interaction: t.field({ type: InteractionInput, required: true }),
  }),
});

/**
 * Recomputes strength and lastInteractionAt, as of now, from the evidence everyone who sees the relationship may see:
 * the interactions reported with the relationship's own visibility. A partner's private interaction on a public tie
 * stays in that partner's records and moves nothing others see.
 */
export async function refreshStrength(tx: Transaction, relationshipId: string): Promise<void> {
  const relationship = await tx.relationship.findUniqueOrThrow({
    where: { id: relationshipId },
    select: {
      personAId: true,
      since: true,
      reportedByPartnerId: true,
      interactions: { select: { occurredAt: true, weight: true, initiatedById: true, reportedByPartnerId: true } },
    },
  });
  const evidence = relationship.interactions.filter(
    (interaction) => interaction.reportedByPartnerId === relationship.reportedByPartnerId,
  );
  const { strength, evidence: terms } = computeStrength(
    evidence.map((interaction) => ({
      occurredAt: interaction.occurredAt,
      weight: interaction.weight,
      initiatedBySide:
        interaction.initiatedById === null ? null : interaction.initiatedById === relationship.personAId ? "A" : "B",
    })),
    { since: relationship.since, now: new Date() },
  );
  const last = evidence.reduce<Date | null>(
    (latest, interaction) => (latest && latest > interaction.occurredAt ? latest : interaction.occurredAt),
    null,
  );
  await tx.relationship.update({
    where: { id: relationshipId },
    data: { strength, strengthEvidence: terms as unknown as Prisma.InputJsonValue, lastInteractionAt: last },
  });
}

function interactionRows(
  ctx: Context,
  relationshipId: string,
  people: [string, string],
  interactions: (typeof InteractionInput.$inferInput)[],
  path: string,
): Prisma.InteractionCreateManyInput[] {
  return interactions.map((interaction, index) => {
    const initiatedById =
      interaction.initiatedById == null
        ? null
        : decodeId(interaction.initiatedById, "Person", `${path}.${index}.initiatedById`);
    if (initiatedById && !people.includes(initiatedById)) {
      throw ValidationError.of(
        [path, String(index), "initiatedById"],
        "must be one of the two people of the relationship",
      );
    }
    return {
      relationshipId,
      kind: interaction.kind,
      occurredAt: interaction.occurredAt,
      weight: interaction.weight ?? 1,
      initiatedById,
      note: interaction.note ?? null,
      ...provenanceOf(ctx.viewer),
    };
  });
}

builder.mutationField("createRelationship", (t) =>
  t.prismaField({
    type: "Relationship",
    description: "Records a tie between two people (stored once, in canonical order) with its evidence.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "relationship" } },
    args: { input: t.arg({ type: CreateRelationshipInput, required: true }) },
    resolve: (query, _root, { input }, requestCtx) =>
      withIdempotency(
        requestCtx,
        "createRelationship",
        input,
        (id, ctx) => prismaOf(ctx).relationship.findUniqueOrThrow({ ...query, where: { id } }),
        async (ctx) => {
          const first = decodeId(input.personId, "Person", "input.personId");
          const second = decodeId(input.otherPersonId, "Person", "input.otherPersonId");
          if (first === second)
            throw ValidationError.of(["input", "otherPersonId"], "a person cannot have a relationship with themselves");
          const [personAId, personBId] = first < second ? [first, second] : [second, first];
          const prisma = prismaOf(ctx);
          const found = await prisma.person.findMany({
            where: { id: { in: [first, second] }, deletedAt: null, mergedIntoId: null },
            select: { id: true },
          });
          for (const [id, globalId] of [
            [first, input.personId],
            [second, input.otherPersonId],
          ] as const) {
            if (!found.some((person) => person.id === id)) throw new NotFoundError("Person", globalId);
          }
          // Unique per pair within the caller's scope (the public one for admins, the partner's own reports for a
          // partner): another partner's private tie for the pair is neither found nor revealed here.
          const existing = await prisma.relationship.findFirst({
            where: { personAId, personBId, reportedByPartnerId: ctx.viewer.partnerId ?? null },
          });
          if (existing)
            throw new ConflictError(
              "Relationship",
              existing.id,
              existing.version,
              ctx.viewer.partnerId
                ? "you already reported a relationship between these two people; add interactions to it instead"
                : "these two people already have a public relationship; add interactions to it instead",
            );
          return prisma.$transaction(async (tx) => {
            const relationship = await tx.relationship.create({
              data: {
                personAId,
                personBId,
                kind: input.kind ?? "OTHER",
                since: input.since ?? null,
                ...provenanceOf(ctx.viewer),
                sides: {
                  create: [
                    { personId: personAId, otherPersonId: personBId },
                    { personId: personBId, otherPersonId: personAId },
                  ],
                },
              },
            });
            const evidence = interactionRows(
              ctx,
              relationship.id,
              [personAId, personBId],
              input.interactions ?? [],
              "input.interactions",
            );
            if (evidence.length) await tx.interaction.createMany({ data: evidence });
            await refreshStrength(tx, relationship.id);
            const after = await tx.relationship.findUniqueOrThrow({ where: { id: relationship.id } });
            await recordAudit(tx, ctx, {
              action: "relationship.create",
              entityType: "Relationship",
              entityId: relationship.id,
              after: { ...after, interactions: evidence.length },
            });
            await relationshipChanged(ctx, { id: relationship.id }, tx);
            return tx.relationship.findUniqueOrThrow({ ...plannedQuery(query), where: { id: relationship.id } });
          });
        },
      ),
  }),
);

builder.mutationField("updateRelationship", (t) =>
  t.prismaField({
    type: "Relationship",
    description: "Curates a relationship: verify, dispute (with a reason), change kind or since.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "relationship" } },
    args: { input: t.arg({ type: UpdateRelationshipInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Relationship", "input.id");
      if (input.status === "DISPUTED" && !input.disputeReason) {
        throw ValidationError.of(["input", "disputeReason"], "a dispute needs a reason");
      }
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.relationship.findFirst({ where: { id, deletedAt: null } });
        if (!before) throw new NotFoundError("Relationship", input.id);
        await updateAtVersion(tx, ctx, tx.relationship, {
          entityType: "Relationship",
          id,
          conflictId: input.id,
          version: input.version,
          data: {
            ...(input.kind ? { kind: input.kind } : {}),
            ...(input.status
              ? { status: input.status, disputeReason: input.status === "DISPUTED" ? input.disputeReason : null }
              : {}),
            ...(input.since !== undefined ? { since: input.since } : {}),
          },
          before,
          action: "relationship.update",
          // A new `since` changes the strength, which the audited `after` shows.
          beforeAudit: async () => {
            if (input.since !== undefined) await refreshStrength(tx, id);
          },
        });
        await relationshipChanged(ctx, { id }, tx);
        return tx.relationship.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);

builder.mutationField("addInteraction", (t) =>
  t.prismaField({
    type: "Relationship",
    description: "Adds evidence to a relationship; its strength is recomputed from all of its evidence.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "relationship" } },
    args: { input: t.arg({ type: AddInteractionInput, required: true }) },
    resolve: (query, _root, { input }, requestCtx) =>
      withIdempotency(
        requestCtx,
        "addInteraction",
        input,
        (id, ctx) => prismaOf(ctx).relationship.findUniqueOrThrow({ ...query, where: { id } }),
        async (ctx) => {
          const id = decodeId(input.relationshipId, "Relationship", "input.relationshipId");
          return prismaOf(ctx).$transaction(async (tx) => {
            const relationship = await tx.relationship.findFirst({
              where: { id, deletedAt: null, ...reportedVisibleTo(ctx) },
            });
            if (!relationship) throw new NotFoundError("Relationship", input.relationshipId);
            const [row] = interactionRows(
              ctx,
              id,
              [relationship.personAId, relationship.personBId],
              [input.interaction],
              "input.interaction",
            );
            const interaction = await tx.interaction.create({ data: row! });
            // Serializes concurrent evidence on one tie: the version bump makes the recomputation see every interaction.
            await tx.relationship.update({ where: { id }, data: { version: { increment: 1 } } });
            await refreshStrength(tx, id);
            await recordAudit(tx, ctx, {
              action: "interaction.create",
              entityType: "Interaction",
              entityId: interaction.id,
              after: interaction,
            });
            await relationshipChanged(ctx, { id }, tx);
            return tx.relationship.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
          });
        },
      ),
  }),
);
