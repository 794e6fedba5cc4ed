// attributeMarkov on a ledger-sized input with looping journeys, checked against the plain algorithm it replaced:
// one Gauss–Seidel solve of the absorption probabilities per removed connector. The oracle is slow but obviously right.
import { describe, expect, it } from "vitest";
import { seededRandom } from "@intrograph/random";
import { attributeMarkov, formatMinorUnits, Rational, splitByLargestRemainder, toMinorUnits } from "../src/index.ts";
import type { Chain, Outcome } from "../src/index.ts";
import { connectorsOf, reviewChains } from "../src/eligibility.ts";
import { touch } from "./builders.ts";

const CONNECTORS = 400;
const JOURNEYS = 1_500;
const MINOR_UNITS = 2;

/** Journeys of 1–5 connectors, mostly onward to less popular connectors, sometimes back: loops of every size. */
function syntheticLedger(seed: number): { outcomes: Outcome[]; dropOffs: Chain[] } {
  const random = seededRandom(seed);
  const pick = () => Math.floor(CONNECTORS * random() ** 2);
  const outcomes: Outcome[] = [];
  const dropOffs: Chain[] = [];
  for (let j = 0; j < JOURNEYS; j++) {
    const length = 1 + Math.floor(random() * 5);
    let connector = pick();
    const chain = Array.from({ length }, (_, position) => {
      if (position > 0)
        connector = random() < 0.8 ? Math.min(CONNECTORS - 1, connector + 1 + Math.floor(random() * 30)) : pick();
      // A few disputed introductions, so some journeys are excluded on both sides.
      return touch(`j${j}-${position}`, `c${String(connector).padStart(3, "0")}`, { disputed: random() < 0.02 });
    });
    if (random() < 0.25) {
      // Some outcomes are reached by two journeys.
      const previous = outcomes.at(-1);
      if (previous && previous.chains.length === 1 && random() < 0.3) previous.chains = [...previous.chains, chain];
      else
        outcomes.push({
          id: `o${j}`,
          value: `${(1 + Math.floor(random() * 1e7)) / 100}`,
          currency: "USD",
          occurredAt: new Date(0),
          chains: [chain],
        });
    } else dropOffs.push(chain);
  }
  for (const outcome of outcomes) outcome.value = Number(outcome.value).toFixed(MINOR_UNITS);
  return { outcomes, dropOffs };
}

/** The original model, as it was: Gauss–Seidel to 1e-15 per removal, sweeping states after their successors. */
class OracleModel {
  readonly connectorIds: string[];
  private readonly start: number;
  private readonly conversion: number;
  private readonly dropOff: number;
  private readonly successors: [number, number][][];
  private readonly sweepOrder: number[];
  /** Sweeps the last solve took. */
  sweeps = 0;

  constructor(journeys: readonly { path: readonly string[]; converts: boolean }[]) {
    const index = new Map<string, number>();
    for (const journey of journeys) for (const id of journey.path) if (!index.has(id)) index.set(id, index.size);
    this.connectorIds = [...index.keys()];
    const n = this.connectorIds.length;
    this.start = n;
    this.conversion = n + 1;
    this.dropOff = n + 2;
    const counts: Map<number, number>[] = Array.from({ length: n + 1 }, () => new Map());
    const count = (from: number, to: number) => {
      const row = counts[from];
      if (row) row.set(to, (row.get(to) ?? 0) + 1);
    };
    for (const journey of journeys) {
      let previous = this.start;
      for (const id of journey.path) {
        const state = index.get(id) ?? this.start;
        count(previous, state);
        previous = state;
      }
      count(previous, journey.converts ? this.conversion : this.dropOff);
    }
    this.successors = counts.map((row) => {
      const total = [...row.values()].reduce((sum, c) => sum + c, 0);
      return [...row].map(([to, c]): [number, number] => [to, c / total]);
    });
    this.sweepOrder = this.postOrder();
  }

  conversionProbability(removed = -1): number {
    const reach = new Float64Array(this.dropOff + 1);
    reach[this.conversion] = 1;
    for (let sweep = 1; sweep <= 100_000; sweep++) {
      let change = 0;
      for (const state of this.sweepOrder) {
        if (state === removed) continue;
        let next = 0;
        for (const [to, probability] of this.successors[state] ?? []) next += probability * (reach[to] ?? 0);
        change = Math.max(change, Math.abs(next - (reach[state] ?? 0)));
        reach[state] = next;
      }
      this.sweeps = sweep;
      if (change < 1e-15) break;
    }
    return reach[this.start] ?? 0;
  }

  private postOrder(): number[] {
    const order: number[] = [];
    const visited = new Uint8Array(this.dropOff + 1);
    visited[this.conversion] = 1;
    visited[this.dropOff] = 1;
    const stack: [number, number][] = [[this.start, 0]];
    visited[this.start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      const [state, next] = top;
      const successors = this.successors[state] ?? [];
      if (next < successors.length) {
        top[1] = next + 1;
        const to = successors[next]?.[0] ?? this.conversion;
        if (visited[to] === 0) {
          visited[to] = 1;
          stack.push([to, 0]);
        }
      } else {
        order.push(state);
        stack.pop();
      }
    }
    return order;
  }
}

function oracle(outcomes: readonly Outcome[], dropOffs: readonly Chain[]) {
  const reviews = outcomes.map((outcome) => reviewChains(outcome.chains));
  const journeys = [
    ...reviews.flatMap((review) => review.complete.map((chain) => ({ chain, converts: true }))),
    ...reviewChains(dropOffs).complete.map((chain) => ({ chain, converts: false })),
  ].map(({ chain, converts }) => ({ path: chain.touches.map((t) => t.connectorId), converts }));
  const model = new OracleModel(journeys);
  const conversionProbability = model.conversionProbability();
  const sweeps = model.sweeps;
  const effects = new Map(
    model.connectorIds.map((connectorId, state) => {
      const conversionWithout = model.conversionProbability(state);
      const raw = (conversionProbability - conversionWithout) / conversionProbability;
      return [connectorId, { removalEffect: Number(Math.max(0, raw).toFixed(12)), conversionWithout }];
    }),
  );
  // Amounts as the package documents them: proportional to the 12-decimal removal effects, largest remainder.
  const amounts = outcomes.map((outcome, i) => {
    const connectors = connectorsOf(reviews[i]!.complete);
    const rounded = connectors.map((id) => effects.get(id)?.removalEffect ?? 0);
    const allZero = rounded.every((effect) => effect === 0);
    const claims = connectors.map((connectorId, c) => ({
      connectorId,
      weight: allZero ? Rational.ONE : Rational.fromDecimalString(rounded[c]!.toFixed(12)),
    }));
    const parts = splitByLargestRemainder(toMinorUnits(outcome.value, MINOR_UNITS), claims);
    return new Map([...parts].map(([id, units]) => [id, formatMinorUnits(units, MINOR_UNITS)]));
  });
  return { conversionProbability, sweeps, effects, amounts };
}

describe("Markov removal effects at ledger scale", () => {
  it.each([1, 2])("match the per-connector Gauss–Seidel oracle on looping journeys (seed %i)", (seed) => {
    const { outcomes, dropOffs } = syntheticLedger(seed);
    const expected = oracle(outcomes, dropOffs);
    // Loops make the oracle iterate: an acyclic chain settles in two sweeps.
    expect(expected.sweeps).toBeGreaterThan(10);

    const result = attributeMarkov(outcomes, dropOffs, { minorUnits: MINOR_UNITS });
    expect(Math.abs(result.conversionProbability - expected.conversionProbability)).toBeLessThan(1e-12);
    expect(result.removalEffects).toHaveLength(expected.effects.size);
    expect(result.removalEffects.filter((effect) => effect.removalEffect > 0).length).toBeGreaterThan(100);
    for (const effect of result.removalEffects) {
      const reference = expected.effects.get(effect.connectorId)!;
      expect(Math.abs(effect.removalEffect - reference.removalEffect)).toBeLessThan(1e-12);
      expect(Math.abs(effect.conversionWithout - reference.conversionWithout)).toBeLessThan(1e-12);
    }
    result.allocations.forEach((allocation, i) => {
      const amounts = new Map(allocation.credits.map((credit) => [credit.connectorId, credit.amount]));
      expect(amounts).toEqual(expected.amounts[i]);
    });
  });
});
