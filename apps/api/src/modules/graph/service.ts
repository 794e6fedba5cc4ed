// The graph service, API-thread side: starts the graph thread, follows the event log and forwards the events that
// change the graph, runs the embedded database's statements for the thread, and turns requests into messages. It does
// no graph work itself: a request costs the API thread one message out and one back.
import type { Worker } from "node:worker_threads";
import type { Database } from "@intrograph/db";
import { type EventPosition, logHead, readEventsAfter } from "@intrograph/db/events";
import { startModuleWorker } from "@intrograph/jobs/threads";
import {
  type FromGraphThread,
  GRAPH_EVENT_TYPES,
  type GraphEvent,
  type GraphMethod,
  type GraphMethods,
  type GraphThreadOptions,
  type ToGraphThread,
} from "./protocol.ts";

export interface GraphServiceLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface GraphServiceOptions extends Partial<Omit<GraphThreadOptions, "connection">> {
  /** How often the event log is read, in ms. */
  pollIntervalMs?: number;
  logger?: GraphServiceLogger;
}

const fromEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

/** Events read per statement; a longer backlog is read in several. */
const EVENT_PAGE = 1_000;
const RESTART_DELAY_MS = 1_000;
const REQUEST_TIMEOUT_MS = 60_000;

const silent: GraphServiceLogger = { info() {}, warn() {}, error() {} };

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class GraphService {
  private readonly options: GraphThreadOptions;
  private readonly pollIntervalMs: number;
  private readonly logger: GraphServiceLogger;
  private worker: Worker | null = null;
  private starting: Promise<void> | null = null;
  private ready = false;
  private whenReady: { promise: Promise<void>; resolve: () => void };
  private position: EventPosition | null = null;
  /** Events forwarded before the log's final order reached them (see follow), so they are not forwarded twice. */
  private readonly forwardedEarly = new Set<string>();
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private soonTimer: ReturnType<typeof setTimeout> | null = null;
  private followerFailing = false;
  private stopped = false;
  private nextRequestId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly database: Database,
    options: GraphServiceOptions = {},
  ) {
    this.logger = options.logger ?? silent;
    this.pollIntervalMs = options.pollIntervalMs ?? fromEnv("INTROGRAPH_GRAPH_POLL_MS", 250);
    this.options = {
      connection:
        database.connection.kind === "postgres"
          ? { kind: "postgres", url: database.connection.url }
          : { kind: "pglite" },
      exactBetweennessLimit: options.exactBetweennessLimit ?? 5_000,
      betweennessPivots: options.betweennessPivots ?? 500,
      metricsDebounceMs: options.metricsDebounceMs ?? fromEnv("INTROGRAPH_GRAPH_METRICS_DEBOUNCE_MS", 200),
      refreshIntervalMs: options.refreshIntervalMs ?? fromEnv("INTROGRAPH_GRAPH_REFRESH_MS", 60 * 60_000),
      rebuildDebounceMs: options.rebuildDebounceMs ?? fromEnv("INTROGRAPH_GRAPH_REBUILD_DEBOUNCE_MS", 1_000),
    };
    this.whenReady = this.readySignal();
  }

  private readySignal(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((done) => {
      resolve = done;
    });
    return { promise, resolve };
  }

  /** True once the snapshot is built; /readyz reports it. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Starts the thread (once) and resolves when it is ready. */
  start(): Promise<void> {
    this.starting ??= this.launch().catch((error: unknown) => {
      // The next request or probe tries again (the database may have been down).
      this.starting = null;
      throw error;
    });
    return this.starting.then(() => this.whenReady.promise);
  }

  private async launch(): Promise<void> {
    // Events after this position are forwarded; the build, which reads later, reflects at least everything before it.
    this.position = await logHead(this.database.prisma);
    this.forwardedEarly.clear();
    if (this.stopped) return;
    const worker = startModuleWorker(new URL("./graph.thread.ts", import.meta.url), { workerData: this.options });
    // The thread must not keep a process alive that is otherwise done (tests, scripts); stop() ends it properly.
    worker.unref();
    this.worker = worker;
    worker.on("message", (message: FromGraphThread) => this.onMessage(message));
    worker.on("error", (error) => this.logger.error({ err: error }, "graph thread failed"));
    worker.on("exit", (code) => this.onExit(worker, code));
    this.send({ kind: "build" });
    this.pollTimer ??= setInterval(() => void this.poll(), this.pollIntervalMs);
    this.pollTimer.unref();
  }

  private onExit(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error("the graph thread stopped"));
      this.pending.delete(id);
    }
    if (this.stopped) return;
    this.logger.error({ code }, "graph thread exited; restarting");
    this.ready = false;
    this.whenReady = this.readySignal();
    this.starting = null;
    setTimeout(() => {
      if (this.stopped) return;
      this.start().catch((error: unknown) => this.logger.error({ err: error }, "graph thread restart failed"));
    }, RESTART_DELAY_MS).unref();
  }

  private send(message: ToGraphThread): void {
    this.worker?.postMessage(message);
  }

  private onMessage(message: FromGraphThread): void {
    switch (message.kind) {
      case "reply": {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.error !== undefined) pending.reject(new Error(message.error));
        else pending.resolve(message.result);
        return;
      }
      case "query":
        void this.runQuery(message.id, message.sql, message.params);
        return;
      case "ready":
        this.ready = true;
        this.whenReady.resolve();
        return;
      case "log":
        this.logger[message.level](message.fields, message.message);
        return;
    }
  }

  /** Runs a statement of the thread's on the embedded database, which only this thread may use. */
  private async runQuery(id: number, sql: string, params: unknown[]): Promise<void> {
    const { connection } = this.database;
    try {
      if (connection.kind !== "pglite") throw new Error("statements are proxied for the embedded database only");
      const { rows } = await connection.pglite.query(sql, params);
      this.send({ kind: "rows", id, rows });
    } catch (error) {
      this.send({ kind: "rows", id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Reads the event log now instead of at the next tick (a write in this process just committed, or is about to). */
  pollSoon(delayMs = 20): void {
    if (!this.worker || this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      void this.poll();
    }, delayMs);
    this.soonTimer.unref();
  }

  /** Has the thread rebuild the snapshot from the database in the background (after writes too many to patch). */
  rebuildSoon(): void {
    this.send({ kind: "rebuild" });
  }

  private poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = this.follow().finally(() => {
      this.polling = null;
      if (this.pollAgain) {
        this.pollAgain = false;
        void this.poll();
      }
    });
    return this.polling;
  }

  /**
   * Forwards new events. The log is read in its final order (readEventsAfter), which stops at the oldest transaction
   * still running anywhere on the server; so that one long transaction (an import, another database's bulk load) does
   * not hold the graph back, events already committed past that point are forwarded too, once, as soon as they are
   * visible. Patches re-read current rows, so an event seen early or again changes nothing.
   */
  private async follow(): Promise<void> {
    if (!this.worker || this.position === null) return;
    try {
      const fresh: GraphEvent[] = [];
      for (;;) {
        const events = await readEventsAfter(this.database.prisma, this.position, EVENT_PAGE);
        const last = events.at(-1);
        if (!last) break;
        this.position = { txid: last.txid, id: last.id };
        for (const event of events) if (!this.forwardedEarly.delete(`${event.txid}.${event.id}`)) fresh.push(event);
        if (events.length < EVENT_PAGE) break;
      }
      const { txid, id } = this.position;
      const committed = await this.database.prisma.domainEvent.findMany({
        where: { OR: [{ txid: { gt: txid } }, { txid, id: { gt: id } }], type: { in: [...GRAPH_EVENT_TYPES] } },
        orderBy: [{ txid: "asc" }, { id: "asc" }],
        take: EVENT_PAGE,
        select: { txid: true, id: true, type: true, entityType: true, entityId: true },
      });
      for (const event of committed) {
        const key = `${event.txid}.${event.id}`;
        if (this.forwardedEarly.has(key)) continue;
        this.forwardedEarly.add(key);
        fresh.push(event);
      }
      const relevant: GraphEvent[] = fresh
        .filter((event) => GRAPH_EVENT_TYPES.has(event.type))
        .map((event) => ({ type: event.type, entityType: event.entityType, entityId: event.entityId }));
      if (relevant.length) this.send({ kind: "events", events: relevant });
      if (this.followerFailing) this.logger.info({}, "graph event follower recovered");
      this.followerFailing = false;
    } catch (error) {
      // Logged once per outage: the next tick tries again.
      if (!this.followerFailing) this.logger.warn({ err: error }, "graph event follower cannot read the event log");
      this.followerFailing = true;
    }
  }

  /** Sends a request to the graph thread once it is ready, and resolves with its answer. */
  async request<M extends GraphMethod>(method: M, args: GraphMethods[M]["args"]): Promise<GraphMethods[M]["result"]> {
    await this.start();
    return new Promise((resolve, reject) => {
      const id = this.nextRequestId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`graph request ${method} timed out`));
      }, REQUEST_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
      this.send({ kind: "request", id, method, args });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.soonTimer) clearTimeout(this.soonTimer);
    await this.polling;
    await this.worker?.terminate();
  }
}
