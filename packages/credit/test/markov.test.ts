import { describe, expect, it } from "vitest";
import { attribute, attributeMarkov } from "../src/index.ts";
import { chainsOf, outcomeOf, touch } from "./builders.ts";

describe("Markov removal effect", () => {
  // The oracle in ../README.md: C1 > C2 > C3 converts; C1 and C2 > C3 do not.
  // Transitions: start→C1 2/3, start→C2 1/3; C1→C2 1/2, C1→null 1/2; C2→C3 1; C3→conv 1/2, C3→null 1/2.
  // P(conv) = 2/3·1/2·1·1/2 + 1/3·1·1/2 = 1/3.
  // Without C1: 1/3·1/2 = 1/6 → removal effect 1/2. Without C2 or C3: 0 → removal effect 1 each.
  // Normalised: 0.5 / 2.5 = 0.2, 1 / 2.5 = 0.4, 0.4.
  const converting = outcomeOf([[touch("i1", "C1"), touch("i2", "C2"), touch("i3", "C3")]]);
  const dropOffs = [[touch("i4", "C1")], [touch("i5", "C2"), touch("i6", "C3")]];

  it("credits 0.2 / 0.4 / 0.4 on the oracle", () => {
    const result = attributeMarkov([converting], dropOffs);
    expect(result.conversionProbability).toBeCloseTo(1 / 3, 12);
    expect(result.removalEffects.map((e) => [e.connectorId, e.removalEffect, e.share])).toEqual([
      ["C2", 1, 0.4],
      ["C3", 1, 0.4],
      ["C1", 0.5, 0.2],
    ]);
    const allocation = result.allocations[0];
    expect(allocation?.credits.map((c) => [c.connectorId, c.amount, c.shareDecimal])).toEqual([
      ["C2", "40.00", "0.4"],
      ["C3", "40.00", "0.4"],
      ["C1", "20.00", "0.2"],
    ]);
    expect(allocation?.credits.at(-1)?.note).toBe(
      "removal effect 0.5000: without C1 the conversion probability falls from 0.3333 to 0.1667",
    );
    expect(result.journeys).toEqual({ converting: 1, nonConverting: 2, excluded: 0 });
  });

  it("is reachable through attribute() with the non-converting chains as an option", () => {
    const allocation = attribute(converting, "MARKOV", { nonConvertingChains: dropOffs });
    expect(allocation.credits.map((c) => c.amount)).toEqual(["40.00", "40.00", "20.00"]);
  });

  it("handles journeys that loop back", () => {
    // A > B converts, B > A does not. start→A 1/2, start→B 1/2; A→B 1/2, A→null 1/2; B→conv 1/2, B→A 1/2.
    // x_A = x_B/2, x_B = 1/2 + x_A/2 → x_B = 2/3, x_A = 1/3; P(conv) = (1/3 + 2/3)/2 = 1/2.
    // Without A: x_B = 1/2 → P = 1/4, effect 1/2. Without B: P = 0, effect 1. Shares 1/3 and 2/3 of 90.00.
    const result = attributeMarkov([outcomeOf(chainsOf(["A", "B"]), "90.00")], chainsOf(["B", "A"]));
    expect(result.conversionProbability).toBeCloseTo(0.5, 12);
    expect(result.allocations[0]?.credits.map((c) => [c.connectorId, c.amount])).toEqual([
      ["B", "60.00"],
      ["A", "30.00"],
    ]);
  });

  it("splits each outcome over its own connectors, from effects learnt across all outcomes", () => {
    // Outcome 1 via A > B, outcome 2 via C, and a drop-off at A. start→A 2/3, start→C 1/3; A→B 1/2, A→null 1/2.
    // P(conv) = 2/3·1/2 + 1/3 = 2/3. Without A: 1/3 → effect 1/2; without B: 1/3 → 1/2; without C: 1/3 → 1/2.
    const first = outcomeOf(chainsOf(["A", "B"]), "10.00", { id: "o1" });
    const second = outcomeOf(chainsOf(["C"]), "7.00", { id: "o2" });
    const result = attributeMarkov([first, second], chainsOf(["A"]));
    expect(result.allocations.map((a) => [a.outcomeId, a.credits.map((c) => [c.connectorId, c.amount])])).toEqual([
      [
        "o1",
        [
          ["A", "5.00"],
          ["B", "5.00"],
        ],
      ],
      ["o2", [["C", "7.00"]]],
    ]);
    expect(result.removalEffects.map((e) => e.share)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it("ignores ineligible journeys on both sides", () => {
    const disputedDropOff = [[touch("i4", "C1", { disputed: true })], [touch("i5", "C2"), touch("i6", "C3")]];
    const result = attributeMarkov([converting], disputedDropOff);
    // Without the C1 drop-off: start→C1 1/2, C1→C2 1; P(conv) = 1/2·1/2 + 1/2·1/2 = 1/2, and removing C1 leaves
    // 1/4 → effect 1/2 again; C2 and C3 stay at 1.
    expect(result.journeys.excluded).toBe(1);
    expect(result.conversionProbability).toBeCloseTo(0.5, 12);
    expect(result.allocations[0]?.credits.map((c) => c.amount)).toEqual(["40.00", "40.00", "20.00"]);
  });
});
