import { describe, expect, it } from "vitest";
import { classifyRole, DEFAULT_ROLE_THRESHOLDS } from "../src/roles.ts";

const quiet = { betweenness: 0.001, constraint: 0.8, introsWithOutcomes: 0, audienceSize: 0, audienceQuality: 0 };

describe("connector / influencer roles", () => {
  it("a broker whose intros led to outcomes is a connector", () => {
    const result = classifyRole({ ...quiet, betweenness: 0.52, constraint: 0.21, introsWithOutcomes: 4 });
    expect(result.role).toBe("connector");
    expect(result.reason).toMatch(/betweenness 0\.520 ≥ 0\.05/);
  });

  it("low constraint alone is a brokerage position, but without outcomes it is not a connector", () => {
    expect(classifyRole({ ...quiet, constraint: 0.2, introsWithOutcomes: 3 }).role).toBe("connector");
    const potential = classifyRole({ ...quiet, constraint: 0.2, introsWithOutcomes: 1 });
    expect(potential.role).toBe("neither");
    expect(potential.brokerage).toBe(true);
    expect(potential.reason).toMatch(/1 intros with outcomes \(needs 3\)/);
  });

  it("influence is audience × quality: bought followers do not count", () => {
    expect(classifyRole({ ...quiet, audienceSize: 50_000, audienceQuality: 0.4 }).role).toBe("influencer");
    const bought = classifyRole({ ...quiet, audienceSize: 200_000, audienceQuality: 0.02 });
    expect(bought.role).toBe("neither");
    expect(bought.qualifiedAudience).toBe(4000);
  });

  it("both when the person opens doors and converts audiences; thresholds can be overridden", () => {
    const signals = {
      betweenness: 0.1,
      constraint: 0.5,
      introsWithOutcomes: 5,
      audienceSize: 20_000,
      audienceQuality: 0.9,
    };
    expect(classifyRole(signals).role).toBe("both");
    expect(classifyRole(signals, { ...DEFAULT_ROLE_THRESHOLDS, minQualifiedAudience: 50_000 }).role).toBe("connector");
    expect(classifyRole({ ...quiet, constraint: NaN, introsWithOutcomes: 9 }).brokerage).toBe(false);
  });
});
