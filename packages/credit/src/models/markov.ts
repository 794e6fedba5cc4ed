// Markov removal-effect credit across many outcomes: journeys (complete chains) are read as walks through a Markov
// chain start → connector → … → conversion | null, and a connector's credit is how much the probability of conversion
// falls when every journey through it is cut (its removal effect).
//
// Each complete chain of an outcome is one converting journey; each complete non-converting chain is one journey
// that ends in the null state. Transition probabilities are the observed transition counts, normalised per state.
// An outcome's value is split over the connectors on its complete chains in proportion to their removal effects.
//
// Every removal effect comes from one exact solve of the model (absorption and hitting probabilities, see
// TransitionModel), not from re-solving the chain once per removed connector, so a ledger-wide recompute stays cheap.
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
    const lost = chain.lostConversion(state);
    const raw = conversionProbability > 0 ? lost / conversionProbability : 0;
    return {
      connectorId,
      removalEffect: Number(Math.max(0, raw).toFixed(12)),
      conversionWithout: Math.max(0, conversionProbability - lost),
    };
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
    return {
      connectorId,
      removalEffect: effect?.removalEffect ?? 0,
      conversionWithout: effect?.conversionWithout ?? 0,
    };
  });
  // Removal effects are positive for anyone on a converting journey; equal shares only guard against rounding to 0.
  const allZero = effects.every((effect) => effect.removalEffect === 0);
  const weights: ConnectorWeight[] = effects.map((effect) => ({
    connectorId: effect.connectorId,
    // Counted in units of 10⁻¹² (the removal effect's rounding): the same proportions as the decimal, on integers.
    weight: allZero ? Rational.ONE : Rational.of(BigInt(effect.removalEffect.toFixed(12).replace(".", ""))),
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

/**
 * Observed transitions between start, connectors, conversion and null, solved exactly rather than by iteration.
 *
 * States 0…n−1 are the connectors, n is the start, n+1 conversion and n+2 null (both absorbing). With x_s the
 * probability of converting from state s, removing connector r (making it a dead end) loses exactly the converting
 * walks that pass through r, so by the strong Markov property
 *
 *   P(conversion without r) = P(conversion) − h_r · x_r,   h_r = P(a walk from the start ever enters r).
 *
 * So one model answers every removal: x comes from one absorption solve, and h_r = v_r / N_rr, where v_r is the
 * expected number of visits to r from the start and N_rr the expected visits to r from r itself. A walk can only come
 * back to r inside r's strongly connected component, so N_rr = 1 unless r lies on a loop. The components are solved
 * in topological order: a state outside any loop in one step, a looping component (journeys that come back to a
 * connector; few and small in practice) by inverting its own I − Q, which gives x, v and N_rr for its states at once.
 * Cost: O(transitions) plus O(k³) per looping component of k connectors.
 */
class TransitionModel {
  readonly connectorIds: string[];
  /** x: probability of reaching conversion from each state (absorbing states included: conversion 1, null 0). */
  private readonly conversion: Float64Array;
  /** h: probability that a walk from the start ever enters each transient state. */
  private readonly hitting: Float64Array;
  private readonly start: number;

  constructor(journeys: readonly { path: readonly string[]; converts: boolean }[]) {
    const index = new Map<string, number>();
    for (const journey of journeys) for (const id of journey.path) if (!index.has(id)) index.set(id, index.size);
    this.connectorIds = [...index.keys()];
    const n = this.connectorIds.length;
    this.start = n;
    const transitions = countTransitions(journeys, index);
    const components = componentsSinksFirst(transitions);
    this.conversion = new Float64Array(n + 3);
    this.hitting = new Float64Array(n + 1);
    this.solve(transitions, components);
  }

  /** P(start reaches conversion). */
  conversionProbability(): number {
    return this.conversion[this.start]!;
  }

  /** How much P(conversion) falls when `state` becomes a dead end: h · x of that state. */
  lostConversion(state: number): number {
    return this.hitting[state]! * this.conversion[state]!;
  }

  private solve(transitions: Transitions, components: Component[]): void {
    const { offsets, targets, probabilities } = transitions;
    const x = this.conversion;
    x[this.start + 1] = 1;
    // Absorption probabilities, sinks first, so every successor outside a component is already known.
    for (const component of components) {
      const { states, inverse } = component;
      if (!inverse) {
        const state = states[0]!;
        let next = 0;
        for (let e = offsets[state]!; e < offsets[state + 1]!; e++) next += probabilities[e]! * x[targets[e]!]!;
        x[state] = next;
        continue;
      }
      const k = states.length;
      const exits = new Float64Array(k);
      states.forEach((state, i) => {
        for (let e = offsets[state]!; e < offsets[state + 1]!; e++) {
          if (!component.has(targets[e]!)) exits[i] = exits[i]! + probabilities[e]! * x[targets[e]!]!;
        }
      });
      states.forEach((state, i) => {
        let next = 0;
        for (let j = 0; j < k; j++) next += inverse[i * k + j]! * exits[j]!;
        x[state] = next;
      });
    }

    // Expected visits from the start, sources first: `inflow` collects what enters each state from earlier
    // components; within a looping component the inverse spreads it over the loop.
    const inflow = new Float64Array(this.start + 1);
    inflow[this.start] = 1;
    for (let c = components.length - 1; c >= 0; c--) {
      const component = components[c]!;
      const { states, inverse } = component;
      const k = states.length;
      const visits = inverse
        ? states.map((_, j) => states.reduce((sum, from, i) => sum + inflow[from]! * inverse[i * k + j]!, 0))
        : [inflow[states[0]!]!];
      states.forEach((state, j) => {
        const expectedVisits = visits[j]!;
        this.hitting[state] = inverse ? expectedVisits / inverse[j * k + j]! : expectedVisits;
        for (let e = offsets[state]!; e < offsets[state + 1]!; e++) {
          const to = targets[e]!;
          if (to <= this.start && !component.has(to)) inflow[to] = inflow[to]! + expectedVisits * probabilities[e]!;
        }
      });
    }
  }
}

/** Transition probabilities of the transient states (connectors and start) in compressed sparse rows. */
interface Transitions {
  /** Transient states: the connectors and the start (the last one). */
  stateCount: number;
  /** Row s is offsets[s] … offsets[s + 1] − 1 in `targets` / `probabilities`. */
  offsets: Int32Array;
  targets: Int32Array;
  probabilities: Float64Array;
}

/** Observed transition counts, normalised per state; states as in TransitionModel (start n, conversion n+1, null n+2). */
function countTransitions(
  journeys: readonly { path: readonly string[]; converts: boolean }[],
  index: ReadonlyMap<string, number>,
): Transitions {
  const start = index.size;
  const counts: Map<number, number>[] = Array.from({ length: start + 1 }, () => new Map());
  const count = (from: number, to: number) => {
    const row = counts[from]!;
    row.set(to, (row.get(to) ?? 0) + 1);
  };
  for (const journey of journeys) {
    let previous = start;
    for (const id of journey.path) {
      const state = index.get(id)!;
      count(previous, state);
      previous = state;
    }
    count(previous, journey.converts ? start + 1 : start + 2);
  }
  const offsets = new Int32Array(start + 2);
  counts.forEach((row, state) => {
    offsets[state + 1] = offsets[state]! + row.size;
  });
  const targets = new Int32Array(offsets[start + 1]!);
  const probabilities = new Float64Array(targets.length);
  counts.forEach((row, state) => {
    let total = 0;
    for (const c of row.values()) total += c;
    let e = offsets[state]!;
    for (const [to, c] of row) {
      targets[e] = to;
      probabilities[e++] = c / total;
    }
  });
  return { stateCount: start + 1, offsets, targets, probabilities };
}

/** A strongly connected set of transient states; `inverse` (row-major (I − Q)⁻¹ over `states`) only when it loops. */
interface Component {
  states: number[];
  has(state: number): boolean;
  inverse?: Float64Array;
}

/** Tarjan's strongly connected components (iterative), sinks first; looping ones carry their (I − Q)⁻¹. */
function componentsSinksFirst(transitions: Transitions): Component[] {
  const { stateCount, offsets, targets } = transitions;
  const order = new Int32Array(stateCount).fill(-1);
  const low = new Int32Array(stateCount);
  const onStack = new Uint8Array(stateCount);
  const cursor = new Int32Array(stateCount);
  const componentOf = new Int32Array(stateCount).fill(-1);
  const stack: number[] = [];
  const components: Component[] = [];
  let visited = 0;

  const enter = (state: number, calls: number[]) => {
    order[state] = low[state] = visited++;
    cursor[state] = offsets[state]!;
    stack.push(state);
    onStack[state] = 1;
    calls.push(state);
  };
  // The start is the last state; begin there so components come out in one depth-first pass.
  for (let root = stateCount - 1; root >= 0; root--) {
    if (order[root] !== -1) continue;
    const calls: number[] = [];
    enter(root, calls);
    while (calls.length > 0) {
      const state = calls[calls.length - 1]!;
      if (cursor[state]! < offsets[state + 1]!) {
        const to = targets[cursor[state]!++]!;
        if (to >= stateCount) continue;
        if (order[to] === -1) enter(to, calls);
        else if (onStack[to]) low[state] = Math.min(low[state]!, order[to]!);
        continue;
      }
      calls.pop();
      const caller = calls[calls.length - 1];
      if (caller !== undefined) low[caller] = Math.min(low[caller]!, low[state]!);
      if (low[state] !== order[state]) continue;
      const states: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = 0;
        componentOf[member] = components.length;
        states.push(member);
      } while (member !== state);
      const id = components.length;
      const component: Component = { states, has: (s) => s < stateCount && componentOf[s] === id };
      const loops = states.length > 1 || hasSelfLoop(transitions, state);
      if (loops) component.inverse = loopInverse(states, component, transitions);
      components.push(component);
    }
  }
  return components;
}

function hasSelfLoop({ offsets, targets }: Transitions, state: number): boolean {
  for (let e = offsets[state]!; e < offsets[state + 1]!; e++) if (targets[e] === state) return true;
  return false;
}

/**
 * (I − Q)⁻¹ restricted to a looping component, by Gauss–Jordan elimination in place. No pivoting is needed: the
 * component is transient (every journey ends), so I − Q is an irreducibly diagonally dominant M-matrix, whose pivots
 * stay positive and whose elimination is stable as is.
 */
function loopInverse(states: readonly number[], component: Component, transitions: Transitions): Float64Array {
  const { offsets, targets, probabilities } = transitions;
  const k = states.length;
  const position = new Map(states.map((state, i) => [state, i]));
  const a = new Float64Array(k * k);
  states.forEach((state, i) => {
    a[i * k + i] = 1;
    for (let e = offsets[state]!; e < offsets[state + 1]!; e++) {
      const to = targets[e]!;
      if (!component.has(to)) continue;
      const cell = i * k + position.get(to)!;
      a[cell] = a[cell]! - probabilities[e]!;
    }
  });
  for (let p = 0; p < k; p++) {
    const row = p * k;
    const pivot = a[row + p]!;
    a[row + p] = 1;
    for (let j = 0; j < k; j++) a[row + j] = a[row + j]! / pivot;
    for (let i = 0; i < k; i++) {
      const factor = a[i * k + p]!;
      if (i === p || factor === 0) continue;
      a[i * k + p] = 0;
      for (let j = 0; j < k; j++) a[i * k + j] = a[i * k + j]! - factor * a[row + j]!;
    }
  }
  return a;
}
