// The webhook dispatcher: follows the event log from a cursor kept in the database, turns each event into one delivery
// row per endpoint that wants it (in the same transaction as the cursor's move, so a crash neither loses nor doubles
// one), and sends due deliveries: signed per the Standard Webhooks specification, with a short time-out, retried with
// exponential backoff for more than 24 hours, an endpoint disabled (with its reason) once a delivery has failed for
// that long. At least once: a sender killed mid-attempt leaves a lease that runs out, and the delivery is sent again
// with the same webhook-id, by which receivers de-duplicate.
import type { Database } from "@intrograph/db";
import { Prisma } from "@intrograph/db";
import { EventLogFollower } from "@intrograph/db/event-follower";
import { type DomainEventRow, type EventPosition, logHead } from "@intrograph/db/events";
import { Webhook } from "standardwebhooks";
import type { Viewer } from "../../context.ts";
import { eventContext, partnerEventFor } from "../events/catalog.ts";
import { type SecretBox, secretBoxFor } from "./secrets.ts";

export interface DispatcherLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface WebhookDispatcherOptions {
  /** The first retry's delay; each further one doubles, up to maxRetryDelayMs (INTROGRAPH_WEBHOOK_RETRY_BASE_MS). */
  retryBaseMs?: number;
  /** The longest delay between two attempts (INTROGRAPH_WEBHOOK_RETRY_MAX_MS). */
  maxRetryDelayMs?: number;
  /** Attempts before a delivery fails for good and its endpoint is disabled (INTROGRAPH_WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** How long a receiver may take to answer (INTROGRAPH_WEBHOOK_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How often the log and the due deliveries are checked, in ms. */
  pollIntervalMs?: number;
  /** Deliveries sent at once. */
  concurrency?: number;
  /** How long delivered and failed deliveries stay in the log, in days (INTROGRAPH_WEBHOOK_LOG_DAYS). */
  logDays?: number;
  secrets?: SecretBox;
  logger?: DispatcherLogger;
}

const fromEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

/**
 * The default schedule: 30 s, 1, 2, 4 … 256 min, then 8 h twice — 13 attempts over 24.5 hours. It is documented in
 * the README; `retrySchedule` computes it.
 */
export const DEFAULT_RETRY = { retryBaseMs: 30_000, maxRetryDelayMs: 8 * 3_600_000, maxAttempts: 13 } as const;

/** The delay before attempt `attempt + 1`, after `attempt` failed ones. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** Each retry's delay under a schedule: what the README's table shows. */
export function retrySchedule(options: { retryBaseMs: number; maxRetryDelayMs: number; maxAttempts: number }) {
  return Array.from({ length: options.maxAttempts - 1 }, (_, index) =>
    retryDelayMs(index + 1, options.retryBaseMs, options.maxRetryDelayMs),
  );
}

const CURSOR = "webhooks";
const silent: DispatcherLogger = { info() {}, warn() {} };

/** A raw-SQL timestamp as Prisma stores DateTime (UTC in a column without time zone). */
const utc = (at: Date) => Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

interface DueDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  body: string;
  attempts: number;
  url: string;
  secretCiphertext: string;
}

interface Endpoint {
  id: string;
  partnerId: string | null;
  eventTypes: string[];
}

/**
 * Where fan-out left off; placed at the log's head the first time, by the first endpoint's registration or the first
 * dispatcher's start, whichever comes first: an endpoint registered before any dispatcher ran (the worker not started
 * yet) still receives every event from its registration on.
 */
export async function placeFanOutCursor(prisma: Database["prisma"]): Promise<EventPosition> {
  const stored = await prisma.eventCursor.findUnique({ where: { name: CURSOR } });
  if (stored) return { txid: stored.txid, id: stored.eventId };
  const head = await logHead(prisma);
  await prisma.eventCursor.createMany({
    data: [{ name: CURSOR, txid: head.txid, eventId: head.id }],
    skipDuplicates: true,
  });
  const row = await prisma.eventCursor.findUniqueOrThrow({ where: { name: CURSOR } });
  return { txid: row.txid, id: row.eventId };
}

export class WebhookDispatcher {
  private readonly follower: EventLogFollower;
  private readonly retryBaseMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly logger: DispatcherLogger;
  private timer: ReturnType<typeof setInterval> | null = null;
  private pruneTimer: ReturnType<typeof setInterval> | null = null;
  private sending: Promise<void> | null = null;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly database: Database,
    private readonly options: WebhookDispatcherOptions = {},
  ) {
    this.retryBaseMs = options.retryBaseMs ?? fromEnv("INTROGRAPH_WEBHOOK_RETRY_BASE_MS", DEFAULT_RETRY.retryBaseMs);
    this.maxRetryDelayMs =
      options.maxRetryDelayMs ?? fromEnv("INTROGRAPH_WEBHOOK_RETRY_MAX_MS", DEFAULT_RETRY.maxRetryDelayMs);
    this.maxAttempts = options.maxAttempts ?? fromEnv("INTROGRAPH_WEBHOOK_MAX_ATTEMPTS", DEFAULT_RETRY.maxAttempts);
    this.timeoutMs = options.timeoutMs ?? fromEnv("INTROGRAPH_WEBHOOK_TIMEOUT_MS", 5_000);
    this.concurrency = options.concurrency ?? 8;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.logger = options.logger ?? silent;
    this.follower = new EventLogFollower(database.prisma, {
      from: () => this.cursor(),
      pollIntervalMs: this.pollIntervalMs,
      onEvents: (events) => this.fanOut(events),
      onError: (error) => this.logger.warn({ err: error }, "webhook dispatcher cannot read the event log"),
    });
  }

  private secrets(): Promise<SecretBox> {
    return this.options.secrets ? Promise.resolve(this.options.secrets) : secretBoxFor(this.database);
  }

  /** Where fan-out left off (see placeFanOutCursor). */
  private cursor(): Promise<EventPosition> {
    return placeFanOutCursor(this.database.prisma);
  }

  async start(): Promise<void> {
    await this.follower.start();
    this.timer ??= setInterval(() => void this.sendDue(), this.pollIntervalMs);
    this.timer.unref();
    this.pruneTimer ??= setInterval(() => void this.prune(), 3_600_000);
    this.pruneTimer.unref();
    void this.prune();
  }

  /** Drops finished deliveries older than the log keeps them (the delivery log would otherwise only grow). */
  async prune(now = new Date()): Promise<number> {
    const days = this.options.logDays ?? fromEnv("INTROGRAPH_WEBHOOK_LOG_DAYS", 30);
    try {
      const { count } = await this.database.prisma.webhookDelivery.deleteMany({
        where: {
          status: { in: ["DELIVERED", "FAILED"] },
          createdAt: { lt: new Date(now.getTime() - days * 86_400_000) },
        },
      });
      return count;
    } catch (error) {
      this.logger.warn({ err: error }, "webhook delivery log not pruned");
      return 0;
    }
  }

  /** One delivery row per (endpoint, event) the endpoint wants and may see, and the cursor moved, in one transaction. */
  private async fanOut(events: DomainEventRow[]): Promise<void> {
    const { prisma } = this.database;
    const endpoints: Endpoint[] = await prisma.webhookEndpoint.findMany({
      where: { enabled: true },
      select: { id: true, partnerId: true, eventTypes: true },
    });
    const rows: Prisma.WebhookDeliveryCreateManyInput[] = [];
    // One redaction context per owner and page: its lookups are shared by the page's events.
    const owners = new Map<string, ReturnType<typeof eventContext>>();
    const contextOf = (partnerId: string | null) => {
      const key = partnerId ?? "admin";
      let ctx = owners.get(key);
      if (!ctx) {
        const viewer: Viewer = partnerId
          ? { kind: "partner", partnerId, label: "webhooks" }
          : { kind: "admin", label: "webhooks" };
        ctx = eventContext(this.database, viewer);
        owners.set(key, ctx);
      }
      return ctx;
    };
    for (const event of events)
      for (const endpoint of endpoints) {
        if (!endpoint.eventTypes.includes(event.type)) continue;
        const delivered = await partnerEventFor(contextOf(endpoint.partnerId), event);
        if (!delivered) continue;
        rows.push({
          endpointId: endpoint.id,
          eventId: delivered.id,
          eventType: delivered.type,
          body: JSON.stringify(delivered),
        });
      }
    const last = events.at(-1)!;
    await prisma.$transaction(async (tx) => {
      if (rows.length) await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
      // Never backwards: another dispatcher (another replica) may be further already.
      await tx.$executeRaw`
        UPDATE "EventCursor" SET txid = ${last.txid}, "eventId" = ${last.id}, "updatedAt" = ${utc(new Date())}
        WHERE name = ${CURSOR} AND (txid, "eventId") < (${last.txid}, ${last.id})`;
    });
    if (rows.length) void this.sendDue();
  }

  /** Reads the event log shortly rather than at the next tick (another process announced a write). */
  pollSoon(): void {
    this.follower.pollSoon();
  }

  /** Claims due deliveries (a lease each) and sends them; what is left waits for the next tick. */
  sendDue(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.sending ??= this.claimAndSend().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  private async claimAndSend(): Promise<void> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const now = new Date();
    // A lease outlives an attempt: a sender that died lets it run out, and the delivery is claimed again.
    const leaseUntil = new Date(now.getTime() + this.timeoutMs * 2 + 5_000);
    let due: DueDelivery[];
    try {
      due = await this.database.prisma.$queryRaw<DueDelivery[]>`
        WITH due AS (
          SELECT d.id FROM "WebhookDelivery" d
          JOIN "WebhookEndpoint" e ON e.id = d."endpointId" AND e.enabled
          WHERE d.status IN ('PENDING', 'RETRYING') AND d."nextAttemptAt" <= ${utc(now)}
            AND (d."leaseUntil" IS NULL OR d."leaseUntil" < ${utc(now)})
          ORDER BY d."nextAttemptAt", d.id
          LIMIT ${free}
          FOR UPDATE OF d SKIP LOCKED
        )
        UPDATE "WebhookDelivery" d
        SET "leaseUntil" = ${utc(leaseUntil)}, attempts = d.attempts + 1, "lastAttemptAt" = ${utc(now)}
        FROM due, "WebhookEndpoint" e
        WHERE d.id = due.id AND e.id = d."endpointId"
        RETURNING d.id::text AS id, d."endpointId"::text AS "endpointId", d."eventId", d.body, d.attempts, e.url,
          e."secretCiphertext"`;
    } catch (error) {
      this.logger.warn({ err: error }, "webhook dispatcher cannot read due deliveries");
      return;
    }
    for (const delivery of due) {
      const attempt = this.attempt(delivery).finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
    }
  }

  /** One attempt: sign, POST, record. */
  private async attempt(delivery: DueDelivery): Promise<void> {
    let status: number | null = null;
    let problem: string | null = null;
    try {
      const secret = (await this.secrets()).open(delivery.secretCiphertext);
      const timestamp = new Date();
      const signature = new Webhook(secret).sign(delivery.eventId, timestamp, delivery.body);
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "intrograph-webhooks",
          "webhook-id": delivery.eventId,
          "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
          "webhook-signature": signature,
        },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      await response.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300) problem = `HTTP ${status}`;
    } catch (error) {
      problem =
        error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
          ? `no answer within ${this.timeoutMs} ms`
          : `could not connect (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`;
    }
    await this.record(delivery, status, problem).catch((error: unknown) =>
      this.logger.warn({ err: error, delivery: delivery.id }, "webhook delivery result not recorded"),
    );
  }

  private async record(delivery: DueDelivery, status: number | null, problem: string | null): Promise<void> {
    const { prisma } = this.database;
    const now = new Date();
    if (problem === null) {
      await prisma.webhookDelivery.updateMany({
        where: { id: delivery.id },
        data: { status: "DELIVERED", responseStatus: status, lastError: null, deliveredAt: now, leaseUntil: null },
      });
      return;
    }
    if (delivery.attempts < this.maxAttempts) {
      const delay = retryDelayMs(delivery.attempts, this.retryBaseMs, this.maxRetryDelayMs);
      await prisma.webhookDelivery.updateMany({
        where: { id: delivery.id },
        data: {
          status: "RETRYING",
          responseStatus: status,
          lastError: problem,
          nextAttemptAt: new Date(now.getTime() + delay),
          leaseUntil: null,
        },
      });
      return;
    }
    const reason = `event ${delivery.eventId} could not be delivered in ${delivery.attempts} attempts since ${(await prisma.webhookDelivery.findUnique({ where: { id: delivery.id }, select: { createdAt: true } }))?.createdAt.toISOString()}; the last: ${problem}`;
    await prisma.$transaction([
      prisma.webhookDelivery.updateMany({
        where: { id: delivery.id },
        data: { status: "FAILED", responseStatus: status, lastError: problem, leaseUntil: null },
      }),
      prisma.webhookEndpoint.updateMany({
        where: { id: delivery.endpointId, enabled: true },
        data: { enabled: false, disabledAt: now, disabledReason: reason },
      }),
    ]);
    this.logger.warn({ endpoint: delivery.endpointId, reason }, "webhook endpoint disabled");
  }

  /** Reads the log and sends what is due now (tests; a write that just committed). */
  async poll(): Promise<void> {
    await this.follower.poll();
    await this.sendDue();
  }

  /** Resolves once nothing is due or in flight (tests). */
  async idle(): Promise<void> {
    await this.poll();
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.follower.stop();
    await this.sending;
    await Promise.all([...this.inFlight]);
  }
}
