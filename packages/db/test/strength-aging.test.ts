// Ageing stored evidence gives what recomputing from the interactions later would give.
import { describe, expect, it } from "vitest";
import { Random } from "../src/seed/random.ts";
import { computeStrength, strengthAsOf, type StrengthInteraction } from "../src/strength.ts";

const computedAt = new Date("2026-11-01T00:00:00.000Z");
const DAY_MS = 86_400_000;
const daysBefore = (at: Date, days: number) => new Date(at.getTime() - days * DAY_MS);

describe("strengthAsOf", () => {
  it("equals computeStrength at the later instant, for evidence entirely in the past", () => {
    const random = new Random(7);
    for (let run = 0; run < 2000; run += 1) {
      const interactions: StrengthInteraction[] = Array.from({ length: random.int(25) }, () => ({
        occurredAt: daysBefore(computedAt, random.uniform(0, 4000)),
        weight: random.pick([0.5, 1, 3, 4]),
        initiatedBySide: random.pick(["A", "B", null] as const),
      }));
      const since = random.chance(0.5) ? daysBefore(computedAt, random.uniform(0, 6000)) : null;
      const halfLifeDays = random.pick([30, 90, 365]);
      const { evidence } = computeStrength(interactions, { since, now: computedAt, halfLifeDays });
      const later = new Date(computedAt.getTime() + random.uniform(0, 3000) * DAY_MS);
      const expected = computeStrength(interactions, { since, now: later, halfLifeDays }).strength;
      expect(Math.abs(strengthAsOf(evidence, later) - expected)).toBeLessThan(1e-5);
    }
  });

  it("never goes below the stored evidence's instant", () => {
    const { strength, evidence } = computeStrength(
      [{ occurredAt: daysBefore(computedAt, 3), weight: 3, initiatedBySide: "A" }],
      { now: computedAt },
    );
    expect(strengthAsOf(evidence, daysBefore(computedAt, 10))).toBeCloseTo(strength, 5);
    expect(strengthAsOf(evidence, new Date(computedAt.getTime() + 90 * DAY_MS))).toBeLessThan(strength);
  });
});
