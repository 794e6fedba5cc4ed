// People: the nodes of the connector graph, their traversals (relationships, introductions, memberships) and writes.
import { z } from "zod";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../builder.ts";
import { plannedQuery } from "../planned-query.ts";
import { prismaOf } from "../../context.ts";
import { ConflictError, NotFoundError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { idempotencyKeyField, withIdempotency } from "../access/idempotency.ts";
import { reportedVisibleTo } from "../access/visibility.ts";
import { recordAudit } from "../audit/record.ts";
import { direction, likeLiteral, SortDirection } from "../common.ts";
import { updateAtVersion } from "../versioned-update.ts";
import type { Prisma } from "@intrograph/db";
import { RelationshipKindEnum, RelationshipStatusEnum } from "../relationships/enums.ts";

export const Person = builder.prismaNode("Person", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  description: "A person in the graph: a connector, someone introduced, a decision maker.",
  fields: (t) => ({
    displayName: t.exposeString("displayName"),
    headline: t.exposeString("headline", { nullable: true }),
    topics: t.exposeStringList("topics"),
    location: t.exposeString("location", { nullable: true }),
    email: t.exposeString("email", {
      nullable: true,
      description: "Contact email (PII): admins only.",
      authScopes: { admin: true },
    }),
    profileUrl: t.exposeString("profileUrl", { nullable: true }),
    version: t.exposeInt("version", { description: "Send it back with updates: a stale version is a conflict." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    mergedInto: t.relation("mergedInto", {
      nullable: true,
      description: "Set when this record was merged into another person (this one is then a tombstone).",
    }),
    relationships: t.relatedConnection("relationships", {
      cursor: "id",
      description: "This person's relationships, each seen from their side (with the other person).",
      args: {
        status: t.arg({ type: RelationshipStatusEnum, required: false }),
        kind: t.arg({ type: RelationshipKindEnum, required: false }),
        minStrength: t.arg.float({ required: false }),
        orderBy: t.arg({ type: RelationshipOrder, required: false }),
      },
      query: (args, ctx) => ({
        where: {
          relationship: {
            deletedAt: null,
            ...reportedVisibleTo(ctx),
            ...(args.status ? { status: args.status } : {}),
            ...(args.kind ? { kind: args.kind } : {}),
            ...(args.minStrength != null ? { strength: { gte: args.minStrength } } : {}),
          },
        },
        orderBy:
          args.orderBy?.field === "STRENGTH"
            ? [{ relationship: { strength: direction(args.orderBy.direction) } }, { id: "asc" }]
            : [{ id: direction(args.orderBy?.direction) }],
      }),
      totalCount: true,
    }),
    memberships: t.relatedConnection("memberships", { cursor: "id", query: { orderBy: { id: "asc" } } }),
    socialAccounts: t.relation("socialAccounts", { query: { orderBy: { followers: "desc" } } }),
    introductionsMade: t.relatedConnection("introductionsMade", {
      cursor: "id",
      description: "Introductions this person made as the connector, newest first.",
      query: (_args, ctx) => ({
        where: { deletedAt: null, ...reportedVisibleTo(ctx) },
        orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      }),
      totalCount: true,
    }),
    introductionsReceived: t.relatedConnection("introductionsTo", {
      cursor: "id",
      description: "Introductions in which this person was introduced to someone (as `to`), newest first.",
      query: (_args, ctx) => ({
        where: { deletedAt: null, ...reportedVisibleTo(ctx) },
        orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      }),
      totalCount: true,
    }),
    introductionsRequested: t.relatedConnection("introductionsFrom", {
      cursor: "id",
      description: "Introductions in which this person was the one introduced onward (as `from`), newest first.",
      query: (_args, ctx) => ({
        where: { deletedAt: null, ...reportedVisibleTo(ctx) },
        orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      }),
      totalCount: true,
    }),
  }),
});

const RelationshipOrderField = builder.enumType("RelationshipOrderField", { values: ["CREATED", "STRENGTH"] as const });
const RelationshipOrder = builder.inputType("RelationshipOrder", {
  fields: (t) => ({
    field: t.field({ type: RelationshipOrderField, required: true }),
    direction: t.field({ type: SortDirection, required: false, defaultValue: "ASC" }),
  }),
});

const PersonOrderField = builder.enumType("PersonOrderField", {
  values: ["DISPLAY_NAME", "CREATED_AT", "UPDATED_AT"] as const,
});
const PersonOrder = builder.inputType("PersonOrder", {
  fields: (t) => ({
    field: t.field({ type: PersonOrderField, required: true }),
    direction: t.field({ type: SortDirection, required: false, defaultValue: "ASC" }),
  }),
});

const PersonFilter = builder.inputType("PersonFilter", {
  fields: (t) => ({
    search: t.string({ required: false, description: "Part of the display name or headline, any case." }),
    topic: t.string({ required: false }),
    organizationId: t.id({ required: false, description: "Only current members of this organization." }),
    includeMerged: t.boolean({ required: false, defaultValue: false }),
  }),
});

function personWhere(filter: typeof PersonFilter.$inferInput | null | undefined): Prisma.PersonWhereInput {
  return {
    deletedAt: null,
    ...(filter?.includeMerged ? {} : { mergedIntoId: null }),
    ...(filter?.search
      ? {
          OR: [
            { displayName: { contains: likeLiteral(filter.search), mode: "insensitive" } },
            { headline: { contains: likeLiteral(filter.search), mode: "insensitive" } },
          ],
        }
      : {}),
    ...(filter?.topic ? { topics: { has: filter.topic } } : {}),
    ...(filter?.organizationId
      ? {
          memberships: {
            some: {
              organizationId: decodeId(filter.organizationId, "Organization", "filter.organizationId"),
              until: null,
            },
          },
        }
      : {}),
  };
}

const personOrderColumn = { DISPLAY_NAME: "displayName", CREATED_AT: "createdAt", UPDATED_AT: "updatedAt" } as const;

builder.queryField("people", (t) =>
  t.prismaConnection({
    type: "Person",
    cursor: "id",
    description: "People, filtered and ordered; pages of at most 100.",
    authScopes: { authenticated: true },
    args: {
      filter: t.arg({ type: PersonFilter, required: false }),
      orderBy: t.arg({ type: PersonOrder, required: false }),
    },
    resolve: (query, _root, { filter, orderBy }, ctx) =>
      prismaOf(ctx).person.findMany({
        ...query,
        where: personWhere(filter),
        orderBy: orderBy
          ? [{ [personOrderColumn[orderBy.field]]: direction(orderBy.direction) }, { id: "asc" }]
          : [{ id: "asc" }],
      }),
    // The same filter as the page, so the count always describes the list it comes with.
    totalCount: (_parent, { filter }, ctx) => prismaOf(ctx).person.count({ where: personWhere(filter) }),
  }),
);

builder.queryField("person", (t) =>
  t.prismaField({
    type: "Person",
    nullable: true,
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      prismaOf(ctx).person.findFirst({ ...query, where: { id: decodeId(args.id, "Person", "id"), deletedAt: null } }),
  }),
);

const name = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");
const topics = z.array(z.string().trim().min(1).max(60)).max(30, "at most 30 topics");
const email = z.email("must be an email address").max(320);
// Profile links are shown and followed: only web URLs (no `javascript:`, `data:`, `file:`...).
const url = z.url({ protocol: /^https?$/, error: "must be an http or https URL" }).max(500);

const CreatePersonInput = builder.inputType("CreatePersonInput", {
  fields: (t) => ({
    idempotencyKey: t.string(idempotencyKeyField),
    displayName: t.string({ required: true, validate: name }),
    headline: t.string({ required: false, validate: z.string().max(300) }),
    topics: t.stringList({ required: false, validate: topics }),
    location: t.string({ required: false, validate: z.string().max(200) }),
    email: t.string({ required: false, validate: email }),
    profileUrl: t.string({ required: false, validate: url }),
  }),
});

const UpdatePersonInput = builder.inputType("UpdatePersonInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true, description: "The version you read; a stale one is a ConflictError." }),
    displayName: t.string({ required: false, validate: name }),
    headline: t.string({ required: false, validate: z.string().max(300) }),
    topics: t.stringList({ required: false, validate: topics }),
    location: t.string({ required: false, validate: z.string().max(200) }),
    email: t.string({ required: false, validate: email }),
    profileUrl: t.string({ required: false, validate: url }),
  }),
});

async function assertProfileUrlFree(
  prisma: ReturnType<typeof prismaOf>,
  profileUrl: string | null | undefined,
  exceptId?: string,
): Promise<void> {
  if (!profileUrl) return;
  const holder = await prisma.person.findUnique({ where: { profileUrl }, select: { id: true, version: true } });
  if (holder && holder.id !== exceptId) {
    throw new ConflictError(
      "Person",
      encodeGlobalID("Person", holder.id),
      holder.version,
      `profileUrl ${profileUrl} already belongs to another person`,
      ["profileUrl"],
    );
  }
}

builder.mutationField("createPerson", (t) =>
  t.prismaField({
    type: "Person",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "person" } },
    args: { input: t.arg({ type: CreatePersonInput, required: true }) },
    resolve: (query, _root, { input }, requestCtx) =>
      withIdempotency(
        requestCtx,
        "createPerson",
        input,
        (id, ctx) => prismaOf(ctx).person.findUniqueOrThrow({ ...query, where: { id } }),
        async (ctx) => {
          const prisma = prismaOf(ctx);
          await assertProfileUrlFree(prisma, input.profileUrl);
          return prisma.$transaction(async (tx) => {
            const person = await tx.person.create({
              data: {
                displayName: input.displayName,
                headline: input.headline ?? null,
                topics: input.topics ?? [],
                location: input.location ?? null,
                email: input.email ?? null,
                profileUrl: input.profileUrl ?? null,
              },
            });
            await recordAudit(tx, ctx, {
              action: "person.create",
              entityType: "Person",
              entityId: person.id,
              after: person,
            });
            return tx.person.findUniqueOrThrow({ ...plannedQuery(query), where: { id: person.id } });
          });
        },
      ),
  }),
);

builder.mutationField("updatePerson", (t) =>
  t.prismaField({
    type: "Person",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "person" } },
    args: { input: t.arg({ type: UpdatePersonInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Person", "input.id");
      const prisma = prismaOf(ctx);
      await assertProfileUrlFree(prisma, input.profileUrl, id);
      return prisma.$transaction(async (tx) => {
        const before = await tx.person.findFirst({ where: { id, deletedAt: null } });
        if (!before) throw new NotFoundError("Person", input.id);
        await updateAtVersion(tx, ctx, tx.person, {
          entityType: "Person",
          id,
          conflictId: input.id,
          version: input.version,
          data: {
            ...(input.displayName != null ? { displayName: input.displayName } : {}),
            ...(input.headline !== undefined ? { headline: input.headline } : {}),
            ...(input.topics != null ? { topics: input.topics } : {}),
            ...(input.location !== undefined ? { location: input.location } : {}),
            ...(input.email !== undefined ? { email: input.email } : {}),
            ...(input.profileUrl !== undefined ? { profileUrl: input.profileUrl } : {}),
          },
          before,
          action: "person.update",
        });
        return tx.person.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);
