// Connector or influencer: "influencers convert audiences, connectors open doors". A connector sits in a
// brokerage position and has intros that led to outcomes; an influencer has a large audience that is real.

export type PersonRole = "connector" | "influencer" | "both" | "neither";

export interface RoleSignals {
  /** Normalized betweenness (exact or sampled). */
  betweenness: number;
  /** Burt's constraint; NaN for people without relationships. */
  constraint: number;
  /** Introductions this person made that led to an outcome. */
  introsWithOutcomes: number;
  /** Followers / subscribers / list size. */
  audienceSize: number;
  /** Share of the audience that is genuine and engaged, in [0, 1]. */
  audienceQuality: number;
}

export interface RoleThresholds {
  /** A brokerage position: betweenness at least this… */
  minBetweenness: number;
  /** …or constraint at most this (few redundant contacts, i.e. spanning structural holes). */
  maxConstraint: number;
  /** Doors actually opened: intros with outcomes needed, on top of a brokerage position. */
  minIntrosWithOutcomes: number;
  /** audienceSize × audienceQuality needed to count as an influencer. */
  minQualifiedAudience: number;
}

export const DEFAULT_ROLE_THRESHOLDS: RoleThresholds = {
  minBetweenness: 0.05,
  maxConstraint: 0.3,
  minIntrosWithOutcomes: 3,
  minQualifiedAudience: 10_000,
};

export interface RoleClassification {
  role: PersonRole;
  /** One sentence a reviewer can check against the numbers. */
  reason: string;
  brokerage: boolean;
  qualifiedAudience: number;
}

const format = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(3));

/**
 * Classifies a person. Brokerage alone is only potential, so a connector also needs intros with outcomes; an audience
 * counts only in proportion to its quality, so bought followers do not make an influencer.
 */
export function classifyRole(
  signals: RoleSignals,
  thresholds: RoleThresholds = DEFAULT_ROLE_THRESHOLDS,
): RoleClassification {
  const byBetweenness = signals.betweenness >= thresholds.minBetweenness;
  // NaN constraint (no relationships) compares false, so isolated people never broker.
  const byConstraint = signals.constraint <= thresholds.maxConstraint;
  const brokerage = byBetweenness || byConstraint;
  const opensDoors = signals.introsWithOutcomes >= thresholds.minIntrosWithOutcomes;
  const connector = brokerage && opensDoors;
  const quality = Math.min(1, Math.max(0, signals.audienceQuality));
  const qualifiedAudience = Math.max(0, signals.audienceSize) * quality;
  const influencer = qualifiedAudience >= thresholds.minQualifiedAudience;

  const position = brokerage
    ? byBetweenness
      ? `brokerage position (betweenness ${format(signals.betweenness)} ≥ ${thresholds.minBetweenness})`
      : `brokerage position (constraint ${format(signals.constraint)} ≤ ${thresholds.maxConstraint})`
    : `no brokerage position (betweenness ${format(signals.betweenness)} < ${thresholds.minBetweenness}, constraint ${format(signals.constraint)} > ${thresholds.maxConstraint})`;
  const doors = `${signals.introsWithOutcomes} intros with outcomes (needs ${thresholds.minIntrosWithOutcomes})`;
  const audience = `qualified audience ${format(qualifiedAudience)} = ${signals.audienceSize} × ${format(quality)} (needs ${thresholds.minQualifiedAudience})`;

  const role: PersonRole = connector ? (influencer ? "both" : "connector") : influencer ? "influencer" : "neither";
  const reason =
    role === "both"
      ? `Opens doors and converts audiences: ${position}, ${doors}; ${audience}.`
      : role === "connector"
        ? `Opens doors: ${position}, ${doors}; ${audience}.`
        : role === "influencer"
          ? `Converts an audience: ${audience}; not a connector: ${brokerage ? doors : position}.`
          : `Neither: ${brokerage ? doors : position}; ${audience}.`;
  return { role, reason, brokerage, qualifiedAudience };
}
