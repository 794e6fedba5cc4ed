// Markov removal-effect credit across many outcomes: journeys (complete chains) are read as walks through a Markov
// chain start → connector → … → conversion | null, and a connector's credit is how much the probability of conversion
// falls when every journey through it is cut (its removal effect).
//
// Each complete chain of an outcome is one converting journey; each complete non-converting chain is one journey
// that ends in the null state. Transition probabilities are the observed transition counts, normalised per state.
// An outcome's value is split over the connectors on its complete chains in proportion to their removal effects.
import { Rational } from "../rational.ts";
import { connectorsOf, reviewChains } from "../eligibility.ts";
import type { ChainReview } from "../eligibility.ts";
import { buildAllocation, percent } from "../allocation.ts";
import type { ConnectorWeight } from "../allocation.ts";
import { compareIds, resolveMinorUnits } from "../money.ts";
import type { Allocation, Chain, MoneyOptions, Outcome } from "../types.ts";

export interface ConnectorRemovalEffect {
  connectorId: string;
  /** (p − p without the connector) / p, rounded to 12 decimals so equivalent connectors compare equal. */
  removalEffect: number;
  /** Conversion probability with the connector removed. */
  conversionWithout: number;
  /** Removal effect normalised over every connector seen, for a leaderboard across outcomes. */
  share: number;
}

export interface MarkovAttribution {
  /** Probability that a journey from the start reaches conversion. */
  conversionProbability: number;
  /** Sorted by removal effect (largest first), then connector id. */
  removalEffects: ConnectorRemovalEffect[];
  /** One allocation per outcome, in input order. */
  allocations: Allocation[];
  journeys: { converting: number; nonConverting: number; excluded: number };
  summary: string;
}

const CONVERGED = 1e-15;
const MAX_SWEEPS = 100_000;

export function attributeMarkov(
  outcomes: readonly Outcome[],
  nonConvertingChains: readonly Chain[],
  options: MoneyOptions = {},
): MarkovAttribution {
  const minorUnits = resolveMinorUnits(options.minorUnits);
  const reviews = outcomes.map((outcome) => reviewChains(outcome.chains));
  const dropOffs = reviewChains(nonConvertingChains);
  const journeys: { path: string[]; converts: boolean }[] = [
    ...reviews.flatMap((review) =>
      review.complete.map((chain) => ({ path: chain.touches.map((touch) => touch.connectorId), converts: true })),
    ),
    ...dropOffs.complete.map((chain) => ({ path: chain.touches.map((touch) => touch.connectorId), converts: false })),
  ];
  const converting = journeys.filter((journey) => journey.converts).length;
  const excluded = [...reviews, dropOffs].reduce(
    (sum, review) => sum + review.reports.length - review.complete.length,
    0,
  );

  const chain = new TransitionModel(journeys);
  const conversionProbability = chain.conversionProbability();
  const effects = chain.connectorIds.map((connectorId, state) => {
    const conversionWithout = chain.conversionProbability(state);
    const raw = conversionProbability > 0 ? (conversionProbability - conversionWithout) / conversionProbability : 0;
    return { connectorId, removalEffect: Number(Math.max(0, raw).toFixed(12)), conversionWithout };
  });
  const totalEffect = effects.reduce((sum, effect) => sum + effect.removalEffect, 0);
  const removalEffects: ConnectorRemovalEffect[] = effects
    .map((effect) => ({ ...effect, share: totalEffect > 0 ? effect.removalEffect / totalEffect : 0 }))
    .sort((a, b) => b.removalEffect - a.removalEffect || compareIds(a.connectorId, b.connectorId));
  const effectOf = new Map(removalEffects.map((effect) => [effect.connectorId, effect]));

  const allocations = outcomes.map((outcome, i) =>
    allocateOutcome(outcome, reviews[i] ?? reviewChains(outcome.chains), effectOf, conversionProbability, {
      converting,
      nonConverting: dropOffs.complete.length,
      minorUnits,
    }),
  );

  const summary = [
    `Markov removal effects from ${converting} converting and ${dropOffs.complete.length} non-converting journey(s) ` +
      `(${excluded} chain(s) excluded as ineligible, empty or duplicate); conversion probability ${conversionProbability.toFixed(4)}.`,
    ...removalEffects.map(
      (effect) =>
        `- ${effect.connectorId}: removal effect ${effect.removalEffect.toFixed(4)} (${percent(effect.share)} of all removal effect)`,
    ),
  ].join("\n");

  return {
    conversionProbability,
    removalEffects,
    allocations,
    journeys: { converting, nonConverting: dropOffs.complete.length, excluded },
    summary,
  };
}

function allocateOutcome(
  outcome: Outcome,
  review: ChainReview,
  effectOf: ReadonlyMap<string, ConnectorRemovalEffect>,
  conversionProbability: number,
  context: { converting: number; nonConverting: number; minorUnits: number },
): Allocation {
  const effects = connectorsOf(review.complete).map((connectorId) => {
    const effect = effectOf.get(connectorId);
    return { connectorId, removalEffect: effect?.removalEffect ?? 0, conversionWithout: effect?.conversionWithout ?? 0 };
  });
  // Removal effects are positive for anyone on a converting journey; equal shares only guard against rounding to 0.
  const allZero = effects.every((effect) => effect.removalEffect === 0);
  const weights: ConnectorWeight[] = effects.map((effect) => ({
    connectorId: effect.connectorId,
    weight: allZero ? Rational.ONE : Rational.fromDecimalString(effect.removalEffect.toFixed(12)),
    basis: { model: "MARKOV", removalEffect: effect.removalEffect, conversionWithout: effect.conversionWithout },
    note:
      `removal effect ${effect.removalEffect.toFixed(4)}: without ${effect.connectorId} the conversion probability ` +
      `falls from ${conversionProbability.toFixed(4)} to ${effect.conversionWithout.toFixed(4)}`,
  }));
  const method =
    `A Markov chain over connector transitions, estimated from ${context.converting} converting and ` +
    `${context.nonConverting} non-converting journey(s), gives each connector a removal effect; the value is split over ` +
    `this outcome's connectors in proportion to it${allZero ? " (all effects are 0, so equally)" : ""}.`;
  return buildAllocation({ outcome, model: "MARKOV", minorUnits: context.minorUnits, review, weights, method });
}

/** Observed transitions between start, connectors, conversion and null, with absorption probabilities. */
class TransitionModel {
  readonly connectorIds: string[];
  private readonly start: number;
  private readonly conversion: number;
  private readonly dropOff: number;
  /** successors[state] = [next state, probability][] */
  private readonly successors: [number, number][][];
  /** Transient states, each after its successors where the graph allows it, so one sweep settles acyclic chains. */
  private readonly sweepOrder: number[];

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

  /** P(start reaches conversion), with `removed` (if given) turned into a dead end. */
  conversionProbability(removed = -1): number {
    const reach = new Float64Array(this.dropOff + 1);
    reach[this.conversion] = 1;
    // Gauss–Seidel: exact after one sweep for acyclic transitions, geometric convergence when intros loop back.
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      let change = 0;
      for (const state of this.sweepOrder) {
        if (state === removed) continue;
        let next = 0;
        for (const [to, probability] of this.successors[state] ?? []) next += probability * (reach[to] ?? 0);
        change = Math.max(change, Math.abs(next - (reach[state] ?? 0)));
        reach[state] = next;
      }
      if (change < CONVERGED) break;
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
