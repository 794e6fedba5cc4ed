// The graph thread: holds the live graph (live-graph.ts) and answers the API thread's requests. On PostgreSQL it reads
// through connections of its own; on the embedded PGlite, which only the API thread can use, it asks that thread to run
// each statement (graph-rows.ts keeps those few and small).
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import type { GraphReader } from "./graph-rows.ts";
import { LiveGraph } from "./live-graph.ts";
import type { FromGraphThread, GraphMethods, GraphThreadOptions, ToGraphThread } from "./protocol.ts";

/** Requests that take the thread longer than this are logged. */
const SLOW_REQUEST_MS = 100;

const port = parentPort!;
const options = workerData as GraphThreadOptions;
const post = (message: FromGraphThread) => port.postMessage(message);

const log = {
  info: (fields: Record<string, unknown>, message: string) => post({ kind: "log", level: "info", fields, message }),
  error: (fields: Record<string, unknown>, message: string) => post({ kind: "log", level: "error", fields, message }),
};

function postgresReader(url: string): GraphReader {
  // Two connections: a build's long reads never hold up the small reads of patches.
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: "intrograph-graph" });
  pool.on("error", (error) => log.error({ err: String(error) }, "graph database connection lost"));
  return { query: async <Row>(sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as Row[] };
}

const pendingRows = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
let nextQueryId = 0;

function proxiedReader(): GraphReader {
  return {
    query: <Row>(sql: string, params: unknown[]) =>
      new Promise<Row[]>((resolve, reject) => {
        const id = nextQueryId++;
        pendingRows.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        post({ kind: "query", id, sql, params });
      }),
  };
}

const reader = options.connection.kind === "postgres" ? postgresReader(options.connection.url) : proxiedReader();
const live = new LiveGraph(reader, options, log, () => post({ kind: "ready" }));

function answer(method: keyof GraphMethods, args: unknown): unknown {
  switch (method) {
    case "paths": {
      const { viewer, query } = args as GraphMethods["paths"]["args"];
      return live.paths(viewer, query);
    }
    case "metrics": {
      const { viewer, personIds } = args as GraphMethods["metrics"]["args"];
      return live.metrics(viewer, personIds);
    }
    case "discover": {
      const { viewer, query } = args as GraphMethods["discover"]["args"];
      return live.discover(viewer, query);
    }
    case "reach": {
      const { viewer, queries } = args as GraphMethods["reach"]["args"];
      return live.reach(viewer, queries);
    }
    case "status":
      return live.status();
  }
}

/** Answers a request; metric requests that arrive before betweenness was first computed wait for it. */
async function respond(id: number, method: keyof GraphMethods, args: unknown): Promise<void> {
  try {
    if (method === "metrics") await live.metricsReady;
    const started = performance.now();
    const result = answer(method, args);
    const durationMs = performance.now() - started;
    if (durationMs > SLOW_REQUEST_MS) log.info({ method, durationMs: Math.round(durationMs) }, "slow graph request");
    post({ kind: "reply", id, result });
  } catch (error) {
    post({ kind: "reply", id, error: error instanceof Error ? error.message : String(error) });
  }
}

port.on("message", (message: ToGraphThread) => {
  switch (message.kind) {
    case "build":
      void live.start();
      return;
    case "rebuild":
      live.requestRebuild();
      return;
    case "events":
      live.receive(message.events);
      return;
    case "rows": {
      const pending = pendingRows.get(message.id);
      pendingRows.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.rows ?? []);
      return;
    }
    case "request":
      void respond(message.id, message.method, message.args);
      return;
  }
});
