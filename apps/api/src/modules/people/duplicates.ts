// Suggested duplicate people (from imports and the matcher) for admins to compare and merge, or dismiss.
import { DuplicateStatus } from "@intrograph/db";
import { builder } from "../../builder.ts";
import { plannedQuery } from "../planned-query.ts";
import { prismaOf } from "../../context.ts";
import { NotFoundError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { recordAudit } from "../audit/record.ts";

export const DuplicateStatusEnum = builder.enumType(DuplicateStatus, { name: "DuplicateStatus" });

export const DuplicateSuggestion = builder.prismaNode("DuplicateSuggestion", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  description:
    "Two person records that probably describe the same human, with why the matcher thinks so (admin only: the reason may quote contact details).",
  authScopes: { admin: true },
  fields: (t) => ({
    personA: t.relation("personA"),
    personB: t.relation("personB"),
    reason: t.exposeString("reason"),
    score: t.exposeFloat("score", { description: "Match confidence, 0..1." }),
    status: t.expose("status", { type: DuplicateStatusEnum }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryField("duplicateSuggestions", (t) =>
  t.prismaConnection({
    type: DuplicateSuggestion,
    cursor: "id",
    description: "Suggested duplicates, most confident first (admins only).",
    authScopes: { admin: true },
    args: { status: t.arg({ type: DuplicateStatusEnum, required: false, defaultValue: "OPEN" }) },
    resolve: (query, _root, { status }, ctx) =>
      prismaOf(ctx).duplicateSuggestion.findMany({
        ...query,
        where: { status: status ?? "OPEN" },
        orderBy: [{ score: "desc" }, { id: "asc" }],
      }),
    totalCount: (_parent, { status }, ctx) =>
      prismaOf(ctx).duplicateSuggestion.count({ where: { status: status ?? "OPEN" } }),
  }),
);

builder.mutationField("dismissDuplicateSuggestion", (t) =>
  t.prismaField({
    type: DuplicateSuggestion,
    description: "Marks a suggestion as not a duplicate, so it leaves the queue.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "suggestion" } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = decodeId(args.id, "DuplicateSuggestion", "id");
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.duplicateSuggestion.findUnique({ where: { id } });
        if (!before) throw new NotFoundError("DuplicateSuggestion", args.id);
        const after = await tx.duplicateSuggestion.update({ where: { id }, data: { status: "DISMISSED" } });
        await recordAudit(tx, ctx, {
          action: "duplicate.dismiss",
          entityType: "DuplicateSuggestion",
          entityId: id,
          before,
          after,
        });
        return tx.duplicateSuggestion.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);
