import { describe, expect, it } from "vitest";
import { attribute, attributeTimeDecay } from "../src/index.ts";
import type { CreditModel } from "../src/index.ts";
import { chainsOf, daysBefore, outcomeOf, touch } from "./builders.ts";

const amounts = (model: CreditModel, ...paths: string[][]) =>
  Object.fromEntries(attribute(outcomeOf(chainsOf(...paths)), model).credits.map((c) => [c.connectorId, c.amount]));

describe("position models", () => {
  it("LINEAR shares a chain equally and credits a repeated connector per touch", () => {
    // A > B > A: three touches of 1/3; A made two of them → 2/3.
    expect(amounts("LINEAR", ["A", "B", "A"])).toEqual({ A: "66.67", B: "33.33" });
  });

  it("FIRST_TOUCH and LAST_TOUCH give a chain to one end, middle connectors get 0", () => {
    expect(amounts("FIRST_TOUCH", ["A", "B", "C"])).toEqual({ A: "100.00", B: "0.00", C: "0.00" });
    expect(amounts("LAST_TOUCH", ["A", "B", "C"])).toEqual({ A: "0.00", B: "0.00", C: "100.00" });
  });

  it("POSITION_BASED is 40/20/40, 100 for one touch and 50/50 for two", () => {
    // Chains A > B > C > D and E each carry 1/2 of 100.00.
    // First chain: A 40%, B and C 10% each (20% / 2), D 40% → 20.00, 5.00, 5.00, 20.00; E takes the other 50.00.
    expect(amounts("POSITION_BASED", ["A", "B", "C", "D"], ["E"])).toEqual({
      A: "20.00",
      B: "5.00",
      C: "5.00",
      D: "20.00",
      E: "50.00",
    });
    expect(amounts("POSITION_BASED", ["A", "B"])).toEqual({ A: "50.00", B: "50.00" });
    expect(amounts("POSITION_BASED", ["A"])).toEqual({ A: "100.00" });
  });

  it("splits the value equally between complete chains first", () => {
    // A > B carries 50.00 (25.00 each); A alone carries 50.00 → A 75.00, B 25.00.
    expect(amounts("LINEAR", ["A", "B"], ["A"])).toEqual({ A: "75.00", B: "25.00" });
  });

  it("explains the weight of every touch", () => {
    const allocation = attribute(outcomeOf(chainsOf(["A", "B", "C"])), "POSITION_BASED");
    const b = allocation.credits.find((c) => c.connectorId === "B");
    expect(b?.basis).toEqual({
      model: "POSITION_BASED",
      touches: [{ chainIndex: 0, introductionId: "i0-1", weightInChain: "0.2" }],
    });
    expect(b?.note).toBe("introduction i0-1 takes 20.00% of chain 0");
    expect(allocation.summary).toContain("40% each");
  });
});

describe("TIME_DECAY", () => {
  const chain = [
    touch("i1", "A", { occurredAt: daysBefore(60) }),
    touch("i2", "B", { occurredAt: daysBefore(30) }),
    touch("i3", "C", { occurredAt: daysBefore(0) }),
  ];

  it("halves a touch's weight every half-life (default 30 days)", () => {
    // Weights 2^(−60/30) = 1/4, 2^(−30/30) = 1/2, 2^0 = 1; total 7/4 → 1/7, 2/7, 4/7 of 70.00 = 10, 20, 40.
    const allocation = attribute(outcomeOf([chain], "70.00"), "TIME_DECAY");
    expect(allocation.credits.map((c) => [c.connectorId, c.amount])).toEqual([
      ["C", "40.00"],
      ["B", "20.00"],
      ["A", "10.00"],
    ]);
    const a = allocation.credits.find((c) => c.connectorId === "A");
    expect(a?.basis).toMatchObject({ touches: [{ introductionId: "i1", daysBeforeOutcome: 60 }] });
  });

  it("takes the half-life as an option", () => {
    // h = 60 days: 2^(−1) = 1/2, 2^(−1/2) ≈ 0.7071, 1; total ≈ 2.2071 → A ≈ 22.65%, B ≈ 32.04%, C ≈ 45.31%.
    const allocation = attributeTimeDecay(outcomeOf([chain], "100.00"), { halfLifeDays: 60 });
    expect(allocation.credits.map((c) => [c.connectorId, c.amount])).toEqual([
      ["C", "45.31"],
      ["B", "32.04"],
      ["A", "22.65"],
    ]);
    expect(() => attributeTimeDecay(outcomeOf([chain]), { halfLifeDays: 0 })).toThrow(RangeError);
  });

  it("treats a touch dated after the outcome as simultaneous and survives very old chains", () => {
    const late = [touch("i1", "A", { occurredAt: daysBefore(-5) }), touch("i2", "B", { occurredAt: daysBefore(0) })];
    expect(attribute(outcomeOf([late]), "TIME_DECAY").credits.map((c) => c.amount)).toEqual(["50.00", "50.00"]);
    const ancient = [
      touch("i1", "A", { occurredAt: daysBefore(36_500) }),
      touch("i2", "B", { occurredAt: daysBefore(36_000) }),
    ];
    const allocation = attribute(outcomeOf([ancient]), "TIME_DECAY");
    expect(allocation.credits.map((c) => [c.connectorId, c.amount])).toEqual([
      ["B", "100.00"],
      ["A", "0.00"],
    ]);
  });
});
