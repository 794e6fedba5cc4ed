// Public API of @intrograph/graph: the package entry point named in package.json, so it re-exports the modules.

export { GraphSnapshot, REMOVED_FLAG, VERIFIED_FLAG } from "./snapshot.ts";
export type {
  Adjacency,
  MembershipRow,
  PersonRow,
  RelationshipArrays,
  RelationshipRow,
  RelationshipState,
  SnapshotRows,
} from "./snapshot.ts";
export { DEFAULT_MAX_HOPS, PathFinder, warmIntroPaths } from "./paths.ts";
export type { PathFinderOptions, WarmIntroPath, WarmIntroQuery } from "./paths.ts";
export { BetweennessRun, betweennessCentrality, sampledBetweennessCentrality } from "./metrics/betweenness.ts";
export type {
  BetweennessOptions,
  BetweennessRunResult,
  SampledBetweenness,
  SampledBetweennessOptions,
} from "./metrics/betweenness.ts";
export { constraint, effectiveSize } from "./metrics/structural-holes.ts";
export type { StructuralHoleOptions } from "./metrics/structural-holes.ts";
export { brokerageRoles, decisionMakerReach } from "./metrics/brokerage.ts";
export type { BrokerageRoles, DecisionMakerReach, ReachOptions } from "./metrics/brokerage.ts";
export { forEachRelationship, LocalMetricsScratch } from "./metrics/local.ts";
export type { LocalMetrics } from "./metrics/local.ts";
export { ALL_VIEWER, PUBLIC_VIEWER, SharedGraph } from "./shared-graph.ts";
export type { GraphViewer, SharedGraphArrays, SharedGraphRows, SharedRelationshipRow } from "./shared-graph.ts";
export { topicSignals } from "./discovery.ts";
export type { TopicSignalQuery, TopicSignals } from "./discovery.ts";
export { classifyRole, DEFAULT_ROLE_THRESHOLDS } from "./roles.ts";
export type { PersonRole, RoleClassification, RoleSignals, RoleThresholds } from "./roles.ts";
export {
  AUDIENCE_QUALITY_MODEL,
  audienceQuality,
  expectedEngagementRate,
  followerSpikes,
} from "./audience-quality.ts";
export type {
  AudienceFlag,
  AudienceFlagKind,
  AudienceObservation,
  AudienceQuality,
  AudienceSignalKind,
  AudienceSignalScore,
  AudienceSignals,
  FollowerSample,
  FollowerSpike,
} from "./audience-quality.ts";
export { generatedPersonId, generatePowerLawGraph } from "./generate.ts";
export type { PowerLawOptions } from "./generate.ts";
// The generator behind generatePowerLawGraph and sampled betweenness, for callers that draw alongside them.
export { seededRandom } from "@intrograph/random";
export { MinHeap } from "./heap.ts";
