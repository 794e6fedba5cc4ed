// The process's live feed of the event log for subscriptions: one follower reads the log and hands each page to every
// open subscription; a subscription that resumes (`after`, Last-Event-ID) first reads what it missed from the log
// itself, then continues with the live pages, skipping what it already sent. Every replica runs its own feed from the
// shared log, so a subscriber sees every write whichever replica took it.
import type { Database } from "@intrograph/db";
import { EventLogFollower } from "@intrograph/db/event-follower";
import { comparePositions, type DomainEventRow, type EventPosition, readEventsAfter } from "@intrograph/db/events";

export interface EventFeedOptions {
  /** How often the log is read, in ms (INTROGRAPH_EVENTS_POLL_MS; default 200). */
  pollIntervalMs?: number;
  /** A subscriber this far behind the live feed is disconnected; it resumes from the log when it reconnects. */
  maxBacklog?: number;
}

interface Subscriber {
  pages: DomainEventRow[][];
  backlog: number;
  wake: (() => void) | null;
  failed: boolean;
  /** The client went away (or the server stops): the stream ends at once, without waiting for another event. */
  closed: boolean;
}

/** An event stream whose return() ends it at once, even while it waits for the next event. */
export interface EventStream extends AsyncIterableIterator<DomainEventRow> {
  return(): Promise<IteratorResult<DomainEventRow>>;
}

const CATCH_UP_PAGE = 500;

export class EventFeed {
  private readonly follower: EventLogFollower;
  private readonly subscribers = new Set<Subscriber>();
  private readonly maxBacklog: number;

  constructor(
    private readonly database: Database,
    options: EventFeedOptions = {},
  ) {
    this.maxBacklog = options.maxBacklog ?? 10_000;
    this.follower = new EventLogFollower(database.prisma, {
      pollIntervalMs: options.pollIntervalMs ?? (Number(process.env.INTROGRAPH_EVENTS_POLL_MS) || 200),
      onEvents: (events) => this.broadcast(events),
    });
  }

  private broadcast(events: DomainEventRow[]): void {
    for (const subscriber of this.subscribers) {
      subscriber.pages.push(events);
      subscriber.backlog += events.length;
      if (subscriber.backlog > this.maxBacklog) {
        subscriber.failed = true;
        subscriber.pages = [];
        this.subscribers.delete(subscriber);
      }
      subscriber.wake?.();
    }
  }

  /** Open subscriptions (tests, metrics). */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Reads the log soon: a write in this process just committed. */
  pollSoon(): void {
    this.follower.pollSoon();
  }

  /**
   * Events after `after` (or, without it, those written from now on), in log order, with no gap and no repeat. The
   * starting point is fixed when the returned promise resolves, before the first event is asked for.
   */
  async subscribe(after: EventPosition | null): Promise<EventStream> {
    const live = await this.follower.start();
    const subscriber: Subscriber = { pages: [], backlog: 0, wake: null, failed: false, closed: false };
    this.subscribers.add(subscriber);
    // Everything after `head` reaches the subscriber's pages from the follower.
    const head = this.follower.position ?? live;
    const events = this.stream(subscriber, after ?? head, head);
    // A generator's own return() would wait for the pending next(), that is for the next event: this one does not.
    const stream: EventStream = {
      next: () => events.next(),
      return: async () => {
        subscriber.closed = true;
        this.subscribers.delete(subscriber);
        subscriber.wake?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  }

  private async *stream(
    subscriber: Subscriber,
    from: EventPosition,
    head: EventPosition,
  ): AsyncGenerator<DomainEventRow, void, undefined> {
    let cursor = from;
    try {
      // What the subscriber missed, straight from the log, up to where its live pages start (or beyond).
      while (comparePositions(cursor, head) < 0 && !subscriber.closed) {
        const missed = await readEventsAfter(this.database.prisma, cursor, CATCH_UP_PAGE);
        for (const event of missed) {
          cursor = event;
          yield event;
        }
        if (missed.length < CATCH_UP_PAGE) break;
      }
      for (;;) {
        if (subscriber.closed) return;
        // Fell too far behind, or the server stops: the stream completes, and the client resumes after its last event
        // (reading the backlog from the log, or from another replica).
        if (subscriber.failed) return;
        const page = subscriber.pages.shift();
        if (!page) {
          await new Promise<void>((resolve) => {
            subscriber.wake = resolve;
          });
          subscriber.wake = null;
          continue;
        }
        subscriber.backlog -= page.length;
        for (const event of page) {
          if (subscriber.closed) return;
          if (comparePositions(event, cursor) <= 0) continue;
          cursor = event;
          yield event;
        }
      }
    } finally {
      this.subscribers.delete(subscriber);
    }
  }

  stop(): Promise<void> {
    for (const subscriber of this.subscribers) {
      subscriber.failed = true;
      subscriber.wake?.();
    }
    return this.follower.stop();
  }
}

const feeds = new WeakMap<object, EventFeed>();

/** The feed of the API serving this database handle (server.ts registers it). */
export function registerEventFeed(db: object, feed: EventFeed): void {
  feeds.set(db, feed);
}

export function eventFeedOf(db: object): EventFeed {
  const feed = feeds.get(db);
  if (!feed) throw new Error("no event feed is registered for this database");
  return feed;
}
