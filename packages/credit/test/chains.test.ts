import { describe, expect, it } from "vitest";
import { enumerateChains } from "../src/index.ts";
import type { IntroductionRecord } from "../src/index.ts";
import { daysBefore } from "./builders.ts";

const intro = (id: string, connectorId: string, days: number, ledFrom: string[] = []): IntroductionRecord => ({
  id,
  connectorId,
  occurredAt: daysBefore(days),
  consented: true,
  disputed: false,
  ledFrom,
});

// i1 (A) and i2 (B) are roots; i3 (C) grew out of both; i4 (D) out of i3. The outcome came from i4 and i2.
const dag = [
  intro("i4", "D", 10, ["i3"]),
  intro("i3", "C", 20, ["i2", "i1"]),
  intro("i1", "A", 40),
  intro("i2", "B", 30),
];
const ids = (chains: ReturnType<typeof enumerateChains>["chains"]) => chains.map((c) => c.map((t) => t.introductionId));

describe("enumerateChains", () => {
  it("lists every root-to-outcome path, earliest first, in a deterministic order", () => {
    const result = enumerateChains(dag, ["i4", "i2"]);
    // Direct intros by time (i2 at 30 days before, i4 at 10); parents by time (i1 before i2).
    expect(ids(result.chains)).toEqual([["i2"], ["i1", "i3", "i4"], ["i2", "i3", "i4"]]);
    expect(result.truncated).toBe(false);
    expect(result.brokenLinks).toEqual([]);
    expect(result.chains[1]?.[0]).toEqual({
      introductionId: "i1",
      connectorId: "A",
      occurredAt: daysBefore(40),
      consented: true,
      disputed: false,
    });
  });

  it("stops at the cap and says so", () => {
    const result = enumerateChains(dag, ["i4", "i2"], { maxChains: 2 });
    expect(ids(result.chains)).toEqual([["i2"], ["i1", "i3", "i4"]]);
    expect(result.truncated).toBe(true);
    expect(enumerateChains(dag, ["i4", "i2"], { maxChains: 3 }).truncated).toBe(false);
  });

  it("keeps the number of chains bounded on a dense DAG", () => {
    // Each layer of 4 intros grew out of every intro of the layer before: 4^10 paths, capped at 500.
    const layers: IntroductionRecord[] = [];
    for (let layer = 0; layer < 10; layer++) {
      for (let k = 0; k < 4; k++) {
        const ledFrom = layer === 0 ? [] : [0, 1, 2, 3].map((j) => `L${layer - 1}-${j}`);
        layers.push(intro(`L${layer}-${k}`, `c${k}`, 100 - layer, ledFrom));
      }
    }
    const result = enumerateChains(layers, ["L9-0"], { maxChains: 500 });
    expect(result.chains).toHaveLength(500);
    expect(result.truncated).toBe(true);
    expect(result.chains.every((chain) => chain.length === 10)).toBe(true);
  });

  it("skips and reports links to unknown intros and links that close a cycle", () => {
    const broken = [intro("a", "A", 30, ["ghost", "c"]), intro("b", "B", 20, ["a"]), intro("c", "C", 10, ["b"])];
    const result = enumerateChains(broken, ["c", "nowhere"]);
    expect(ids(result.chains)).toEqual([["a", "b", "c"]]);
    expect(result.brokenLinks).toEqual([
      { introductionId: "(outcome)", ledFrom: "nowhere", reason: "MISSING" },
      { introductionId: "a", ledFrom: "ghost", reason: "MISSING" },
      { introductionId: "a", ledFrom: "c", reason: "CYCLE" },
    ]);
  });
});
