// Subscriptions fed by the event log (through the process's EventFeed): credit changes, introduction and outcome events,
// each filtered to what the subscriber may see. A client resumes without gaps from the last event id it saw: the `after`
// argument, or the Last-Event-ID header an EventSource sends when it reconnects.
import { type EventPosition, parsePosition } from "@intrograph/db/events";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../builder.ts";
import type { Context } from "../../context.ts";
import { ValidationError } from "../../errors.ts";
import { decodeOptionalId } from "../../ids.ts";
import { type PartnerEvent, type PartnerEventType, partnerEventFor } from "./catalog.ts";
import { eventFeedOf } from "./feed.ts";
import { noteEventSent } from "./sse.ts";

builder.subscriptionType({
  description:
    "Live events from the event log, over Server-Sent Events (graphql-sse distinct connections mode). Each message " +
    "carries its event id (`extensions.eventId`, and the SSE `id:` field): pass it as `after` (or let an EventSource " +
    "send it as Last-Event-ID) to resume without gaps.",
});

/** Where a subscription starts: after the `after` argument, else after the Last-Event-ID header, else from now. */
function startingPoint(after: string | null | undefined, ctx: Context): EventPosition | null {
  const given = after ?? ctx.lastEventId ?? null;
  if (given === null || given === "") return null;
  const position = parsePosition(given);
  if (!position)
    throw ValidationError.of(
      after ? "after" : "Last-Event-ID",
      `${JSON.stringify(given.slice(0, 40))} is not an event id (an event id looks like "1234.5678")`,
    );
  return position;
}

/**
 * The subscriber's events of `types` from the log, as they may see them, passing `keep`. Not a generator: when the
 * client goes away, return() ends the feed's stream at once instead of after the next event.
 */
async function partnerEvents(
  ctx: Context,
  after: string | null | undefined,
  types: readonly PartnerEventType[],
  keep: (event: PartnerEvent) => boolean,
): Promise<AsyncIterableIterator<PartnerEvent>> {
  const from = startingPoint(after, ctx);
  const rows = await eventFeedOf(ctx.db).subscribe(from);
  const wanted = new Set<string>(types);
  const events: AsyncIterableIterator<PartnerEvent> = {
    async next() {
      for (;;) {
        const next = await rows.next();
        if (next.done) return { done: true, value: undefined };
        const row = next.value;
        if (!wanted.has(row.type)) continue;
        const event = await partnerEventFor(ctx, row);
        if (!event || !keep(event)) continue;
        noteEventSent(ctx, event.id);
        return { done: false, value: event };
      }
    },
    async return() {
      await rows.return();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => events,
  };
  return events;
}

interface CreditOutcomeChange {
  outcomeId: string;
  models: string[];
  personIds: string[];
}

const CreditOutcomeChangeRef = builder.objectRef<CreditOutcomeChange>("CreditOutcomeChange").implement({
  description: "One outcome's credit change: the models whose allocation moved and the people whose amounts did.",
  fields: (t) => ({
    outcomeId: t.exposeID("outcomeId"),
    models: t.exposeStringList("models"),
    personIds: t.exposeIDList("personIds"),
  }),
});

const changesOf = (event: PartnerEvent) => event.data.changes as CreditOutcomeChange[];

const CreditChangedEvent = builder.objectRef<PartnerEvent>("CreditChangedEvent").implement({
  description:
    "Credit moved: re-read the credit of the people listed. One event per write and outcome for the per-outcome " +
    "models, one per MARKOV run (and audience) listing every outcome it moved.",
  fields: (t) => ({
    eventId: t.id({ description: "Resume after this id (`after`, Last-Event-ID).", resolve: (event) => event.id }),
    changedAt: t.field({ type: "DateTime", resolve: (event) => new Date(event.timestamp) }),
    actor: t.string({
      nullable: true,
      description: "Who wrote it: an API key's prefix, or a job (job:credit-markov).",
      resolve: (event) => event.actor,
    }),
    model: t.string({
      nullable: true,
      description: "MARKOV for a MARKOV run; null when the per-outcome models were recomputed (see models).",
      resolve: (event) => (event.data.model as string | null) ?? null,
    }),
    models: t.stringList({ resolve: (event) => event.data.models as string[] }),
    outcomeId: t.id({
      nullable: true,
      description: "The outcome, when the event is about one (a write); null for a MARKOV run (see changes).",
      resolve: (event) => {
        const changes = changesOf(event);
        return event.data.model === null && changes.length === 1 ? changes[0]!.outcomeId : null;
      },
    }),
    personIds: t.idList({ resolve: (event) => event.data.personIds as string[] }),
    changes: t.field({ type: [CreditOutcomeChangeRef], resolve: changesOf }),
  }),
});

builder.subscriptionField("creditChanged", (t) =>
  t.field({
    type: CreditChangedEvent,
    description:
      "Every credit change a write or a MARKOV run makes, optionally only those touching one person or one outcome.",
    authScopes: { authenticated: true },
    args: {
      personId: t.arg.id({ required: false }),
      outcomeId: t.arg.id({ required: false }),
      after: t.arg.id({ required: false, description: "Resume after this event id." }),
    },
    subscribe: (_root, args, ctx) => {
      const personId = decodeOptionalId(args.personId, "Person", "personId");
      const outcomeId = decodeOptionalId(args.outcomeId, "Outcome", "outcomeId");
      // Compared as this API encodes them, whatever form of the id the client sent.
      const person = personId ? encodeGlobalID("Person", personId) : null;
      const outcome = outcomeId ? encodeGlobalID("Outcome", outcomeId) : null;
      return partnerEvents(ctx, args.after, ["credit.changed"], (event) =>
        changesOf(event).some(
          (change) => (!person || change.personIds.includes(person)) && (!outcome || change.outcomeId === outcome),
        ),
      );
    },
    resolve: (event) => event,
  }),
);

const field = (event: PartnerEvent, name: string): string | null => {
  const value = event.data[name];
  return typeof value === "string" ? value : null;
};

const IntroductionEvent = builder.objectRef<PartnerEvent>("IntroductionEvent").implement({
  description: "An introduction was reported, changed, or a side gave or withdrew consent.",
  fields: (t) => ({
    eventId: t.id({ resolve: (event) => event.id }),
    type: t.string({
      description: "introduction.created, introduction.updated or introduction.consentChanged.",
      resolve: (event) => event.type,
    }),
    occurredAt: t.field({ type: "DateTime", resolve: (event) => new Date(event.timestamp) }),
    actor: t.string({ nullable: true, resolve: (event) => event.actor }),
    introductionId: t.id({ resolve: (event) => field(event, "introductionId") ?? "" }),
    connectorId: t.id({ nullable: true, resolve: (event) => field(event, "connectorId") }),
    fromId: t.id({ nullable: true, resolve: (event) => field(event, "fromId") }),
    toId: t.id({ nullable: true, resolve: (event) => field(event, "toId") }),
    status: t.string({ nullable: true, resolve: (event) => field(event, "status") }),
    fromConsentedAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (event) => (field(event, "fromConsentedAt") ? new Date(field(event, "fromConsentedAt")!) : null),
    }),
    toConsentedAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (event) => (field(event, "toConsentedAt") ? new Date(field(event, "toConsentedAt")!) : null),
    }),
    consented: t.boolean({ resolve: (event) => event.data.consented === true }),
  }),
});

builder.subscriptionField("introductionChanged", (t) =>
  t.field({
    type: IntroductionEvent,
    description: "Introductions reported or changed, optionally one introduction's only.",
    authScopes: { authenticated: true },
    args: {
      introductionId: t.arg.id({ required: false }),
      after: t.arg.id({ required: false, description: "Resume after this event id." }),
    },
    subscribe: (_root, args, ctx) => {
      const id = decodeOptionalId(args.introductionId, "Introduction", "introductionId");
      const wanted = id ? encodeGlobalID("Introduction", id) : null;
      return partnerEvents(
        ctx,
        args.after,
        ["introduction.created", "introduction.updated", "introduction.consentChanged"],
        (event) => !wanted || event.data.introductionId === wanted,
      );
    },
    resolve: (event) => event,
  }),
);

const OutcomeEvent = builder.objectRef<PartnerEvent>("OutcomeEvent").implement({
  description: "An outcome was recorded or changed.",
  fields: (t) => ({
    eventId: t.id({ resolve: (event) => event.id }),
    type: t.string({ description: "outcome.created or outcome.updated.", resolve: (event) => event.type }),
    occurredAt: t.field({ type: "DateTime", resolve: (event) => new Date(event.timestamp) }),
    actor: t.string({ nullable: true, resolve: (event) => event.actor }),
    outcomeId: t.id({ resolve: (event) => field(event, "outcomeId") ?? "" }),
    kind: t.string({ nullable: true, resolve: (event) => field(event, "kind") }),
    value: t.string({ nullable: true, resolve: (event) => field(event, "value") }),
    currency: t.string({ nullable: true, resolve: (event) => field(event, "currency") }),
  }),
});

builder.subscriptionField("outcomeChanged", (t) =>
  t.field({
    type: OutcomeEvent,
    description: "Outcomes recorded or changed, optionally one outcome's only.",
    authScopes: { authenticated: true },
    args: {
      outcomeId: t.arg.id({ required: false }),
      after: t.arg.id({ required: false, description: "Resume after this event id." }),
    },
    subscribe: (_root, args, ctx) => {
      const id = decodeOptionalId(args.outcomeId, "Outcome", "outcomeId");
      const wanted = id ? encodeGlobalID("Outcome", id) : null;
      return partnerEvents(
        ctx,
        args.after,
        ["outcome.created", "outcome.updated"],
        (event) => !wanted || event.data.outcomeId === wanted,
      );
    },
    resolve: (event) => event,
  }),
);
