// The audit log as admins read it: every write, who made it (actor, key, partner), and the entity before and after.
import { ActorKind } from "@intrograph/db";
import type { Prisma } from "@intrograph/db";
import { GraphQLError } from "graphql";
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../builder.ts";
import { prismaOf } from "../../context.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ActorKindEnum = builder.enumType(ActorKind, { name: "ActorKind" });

export const AuditEvent = builder.prismaNode("AuditEvent", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  description: "One write: who did what to which entity, with before/after snapshots (admin only).",
  authScopes: { admin: true },
  fields: (t) => ({
    actorKind: t.expose("actorKind", { type: ActorKindEnum }),
    actorId: t.exposeString("actorId", { nullable: true, description: "`key:<prefix>` for API keys." }),
    apiKey: t.field({
      type: "ID",
      nullable: true,
      description: "Global id of the API key that made the write.",
      select: { apiKeyId: true },
      resolve: (event) => (event.apiKeyId ? encodeGlobalID("ApiKey", event.apiKeyId) : null),
    }),
    partner: t.field({
      type: "ID",
      nullable: true,
      description: "Global id of the partner on whose behalf the write was made.",
      select: { partnerId: true },
      resolve: (event) => (event.partnerId ? encodeGlobalID("Partner", event.partnerId) : null),
    }),
    action: t.exposeString("action", { description: "`<entity>.<verb>`, e.g. `introduction.create`." }),
    entityType: t.exposeString("entityType"),
    entityId: t.field({
      type: "ID",
      nullable: true,
      description: "Global id of the entity written.",
      select: { entityType: true, entityId: true },
      resolve: (event) => (event.entityId ? encodeGlobalID(event.entityType, event.entityId) : null),
    }),
    before: t.expose("before", { type: "JSON", nullable: true }),
    after: t.expose("after", { type: "JSON", nullable: true }),
    requestId: t.exposeString("requestId", { nullable: true }),
    occurredAt: t.expose("occurredAt", { type: "DateTime" }),
  }),
});

const AuditEventFilter = builder.inputType("AuditEventFilter", {
  fields: (t) => ({
    actorId: t.string({ required: false, description: "e.g. `key:abc123def456`." }),
    entityType: t.string({ required: false }),
    entityId: t.id({ required: false, description: "A global id (or a database id together with entityType)." }),
    action: t.string({ required: false }),
    after: t.field({ type: "DateTime", required: false, description: "Only events at or after this time." }),
    before: t.field({ type: "DateTime", required: false, description: "Only events before this time." }),
  }),
});

/** Accepts a global id (which also pins the entity type) or a raw database id. */
function entityWhere(
  entityType: string | null | undefined,
  entityId: string | null | undefined,
): Prisma.AuditEventWhereInput {
  if (!entityId) return entityType ? { entityType } : {};
  if (UUID.test(entityId)) return { entityId, ...(entityType ? { entityType } : {}) };
  try {
    const decoded = decodeGlobalID(entityId);
    return { entityType: decoded.typename, entityId: decoded.id };
  } catch {
    throw new GraphQLError(`filter.entityId: "${entityId}" is neither a global id nor a database id`, {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
}

builder.queryField("auditEvents", (t) =>
  t.prismaConnection({
    type: "AuditEvent",
    cursor: "id",
    description: "The audit log, newest first (admin only).",
    authScopes: { admin: true },
    args: { filter: t.arg({ type: AuditEventFilter, required: false }) },
    resolve: (query, _root, { filter }, ctx) =>
      prismaOf(ctx).auditEvent.findMany({
        ...query,
        where: {
          ...entityWhere(filter?.entityType, filter?.entityId),
          ...(filter?.actorId ? { actorId: filter.actorId } : {}),
          ...(filter?.action ? { action: filter.action } : {}),
          ...(filter?.after || filter?.before
            ? {
                occurredAt: {
                  ...(filter.after ? { gte: filter.after } : {}),
                  ...(filter.before ? { lt: filter.before } : {}),
                },
              }
            : {}),
        },
        // uuid v7 ids grow with time, so the id order is the time order and a stable cursor.
        orderBy: { id: "desc" },
      }),
  }),
);
