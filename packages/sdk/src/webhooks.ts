// Webhook deliveries as a receiver sees them: the event types and payloads intrograph sends, and `verifyWebhook`, which
// checks a delivery's Standard Webhooks signature (HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" with the
// endpoint's whsec_ secret) and its age before handing back the typed event. Web Crypto only: runs in Node ≥ 20,
// browsers, workers and edge runtimes alike.

/** Who may receive what is the API's business; every event has this envelope. */
interface EventEnvelope<Type extends string, Data> {
  /** The event's id ("txid.id"): the webhook-id header, the same on every retry — de-duplicate by it. */
  id: string;
  type: Type;
  /** When the write happened (ISO 8601). */
  timestamp: string;
  /** Who wrote it: an API key ("key:<prefix>"), or a job ("job:credit-markov"); null for start-up work. */
  actor: string | null;
  data: Data;
}

export interface CreditOutcomeChangeData {
  outcomeId: string;
  models: string[];
  personIds: string[];
}

export type CreditChangedEvent = EventEnvelope<
  "credit.changed",
  {
    /** "MARKOV" for a MARKOV run; null for a write's per-outcome models. */
    model: string | null;
    models: string[];
    /** Everyone whose credit moved: re-read their credit. */
    personIds: string[];
    changes: CreditOutcomeChangeData[];
  }
>;

export interface IntroductionEventData {
  introductionId: string;
  connectorId: string | null;
  fromId: string | null;
  toId: string | null;
  organizationId: string | null;
  status: string | null;
  fromConsentedAt: string | null;
  toConsentedAt: string | null;
  consented: boolean;
}

export type IntroductionEvent = EventEnvelope<
  "introduction.created" | "introduction.updated" | "introduction.consentChanged",
  IntroductionEventData
>;

export type OutcomeEvent = EventEnvelope<
  "outcome.created" | "outcome.updated",
  { outcomeId: string; kind: string | null; value: string | null; currency: string | null; occurredAt: string | null }
>;

export type RelationshipCuratedEvent = EventEnvelope<
  "relationship.curated",
  {
    relationshipId: string;
    personAId: string | null;
    personBId: string | null;
    status: string | null;
    previousStatus: string | null;
  }
>;

export type CreditDisputeEvent = EventEnvelope<
  "creditDispute.opened" | "creditDispute.adjudicated",
  {
    disputeId: string;
    outcomeId: string | null;
    /** "private-introduction" when another partner reported it privately. */
    introductionId: string | null;
    status: string | null;
  }
>;

export type PeopleMergedEvent = EventEnvelope<"person.merged", { personId: string; mergedPersonId: string | null }>;

export type ApiKeyRevokedEvent = EventEnvelope<"apiKey.revoked", { apiKeyId: string; prefix: string | null }>;

export interface ImportedRecords {
  count: number;
  /** Their ids (the first 5,000). */
  ids: string[];
}

export type ImportBatchEvent = EventEnvelope<
  "import.batch",
  {
    importId: string | null;
    source: string | null;
    people: ImportedRecords;
    introductions: ImportedRecords;
    outcomes: ImportedRecords;
  }
>;

/** Every event a webhook endpoint can receive; switch on `type` to narrow `data`. */
export type IntrographEvent =
  | CreditChangedEvent
  | IntroductionEvent
  | OutcomeEvent
  | RelationshipCuratedEvent
  | CreditDisputeEvent
  | PeopleMergedEvent
  | ApiKeyRevokedEvent
  | ImportBatchEvent;

export type IntrographEventType = IntrographEvent["type"];

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/** Request headers as Node (`req.headers`), fetch (`Headers`) or a plain object hold them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string {
  const value =
    typeof (headers as Headers).get === "function"
      ? (headers as Headers).get(name)
      : (Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? null);
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) throw new WebhookVerificationError(`the ${name} header is missing`);
  return text;
}

const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
const toBase64 = (bytes: ArrayBuffer): string => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/** Compares without stopping at the first difference, so the time taken tells nothing about the signature. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

export interface VerifyWebhookOptions {
  /** How old (or how far in the future) a delivery may be, in seconds (default 300): replays are refused. */
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * Checks a delivery and returns its event. `body` is the raw request body as received (not re-serialized JSON);
 * `secret` is the whsec_… the API showed when the endpoint was registered. Throws WebhookVerificationError when a
 * header is missing, the timestamp is too old or too new, or no signature matches.
 */
export async function verifyWebhook(
  body: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<IntrographEvent> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  const seconds = Number(timestamp);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (!Number.isInteger(seconds)) throw new WebhookVerificationError("webhook-timestamp is not a number of seconds");
  if (Math.abs(now - seconds) > (options.toleranceSeconds ?? 300))
    throw new WebhookVerificationError("webhook-timestamp is too far from now (a replay, or a wrong clock)");
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const key = await crypto.subtle.importKey(
    "raw",
    fromBase64(secret.replace(/^whsec_/, "")),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const expected = toBase64(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${seconds}.${text}`)),
  );
  // Several space-separated "v1,<base64>" signatures may be sent (while a secret is being rotated).
  const matches = signatures
    .split(" ")
    .some((signature) => signature.startsWith("v1,") && sameText(signature.slice(3), expected));
  if (!matches) throw new WebhookVerificationError("no webhook-signature matches this body and secret");
  const event = JSON.parse(text) as IntrographEvent;
  if (event.id !== id) throw new WebhookVerificationError("the body's id is not the webhook-id");
  return event;
}
