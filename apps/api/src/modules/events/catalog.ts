// The events partners and admins receive (subscriptions and webhooks): which log events they are, who may see each,
// and the payload sent — global ids, a partner's view redacted like credit explanations. One place, so the SSE feed
// and webhook deliveries never disagree about what a viewer may learn.
import { encodeGlobalID } from "@pothos/plugin-relay";
import type { Database } from "@intrograph/db";
import { type DomainEventRow, formatPosition } from "@intrograph/db/events";
import { type Context, databaseHandle, type Viewer } from "../../context.ts";
import { redactedFor } from "../credit/redaction.ts";

/** Every event type delivered, with what it means (the README's catalogue says the same). */
export const EVENT_TYPES = {
  "credit.changed":
    "Credit moved: per outcome, the models and the people whose amounts changed (one event per write and outcome; one per MARKOV run and audience).",
  "introduction.created": "An introduction was reported.",
  "introduction.updated": "An introduction changed (status, consent, notes).",
  "introduction.consentChanged": "A side of an introduction gave or withdrew consent.",
  "outcome.created": "An outcome was recorded.",
  "outcome.updated": "An outcome changed (value, time, links).",
  "relationship.curated": "A relationship's status changed (verified, disputed, unverified).",
  "creditDispute.opened": "A credit dispute was opened.",
  "creditDispute.adjudicated": "A credit dispute was upheld or rejected.",
  "person.merged": "Two records of one person were merged; the merged id now resolves to the survivor.",
  "apiKey.revoked": "An API key was revoked (its partner's and admins' endpoints only).",
  "import.batch":
    "A batch of an import was written: the people, introductions and outcomes it created or updated (ids listed up to 5,000 each).",
} as const;

export type PartnerEventType = keyof typeof EVENT_TYPES;

export const isPartnerEventType = (type: string): type is PartnerEventType => Object.hasOwn(EVENT_TYPES, type);

/** An event as subscribers and webhooks receive it. */
export interface PartnerEvent {
  /** The event's position in the log ("txid.id"): unique, in delivery order; resume after it, de-duplicate by it. */
  id: string;
  type: PartnerEventType;
  /** When the write happened (ISO 8601). */
  timestamp: string;
  /** Who wrote it: an API key ("key:<prefix>"), or a job ("job:credit-markov"); null for start-up work. */
  actor: string | null;
  data: Record<string, unknown>;
}

/** Whether the viewer may receive the event: admins all; partners public records and their own reports. */
export function eventVisibleTo(event: Pick<DomainEventRow, "type" | "partnerId">, viewer: Viewer): boolean {
  if (viewer.kind === "admin") return true;
  if (viewer.kind !== "partner") return false;
  // An admin key's events have no partner: they are not public.
  if (event.type.startsWith("apiKey.")) return event.partnerId !== null && event.partnerId === viewer.partnerId;
  return event.partnerId === null || event.partnerId === viewer.partnerId;
}

type Json = Record<string, unknown>;
const asJson = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
const global = (type: string, id: unknown): string | null =>
  typeof id === "string" && id !== "" ? encodeGlobalID(type, id) : null;
const field = (payload: Json, name: string): string | null =>
  typeof payload[name] === "string" ? (payload[name] as string) : null;

interface CreditChangeData {
  outcomeId: string;
  models: string[];
  personIds: string[];
}

/** credit.changed, from either form the ledger writes: per outcome, or a MARKOV run's combined changes. */
function creditChanges(event: DomainEventRow, payload: Json): { model: string | null; changes: CreditChangeData[] } {
  if (Array.isArray(payload.changes)) {
    const model = field(payload, "model");
    return {
      model,
      changes: payload.changes.map((change) => {
        const item = asJson(change);
        return { outcomeId: String(item.outcomeId), models: model ? [model] : [], personIds: strings(item.personIds) };
      }),
    };
  }
  return {
    model: null,
    changes: [
      {
        outcomeId: field(payload, "outcomeId") ?? event.entityId ?? "",
        models: strings(payload.models),
        personIds: strings(payload.personIds),
      },
    ],
  };
}

/** The event's data with database ids: what redaction works on before ids become global ones. */
function rawData(event: DomainEventRow): Json {
  const payload = asJson(event.payload);
  return { ...payload, entityId: event.entityId };
}

/** The data a receiver sees, with global ids. */
function publicData(event: DomainEventRow, payload: Json): Json {
  const id = field(payload, "entityId");
  switch (event.type) {
    case "credit.changed": {
      const { model, changes } = creditChanges(event, payload);
      const people = [...new Set(changes.flatMap((change) => change.personIds))].sort();
      return {
        model,
        models: [...new Set(changes.flatMap((change) => change.models))].sort(),
        personIds: people.map((person) => encodeGlobalID("Person", person)),
        changes: changes.map((change) => ({
          outcomeId: encodeGlobalID("Outcome", change.outcomeId),
          models: change.models,
          personIds: change.personIds.map((person) => encodeGlobalID("Person", person)),
        })),
      };
    }
    case "introduction.created":
    case "introduction.updated":
    case "introduction.consentChanged":
      return {
        introductionId: global("Introduction", id),
        connectorId: global("Person", payload.connectorId),
        fromId: global("Person", payload.fromId),
        toId: global("Person", payload.toId),
        organizationId: global("Organization", payload.organizationId),
        status: field(payload, "status"),
        fromConsentedAt: field(payload, "fromConsentedAt"),
        toConsentedAt: field(payload, "toConsentedAt"),
        consented: payload.fromConsentedAt != null && payload.toConsentedAt != null,
      };
    case "outcome.created":
    case "outcome.updated":
      return {
        outcomeId: global("Outcome", id),
        kind: field(payload, "kind"),
        value: field(payload, "value"),
        currency: field(payload, "currency"),
        occurredAt: field(payload, "occurredAt"),
      };
    case "relationship.curated":
      return {
        relationshipId: global("Relationship", id),
        personAId: global("Person", payload.personAId),
        personBId: global("Person", payload.personBId),
        status: field(payload, "status"),
        previousStatus: field(payload, "previousStatus"),
      };
    case "creditDispute.opened":
    case "creditDispute.adjudicated": {
      const introduction = field(payload, "introductionId");
      return {
        disputeId: global("CreditDispute", id),
        outcomeId: global("Outcome", payload.outcomeId),
        // A redacted id stays as redaction left it ("private-introduction").
        introductionId:
          introduction && /^[0-9a-f-]{36}$/i.test(introduction) ? global("Introduction", introduction) : introduction,
        status: field(payload, "status"),
      };
    }
    case "person.merged":
      return { personId: global("Person", id), mergedPersonId: global("Person", payload.mergedId) };
    case "apiKey.revoked":
      return { apiKeyId: global("ApiKey", id), prefix: field(payload, "prefix") };
    case "import.batch": {
      const listed = (name: string, type: string) => {
        const entry = asJson(payload[name]);
        return {
          count: typeof entry.count === "number" ? entry.count : 0,
          ids: strings(entry.ids).map((item) => encodeGlobalID(type, item)),
        };
      };
      return {
        importId: field(payload, "importId"),
        source: field(payload, "source"),
        people: listed("people", "Person"),
        introductions: listed("introductions", "Introduction"),
        outcomes: listed("outcomes", "Outcome"),
      };
    }
    default:
      return {};
  }
}

/** A context for redaction outside a request: the viewer's, with a fresh cache. */
export function eventContext(database: Database, viewer: Viewer): Context {
  return { viewer, db: databaseHandle(database), requestId: "events", apiKeys: { forget: async () => {} } };
}

/**
 * The event as `ctx.viewer` receives it, or null when it is not a delivered type or not theirs to see. Other partners'
 * private introduction ids are redacted, as in credit explanations.
 */
export async function partnerEventFor(ctx: Context, event: DomainEventRow): Promise<PartnerEvent | null> {
  if (!isPartnerEventType(event.type) || !eventVisibleTo(event, ctx.viewer)) return null;
  const raw = rawData(event);
  // Only dispute events name introductions another partner may have reported privately.
  const data = publicData(event, typeof raw.introductionId === "string" ? await redactedFor(ctx, raw) : raw);
  return {
    id: formatPosition(event),
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    actor: event.actorId,
    data,
  };
}
