import { describe, expect, it } from "vitest";
import { Random } from "../src/seed/random.ts";
import { computeStrength, initiatorSide, MINIMUM_STRENGTH, type StrengthInteraction } from "../src/strength.ts";

const now = new Date("2026-11-01T00:00:00.000Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const meeting = (ageDays: number, side: "A" | "B" | null = null, weight = 3): StrengthInteraction => ({
  occurredAt: daysAgo(ageDays),
  weight,
  initiatedBySide: side,
});

function randomInteractions(random: Random): StrengthInteraction[] {
  return Array.from({ length: random.int(30) }, () => ({
    occurredAt: daysAgo(random.uniform(-30, 5000)),
    weight: random.pick([0, -1, Number.NaN, 0.01, 0.5, 1, 3, 4, 1000]),
    initiatedBySide: random.pick(["A", "B", null] as const),
  }));
}

describe("computeStrength", () => {
  it("always lies in (0, 1], whatever the evidence", () => {
    const random = new Random(42);
    for (let run = 0; run < 3000; run += 1) {
      const since = random.chance(0.5) ? daysAgo(random.uniform(-10, 8000)) : null;
      const { strength } = computeStrength(randomInteractions(random), {
        since,
        now,
        halfLifeDays: random.pick([1, 30, 90, 365]),
      });
      expect(strength).toBeGreaterThan(0);
      expect(strength).toBeLessThanOrEqual(1);
    }
    expect(computeStrength([], { now }).strength).toBe(MINIMUM_STRENGTH);
    expect(
      computeStrength(
        Array.from({ length: 500 }, () => meeting(0, null, 1e6)),
        { now },
      ).strength,
    ).toBeLessThanOrEqual(1);
  });

  it("grows as the same evidence gets more recent", () => {
    const since = daysAgo(400);
    let previous = 0;
    for (const age of [360, 240, 120, 60, 30, 7, 0]) {
      const { strength } = computeStrength([meeting(age, "A"), meeting(age + 3, "B")], { since, now });
      expect(strength).toBeGreaterThanOrEqual(previous);
      previous = strength;
    }
    const old = computeStrength([meeting(200, "A"), meeting(203, "B")], { since, now }).strength;
    const recent = computeStrength([meeting(5, "A"), meeting(8, "B")], { since, now }).strength;
    expect(recent).toBeGreaterThan(old);
  });

  it("grows with more interactions", () => {
    const random = new Random(7);
    for (let run = 0; run < 300; run += 1) {
      const base = randomInteractions(random).filter((interaction) => interaction.weight > 0);
      const since = daysAgo(random.uniform(0, 4000));
      const before = computeStrength(base, { since, now }).strength;
      // More of the same pattern (and unattributed extras) cannot lower the score.
      expect(computeStrength([...base, ...base], { since, now }).strength).toBeGreaterThanOrEqual(before);
      expect(
        computeStrength([...base, meeting(random.uniform(0, 1000))], { since, now }).strength,
      ).toBeGreaterThanOrEqual(before);
    }
    const counts = [1, 2, 4, 8].map(
      (n) =>
        computeStrength(
          Array.from({ length: n }, (_, i) => meeting(10 + i, i % 2 ? "A" : "B")),
          { now },
        ).strength,
    );
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts[3]).toBeGreaterThan(counts[0]!);
  });

  it("rewards reciprocity: both sides reaching out beats one-sided, unknown initiators are neutral", () => {
    const ages = [3, 10, 20, 40];
    const strengthOf = (sides: ("A" | "B" | null)[]) =>
      computeStrength(
        ages.map((age, i) => meeting(age, sides[i] ?? null)),
        { now },
      );
    const mutual = strengthOf(["A", "B", "A", "B"]);
    const oneSided = strengthOf(["A", "A", "A", "A"]);
    const unknown = strengthOf([null, null, null, null]);
    expect(mutual.strength).toBeGreaterThan(unknown.strength);
    expect(unknown.strength).toBeGreaterThan(oneSided.strength);
    expect(mutual.evidence.reciprocity.factor).toBe(1);
    expect(oneSided.evidence.reciprocity.factor).toBe(0.7);
    expect(unknown.evidence.reciprocity.factor).toBe(0.85);
    // Which side is A does not matter.
    expect(strengthOf(["B", "B", "B", "B"]).strength).toBe(oneSided.strength);
  });

  it("keeps a dormant-but-strong floor for a long, rich relationship that went quiet", () => {
    // Six years of monthly meetings that stopped three years ago.
    const history = Array.from({ length: 72 }, (_, month) => meeting(3 * 365 + month * 30, month % 2 ? "A" : "B"));
    const dormant = computeStrength(history, { since: daysAgo(9 * 365), now });
    expect(dormant.evidence.activeStrength).toBeLessThan(0.01);
    expect(dormant.evidence.decidedBy).toBe("dormantFloor");
    expect(dormant.strength).toBeGreaterThan(0.4);
    // A single old email does not earn the floor.
    const acquaintance = computeStrength([meeting(3 * 365, "A", 1)], { since: daysAgo(4 * 365), now });
    expect(acquaintance.strength).toBe(MINIMUM_STRENGTH);
    expect(acquaintance.evidence.decidedBy).toBe("minimum");
    // Tenure counts: the same lifetime of evidence over a longer relationship keeps more.
    const shortTenure = computeStrength(history.slice(0, 12), { since: daysAgo(3 * 365 + 400), now });
    const longTenure = computeStrength(history.slice(0, 12), { since: daysAgo(10 * 365), now });
    expect(longTenure.strength).toBeGreaterThan(shortTenure.strength);
  });

  it("lets a longer half-life keep old evidence alive", () => {
    const evidence = [meeting(180, "A"), meeting(200, "B")];
    const short = computeStrength(evidence, { now, halfLifeDays: 30 }).strength;
    const long = computeStrength(evidence, { now, halfLifeDays: 365 }).strength;
    expect(long).toBeGreaterThan(short);
    expect(() => computeStrength(evidence, { now, halfLifeDays: 0 })).toThrow(RangeError);
  });

  it("is deterministic, order-independent and explains itself in plain JSON", () => {
    const random = new Random(99);
    const interactions = randomInteractions(random);
    const context = { since: daysAgo(1000), now };
    const first = computeStrength(interactions, context);
    expect(computeStrength(interactions, context)).toEqual(first);
    expect(computeStrength([...interactions].reverse(), context).strength).toBeCloseTo(first.strength, 12);
    expect(JSON.parse(JSON.stringify(first.evidence))).toEqual(first.evidence);
    expect(first.evidence).toMatchObject({
      halfLifeDays: 90,
      computedAt: now.toISOString(),
      minimum: MINIMUM_STRENGTH,
    });
    expect(first.evidence.formula).toContain("2^(-ageDays/halfLife)");
    const latest = interactions
      .filter((i) => i.weight > 0)
      .reduce((max, i) => Math.max(max, i.occurredAt.getTime()), -Infinity);
    expect(first.evidence.lastInteractionAt).toBe(Number.isFinite(latest) ? new Date(latest).toISOString() : null);
  });

  it("maps an initiator to the side of the relationship", () => {
    const relationship = { personAId: "a", personBId: "b" };
    expect(initiatorSide("a", relationship)).toBe("A");
    expect(initiatorSide("b", relationship)).toBe("B");
    expect(initiatorSide("c", relationship)).toBeNull();
    expect(initiatorSide(null, relationship)).toBeNull();
  });
});
