// Organizations (companies, investors, partner platforms...) and memberships: who works where, and who decides.
import { z } from "zod";
import { OrganizationKind } from "@intrograph/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../builder.ts";
import { toApiError } from "../../database-errors.ts";
import { plannedQuery } from "../planned-query.ts";
import { prismaOf } from "../../context.ts";
import { ConflictError, NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { idempotencyKeyField, withIdempotency } from "../access/idempotency.ts";
import { recordAudit } from "../audit/record.ts";
import { likeLiteral } from "../common.ts";
import { updateAtVersion } from "../versioned-update.ts";

export const OrganizationKindEnum = builder.enumType(OrganizationKind, { name: "OrganizationKind" });

export const Organization = builder.prismaNode("Organization", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  fields: (t) => ({
    name: t.exposeString("name"),
    kind: t.expose("kind", { type: OrganizationKindEnum }),
    domain: t.exposeString("domain", { nullable: true }),
    description: t.exposeString("description", { nullable: true }),
    version: t.exposeInt("version"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    members: t.relatedConnection("memberships", {
      cursor: "id",
      description: "People at this organization; `decisionMakersOnly` for who decides.",
      args: {
        decisionMakersOnly: t.arg.boolean({ required: false }),
        currentOnly: t.arg.boolean({ required: false, defaultValue: true }),
      },
      query: (args) => ({
        where: {
          ...(args.decisionMakersOnly ? { isDecisionMaker: true } : {}),
          ...(args.currentOnly === false ? {} : { until: null }),
        },
        orderBy: [{ isDecisionMaker: "desc" }, { id: "asc" }],
      }),
      totalCount: true,
    }),
  }),
});

export const Membership = builder.prismaNode("Membership", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  fields: (t) => ({
    person: t.relation("person"),
    organization: t.relation("organization"),
    title: t.exposeString("title", { nullable: true }),
    isDecisionMaker: t.exposeBoolean("isDecisionMaker"),
    since: t.expose("since", { type: "DateTime", nullable: true }),
    until: t.expose("until", { type: "DateTime", nullable: true }),
    version: t.exposeInt("version"),
  }),
});

const OrganizationFilter = builder.inputType("OrganizationFilter", {
  fields: (t) => ({
    search: t.string({ required: false }),
    kind: t.field({ type: OrganizationKindEnum, required: false }),
  }),
});

builder.queryField("organizations", (t) =>
  t.prismaConnection({
    type: "Organization",
    cursor: "id",
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: OrganizationFilter, required: false }) },
    resolve: (query, _root, { filter }, ctx) =>
      prismaOf(ctx).organization.findMany({
        ...query,
        where: {
          deletedAt: null,
          ...(filter?.search ? { name: { contains: likeLiteral(filter.search), mode: "insensitive" } } : {}),
          ...(filter?.kind ? { kind: filter.kind } : {}),
        },
        orderBy: { id: "asc" },
      }),
  }),
);

const orgName = z.string().trim().min(1, "must not be empty").max(200);
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, "must be a domain like example.com");

const CreateOrganizationInput = builder.inputType("CreateOrganizationInput", {
  fields: (t) => ({
    idempotencyKey: t.string(idempotencyKeyField),
    name: t.string({ required: true, validate: orgName }),
    kind: t.field({ type: OrganizationKindEnum, required: false, defaultValue: "COMPANY" }),
    domain: t.string({ required: false, validate: domain }),
    description: t.string({ required: false, validate: z.string().max(2000) }),
  }),
});

const UpdateOrganizationInput = builder.inputType("UpdateOrganizationInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true }),
    name: t.string({ required: false, validate: orgName }),
    kind: t.field({ type: OrganizationKindEnum, required: false }),
    domain: t.string({ required: false, validate: domain }),
    description: t.string({ required: false, validate: z.string().max(2000) }),
  }),
});

async function assertDomainFree(
  prisma: ReturnType<typeof prismaOf>,
  value: string | null | undefined,
  exceptId?: string,
) {
  if (!value) return;
  const holder = await prisma.organization.findUnique({
    where: { domain: value },
    select: { id: true, version: true },
  });
  if (holder && holder.id !== exceptId)
    throw new ConflictError(
      "Organization",
      encodeGlobalID("Organization", holder.id),
      holder.version,
      `domain ${value} already belongs to another organization`,
      ["domain"],
    );
}

builder.mutationField("createOrganization", (t) =>
  t.prismaField({
    type: "Organization",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "organization" } },
    args: { input: t.arg({ type: CreateOrganizationInput, required: true }) },
    resolve: (query, _root, { input }, requestCtx) =>
      withIdempotency(
        requestCtx,
        "createOrganization",
        input,
        (id, ctx) => prismaOf(ctx).organization.findUniqueOrThrow({ ...query, where: { id } }),
        async (ctx) => {
          await assertDomainFree(prismaOf(ctx), input.domain);
          return prismaOf(ctx).$transaction(async (tx) => {
            const organization = await tx.organization.create({
              data: {
                name: input.name,
                kind: input.kind ?? "COMPANY",
                domain: input.domain ?? null,
                description: input.description ?? null,
              },
            });
            await recordAudit(tx, ctx, {
              action: "organization.create",
              entityType: "Organization",
              entityId: organization.id,
              after: organization,
            });
            return tx.organization.findUniqueOrThrow({ ...plannedQuery(query), where: { id: organization.id } });
          });
        },
      ),
  }),
);

builder.mutationField("updateOrganization", (t) =>
  t.prismaField({
    type: "Organization",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "organization" } },
    args: { input: t.arg({ type: UpdateOrganizationInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Organization", "input.id");
      await assertDomainFree(prismaOf(ctx), input.domain, id);
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.organization.findFirst({ where: { id, deletedAt: null } });
        if (!before) throw new NotFoundError("Organization", input.id);
        await updateAtVersion(tx, ctx, tx.organization, {
          entityType: "Organization",
          id,
          conflictId: input.id,
          version: input.version,
          data: {
            ...(input.name ? { name: input.name } : {}),
            ...(input.kind ? { kind: input.kind } : {}),
            ...(input.domain !== undefined ? { domain: input.domain } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
          },
          before,
          action: "organization.update",
        });
        return tx.organization.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);

const MembershipInput = builder.inputType("SetMembershipInput", {
  description: "Creates the membership of a person at an organization, or updates it (send `version` to update).",
  fields: (t) => ({
    idempotencyKey: t.string(idempotencyKeyField),
    personId: t.id({ required: true }),
    organizationId: t.id({ required: true }),
    version: t.int({ required: false, description: "Required when the membership exists already." }),
    title: t.string({ required: false, validate: z.string().trim().max(200) }),
    isDecisionMaker: t.boolean({ required: false }),
    since: t.field({ type: "DateTime", required: false }),
    until: t.field({ type: "DateTime", required: false }),
  }),
});

/**
 * A concurrent writer created the same membership first: the conflict names it and its version, so the caller can
 * send that version back (memberships are shared records, nothing private is revealed).
 */
async function withCurrentMembership(
  prisma: ReturnType<typeof prismaOf>,
  error: unknown,
  personId: string,
  organizationId: string,
): Promise<unknown> {
  if (!(error instanceof ConflictError) || error.entityType !== "Membership" || error.entityId) return error;
  const current = await prisma.membership.findUnique({
    where: { personId_organizationId: { personId, organizationId } },
    select: { id: true, version: true },
  });
  if (!current) return error;
  return new ConflictError(
    "Membership",
    encodeGlobalID("Membership", current.id),
    current.version,
    "someone else set this membership first; reload it and send its version with your change",
    error.fields,
  );
}

builder.mutationField("setMembership", (t) =>
  t.prismaField({
    type: "Membership",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "membership" } },
    args: { input: t.arg({ type: MembershipInput, required: true }) },
    resolve: (query, _root, { input }, requestCtx) =>
      withIdempotency(
        requestCtx,
        "setMembership",
        input,
        (id, ctx) => prismaOf(ctx).membership.findUniqueOrThrow({ ...query, where: { id } }),
        async (ctx) => {
          const personId = decodeId(input.personId, "Person", "input.personId");
          const organizationId = decodeId(input.organizationId, "Organization", "input.organizationId");
          if (input.since && input.until && input.until < input.since) {
            throw ValidationError.of(["input", "until"], "must not be before since");
          }
          const membershipWrite = prismaOf(ctx).$transaction(async (tx) => {
            const [person, organization] = await Promise.all([
              tx.person.findFirst({ where: { id: personId, deletedAt: null }, select: { id: true } }),
              tx.organization.findFirst({ where: { id: organizationId, deletedAt: null }, select: { id: true } }),
            ]);
            if (!person) throw new NotFoundError("Person", input.personId);
            if (!organization) throw new NotFoundError("Organization", input.organizationId);
            const before = await tx.membership.findUnique({
              where: { personId_organizationId: { personId, organizationId } },
            });
            const fields = {
              ...(input.title !== undefined ? { title: input.title } : {}),
              ...(input.isDecisionMaker != null ? { isDecisionMaker: input.isDecisionMaker } : {}),
              ...(input.since !== undefined ? { since: input.since } : {}),
              ...(input.until !== undefined ? { until: input.until } : {}),
            };
            if (before) {
              if (input.version == null || input.version !== before.version)
                throw new ConflictError("Membership", encodeGlobalID("Membership", before.id), before.version);
              await updateAtVersion(tx, ctx, tx.membership, {
                entityType: "Membership",
                id: before.id,
                conflictId: encodeGlobalID("Membership", before.id),
                version: before.version,
                data: fields,
                before,
                action: "membership.update",
              });
              return tx.membership.findUniqueOrThrow({ ...plannedQuery(query), where: { id: before.id } });
            }
            const membership = await tx.membership.create({ data: { personId, organizationId, ...fields } });
            await recordAudit(tx, ctx, {
              action: "membership.create",
              entityType: "Membership",
              entityId: membership.id,
              after: membership,
            });
            return tx.membership.findUniqueOrThrow({ ...plannedQuery(query), where: { id: membership.id } });
          });
          return membershipWrite.catch(async (error: unknown) => {
            throw await withCurrentMembership(prismaOf(ctx), toApiError(error), personId, organizationId);
          });
        },
      ),
  }),
);
