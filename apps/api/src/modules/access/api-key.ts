// The admin face of API keys: issue (the secret is returned once), list (prefix and metadata, never the hash) and
// revoke. Hashing and verification live in api-keys.ts.
import { z } from "zod";
import { builder } from "../../builder.ts";
import { plannedQuery } from "../planned-query.ts";
import { prismaOf } from "../../context.ts";
import { NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeId, decodeOptionalId } from "../../ids.ts";
import { recordAudit } from "../audit/record.ts";
import { type ApiKeyScope, issueApiKey } from "./api-keys.ts";

export const ApiKeyScopeEnum = builder.enumType("ApiKeyScope", {
  values: {
    ADMIN: { value: "admin", description: "Everything, including PII and the audit log." },
    PARTNER: {
      value: "partner",
      description: "Public graph data, credit and paths; writes and reads its own reports.",
    },
  } as const,
});

/** Columns safe to show or audit: everything but the secret's hash. */
const publicColumns = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  partnerId: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  createdBy: true,
  createdAt: true,
} as const;

export const ApiKey = builder.prismaNode("ApiKey", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  description: "An API key. The secret is shown once, when the key is created; only its hash is stored.",
  authScopes: { admin: true },
  fields: (t) => ({
    name: t.exposeString("name"),
    prefix: t.exposeString("prefix", {
      description: "The visible part of the key (`ig_<prefix>_…`), safe in lists and logs.",
    }),
    scopes: t.field({
      type: [ApiKeyScopeEnum],
      select: { scopes: true },
      resolve: (key) => key.scopes.filter((scope): scope is ApiKeyScope => scope === "admin" || scope === "partner"),
    }),
    partner: t.relation("partner", { nullable: true }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    lastUsedAt: t.expose("lastUsedAt", {
      type: "DateTime",
      nullable: true,
      description: "Updated when the key is verified, which is at most every 30 seconds per API process.",
    }),
    createdBy: t.exposeString("createdBy", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    active: t.boolean({
      select: { revokedAt: true, expiresAt: true },
      resolve: (key) => key.revokedAt === null && (key.expiresAt === null || key.expiresAt > new Date()),
    }),
  }),
});

const ApiKeyFilter = builder.inputType("ApiKeyFilter", {
  fields: (t) => ({
    partnerId: t.id({ required: false }),
    includeRevoked: t.boolean({ required: false, defaultValue: true }),
  }),
});

builder.queryField("apiKeys", (t) =>
  t.prismaConnection({
    type: "ApiKey",
    cursor: "id",
    description: "API keys, newest first (admin only).",
    authScopes: { admin: true },
    args: { filter: t.arg({ type: ApiKeyFilter, required: false }) },
    resolve: (query, _root, { filter }, ctx) =>
      prismaOf(ctx).apiKey.findMany({
        ...query,
        where: {
          ...(filter?.partnerId ? { partnerId: decodeId(filter.partnerId, "Partner", "filter.partnerId") } : {}),
          ...(filter?.includeRevoked === false ? { revokedAt: null } : {}),
        },
        orderBy: { id: "desc" },
      }),
  }),
);

interface IssuedKey {
  key: string;
  apiKey: { id: string };
}

const IssuedApiKey = builder.objectRef<IssuedKey>("IssuedApiKey").implement({
  description: "A new API key. `key` is the only time the secret is shown: store it now.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "Send as `Authorization: Bearer <key>`." }),
    apiKey: t.prismaField({
      type: "ApiKey",
      resolve: (query, issued, _args, ctx) =>
        prismaOf(ctx).apiKey.findUniqueOrThrow({ ...plannedQuery(query), where: { id: issued.apiKey.id } }),
    }),
  }),
});

const CreateApiKeyInput = builder.inputType("CreateApiKeyInput", {
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().trim().min(1, "must not be empty").max(200) }),
    scope: t.field({ type: ApiKeyScopeEnum, required: true }),
    partnerId: t.id({
      required: false,
      description: "Required for PARTNER keys: whose reports the key reads and writes.",
    }),
    expiresAt: t.field({ type: "DateTime", required: false }),
  }),
});

builder.mutationField("createApiKey", (t) =>
  t.field({
    type: IssuedApiKey,
    description: "Issues an API key; the result carries the secret once.",
    authScopes: { admin: true },
    errors: { types: writeErrors, directResult: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const partnerId = decodeOptionalId(input.partnerId, "Partner", "input.partnerId");
      if (input.scope === "partner" && !partnerId)
        throw ValidationError.of(["input", "partnerId"], "a PARTNER key needs its partner");
      if (input.scope === "admin" && partnerId)
        throw ValidationError.of(["input", "partnerId"], "an ADMIN key belongs to no partner");
      if (input.expiresAt && input.expiresAt <= new Date())
        throw ValidationError.of(["input", "expiresAt"], "must be in the future");
      const prisma = prismaOf(ctx);
      if (
        partnerId &&
        !(await prisma.partner.findFirst({ where: { id: partnerId, deletedAt: null }, select: { id: true } }))
      ) {
        throw new NotFoundError("Partner", input.partnerId!);
      }
      return prisma.$transaction(async (tx) => {
        const issued = await issueApiKey(tx, {
          name: input.name,
          scopes: [input.scope],
          partnerId,
          expiresAt: input.expiresAt ?? null,
          createdBy: ctx.viewer.label,
        });
        const after = await tx.apiKey.findUniqueOrThrow({ where: { id: issued.id }, select: publicColumns });
        await recordAudit(tx, ctx, { action: "apiKey.create", entityType: "ApiKey", entityId: issued.id, after });
        return { key: issued.key, apiKey: { id: issued.id } };
      });
    },
  }),
);

builder.mutationField("revokeApiKey", (t) =>
  t.prismaField({
    type: "ApiKey",
    description:
      "Revokes a key. Every API process refuses it at once when they share Redis (REDIS_URL), else within 30 seconds.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "apiKey" } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = decodeId(args.id, "ApiKey", "id");
      const revoked = await prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.apiKey.findUnique({ where: { id }, select: publicColumns });
        if (!before) throw new NotFoundError("ApiKey", args.id);
        if (before.revokedAt) return before;
        const after = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: publicColumns });
        await recordAudit(tx, ctx, { action: "apiKey.revoke", entityType: "ApiKey", entityId: id, before, after });
        return after;
      });
      await ctx.apiKeys.forget(revoked.id);
      return prismaOf(ctx).apiKey.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
    },
  }),
);
