import { describe, expect, it } from "vitest";
import { type AudienceObservation, audienceQuality, expectedEngagementRate } from "../src/audience-quality.ts";

const asOf = new Date("2026-06-01T00:00:00Z");
const daysBefore = (days: number) => new Date(asOf.getTime() - days * 86_400_000);

/** Monthly observations growing `growth` per month up to `followers`, at a steady engagement rate. */
function steadyHistory(followers: number, following: number, engagementRate: number, growth = 0.02) {
  const history: AudienceObservation[] = [];
  for (let month = 11; month >= 0; month -= 1)
    history.push({
      at: daysBefore(month * 30),
      followers: Math.round(followers / (1 + growth) ** month),
      following,
      engagementRate,
    });
  return history;
}

describe("audience quality", () => {
  it("a quiet real account scores high and is not flagged", () => {
    const result = audienceQuality({
      followers: 100,
      following: 180,
      engagementRate: 0.09,
      openedAt: daysBefore(6 * 365),
      history: steadyHistory(100, 180, 0.09),
      followerSample: { sampled: 60, inactive: 6, suspicious: 1 },
      asOf,
    });
    expect(result.score).toBeGreaterThan(0.85);
    expect(result.flags).toEqual([]);
    // The factors multiply to the score, and every signal explains itself.
    const product = result.signals.reduce((value, signal) => value * signal.contribution, 1);
    expect(product).toBeCloseTo(result.score, 10);
    expect(result.signals.map((signal) => signal.signal)).toEqual([
      "ENGAGEMENT",
      "FOLLOWER_SPIKES",
      "FOLLOWING_RATIO",
      "ACCOUNT_AGE",
      "FOLLOWER_SAMPLE",
    ]);
    for (const signal of result.signals) expect(signal.sentence.length).toBeGreaterThan(20);
  });

  it("a 100k-follower account with a spike and tiny engagement is flagged as bought, with the reasons", () => {
    const history: AudienceObservation[] = [
      { at: daysBefore(120), followers: 8_000, following: 900, engagementRate: 0.05 },
      { at: daysBefore(90), followers: 8_300, following: 900, engagementRate: 0.049 },
      // 90k followers in a week, while the interactions per post stay where they were.
      { at: daysBefore(83), followers: 98_000, following: 950, engagementRate: 0.0042 },
      { at: daysBefore(30), followers: 99_500, following: 950, engagementRate: 0.0041 },
      { at: asOf, followers: 100_000, following: 960, engagementRate: 0.004 },
    ];
    const result = audienceQuality({
      followers: 100_000,
      following: 960,
      engagementRate: 0.004,
      openedAt: daysBefore(4 * 365),
      history,
      asOf,
    });
    expect(result.score).toBeLessThan(0.4);
    const bought = result.flags.find((flag) => flag.kind === "BOUGHT_FOLLOWERS_SUSPECTED");
    expect(bought?.reasons.some((reason) => /jump/.test(reason))).toBe(true);
    expect(bought?.reasons.some((reason) => /Engagement/.test(reason))).toBe(true);
    const spikes = result.signals.find((signal) => signal.signal === "FOLLOWER_SPIKES")!;
    expect(spikes.value).toBeLessThan(0.2);
  });

  it("a viral jump that engagement followed is not a spike", () => {
    const history: AudienceObservation[] = [
      { at: daysBefore(40), followers: 20_000, following: 300, engagementRate: 0.04 },
      { at: daysBefore(33), followers: 60_000, following: 310, engagementRate: 0.035 },
    ];
    const result = audienceQuality({ followers: 60_000, following: 310, engagementRate: 0.035, history, asOf });
    expect(result.signals.find((signal) => signal.signal === "FOLLOWER_SPIKES")!.value).toBe(1);
    expect(result.flags).toEqual([]);
  });

  it("a follower sample full of fakes flags the account even without history", () => {
    const result = audienceQuality({
      followers: 250_000,
      following: 400,
      engagementRate: expectedEngagementRate(250_000),
      followerSample: { sampled: 200, inactive: 30, suspicious: 120 },
      asOf,
    });
    expect(result.score).toBeLessThan(0.5);
    expect(result.flags.map((flag) => flag.kind)).toContain("BOUGHT_FOLLOWERS_SUSPECTED");
  });

  it("following far more than followers is follow-for-follow, not by itself bought", () => {
    const result = audienceQuality({
      followers: 700,
      following: 6_500,
      engagementRate: expectedEngagementRate(700),
      asOf,
    });
    expect(result.flags.map((flag) => flag.kind)).toEqual(["FOLLOW_FOR_FOLLOW"]);
  });

  it("a young account with a huge audience is discounted; no data at all keeps the score at 1", () => {
    const young = audienceQuality({
      followers: 400_000,
      following: 50,
      engagementRate: expectedEngagementRate(400_000),
      openedAt: daysBefore(90),
      asOf,
    });
    expect(young.signals.find((signal) => signal.signal === "ACCOUNT_AGE")!.value).toBeLessThan(0.1);
    expect(audienceQuality({ followers: 0, following: 0, engagementRate: 0, asOf }).score).toBe(1);
  });
});
