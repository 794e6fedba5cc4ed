// Betweenness centrality (Brandes), hop-based like networkx's default: exact for modest graphs, and a seeded
// pivot-sampled estimate with a stated error bound for large ones.

import { seededRandom } from "../random.ts";
import type { Adjacency, GraphSnapshot } from "../snapshot.ts";

export interface BetweennessOptions {
  /** Scale like networkx `normalized=True` (divide by (n−1)(n−2)/2 pairs). Default true. */
  normalized?: boolean;
}

export interface SampledBetweennessOptions extends BetweennessOptions {
  /** Number of pivot sources, sampled without replacement. */
  pivots: number;
  seed: number;
  /** Probability that every person's estimate is within `errorBound` at once. Default 0.95. */
  confidence?: number;
}

export interface SampledBetweenness {
  /** Estimates by person index, scaled like the exact values. */
  values: Float64Array;
  pivots: number;
  /**
   * Hoeffding bound on the normalized scale: with probability ≥ `confidence`, |estimate − exact| ≤ errorBound for
   * every person simultaneously (multiply by (n−1)(n−2)/2 for unnormalized values).
   */
  errorBound: number;
  confidence: number;
}

/** Reusable Brandes buffers for single-source dependency accumulation. */
class BrandesScratch {
  readonly order: Int32Array;
  readonly distance: Int32Array;
  readonly paths: Float64Array;
  readonly dependency: Float64Array;

  constructor(personCount: number) {
    this.order = new Int32Array(personCount);
    this.distance = new Int32Array(personCount);
    this.paths = new Float64Array(personCount);
    this.dependency = new Float64Array(personCount);
  }

  /** Adds source's dependencies δ_s(v) to `into`. Predecessors are found by rescanning neighbours, not stored. */
  accumulate(adjacency: Adjacency, source: number, into: Float64Array): void {
    const { offsets, targets } = adjacency;
    const { order, distance, paths, dependency } = this;
    distance.fill(-1);
    paths.fill(0);
    dependency.fill(0);
    distance[source] = 0;
    paths[source] = 1;
    order[0] = source;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const v = order[head++]!;
      const next = distance[v]! + 1;
      for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
        const w = targets[i]!;
        if (distance[w] === -1) {
          distance[w] = next;
          order[tail++] = w;
        }
        if (distance[w] === next) paths[w]! += paths[v]!;
      }
    }
    for (let position = tail - 1; position > 0; position--) {
      const w = order[position]!;
      const before = distance[w]! - 1;
      const share = (1 + dependency[w]!) / paths[w]!;
      for (let i = offsets[w]!; i < offsets[w + 1]!; i++) {
        const v = targets[i]!;
        if (distance[v] === before) dependency[v]! += paths[v]! * share;
      }
      into[w]! += dependency[w]!;
    }
  }
}

/** networkx `_rescale` for undirected graphs; `sampledFraction` is n/k for pivot estimates. */
function rescale(values: Float64Array, n: number, normalized: boolean, sampledFraction: number): void {
  // Each unordered pair is counted from both ends, hence the 1/2 when not normalizing.
  const scale = normalized ? (n > 2 ? 1 / ((n - 1) * (n - 2)) : 0) : 0.5;
  const factor = scale * sampledFraction;
  for (let i = 0; i < n; i++) values[i]! *= factor;
}

/** Exact betweenness of every person (by index), O(people · relationships). */
export function betweennessCentrality(snapshot: GraphSnapshot, options: BetweennessOptions = {}): Float64Array {
  const adjacency = snapshot.adjacency();
  const n = adjacency.personCount;
  const values = new Float64Array(n);
  const scratch = new BrandesScratch(n);
  for (let source = 0; source < n; source++) scratch.accumulate(adjacency, source, values);
  rescale(values, n, options.normalized ?? true, 1);
  return values;
}

/**
 * Betweenness estimated from `pivots` sources drawn without replacement (Brandes & Pich), scaled by n/k as networkx
 * does for `k`. Each source contributes Y = n·δ_s(v)/((n−1)(n−2)) ∈ [0, n/(n−1)] with mean equal to the exact
 * normalized value, so Hoeffding (which holds for sampling without replacement) and a union bound over the n people
 * give errorBound = n/(n−1) · sqrt(ln(2n/(1−confidence)) / (2k)).
 */
export function sampledBetweennessCentrality(
  snapshot: GraphSnapshot,
  options: SampledBetweennessOptions,
): SampledBetweenness {
  const adjacency = snapshot.adjacency();
  const n = adjacency.personCount;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const pivots = Math.min(n, Math.max(1, Math.floor(options.pivots)));
  const random = seededRandom(options.seed);
  // Partial Fisher–Yates: the first `pivots` entries become a uniform sample without replacement.
  const people = new Int32Array(n);
  for (let i = 0; i < n; i++) people[i] = i;
  for (let i = 0; i < pivots; i++) {
    const j = i + Math.floor(random() * (n - i));
    const swap = people[i]!;
    people[i] = people[j]!;
    people[j] = swap;
  }
  const values = new Float64Array(n);
  const scratch = new BrandesScratch(n);
  for (let i = 0; i < pivots; i++) scratch.accumulate(adjacency, people[i]!, values);
  rescale(values, n, options.normalized ?? true, n / pivots);
  const errorBound = n > 2 ? (n / (n - 1)) * Math.sqrt(Math.log((2 * n) / (1 - confidence)) / (2 * pivots)) : 0;
  return { values, pivots, errorBound, confidence };
}
