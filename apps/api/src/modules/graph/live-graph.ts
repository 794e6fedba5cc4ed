// The graph thread's state: one shared snapshot kept fresh from the event log, betweenness recomputed in the
// background, and the answers to path and metric requests. Nothing here blocks for long: database reads are awaited,
// betweenness runs in slices between which requests and patches are served.
import {
  BetweennessRun,
  type GraphSnapshot,
  type GraphViewer,
  LocalMetricsScratch,
  SharedGraph,
  type TopicSignals,
  topicSignals,
  type WarmIntroPath,
  type WarmIntroQuery,
  warmIntroPaths,
} from "@intrograph/graph";
import type { DecisionMakerReach } from "@intrograph/graph";
import {
  type GraphReader,
  type TouchedRelationship,
  readGraph,
  readInteractionRelationships,
  readMembers,
  readMembershipsOf,
  readPeople,
  readRelationships,
  readRelationshipsOf,
  readTombstones,
  sharedRow,
} from "./graph-rows.ts";
import type {
  DiscoverQuery,
  GraphEvent,
  GraphStatus,
  GraphThreadOptions,
  PersonGraphMetrics,
  ReachQuery,
} from "./protocol.ts";

/** A slice of betweenness runs this long at most before requests waiting in the thread are served. */
const SLICE_MS = 12;
const BETWEENNESS_SEED = 1;
/** A requested rebuild waits at most this many debounce periods, however many requests follow. */
const REBUILD_MAX_DELAY_FACTOR = 10;

interface Betweenness {
  /** The public graph it was computed on: its person indices key `values`. */
  snapshot: GraphSnapshot;
  values: Float64Array;
  method: "EXACT" | "SAMPLED";
  errorBound: number | null;
  /** The graph and public topology version it reflects. */
  graph: SharedGraph;
  topologyVersion: number;
  computedAt: number;
  durationMs: number;
}

export interface LiveGraphLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** What a batch of events asks to re-read. */
interface Touched {
  people: Set<string>;
  survivors: Set<string>;
  relationships: Set<string>;
  interactions: Set<string>;
  memberships: Set<string>;
  organizations: Set<string>;
  rebuild: boolean;
}

function touchedBy(events: readonly GraphEvent[]): Touched {
  const touched: Touched = {
    people: new Set(),
    survivors: new Set(),
    relationships: new Set(),
    interactions: new Set(),
    memberships: new Set(),
    organizations: new Set(),
    rebuild: false,
  };
  for (const event of events) {
    const id = event.entityId;
    if (event.type === "import.batch") touched.rebuild = true;
    else if (id === null) {
      // An event about many rows at once (none is written today without an id): re-read everything.
      touched.rebuild = true;
    } else if (event.type === "person.merged") touched.survivors.add(id);
    else if (event.type.startsWith("person.")) touched.people.add(id);
    else if (event.type.startsWith("relationship.")) touched.relationships.add(id);
    else if (event.type === "interaction.created") touched.interactions.add(id);
    else if (event.type === "membership.changed") touched.memberships.add(id);
    else if (event.type === "organization.updated") touched.organizations.add(id);
  }
  return touched;
}

export class LiveGraph {
  private graph: SharedGraph | null = null;
  private builtAt: number | null = null;
  /** Batches that arrived while a build was reading: applied again to the new graph before it is served. */
  private replay: GraphEvent[][] | null = null;
  private rebuildAgain = false;
  private rebuildTimer: ReturnType<typeof setTimeout> | null = null;
  private rebuildRequestedAt: number | null = null;
  private readonly queue: GraphEvent[][] = [];
  private draining = false;
  private betweenness: Betweenness | null = null;
  private metricsRunning = false;
  private metricsTimer: ReturnType<typeof setTimeout> | null = null;
  private lastRunEnd = 0;
  private readonly scratch = new LocalMetricsScratch();
  private readyReported = false;
  private betweennessReady!: () => void;
  /** Resolves once betweenness has been computed for the first time: metric requests wait for it, paths do not. */
  readonly metricsReady = new Promise<void>((resolve) => {
    this.betweennessReady = resolve;
  });

  constructor(
    private readonly reader: GraphReader,
    private readonly options: GraphThreadOptions,
    private readonly log: LiveGraphLogger,
    private readonly onReady: () => void,
  ) {}

  /** Builds the first snapshot, then keeps it fresh and re-derives it every refreshIntervalMs. */
  async start(): Promise<void> {
    await this.rebuild();
    setInterval(() => void this.rebuild(), this.options.refreshIntervalMs).unref();
  }

  /** Reads the whole graph and swaps it in; events meanwhile are applied to the old graph and replayed on the new. */
  async rebuild(): Promise<void> {
    if (this.replay !== null) {
      this.rebuildAgain = true;
      return;
    }
    this.replay = [];
    const started = performance.now();
    try {
      const now = new Date();
      const graph = SharedGraph.fromArrays(await readGraph(this.reader, now));
      // Replayed batches re-read their rows, so they bring the new graph up to date whatever it already holds.
      for (let batch = this.replay.shift(); batch; batch = this.replay.shift()) await this.apply(graph, batch);
      this.graph = graph;
      this.builtAt = now.getTime();
      if (!this.readyReported) {
        this.readyReported = true;
        this.onReady();
      }
      this.log.info(
        {
          people: graph.personCount,
          relationships: graph.snapshot.relationshipCount,
          durationMs: Math.round(performance.now() - started),
        },
        "graph snapshot built",
      );
    } catch (error) {
      this.log.error({ err: String(error) }, "graph snapshot build failed; retrying");
      this.rebuildAgain = true;
    } finally {
      this.replay = null;
    }
    this.scheduleMetrics(0);
    if (this.rebuildAgain) {
      this.rebuildAgain = false;
      this.scheduleRebuild(this.graph ? this.options.rebuildDebounceMs : 1_000);
    }
  }

  /** A rebuild after rebuildDebounceMs of quiet (writes too many to patch one by one). */
  requestRebuild(): void {
    this.scheduleRebuild(this.options.rebuildDebounceMs);
  }

  private scheduleRebuild(delayMs: number): void {
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    const now = performance.now();
    this.rebuildRequestedAt ??= now;
    // Each request postpones the rebuild, but not indefinitely: a steady stream of imports still gets one.
    const due = Math.min(now + delayMs, this.rebuildRequestedAt + REBUILD_MAX_DELAY_FACTOR * delayMs);
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = null;
      this.rebuildRequestedAt = null;
      void this.rebuild();
    }, due - now);
  }

  /** Queues a batch of events; they are applied in order, one batch at a time. */
  receive(events: GraphEvent[]): void {
    this.queue.push(events);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let batch = this.queue.shift(); batch; batch = this.queue.shift()) {
        this.replay?.push(batch);
        const graph = this.graph;
        if (graph) await this.apply(graph, batch);
        this.scheduleMetrics(this.options.metricsDebounceMs);
      }
    } finally {
      this.draining = false;
    }
  }

  /** Re-reads what a batch touched and patches the graph to match the database. */
  private async apply(graph: SharedGraph, events: GraphEvent[]): Promise<void> {
    const touched = touchedBy(events);
    if (touched.rebuild) this.scheduleRebuild(this.options.rebuildDebounceMs);
    const now = new Date();
    try {
      await this.applyPeople(graph, touched, now);
      const relationshipIds = [
        ...touched.relationships,
        ...(touched.interactions.size
          ? await readInteractionRelationships(this.reader, [...touched.interactions])
          : []),
      ];
      if (relationshipIds.length)
        for (const row of await readRelationships(this.reader, relationshipIds))
          this.applyRelationship(graph, row, now);
      const members =
        touched.memberships.size || touched.organizations.size
          ? await readMembers(this.reader, [...touched.memberships], [...touched.organizations])
          : [];
      if (members.length) await this.applyMemberships(graph, members, now);
    } catch (error) {
      // A patch that cannot read its rows is repaired by rebuilding from the database.
      this.log.error({ err: String(error) }, "graph patch failed; rebuilding");
      this.scheduleRebuild(this.options.rebuildDebounceMs);
    }
  }

  private async applyPeople(graph: SharedGraph, touched: Touched, now: Date): Promise<void> {
    const tombstones = touched.survivors.size ? await readTombstones(this.reader, [...touched.survivors]) : [];
    const ids = [...new Set([...touched.people, ...touched.survivors, ...tombstones])];
    if (ids.length === 0) return;
    const active = await readPeople(this.reader, ids);
    // A survivor's relationships changed in the merge; anyone else needs reading only when they came or went.
    const reread: string[] = [...touched.survivors].filter((id) => active.get(id));
    for (const id of ids) {
      const isActive = active.get(id) ?? false;
      if (!isActive) graph.retirePerson(id);
      else if (graph.activeIndexOf(id) < 0) {
        graph.addPerson(id);
        reread.push(id);
      }
    }
    if (reread.length === 0) return;
    const relationships = await readRelationshipsOf(this.reader, reread);
    const seen = new Set<string>();
    for (const row of relationships) {
      this.applyRelationship(graph, row, now);
      seen.add(`${row.personAId}|${row.personBId}|${row.owner}`);
    }
    // Relationships the graph holds that the database no longer gives these people (moved away in a merge).
    for (const id of reread) {
      const index = graph.activeIndexOf(id);
      if (index < 0) continue;
      for (const other of graph.neighbours(index)) {
        const otherId = graph.snapshot.personId(other);
        const [a, b] = id < otherId ? [id, otherId] : [otherId, id];
        for (const owner of graph.scopesOf(index, other))
          if (!seen.has(`${a}|${b}|${owner}`)) graph.removeRelationship(a, b, owner);
      }
    }
    await this.applyMemberships(graph, reread, now);
  }

  private applyRelationship(graph: SharedGraph, row: TouchedRelationship, now: Date): void {
    if (row.live && row.status !== "DISPUTED" && row.personAActive && row.personBActive)
      graph.upsertRelationship(sharedRow(row, now));
    else graph.removeRelationship(row.personAId, row.personBId, row.owner);
  }

  private async applyMemberships(graph: SharedGraph, personIds: readonly string[], now: Date): Promise<void> {
    const rows = await readMembershipsOf(this.reader, personIds, now);
    const byPerson = new Map<string, { organizationId: string; decisionMaker: boolean }[]>(
      personIds.map((id) => [id, []]),
    );
    for (const row of rows) byPerson.get(row.personId)?.push(row);
    for (const [personId, memberships] of byPerson)
      if (graph.activeIndexOf(personId) >= 0) graph.setMemberships(personId, memberships);
  }

  /** Starts a betweenness run after `delayMs` when the public graph moved since the last one. */
  private scheduleMetrics(delayMs: number): void {
    const graph = this.graph;
    if (!graph || this.metricsRunning || this.metricsTimer || !this.metricsStale(graph)) return;
    // Runs take at most half the thread: the next starts no sooner than the last one took.
    const lastDuration = this.betweenness?.durationMs ?? 0;
    const wait = Math.max(delayMs, this.lastRunEnd + lastDuration - performance.now());
    this.metricsTimer = setTimeout(() => {
      this.metricsTimer = null;
      void this.computeBetweenness();
    }, wait);
  }

  private metricsStale(graph: SharedGraph): boolean {
    const current = this.betweenness;
    return current === null || current.graph !== graph || current.topologyVersion !== graph.publicTopologyVersion;
  }

  private async computeBetweenness(): Promise<void> {
    const graph = this.graph;
    if (!graph) return;
    this.metricsRunning = true;
    const started = performance.now();
    try {
      const computedAt = Date.now();
      const topologyVersion = graph.publicTopologyVersion;
      const snapshot = graph.publicSnapshot();
      const exact = snapshot.personCount <= this.options.exactBetweennessLimit;
      const run = new BetweennessRun(
        snapshot,
        exact ? {} : { pivots: this.options.betweennessPivots, seed: BETWEENNESS_SEED },
      );
      while (!run.done) {
        const sliceEnd = performance.now() + SLICE_MS;
        while (!run.done && performance.now() < sliceEnd) run.step(1);
        if (!run.done) await new Promise((resolve) => setImmediate(resolve));
      }
      const result = run.result();
      this.betweenness = {
        snapshot,
        values: result.values,
        method: result.method,
        errorBound: result.errorBound,
        graph,
        topologyVersion,
        computedAt,
        durationMs: Math.round(performance.now() - started),
      };
      this.log.info(
        { people: snapshot.personCount, method: result.method, durationMs: this.betweenness.durationMs },
        "betweenness computed",
      );
    } catch (error) {
      this.log.error({ err: String(error) }, "betweenness failed");
    } finally {
      this.metricsRunning = false;
      this.lastRunEnd = performance.now();
    }
    if (this.betweenness) this.betweennessReady();
    this.scheduleMetrics(this.options.metricsDebounceMs);
  }

  get ready(): boolean {
    return this.readyReported;
  }

  private requireGraph(): SharedGraph {
    if (!this.graph) throw new Error("the graph is not built yet");
    return this.graph;
  }

  paths(viewer: GraphViewer, query: WarmIntroQuery): WarmIntroPath[] {
    const graph = this.requireGraph();
    // Someone without relationships (or an organization without decision makers) is simply out of reach.
    if (graph.activeIndexOf(query.from) < 0) return [];
    if (query.to !== undefined && graph.activeIndexOf(query.to) < 0) return [];
    const view = graph.view(viewer);
    if (query.toOrganization !== undefined && view.organizationIndex(query.toOrganization) < 0) return [];
    return warmIntroPaths(view, query);
  }

  /** Per-person metrics on the relationships `viewer` sees; betweenness is the public graph's for everyone. */
  metrics(viewer: GraphViewer, personIds: readonly string[]): (PersonGraphMetrics | null)[] {
    const graph = this.requireGraph();
    const view = graph.view(viewer);
    const betweenness = this.betweenness;
    const stale = this.metricsStale(graph);
    return personIds.map((personId) => {
      const index = graph.activeIndexOf(personId);
      if (index < 0) return null;
      const local = this.scratch.metrics(view, index);
      const at = betweenness ? betweenness.snapshot.indexOf(personId) : -1;
      return {
        ...local,
        betweenness: at >= 0 ? betweenness!.values[at]! : 0,
        betweennessMethod: betweenness?.method ?? "EXACT",
        betweennessErrorBound: betweenness?.errorBound ?? null,
        computedAt: betweenness?.computedAt ?? 0,
        stale,
      };
    });
  }

  reach(viewer: GraphViewer, queries: readonly ReachQuery[]): (DecisionMakerReach | null)[] {
    const graph = this.requireGraph();
    const view = graph.view(viewer);
    return queries.map((query) => {
      const index = graph.activeIndexOf(query.personId);
      if (index < 0) return null;
      return this.scratch.reach(view, index, { maxHops: query.maxHops, verifiedOnly: query.verifiedOnly });
    });
  }

  /** Topic signals for each candidate on the relationships `viewer` sees; null for people the graph does not hold. */
  discover(viewer: GraphViewer, query: DiscoverQuery): (TopicSignals | null)[] {
    const graph = this.requireGraph();
    const view = graph.view(viewer);
    const indexes = (ids: readonly string[]) => ids.map((id) => graph.activeIndexOf(id)).filter((index) => index >= 0);
    const organizations = (ids: readonly string[]) =>
      ids.map((id) => view.organizationIndex(id)).filter((index) => index >= 0);
    const candidates = query.candidates.map((id) => graph.activeIndexOf(id));
    const signals = topicSignals(view, {
      communityPeople: indexes(query.communityPeople),
      communityOrganizations: organizations(query.communityOrganizations),
      candidates: candidates.filter((index) => index >= 0),
      targets: organizations(query.targets),
      near: query.near ? graph.activeIndexOf(query.near) : -1,
      maxHops: query.maxHops,
      warmthHops: query.warmthHops,
    });
    let next = 0;
    return candidates.map((index) => (index >= 0 ? signals[next++]! : null));
  }

  status(): GraphStatus {
    const graph = this.graph;
    return {
      ready: this.ready,
      people: graph?.personCount ?? 0,
      relationships: graph?.snapshot.relationshipCount ?? 0,
      builtAt: this.builtAt,
      metricsComputedAt: this.betweenness?.computedAt ?? null,
      metricsStale: graph ? this.metricsStale(graph) : true,
      metricsDurationMs: this.betweenness?.durationMs ?? null,
    };
  }
}
