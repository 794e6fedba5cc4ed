// Audience quality: the share of a social account's audience that is real and active, estimated from the account's
// own signals, each explained, and the flags (bought followers, follow-for-follow, an inactive audience) with reasons.
// Guided by Cresci et al. 2015, "Fame for sale: efficient detection of fake Twitter followers": engagement and the
// following/followers ratio separate bought audiences best; account age and sudden follower jumps add to them.

/** One observation of the account's counts (a row of its follower-count history). */
export interface AudienceObservation {
  at: Date;
  followers: number;
  following: number;
  /** Interactions per post divided by followers, 0..1. */
  engagementRate: number;
}

/** A sample of the account's followers, checked one by one when it was imported. Inactive and suspicious are disjoint. */
export interface FollowerSample {
  /** Followers looked at. */
  sampled: number;
  /** Real-looking followers that posted nothing in the last 90 days. */
  inactive: number;
  /** Followers that look fake or bought (Cresci's fake-follower rules: no posts, default profile, following ≫ followers…). */
  suspicious: number;
}

export interface AudienceSignals {
  followers: number;
  following: number;
  engagementRate: number;
  /** When the account was opened on its platform, if known. */
  openedAt?: Date | null;
  /** Earlier and current observations, any order; the current counts are `followers`/`following`/`engagementRate`. */
  history?: readonly AudienceObservation[];
  followerSample?: FollowerSample | null;
  /** The moment the score describes (the account's age is counted up to it). */
  asOf: Date;
}

export type AudienceSignalKind =
  | "ENGAGEMENT"
  | "FOLLOWER_SPIKES"
  | "FOLLOWING_RATIO"
  | "ACCOUNT_AGE"
  | "FOLLOWER_SAMPLE";

// A type, not an interface: it is stored as JSON, and only types are assignable to JSON values.
export type AudienceSignalScore = {
  signal: AudienceSignalKind;
  /** This signal's estimate of the real, active share of the audience, in [0.01, 1]; 1 = nothing wrong seen. */
  value: number;
  /** Its weight in the combination; 0 when the signal has no data. */
  weight: number;
  /** The factor it multiplies the score by: value^(weight / total weight). The product of all factors is the score. */
  contribution: number;
  sentence: string;
};

export type AudienceFlagKind = "BOUGHT_FOLLOWERS_SUSPECTED" | "FOLLOW_FOR_FOLLOW" | "INACTIVE_AUDIENCE";

// A type, not an interface: it is stored as JSON, and only types are assignable to JSON values.
export type AudienceFlag = {
  kind: AudienceFlagKind;
  reasons: string[];
};

export interface AudienceQuality {
  /** Share (0..1) of the audience that is real and active: the weighted geometric mean of the signals' values. */
  score: number;
  signals: AudienceSignalScore[];
  flags: AudienceFlag[];
}

/** The weights of the signals, and the model's constants; see the README's "Audience quality" for their reasons. */
export const AUDIENCE_QUALITY_MODEL = {
  weights: { ENGAGEMENT: 3, FOLLOWER_SPIKES: 2, FOLLOWING_RATIO: 0.5, ACCOUNT_AGE: 0.5, FOLLOWER_SAMPLE: 6 },
  /** Expected engagement e(f) = base × (f / 1000)^(−exponent): 8% at 1k followers, 4.5% at 10k, 1.4% at 1M. */
  expectedEngagement: { base: 0.08, exponent: 0.25 },
  /** Real accounts scatter around e(f); engagement down to this fraction of it still counts as a fully real audience. */
  engagementTolerance: 0.8,
  /** A jump in followers between two observations at most this many days apart is a spike when it exceeds… */
  spikeWindowDays: 31,
  /** …this share of the earlier count plus `spikeMinimumGain` followers… */
  spikeShare: 0.2,
  spikeMinimumGain: 500,
  /** Following counts below this are ordinary (people follow freely); above it, following ≫ followers is follow-back. */
  followingFloor: 1000,
  /** Organic ceiling for a young account: `ageCeiling` × (age in years)²; no age discount from two years on. */
  ageCeiling: 50_000,
  /** A sample's weight grows with its size: weight × n / (n + sampleHalfWeight). */
  sampleHalfWeight: 25,
  /** Samples smaller than this do not raise flags. */
  sampleMinimumForFlags: 20,
  /** Values are kept at or above this, so one signal never zeroes the score. */
  floor: 0.01,
} as const;

const DAY_MS = 86_400_000;
const model = AUDIENCE_QUALITY_MODEL;

/** The engagement rate a real, active audience of `followers` is expected to show: it falls with audience size. */
export function expectedEngagementRate(followers: number): number {
  return model.expectedEngagement.base * (Math.max(followers, 1) / 1000) ** -model.expectedEngagement.exponent;
}

const clamp = (value: number): number =>
  Number.isFinite(value) ? Math.min(1, Math.max(model.floor, value)) : model.floor;
const percent = (share: number): string => `${(share * 100).toFixed(share < 0.1 && share > 0 ? 1 : 0)}%`;
const count = (value: number): string => Math.round(value).toLocaleString("en-US");

interface Signal {
  signal: AudienceSignalKind;
  value: number;
  weight: number;
  sentence: string;
}

/** Engagement against audience size: bought followers never interact, so the rate falls with the bought share. */
function engagementSignal(signals: AudienceSignals): Signal {
  const weight = model.weights.ENGAGEMENT;
  if (signals.followers <= 0)
    return { signal: "ENGAGEMENT", value: 1, weight: 0, sentence: "No followers, so no engagement to compare." };
  const expected = expectedEngagementRate(signals.followers);
  const ratio = signals.engagementRate / expected;
  // Only the real part R of an audience F interacts: rate = R × e(R) / F = e(F) × (R / F)^(1 − exponent), so the real
  // share is the ratio to the power 1 / (1 − exponent).
  const value = clamp((ratio / model.engagementTolerance) ** (1 / (1 - model.expectedEngagement.exponent)));
  const sentence =
    value >= 1
      ? `Engagement ${percent(signals.engagementRate)} is ${ratio.toFixed(2)}× the ${percent(expected)} expected at ${count(signals.followers)} followers: the audience interacts like a real one.`
      : `Engagement ${percent(signals.engagementRate)} is only ${ratio.toFixed(2)}× the ${percent(expected)} expected at ${count(signals.followers)} followers: about ${percent(value)} of the audience acts real.`;
  return { signal: "ENGAGEMENT", value, weight, sentence };
}

export interface FollowerSpike {
  from: Date;
  to: Date;
  /** Followers gained in the jump. */
  gained: number;
  /** The part of the gain that neither organic growth nor more interactions explain. */
  unexplained: number;
}

/**
 * Sudden follower jumps that engagement did not follow. A viral post brings followers and interactions together; bought
 * followers bring only followers, so interactions (followers × rate) stay flat while the count leaps.
 */
export function followerSpikes(history: readonly AudienceObservation[]): FollowerSpike[] {
  const ordered = [...history].sort((a, b) => a.at.getTime() - b.at.getTime());
  const spikes: FollowerSpike[] = [];
  for (let index = 1; index < ordered.length; index += 1) {
    const before = ordered[index - 1]!;
    const after = ordered[index]!;
    const days = (after.at.getTime() - before.at.getTime()) / DAY_MS;
    const gained = after.followers - before.followers;
    if (days > model.spikeWindowDays || gained <= before.followers * model.spikeShare + model.spikeMinimumGain)
      continue;
    const interactionsBefore = before.followers * before.engagementRate;
    const interactionsAfter = after.followers * after.engagementRate;
    // A real audience of f followers makes f × e(f) ∝ f^(1 − exponent) interactions, so interactions growing by g
    // explain an audience g^(1 / (1 − exponent)) times as large.
    const interactionGrowth = interactionsBefore > 0 ? interactionsAfter / interactionsBefore : 1;
    const audienceGrowth = interactionGrowth ** (1 / (1 - model.expectedEngagement.exponent));
    const explained = Math.max(0, before.followers * (audienceGrowth - 1));
    const unexplained = gained - explained;
    if (unexplained > before.followers * model.spikeShare + model.spikeMinimumGain)
      spikes.push({ from: before.at, to: after.at, gained, unexplained });
  }
  return spikes;
}

function spikeSignal(signals: AudienceSignals, spikes: FollowerSpike[]): Signal {
  const history = signals.history ?? [];
  if (history.length < 2)
    return {
      signal: "FOLLOWER_SPIKES",
      value: 1,
      weight: 0,
      sentence: "Fewer than two observations of the follower count: no history to check for spikes.",
    };
  const weight = model.weights.FOLLOWER_SPIKES;
  if (spikes.length === 0)
    return {
      signal: "FOLLOWER_SPIKES",
      value: 1,
      weight,
      sentence: `${history.length} observations of the follower count show no sudden jump without matching engagement.`,
    };
  const unexplained = spikes.reduce((sum, spike) => sum + spike.unexplained, 0);
  const share = Math.min(1, unexplained / Math.max(signals.followers, 1));
  const days = spikes
    .map((spike) => `+${count(spike.gained)} by ${spike.to.toISOString().slice(0, 10)}`)
    .slice(0, 3)
    .join(", ");
  return {
    signal: "FOLLOWER_SPIKES",
    value: clamp(1 - share),
    weight,
    sentence: `${spikes.length} follower jump${spikes.length > 1 ? "s" : ""} without matching engagement (${days}) added ${count(unexplained)} unexplained followers, ${percent(share)} of the audience.`,
  };
}

/** Following ≫ followers: an audience gathered by follow-back (follow-for-follow), which rarely reads. */
function followingSignal(signals: AudienceSignals): Signal {
  const weight = model.weights.FOLLOWING_RATIO;
  const ratio = signals.following / Math.max(signals.followers, 1);
  if (signals.following < model.followingFloor || ratio <= 1)
    return {
      signal: "FOLLOWING_RATIO",
      value: 1,
      weight,
      sentence: `Follows ${count(signals.following)} for ${count(signals.followers)} followers (ratio ${ratio.toFixed(2)}): no sign of follow-back growth.`,
    };
  const value = clamp(1 - 0.4 * Math.log10(ratio));
  return {
    signal: "FOLLOWING_RATIO",
    value,
    weight,
    sentence: `Follows ${count(signals.following)} for ${count(signals.followers)} followers (ratio ${ratio.toFixed(2)}): much of the audience likely follows back rather than reads.`,
  };
}

/** A large audience on a young account grew faster than audiences grow by themselves. */
function ageSignal(signals: AudienceSignals): Signal {
  if (!signals.openedAt)
    return { signal: "ACCOUNT_AGE", value: 1, weight: 0, sentence: "The account's opening date is not known." };
  const weight = model.weights.ACCOUNT_AGE;
  const years = Math.max(0, (signals.asOf.getTime() - signals.openedAt.getTime()) / (365 * DAY_MS));
  const ceiling = model.ageCeiling * years ** 2;
  const age = years >= 1 ? `${years.toFixed(1)} years` : `${Math.round(years * 12)} months`;
  if (years >= 2 || signals.followers <= ceiling)
    return {
      signal: "ACCOUNT_AGE",
      value: 1,
      weight,
      sentence: `${count(signals.followers)} followers in ${age}: growth an audience can reach by itself.`,
    };
  const value = clamp(Math.sqrt(ceiling / signals.followers));
  return {
    signal: "ACCOUNT_AGE",
    value,
    weight,
    sentence: `${count(signals.followers)} followers in ${age}, above the ${count(ceiling)} an account that young reaches by itself.`,
  };
}

/** The most direct evidence: followers checked one by one. Its weight grows with the sample's size. */
function sampleSignal(sample: FollowerSample | null | undefined): Signal {
  if (!sample || sample.sampled <= 0)
    return { signal: "FOLLOWER_SAMPLE", value: 1, weight: 0, sentence: "No follower sample was imported." };
  const real = (sample.sampled - sample.inactive - sample.suspicious) / sample.sampled;
  const weight = (model.weights.FOLLOWER_SAMPLE * sample.sampled) / (sample.sampled + model.sampleHalfWeight);
  return {
    signal: "FOLLOWER_SAMPLE",
    value: clamp(real),
    weight,
    sentence: `Of ${count(sample.sampled)} sampled followers, ${count(sample.suspicious)} look fake (${percent(sample.suspicious / sample.sampled)}) and ${count(sample.inactive)} are inactive (${percent(sample.inactive / sample.sampled)}): ${percent(Math.max(0, real))} are real and active.`,
  };
}

function flagsOf(signals: AudienceSignals, scored: Record<AudienceSignalKind, Signal>, score: number): AudienceFlag[] {
  const bought: string[] = [];
  const engagement = scored.ENGAGEMENT;
  const lowEngagement = engagement.weight > 0 && engagement.value < 0.4 && signals.followers >= 10_000;
  if (scored.FOLLOWER_SPIKES.value < 0.8) bought.push(scored.FOLLOWER_SPIKES.sentence);
  const sample = signals.followerSample;
  const sampleCounts = sample && sample.sampled >= model.sampleMinimumForFlags;
  if (sampleCounts && sample.suspicious / sample.sampled >= 0.3) bought.push(scored.FOLLOWER_SAMPLE.sentence);
  if (scored.ACCOUNT_AGE.value < 0.5) bought.push(scored.ACCOUNT_AGE.sentence);
  // Low engagement alone may be a dull account; it counts as bought with another sign, or when it is extreme.
  if (lowEngagement && (bought.length > 0 || engagement.value < 0.15 || scored.FOLLOWING_RATIO.value < 0.7))
    bought.push(engagement.sentence);
  const flags: AudienceFlag[] = [];
  if (bought.length > 0 && score < 0.7) flags.push({ kind: "BOUGHT_FOLLOWERS_SUSPECTED", reasons: bought });
  if (scored.FOLLOWING_RATIO.value < 0.7)
    flags.push({ kind: "FOLLOW_FOR_FOLLOW", reasons: [scored.FOLLOWING_RATIO.sentence] });
  if (sampleCounts && sample.inactive / sample.sampled >= 0.5)
    flags.push({ kind: "INACTIVE_AUDIENCE", reasons: [scored.FOLLOWER_SAMPLE.sentence] });
  return flags;
}

/**
 * Scores an account: score = Π valueᵢ^(wᵢ / Σw) over the signals that have data (a weighted geometric mean, so one
 * strong sign of a fake audience pulls the score down more than an average would), 1 when none has data.
 */
export function audienceQuality(signals: AudienceSignals): AudienceQuality {
  const spikes = followerSpikes(signals.history ?? []);
  const scored: Record<AudienceSignalKind, Signal> = {
    ENGAGEMENT: engagementSignal(signals),
    FOLLOWER_SPIKES: spikeSignal(signals, spikes),
    FOLLOWING_RATIO: followingSignal(signals),
    ACCOUNT_AGE: ageSignal(signals),
    FOLLOWER_SAMPLE: sampleSignal(signals.followerSample),
  };
  const list = Object.values(scored);
  const totalWeight = list.reduce((sum, signal) => sum + signal.weight, 0);
  const scoredSignals = list.map((signal) => ({
    ...signal,
    contribution: totalWeight > 0 ? signal.value ** (signal.weight / totalWeight) : 1,
  }));
  const score = scoredSignals.reduce((product, signal) => product * signal.contribution, 1);
  return { score, signals: scoredSignals, flags: flagsOf(signals, scored, score) };
}
