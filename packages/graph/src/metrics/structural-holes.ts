// Burt's structural-hole measures (constraint and effective size), computed as networkx `nx.constraint` and
// `nx.effective_size` do for undirected graphs, unweighted or weighted by relationship strength.

import type { Adjacency, GraphSnapshot } from "../snapshot.ts";

export interface StructuralHoleOptions {
  /** Weight relationships by strength (networkx `weight=`); default false, i.e. every relationship weighs 1. */
  weighted?: boolean;
}

/** Per-ego scratch: which people are the ego's contacts, and the ego's normalized tie to each. */
class EgoScratch {
  readonly contactOf: Int32Array;
  readonly share: Float64Array;
  readonly accumulated: Float64Array;
  readonly totalWeight: Float64Array;
  readonly maxWeight: Float64Array;

  constructor(adjacency: Adjacency, weighted: boolean) {
    const n = adjacency.personCount;
    this.contactOf = new Int32Array(n).fill(-1);
    this.share = new Float64Array(n);
    this.accumulated = new Float64Array(n);
    this.totalWeight = new Float64Array(n);
    this.maxWeight = new Float64Array(n);
    const { offsets, strengths } = adjacency;
    for (let v = 0; v < n; v++) {
      let total = 0;
      let max = 0;
      for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
        const weight = weighted ? strengths[i]! : 1;
        total += weight;
        if (weight > max) max = weight;
      }
      this.totalWeight[v] = total;
      this.maxWeight[v] = max;
    }
  }

  /** Marks ego's contacts and their proportional ties p(ego, contact). */
  enter(adjacency: Adjacency, ego: number, weighted: boolean): void {
    const { offsets, targets, strengths } = adjacency;
    const total = this.totalWeight[ego]!;
    for (let i = offsets[ego]!; i < offsets[ego + 1]!; i++) {
      const contact = targets[i]!;
      this.contactOf[contact] = ego;
      this.share[contact] = (weighted ? strengths[i]! : 1) / total;
      this.accumulated[contact] = 0;
    }
  }
}

/**
 * Burt's constraint c(v) = Σ_j (p_vj + Σ_q p_vq·p_qj)², with p the proportional tie strength. NaN for people
 * without relationships (networkx does the same). Low constraint means the person spans structural holes.
 */
export function constraint(snapshot: GraphSnapshot, options: StructuralHoleOptions = {}): Float64Array {
  const weighted = options.weighted ?? false;
  const adjacency = snapshot.adjacency();
  const { personCount: n, offsets, targets, strengths } = adjacency;
  const scratch = new EgoScratch(adjacency, weighted);
  const result = new Float64Array(n);
  for (let ego = 0; ego < n; ego++) {
    if (offsets[ego] === offsets[ego + 1]) {
      result[ego] = NaN;
      continue;
    }
    scratch.enter(adjacency, ego, weighted);
    // Indirect investment: ego → q → j for contacts q and j of ego.
    for (let i = offsets[ego]!; i < offsets[ego + 1]!; i++) {
      const q = targets[i]!;
      const egoToQ = scratch.share[q]!;
      const qTotal = scratch.totalWeight[q]!;
      for (let l = offsets[q]!; l < offsets[q + 1]!; l++) {
        const j = targets[l]!;
        if (j === ego || scratch.contactOf[j] !== ego) continue;
        scratch.accumulated[j]! += (egoToQ * (weighted ? strengths[l]! : 1)) / qTotal;
      }
    }
    let sum = 0;
    for (let i = offsets[ego]!; i < offsets[ego + 1]!; i++) {
      const j = targets[i]!;
      const local = scratch.share[j]! + scratch.accumulated[j]!;
      sum += local * local;
    }
    result[ego] = sum;
  }
  return result;
}

/**
 * Effective size: the non-redundant part of a person's contacts. Unweighted, Borgatti's n − 2t/n (t = ties among
 * the contacts), as networkx uses; weighted, Burt's Σ_j (1 − Σ_q p_vq·m_jq) with m_jq = w_jq / max_k w_jk.
 * NaN for people without relationships.
 */
export function effectiveSize(snapshot: GraphSnapshot, options: StructuralHoleOptions = {}): Float64Array {
  const weighted = options.weighted ?? false;
  const adjacency = snapshot.adjacency();
  const { personCount: n, offsets, targets, strengths } = adjacency;
  const scratch = new EgoScratch(adjacency, weighted);
  const result = new Float64Array(n);
  for (let ego = 0; ego < n; ego++) {
    const contacts = offsets[ego + 1]! - offsets[ego]!;
    if (contacts === 0) {
      result[ego] = NaN;
      continue;
    }
    scratch.enter(adjacency, ego, weighted);
    let redundancy = 0;
    for (let i = offsets[ego]!; i < offsets[ego + 1]!; i++) {
      const j = targets[i]!;
      const jMax = scratch.maxWeight[j]!;
      for (let l = offsets[j]!; l < offsets[j + 1]!; l++) {
        const q = targets[l]!;
        if (q === ego || scratch.contactOf[q] !== ego) continue;
        // Unweighted this counts each tie among contacts twice, i.e. 2t.
        redundancy += weighted ? (scratch.share[q]! * strengths[l]!) / jMax : 1;
      }
    }
    result[ego] = weighted ? contacts - redundancy : contacts - redundancy / contacts;
  }
  return result;
}
