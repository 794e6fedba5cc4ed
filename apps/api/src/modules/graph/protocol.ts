// Messages between the API thread and the graph thread: ids in, results out. Requests name a method of
// GraphMethods; the graph thread answers each with a reply of the same id.
import type {
  BrokerageRoles,
  DecisionMakerReach,
  GraphViewer,
  TopicSignals,
  WarmIntroPath,
  WarmIntroQuery,
} from "@intrograph/graph";

/** A domain event the graph follows, reduced to what it needs. */
export interface GraphEvent {
  type: string;
  entityType: string;
  entityId: string | null;
}

/** Event types that can change the graph; the API thread forwards only these. */
export const GRAPH_EVENT_TYPES: ReadonlySet<string> = new Set([
  "person.created",
  "person.updated",
  "person.merged",
  "membership.changed",
  "organization.updated",
  "relationship.created",
  "relationship.updated",
  "relationship.strength-aged",
  "interaction.created",
  "import.batch",
]);

/** One person's metrics: per-person ones on the viewer's relationships, betweenness on the public graph. */
export interface PersonGraphMetrics {
  degree: number;
  /** NaN without relationships. */
  constraint: number;
  /** NaN without relationships. */
  effectiveSize: number;
  brokerage: BrokerageRoles;
  betweenness: number;
  betweennessMethod: "EXACT" | "SAMPLED";
  betweennessErrorBound: number | null;
  /** When the public graph betweenness was computed from was taken (ms since the epoch). */
  computedAt: number;
  /** The public graph has changed since `computedAt` in a way that can move betweenness; a recomputation is due. */
  stale: boolean;
}

export interface ReachQuery {
  personId: string;
  maxHops: number;
  verifiedOnly: boolean;
}

export interface GraphStatus {
  /** The snapshot is built: paths are answered; metric requests also wait for the first betweenness. */
  ready: boolean;
  people: number;
  relationships: number;
  /** When the snapshot being served was built from the database (ms since the epoch). */
  builtAt: number | null;
  /** When betweenness was last computed, and whether a newer public graph awaits it. */
  metricsComputedAt: number | null;
  metricsStale: boolean;
  metricsDurationMs: number | null;
}

/** Who to score for a topic, by id: the graph thread maps ids to its indexes and leaves out people it does not hold. */
export interface DiscoverQuery {
  /** People who carry the topic; with the members of `communityOrganizations`, the topic's community. */
  communityPeople: string[];
  communityOrganizations: string[];
  candidates: string[];
  /** Organizations whose decision makers count as reach. */
  targets: string[];
  near: string | null;
  maxHops: number;
  warmthHops: number;
}

export interface GraphMethods {
  discover: { args: { viewer: GraphViewer; query: DiscoverQuery }; result: (TopicSignals | null)[] };
  paths: { args: { viewer: GraphViewer; query: WarmIntroQuery }; result: WarmIntroPath[] };
  metrics: { args: { viewer: GraphViewer; personIds: string[] }; result: (PersonGraphMetrics | null)[] };
  reach: { args: { viewer: GraphViewer; queries: ReachQuery[] }; result: (DecisionMakerReach | null)[] };
  status: { args: Record<string, never>; result: GraphStatus };
}

export type GraphMethod = keyof GraphMethods;

export interface GraphThreadOptions {
  connection: { kind: "postgres"; url: string } | { kind: "pglite" };
  /** Exact betweenness up to this many people; above, pivot sampling with a stated error bound. */
  exactBetweennessLimit: number;
  betweennessPivots: number;
  /** Delay from a change to the betweenness recomputation it calls for; changes meanwhile join the same run. */
  metricsDebounceMs: number;
  /** Strength is re-derived (the snapshot rebuilt from the database) this often, so it keeps ageing. */
  refreshIntervalMs: number;
  /** Quiet time after an import before the snapshot is rebuilt (each import postpones it, ten times this at most). */
  rebuildDebounceMs: number;
}

export type ToGraphThread =
  | { kind: "build" }
  | { kind: "rebuild" }
  | { kind: "events"; events: GraphEvent[] }
  | { kind: "request"; id: number; method: GraphMethod; args: unknown }
  | { kind: "rows"; id: number; rows?: unknown[]; error?: string };

export type FromGraphThread =
  | { kind: "reply"; id: number; result?: unknown; error?: string }
  | { kind: "query"; id: number; sql: string; params: unknown[] }
  | { kind: "ready" }
  | { kind: "log"; level: "info" | "warn" | "error"; fields: Record<string, unknown>; message: string };
