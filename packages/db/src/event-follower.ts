// A follower of the event log: reads it in its final order from a position it keeps and hands each page to a handler,
// at least once. Subscriptions, webhook dispatch and caches each run one; the log is the only thing they share, so
// several processes can follow it side by side.
import type { PrismaClient } from "./client.ts";
import { type DomainEventRow, type EventPosition, logHead, readEventsAfter } from "./events.ts";

export interface EventLogFollowerOptions {
  /** The position to follow from (exclusive); "head" (the default) delivers only what is written from now on. */
  from?: EventPosition | "head" | (() => Promise<EventPosition>);
  /** How often the log is read, in ms. */
  pollIntervalMs?: number;
  /** Events per read; a longer backlog is read in several pages, each handed over on its own. */
  pageSize?: number;
  /**
   * Receives each page in log order. The position moves past a page only once this resolves; when it throws, the same
   * page is handed over again at the next tick (so a handler must tolerate seeing events again).
   */
  onEvents(events: DomainEventRow[]): Promise<void> | void;
  /** A failed read or handler; the follower keeps going. */
  onError?(error: unknown): void;
}

export class EventLogFollower {
  private current: EventPosition | null = null;
  private starting: Promise<EventPosition> | null = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private soonTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: EventLogFollowerOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.pageSize = options.pageSize ?? 500;
  }

  /** The position after the last event handed over; null before start() resolved. */
  get position(): EventPosition | null {
    return this.current;
  }

  /** Finds the starting position (once) and starts reading; resolves with that position. */
  start(): Promise<EventPosition> {
    this.starting ??= this.initialPosition().then(
      (position) => {
        this.current ??= position;
        if (!this.stopped && !this.timer) {
          this.timer = setInterval(() => void this.poll(), this.pollIntervalMs);
          this.timer.unref();
        }
        return position;
      },
      (error: unknown) => {
        this.starting = null;
        throw error;
      },
    );
    return this.starting;
  }

  private initialPosition(): Promise<EventPosition> {
    const from = this.options.from ?? "head";
    if (from === "head") return logHead(this.prisma);
    if (typeof from === "function") return from();
    return Promise.resolve(from);
  }

  /** Reads now; a read already running is followed by one more, so a caller never misses what it just committed. */
  poll(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = this.readAll().finally(() => {
      this.reading = null;
      if (this.readAgain && !this.stopped) {
        this.readAgain = false;
        void this.poll();
      }
    });
    return this.reading;
  }

  /** Reads shortly (a write in this process just committed): sooner than the next tick, once for a burst. */
  pollSoon(delayMs = 20): void {
    if (this.soonTimer || this.stopped) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      void this.poll();
    }, delayMs);
    this.soonTimer.unref();
  }

  private async readAll(): Promise<void> {
    if (this.current === null || this.stopped) return;
    try {
      for (;;) {
        const events = await readEventsAfter(this.prisma, this.current, this.pageSize);
        const last = events.at(-1);
        if (!last) return;
        await this.options.onEvents(events);
        this.current = { txid: last.txid, id: last.id };
        if (events.length < this.pageSize || this.stopped) return;
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soonTimer) clearTimeout(this.soonTimer);
    await this.reading;
  }
}
