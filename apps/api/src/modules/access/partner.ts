// Partner platforms: the tenants whose API keys report introductions and outcomes. Admin-only: partners never list
// each other.
import { z } from "zod";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../builder.ts";
import { plannedQuery } from "../planned-query.ts";
import { prismaOf } from "../../context.ts";
import { ConflictError, NotFoundError, writeErrors } from "../../errors.ts";
import { decodeOptionalId } from "../../ids.ts";
import { recordAudit } from "../audit/record.ts";

export const Partner = builder.prismaNode("Partner", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  description: "A partner platform (CRM, marketplace, influencer platform) that reads the graph and reports to it.",
  authScopes: { admin: true },
  fields: (t) => ({
    name: t.exposeString("name"),
    slug: t.exposeString("slug", { description: "Stable short name, used by the `keys` CLI." }),
    organization: t.relation("organization", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    apiKeys: t.relatedConnection("apiKeys", { cursor: "id", query: { orderBy: { id: "asc" } } }),
  }),
});

builder.queryField("partners", (t) =>
  t.prismaConnection({
    type: "Partner",
    cursor: "id",
    description: "Partner platforms (admin only).",
    authScopes: { admin: true },
    resolve: (query, _root, _args, ctx) =>
      prismaOf(ctx).partner.findMany({ ...query, where: { deletedAt: null }, orderBy: { id: "asc" } }),
  }),
);

const CreatePartnerInput = builder.inputType("CreatePartnerInput", {
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().trim().min(1, "must not be empty").max(200) }),
    slug: t.string({
      required: true,
      validate: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "must be 2-63 lowercase letters, digits or dashes"),
    }),
    organizationId: t.id({ required: false, description: "The organization this partner is, if it is in the graph." }),
  }),
});

builder.mutationField("createPartner", (t) =>
  t.prismaField({
    type: "Partner",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "partner" } },
    args: { input: t.arg({ type: CreatePartnerInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const organizationId = decodeOptionalId(input.organizationId, "Organization", "input.organizationId");
      return prismaOf(ctx).$transaction(async (tx) => {
        const taken = await tx.partner.findUnique({ where: { slug: input.slug }, select: { id: true } });
        if (taken)
          throw new ConflictError(
            "Partner",
            encodeGlobalID("Partner", taken.id),
            null,
            `a partner with slug ${input.slug} exists already`,
            ["slug"],
          );
        if (
          organizationId &&
          !(await tx.organization.findFirst({ where: { id: organizationId, deletedAt: null }, select: { id: true } }))
        ) {
          throw new NotFoundError("Organization", input.organizationId!);
        }
        const partner = await tx.partner.create({
          data: { name: input.name, slug: input.slug, organizationId: organizationId ?? null },
        });
        await recordAudit(tx, ctx, {
          action: "partner.create",
          entityType: "Partner",
          entityId: partner.id,
          after: partner,
        });
        return tx.partner.findUniqueOrThrow({ ...plannedQuery(query), where: { id: partner.id } });
      });
    },
  }),
);
