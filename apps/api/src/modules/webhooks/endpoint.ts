// Webhook endpoints through GraphQL: a partner (or an admin) registers a URL and the event types it wants, gets the
// signing secret once, reads its delivery log, redelivers, disables and re-enables. A partner sees and changes only its
// own endpoints; an admin's endpoints receive every event.
import { encodeGlobalID } from "@pothos/plugin-relay";
import { z } from "zod";
import { builder } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { NotFoundError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import type { Database } from "@intrograph/db";
import { EVENT_TYPES } from "../events/catalog.ts";
import { recordAudit } from "../audit/record.ts";
import { plannedQuery } from "../planned-query.ts";
import { placeFanOutCursor } from "./dispatcher.ts";
import { newSigningSecret, secretBoxFor } from "./secrets.ts";
import { checkReachable, parseEndpointUrl, parseEventTypes } from "./validation.ts";

/** What the audit log keeps of an endpoint: everything but the sealed secret. */
const auditedColumns = {
  id: true,
  partnerId: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  disabledReason: true,
} as const;

/** The endpoints a viewer owns: a partner's own; an admin's, every one. */
function ownedBy(ctx: Context): { partnerId?: string } {
  return ctx.viewer.kind === "admin"
    ? {}
    : { partnerId: ctx.viewer.partnerId ?? "00000000-0000-0000-0000-000000000000" };
}

const WebhookDeliveryStatus = builder.enumType("WebhookDeliveryStatus", {
  values: {
    PENDING: { description: "Not attempted yet." },
    RETRYING: { description: "Attempted and failed; tried again at nextAttemptAt." },
    DELIVERED: { description: "The endpoint answered 2xx." },
    FAILED: { description: "Every attempt failed; only a redelivery sends it again." },
  } as const,
});

builder.prismaObject("WebhookDelivery", {
  description: "One event sent (or to be sent) to one endpoint, and how it went.",
  fields: (t) => ({
    id: t.id({ select: { id: true }, resolve: (delivery) => encodeGlobalID("WebhookDelivery", delivery.id) }),
    eventId: t.exposeString("eventId", {
      description: "The webhook-id header: the event's id, the same on every attempt.",
    }),
    eventType: t.exposeString("eventType"),
    status: t.expose("status", { type: WebhookDeliveryStatus }),
    attempts: t.exposeInt("attempts"),
    nextAttemptAt: t.expose("nextAttemptAt", { type: "DateTime", nullable: true }),
    lastAttemptAt: t.expose("lastAttemptAt", { type: "DateTime", nullable: true }),
    responseStatus: t.exposeInt("responseStatus", {
      nullable: true,
      description: "The last attempt's HTTP status; null when it got no answer.",
    }),
    lastError: t.exposeString("lastError", { nullable: true }),
    deliveredAt: t.expose("deliveredAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    payload: t.field({
      type: "JSON",
      description: "The body sent (as signed).",
      select: { body: true },
      resolve: (delivery) => JSON.parse(delivery.body) as unknown,
    }),
  }),
});

builder.prismaObject("WebhookEndpoint", {
  description: "Where events are delivered: signed POSTs (Standard Webhooks) of the chosen event types.",
  fields: (t) => ({
    id: t.id({ select: { id: true }, resolve: (endpoint) => encodeGlobalID("WebhookEndpoint", endpoint.id) }),
    url: t.exposeString("url"),
    description: t.exposeString("description", { nullable: true }),
    eventTypes: t.exposeStringList("eventTypes"),
    enabled: t.exposeBoolean("enabled"),
    disabledAt: t.expose("disabledAt", { type: "DateTime", nullable: true }),
    disabledReason: t.exposeString("disabledReason", {
      nullable: true,
      description: "Why it is disabled: by its owner, or after a delivery kept failing for more than 24 hours.",
    }),
    createdBy: t.exposeString("createdBy"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    deliveries: t.relatedConnection("deliveries", {
      cursor: "id",
      description: "The delivery log, newest first.",
      args: { status: t.arg({ type: WebhookDeliveryStatus, required: false }) },
      query: (args) => ({
        where: args.status ? { status: args.status } : {},
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      }),
    }),
  }),
});

builder.queryField("webhookEventTypes", (t) =>
  t.field({
    type: [
      builder.objectRef<{ type: string; description: string }>("WebhookEventType").implement({
        fields: (f) => ({ type: f.exposeString("type"), description: f.exposeString("description") }),
      }),
    ],
    description: "The event types an endpoint can choose.",
    authScopes: { authenticated: true },
    resolve: () => Object.entries(EVENT_TYPES).map(([type, description]) => ({ type, description })),
  }),
);

builder.queryField("webhookEndpoints", (t) =>
  t.prismaConnection({
    type: "WebhookEndpoint",
    cursor: "id",
    description: "Your webhook endpoints (an admin: every endpoint), newest first.",
    authScopes: { admin: true, partner: true },
    resolve: (query, _root, _args, ctx) =>
      prismaOf(ctx).webhookEndpoint.findMany({ ...query, where: ownedBy(ctx), orderBy: { id: "desc" } }),
  }),
);

builder.queryField("webhookEndpoint", (t) =>
  t.prismaField({
    type: "WebhookEndpoint",
    nullable: true,
    description: "One of your webhook endpoints (an admin: any), with its delivery log; null for any other id.",
    authScopes: { admin: true, partner: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      prismaOf(ctx).webhookEndpoint.findFirst({
        ...plannedQuery(query),
        where: { id: decodeId(args.id, "WebhookEndpoint", "id"), ...ownedBy(ctx) },
      }),
  }),
);

interface RegisteredEndpoint {
  endpointId: string;
  secret: string;
}

const RegisteredWebhookEndpoint = builder.objectRef<RegisteredEndpoint>("RegisteredWebhookEndpoint").implement({
  description: "A new endpoint. `secret` is the only time the signing secret is shown: store it now.",
  fields: (t) => ({
    secret: t.exposeString("secret", {
      description: "whsec_…: verify each delivery's webhook-signature with it (the SDK's verifyWebhook).",
    }),
    endpoint: t.prismaField({
      type: "WebhookEndpoint",
      resolve: (query, registered, _args, ctx) =>
        prismaOf(ctx).webhookEndpoint.findUniqueOrThrow({
          ...plannedQuery(query),
          where: { id: registered.endpointId },
        }),
    }),
  }),
});

const CreateWebhookEndpointInput = builder.inputType("CreateWebhookEndpointInput", {
  fields: (t) => ({
    url: t.string({ required: true, description: "https://… (plain http only for localhost)." }),
    eventTypes: t.stringList({ required: true, description: "From webhookEventTypes." }),
    description: t.string({ required: false, validate: z.string().trim().max(500) }),
  }),
});

builder.mutationField("createWebhookEndpoint", (t) =>
  t.field({
    type: RegisteredWebhookEndpoint,
    description: "Registers an endpoint; the result carries its signing secret once. The URL must answer connections.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, directResult: true },
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const url = parseEndpointUrl(input.url, ["input", "url"]);
      const eventTypes = parseEventTypes(input.eventTypes, ["input", "eventTypes"]);
      await checkReachable(url, ["input", "url"]);
      const secret = newSigningSecret();
      const box = await secretBoxFor(ctx.db as unknown as Database);
      await placeFanOutCursor(prismaOf(ctx));
      const endpoint = await prismaOf(ctx).$transaction(async (tx) => {
        const created = await tx.webhookEndpoint.create({
          data: {
            partnerId: ctx.viewer.kind === "partner" ? (ctx.viewer.partnerId ?? null) : null,
            url: url.toString(),
            description: input.description?.trim() || null,
            eventTypes,
            secretCiphertext: box.seal(secret),
            createdBy: ctx.viewer.label,
          },
          select: auditedColumns,
        });
        await recordAudit(tx, ctx, {
          action: "webhookEndpoint.create",
          entityType: "WebhookEndpoint",
          entityId: created.id,
          after: created,
        });
        return created;
      });
      return { endpointId: endpoint.id, secret };
    },
  }),
);

/** The viewer's endpoint with this global id, or NotFoundError (another partner's endpoint does not exist for it). */
async function ownEndpoint(ctx: Context, globalId: string, path: string): Promise<string> {
  const id = decodeId(globalId, "WebhookEndpoint", path);
  const found = await prismaOf(ctx).webhookEndpoint.findFirst({ where: { id, ...ownedBy(ctx) }, select: { id: true } });
  if (!found) throw new NotFoundError("WebhookEndpoint", globalId);
  return id;
}

const UpdateWebhookEndpointInput = builder.inputType("UpdateWebhookEndpointInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string({ required: false }),
    eventTypes: t.stringList({ required: false }),
    description: t.string({ required: false, validate: z.string().trim().max(500) }),
    enabled: t.boolean({
      required: false,
      description: "false disables it (deliveries wait); true enables it again and clears the reason.",
    }),
  }),
});

builder.mutationField("updateWebhookEndpoint", (t) =>
  t.prismaField({
    type: "WebhookEndpoint",
    description: "Changes an endpoint's URL, event types or description, or disables or enables it.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "endpoint" } },
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await ownEndpoint(ctx, input.id, "input.id");
      const url = input.url ? parseEndpointUrl(input.url, ["input", "url"]) : null;
      const eventTypes = input.eventTypes ? parseEventTypes(input.eventTypes, ["input", "eventTypes"]) : null;
      if (url) await checkReachable(url, ["input", "url"]);
      const now = new Date();
      await prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: auditedColumns });
        const after = await tx.webhookEndpoint.update({
          where: { id },
          select: auditedColumns,
          data: {
            ...(url ? { url: url.toString() } : {}),
            ...(eventTypes ? { eventTypes } : {}),
            ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
            ...(input.enabled === true ? { enabled: true, disabledAt: null, disabledReason: null } : {}),
            ...(input.enabled === false
              ? { enabled: false, disabledAt: now, disabledReason: `disabled by ${ctx.viewer.label}` }
              : {}),
          },
        });
        await recordAudit(tx, ctx, {
          action: "webhookEndpoint.update",
          entityType: "WebhookEndpoint",
          entityId: id,
          before,
          after,
        });
      });
      return prismaOf(ctx).webhookEndpoint.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
    },
  }),
);

const DeletedWebhookEndpoint = builder.objectRef<{ id: string }>("DeletedWebhookEndpoint").implement({
  fields: (t) => ({ id: t.exposeID("id", { description: "The deleted endpoint's id." }) }),
});

builder.mutationField("deleteWebhookEndpoint", (t) =>
  t.field({
    type: DeletedWebhookEndpoint,
    description: "Deletes an endpoint and its delivery log.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, directResult: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = await ownEndpoint(ctx, args.id, "id");
      await prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.webhookEndpoint.delete({ where: { id }, select: auditedColumns });
        await recordAudit(tx, ctx, {
          action: "webhookEndpoint.delete",
          entityType: "WebhookEndpoint",
          entityId: id,
          before,
        });
      });
      return { id: args.id };
    },
  }),
);

builder.mutationField("redeliverWebhook", (t) =>
  t.prismaField({
    type: "WebhookDelivery",
    description: "Sends a delivery again now (same webhook-id, so a receiver that has it can skip it).",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "delivery" } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = decodeId(args.id, "WebhookDelivery", "id");
      const prisma = prismaOf(ctx);
      const found = await prisma.webhookDelivery.findFirst({
        where: { id, endpoint: ownedBy(ctx) },
        select: { id: true },
      });
      if (!found) throw new NotFoundError("WebhookDelivery", args.id);
      await prisma.$transaction(async (tx) => {
        const after = await tx.webhookDelivery.update({
          where: { id },
          data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date(), leaseUntil: null },
          select: { id: true, endpointId: true, eventId: true, status: true },
        });
        await recordAudit(tx, ctx, {
          action: "webhookDelivery.redeliver",
          entityType: "WebhookDelivery",
          entityId: id,
          after,
        });
      });
      return prisma.webhookDelivery.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
    },
  }),
);
