// The load of the scale benchmark: for a fixed time, concurrent writers (createIntroduction, sometimes with ledFrom;
// recordOutcome on existing introductions; addInteraction; mergePeople of throwaway people) and readers
// (warmIntroPaths, Person.metrics, connectorLeaderboard) over HTTP, a /healthz probe every 50 ms, and samplers of the
// API's Prometheus metrics and of PostgreSQL's lock waits.
import { seededRandom } from "@intrograph/graph";
import type pg from "pg";
import {
  ADD_INTERACTION,
  CONNECTOR_LEADERBOARD,
  CREATE_INTRODUCTION,
  CREATE_PERSON,
  MERGE_PEOPLE,
  PERSON_METRICS,
  RECORD_OUTCOME,
  WARM_INTRO_PATHS,
} from "./operations.ts";
import { type Keys, METRICS_TOKEN } from "./stack.ts";

export const WRITE_OPERATIONS = ["createIntroduction", "recordOutcome", "addInteraction", "mergePeople"] as const;
export const READ_OPERATIONS = ["warmIntroPaths", "Person.metrics", "connectorLeaderboard"] as const;
/** Each writer walks this cycle (from its own offset): introductions and interactions are the common writes. */
const WRITE_CYCLE = [
  "createIntroduction",
  "addInteraction",
  "recordOutcome",
  "createIntroduction",
  "addInteraction",
  "mergePeople",
] as const satisfies readonly (typeof WRITE_OPERATIONS)[number][];
const HEALTH_INTERVAL_MS = 50;
const METRICS_INTERVAL_MS = 1_000;
const LOCK_INTERVAL_MS = 100;
const SAMPLE_LIMIT = 20_000;
/** A request still unanswered after this long is counted as an error (and the phase does not wait for it longer). */
const REQUEST_TIMEOUT_MS = 5 * 60_000;
const HEALTH_TIMEOUT_MS = 60_000;

/** fetch's own message is "fetch failed"; the cause (ECONNRESET, ECONNREFUSED, a timeout) is the useful part. */
function describe(error: unknown): string {
  const { message, cause } = error as Error & { cause?: { code?: string; message?: string } };
  return cause ? `${message} (${cause.code ?? cause.message})` : message;
}

/** A Relay global id, as the API encodes them (base64 of "Type:id"). */
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

export interface IntroductionRef {
  id: string;
  occurredAt: Date;
}

/** Real ids from the database, visible to the partner key; introductions created during the run are added. */
export interface Pools {
  people: string[];
  introductions: IntroductionRef[];
  relationships: string[];
}

/**
 * A deterministic sample (ordered by a hash of the id) of live people, and of the introductions and relationships the
 * partner may build on: public ones and its own. Both designs are seeded alike, so both get the same ids.
 */
export async function readPools(client: pg.Client, partnerId: string): Promise<Pools> {
  const visible = `"deletedAt" IS NULL AND ("reportedByPartnerId" IS NULL OR "reportedByPartnerId" = $1::uuid)`;
  const people = await client.query<{ id: string }>(
    `SELECT id::text AS id FROM "Person" WHERE "deletedAt" IS NULL AND "mergedIntoId" IS NULL
     ORDER BY md5(id::text) LIMIT ${SAMPLE_LIMIT}`,
  );
  const introductions = await client.query<{ id: string; occurredAt: Date }>(
    `SELECT id::text AS id, "occurredAt" FROM "Introduction" WHERE ${visible} ORDER BY md5(id::text) LIMIT ${SAMPLE_LIMIT}`,
    [partnerId],
  );
  const relationships = await client.query<{ id: string }>(
    `SELECT id::text AS id FROM "Relationship" WHERE ${visible} ORDER BY md5(id::text) LIMIT ${SAMPLE_LIMIT}`,
    [partnerId],
  );
  return {
    people: people.rows.map((row) => globalId("Person", row.id)),
    introductions: introductions.rows.map((row) => ({
      id: globalId("Introduction", row.id),
      occurredAt: row.occurredAt,
    })),
    relationships: relationships.rows.map((row) => globalId("Relationship", row.id)),
  };
}

export interface OperationStats {
  operation: string;
  latenciesMs: number[];
  errors: number;
  firstError: string | null;
}

class Recorder {
  readonly operations = new Map<string, OperationStats>();

  record(operation: string, latencyMs: number, error: string | null): void {
    let stats = this.operations.get(operation);
    if (!stats) {
      stats = { operation, latenciesMs: [], errors: 0, firstError: null };
      this.operations.set(operation, stats);
    }
    if (error === null) stats.latenciesMs.push(latencyMs);
    else {
      stats.errors++;
      stats.firstError ??= error;
    }
  }
}

interface Answer {
  error: string | null;
  /** The mutation's or query's root field value. */
  // biome-ignore lint/suspicious/noExplicitAny: the answers of several documents, read field by field below
  result: any;
}

/** One GraphQL request over HTTP; a refused request, a GraphQL error or an error member of a result is an error. */
async function graphql(
  url: string,
  key: string,
  query: string,
  variables: Record<string, unknown>,
  field: string,
): Promise<Answer> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    // A refused connection answers at once: a pause keeps a dead API from turning the loops into a busy spin.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { error: describe(error), result: null };
  }
  let payload: { data?: Record<string, unknown> | null; errors?: { message: string }[] };
  try {
    payload = JSON.parse(text);
  } catch {
    return { error: `HTTP ${response.status}: ${text.slice(0, 200)}`, result: null };
  }
  if (payload.errors?.length) return { error: payload.errors.map((error) => error.message).join("; "), result: null };
  const result = payload.data?.[field] as { __typename?: string; message?: string } | null | undefined;
  if (result?.__typename?.endsWith("Error")) return { error: `${result.__typename}: ${result.message}`, result: null };
  return { error: null, result };
}

interface LoadContext {
  url: string;
  keys: Keys;
  pools: Pools;
  recorder: Recorder;
  deadline: number;
}

async function timed(context: LoadContext, operation: string, request: () => Promise<Answer>): Promise<Answer> {
  const started = performance.now();
  const answer = await request();
  context.recorder.record(operation, performance.now() - started, answer.error);
  return answer;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function distinctPeople(random: () => number, people: readonly string[], count: number): string[] {
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(pick(random, people));
  return [...chosen];
}

async function createIntroduction(context: LoadContext, random: () => number): Promise<void> {
  const [connectorId, fromId, toId] = distinctPeople(random, context.pools.people, 3);
  const occurredAt = new Date();
  // A third of the introductions grow out of an earlier one, so chains (and the credit along them) keep growing.
  const earlier = random() < 1 / 3 ? pick(random, context.pools.introductions) : null;
  const answer = await timed(context, "createIntroduction", () =>
    graphql(
      context.url,
      context.keys.partner,
      CREATE_INTRODUCTION,
      {
        input: {
          connectorId,
          fromId,
          toId,
          occurredAt: occurredAt.toISOString(),
          fromConsentedAt: occurredAt.toISOString(),
          toConsentedAt: occurredAt.toISOString(),
          status: "MET",
          ledFromIds: earlier && earlier.occurredAt <= occurredAt ? [earlier.id] : [],
          idempotencyKey: crypto.randomUUID(),
        },
      },
      "createIntroduction",
    ),
  );
  if (answer.result?.introduction) context.pools.introductions.push({ id: answer.result.introduction.id, occurredAt });
}

async function recordOutcome(context: LoadContext, random: () => number): Promise<void> {
  const introductions = new Set([pick(random, context.pools.introductions).id]);
  if (random() < 0.5) introductions.add(pick(random, context.pools.introductions).id);
  await timed(context, "recordOutcome", () =>
    graphql(
      context.url,
      context.keys.partner,
      RECORD_OUTCOME,
      {
        input: {
          kind: "DEAL",
          title: "bench deal",
          value: (1_000 + Math.floor(random() * 99_000)).toFixed(2),
          currency: "USD",
          occurredAt: new Date().toISOString(),
          introductionIds: [...introductions],
          idempotencyKey: crypto.randomUUID(),
        },
      },
      "recordOutcome",
    ),
  );
}

async function addInteraction(context: LoadContext, random: () => number): Promise<void> {
  await timed(context, "addInteraction", () =>
    graphql(
      context.url,
      context.keys.partner,
      ADD_INTERACTION,
      {
        input: {
          relationshipId: pick(random, context.pools.relationships),
          interaction: { kind: pick(random, ["MEETING", "CALL", "EMAIL"]), occurredAt: new Date().toISOString() },
          idempotencyKey: crypto.randomUUID(),
        },
      },
      "addInteraction",
    ),
  );
}

/** Two throwaway people (createPerson, recorded apart), then the admin merges one into the other. */
async function mergePeople(context: LoadContext, random: () => number): Promise<void> {
  const tag = Math.floor(random() * 1e9).toString(36);
  const created = await Promise.all(
    ["a", "b"].map((side) =>
      timed(context, "createPerson", () =>
        graphql(
          context.url,
          context.keys.admin,
          CREATE_PERSON,
          { input: { displayName: `Bench ${tag}${side}`, idempotencyKey: crypto.randomUUID() } },
          "createPerson",
        ),
      ),
    ),
  );
  const [survivor, merged] = created.map((answer) => answer.result?.person as { id: string; version: number });
  if (!survivor || !merged) return;
  await timed(context, "mergePeople", () =>
    graphql(
      context.url,
      context.keys.admin,
      MERGE_PEOPLE,
      {
        input: {
          survivorId: survivor.id,
          mergedId: merged.id,
          survivorVersion: survivor.version,
          mergedVersion: merged.version,
        },
      },
      "mergePeople",
    ),
  );
}

const writes = { createIntroduction, recordOutcome, addInteraction, mergePeople };

async function writer(context: LoadContext, index: number, seed: number): Promise<void> {
  const random = seededRandom(seed * 1_000 + index);
  for (let step = index; performance.now() < context.deadline; step++)
    await writes[WRITE_CYCLE[step % WRITE_CYCLE.length]!](context, random);
}

async function readOnce(context: LoadContext, operation: string, random: () => number): Promise<Answer> {
  const { url, keys, pools } = context;
  if (operation === "warmIntroPaths") {
    const [from, to] = distinctPeople(random, pools.people, 2);
    return timed(context, operation, () =>
      graphql(url, keys.partner, WARM_INTRO_PATHS, { from, to, k: 3, maxHops: 4 }, "warmIntroPaths"),
    );
  }
  if (operation === "Person.metrics")
    return timed(context, operation, () =>
      graphql(url, keys.partner, PERSON_METRICS, { id: pick(random, pools.people) }, "person"),
    );
  return timed(context, operation, () =>
    graphql(url, keys.partner, CONNECTOR_LEADERBOARD, { first: 20, currency: "USD" }, "connectorLeaderboard"),
  );
}

async function reader(context: LoadContext, index: number, seed: number): Promise<void> {
  const random = seededRandom(seed * 1_000 + 500 + index);
  for (let step = index; performance.now() < context.deadline; step++)
    await readOnce(context, READ_OPERATIONS[step % READ_OPERATIONS.length]!, random);
}

/**
 * The first read of each kind after start-up, one at a time: in a design that builds the graph lazily on the request
 * path, the first warmIntroPaths and Person.metrics pay for the build.
 */
export async function warmUp(url: string, keys: Keys, pools: Pools): Promise<Map<string, number>> {
  const recorder = new Recorder();
  const context: LoadContext = { url, keys, pools, recorder, deadline: Number.POSITIVE_INFINITY };
  const random = seededRandom(1);
  const firsts = new Map<string, number>();
  for (const operation of READ_OPERATIONS) {
    const answer = await readOnce(context, operation, random);
    if (answer.error) throw new Error(`warm-up ${operation} failed: ${answer.error}`);
    firsts.set(operation, recorder.operations.get(operation)!.latenciesMs[0]!);
  }
  return firsts;
}

/**
 * One createIntroduction after a phase, outside its statistics, so the burst ends with an event MARKOV credit must
 * reflect. Tried up to three times; returns the last error if none succeeded.
 */
export async function endBurst(url: string, keys: Keys, pools: Pools): Promise<string | null> {
  let error: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const recorder = new Recorder();
    await createIntroduction({ url, keys, pools, recorder, deadline: 0 }, seededRandom(2 + attempt));
    const stats = recorder.operations.get("createIntroduction")!;
    if (stats.errors === 0) return null;
    error = stats.firstError;
  }
  return error;
}

/** Parses one sample of a Prometheus text exposition: the values of the metrics named, without labels. */
function prometheusValues(text: string, names: readonly string[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [name, value] = line.split(" ");
    if (name && value && names.includes(name)) values.set(name, Number(value));
  }
  return values;
}

export const EVENT_LOOP_METRIC = "nodejs_eventloop_lag_p99_seconds";
export const RSS_METRIC = "process_resident_memory_bytes";

export interface PhaseResult {
  writers: number;
  readers: number;
  seconds: number;
  operations: OperationStats[];
  healthz: OperationStats;
  /** The worst per-scrape event-loop delay p99 (prom-client resets its histogram at every scrape), ms; null if absent. */
  eventLoopP99Ms: number | null;
  /** The API process's largest resident set seen, MB; null if /metrics does not expose it. */
  rssMb: number | null;
  locks: LockWaits;
}

export interface LockWaits {
  samples: number;
  /** Samples in which at least one backend of the database waited on a lock. */
  samplesWaiting: number;
  maxWaiting: number;
  /** Sum over samples of waiting backends × the interval: roughly the seconds spent waiting on locks, all backends. */
  waitingSeconds: number;
  /** Waits by wait_event (transactionid, advisory, relation, tuple…), in samples × backends. */
  byEvent: Map<string, number>;
}

/** Every LOCK_INTERVAL_MS: the backends of `database` waiting on a heavyweight lock, from pg_stat_activity. */
function sampleLocks(client: pg.Client, database: string, until: () => boolean): Promise<LockWaits> {
  const waits: LockWaits = { samples: 0, samplesWaiting: 0, maxWaiting: 0, waitingSeconds: 0, byEvent: new Map() };
  return (async () => {
    while (!until()) {
      const { rows } = await client.query<{ event: string; backends: number }>(
        `SELECT wait_event AS event, count(*)::int AS backends FROM pg_stat_activity
         WHERE datname = $1 AND wait_event_type = 'Lock' GROUP BY wait_event`,
        [database],
      );
      const waiting = rows.reduce((sum, row) => sum + row.backends, 0);
      waits.samples++;
      if (waiting > 0) waits.samplesWaiting++;
      waits.maxWaiting = Math.max(waits.maxWaiting, waiting);
      waits.waitingSeconds += (waiting * LOCK_INTERVAL_MS) / 1000;
      for (const row of rows) waits.byEvent.set(row.event, (waits.byEvent.get(row.event) ?? 0) + row.backends);
      await new Promise((resolve) => setTimeout(resolve, LOCK_INTERVAL_MS));
    }
    return waits;
  })();
}

/** Scrapes /metrics every second; the worst event-loop p99 and the largest RSS. */
async function sampleMetrics(
  url: string,
  until: () => boolean,
): Promise<{ eventLoopP99Ms: number | null; rssMb: number | null }> {
  let eventLoopP99Ms: number | null = null;
  let rssMb: number | null = null;
  while (!until()) {
    const text = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then(
      (response) => (response.ok ? response.text() : ""),
      () => "",
    );
    const values = prometheusValues(text, [EVENT_LOOP_METRIC, RSS_METRIC]);
    const lag = values.get(EVENT_LOOP_METRIC);
    const rss = values.get(RSS_METRIC);
    if (lag !== undefined) eventLoopP99Ms = Math.max(eventLoopP99Ms ?? 0, lag * 1000);
    if (rss !== undefined) rssMb = Math.max(rssMb ?? 0, rss / 1024 / 1024);
    await new Promise((resolve) => setTimeout(resolve, METRICS_INTERVAL_MS));
  }
  return { eventLoopP99Ms, rssMb };
}

/**
 * GET /healthz every 50 ms, one at a time. A probe that takes longer stands for the probes that fell due meanwhile:
 * each is recorded with the wait it would have had (as a probe fired every 50 ms would see), without opening a
 * connection per tick against a stalled server. A failure counts once: it is the probe's own (typically ECONNRESET,
 * when a stall outlasts the server's keep-alive timeout and the reused connection is closed under the request).
 */
async function probeHealth(url: string, recorder: Recorder, until: () => boolean): Promise<void> {
  while (!until()) {
    const started = performance.now();
    let error: string | null = null;
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (caught) {
      error = describe(caught);
    }
    const latency = performance.now() - started;
    recorder.record("/healthz", latency, error);
    for (let waited = latency - HEALTH_INTERVAL_MS; waited > 0; waited -= HEALTH_INTERVAL_MS)
      recorder.record("/healthz", waited, null);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, HEALTH_INTERVAL_MS - latency)));
  }
}

export interface PhaseOptions {
  url: string;
  keys: Keys;
  pools: Pools;
  writers: number;
  readers: number;
  seconds: number;
  seed: number;
  /** A connection to the benchmark database (pg_stat_activity is read through it). */
  monitor: pg.Client;
  database: string;
}

/** One phase: writers and readers for `seconds`, then waits for the requests in flight. */
export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const recorder = new Recorder();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const context: LoadContext = { url: options.url, keys: options.keys, pools: options.pools, recorder, deadline };
  let done = false;
  const until = () => done;
  const locks = sampleLocks(options.monitor, options.database, until);
  const metrics = sampleMetrics(options.url, until);
  const health = probeHealth(options.url, recorder, until);
  await Promise.all([
    ...Array.from({ length: options.writers }, (_, index) => writer(context, index, options.seed)),
    ...Array.from({ length: options.readers }, (_, index) => reader(context, index, options.seed)),
  ]);
  const seconds = (performance.now() - started) / 1000;
  done = true;
  const [lockWaits, sampled] = await Promise.all([locks, metrics, health]);
  const healthz = recorder.operations.get("/healthz") ?? {
    operation: "/healthz",
    latenciesMs: [],
    errors: 0,
    firstError: null,
  };
  recorder.operations.delete("/healthz");
  return {
    writers: options.writers,
    readers: options.readers,
    seconds,
    operations: [...recorder.operations.values()],
    healthz,
    eventLoopP99Ms: sampled.eventLoopP99Ms,
    rssMb: sampled.rssMb,
    locks: lockWaits,
  };
}

export interface MarkovFreshness {
  /** "n/a": no CreditModelRun table; "stale": not caught up within the timeout. */
  state: "fresh" | "n/a" | "stale";
  /** Seconds from the end of the burst until CreditModelRun's MARKOV row reflected its last event. */
  seconds: number | null;
}

/**
 * After a burst of writes: the time until MARKOV credit reflects it, i.e. until CreditModelRun's MARKOV row records a
 * position at or past the burst's last DomainEvent. The log is ordered by (txid, id), and a transaction can take a
 * smaller id yet commit later, so the position is compared as (txid, id) where the table has `throughTxid`; by id
 * alone (against max(id)) otherwise.
 */
export async function markovFreshness(client: pg.Client, timeoutMs: number): Promise<MarkovFreshness> {
  const started = performance.now();
  const { rows: columns } = await client.query<{ column: string }>(
    `SELECT column_name AS column FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'CreditModelRun'`,
  );
  const names = new Set(columns.map((row) => row.column));
  if (!names.has("throughEventId")) return { state: "n/a", seconds: null };
  const positional = names.has("throughTxid");
  const { rows } = await client.query<{ txid: string; id: string }>(
    positional
      ? `SELECT txid::text AS txid, id::text AS id FROM "DomainEvent" ORDER BY txid DESC, id DESC LIMIT 1`
      : `SELECT NULL AS txid, id::text AS id FROM "DomainEvent" ORDER BY id DESC LIMIT 1`,
  );
  const last = rows[0];
  if (!last) return { state: "fresh", seconds: 0 };
  const [reflects, position] = positional
    ? [`("throughTxid", "throughEventId") >= ($1::bigint, $2::bigint)`, [last.txid, last.id]]
    : [`"throughEventId" >= $1::bigint`, [last.id]];
  for (;;) {
    const { rows: runs } = await client.query<{ fresh: boolean }>(
      `SELECT ${reflects} AS fresh FROM "CreditModelRun" WHERE model = 'MARKOV'`,
      position,
    );
    const seconds = (performance.now() - started) / 1000;
    if (runs[0]?.fresh) return { state: "fresh", seconds };
    if (seconds * 1000 > timeoutMs) return { state: "stale", seconds };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
