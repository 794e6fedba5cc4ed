// Betweenness centrality (Brandes), hop-based like networkx's default: exact for modest graphs, and a seeded
// pivot-sampled estimate with a stated error bound for large ones.

import { seededRandom } from "@intrograph/random";
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

/**
 * Reusable Brandes buffers for single-source dependency accumulation, all typed arrays sized once.
 *
 * The BFS is direction-optimizing (Beamer et al.): each level is expanded top-down from the frontier or bottom-up
 * from the people not reached yet, whichever has fewer relationship ends to scan. Path counts need every
 * predecessor, so a bottom-up step scans all of an unreached person's relationships, but on power-law graphs it
 * still skips most of the big middle level's edges. The shortest-path DAG edges are recorded level by level, so the
 * backward pass reads only those, never rescanning neighbours.
 */
class BrandesScratch {
  /** People in BFS order; level L occupies order[levelStart[L] .. levelStart[L + 1]). */
  private readonly order: Int32Array;
  private readonly levelStart: Int32Array;
  /** Hop distance from the current source; −1 for people not reached (reset from `order` after each source). */
  private readonly distance: Int32Array;
  /** σ_s(v): number of shortest paths from the source. */
  private readonly paths: Float64Array;
  /** Σ over DAG successors w of (1 + δ_s(w)) / σ_s(w); δ_s(v) = σ_s(v) · successorShare[v]. */
  private readonly successorShare: Float64Array;
  private readonly share: Float64Array;
  /** DAG edges dagFrom[e] → dagTo[e], grouped by the level they enter: dagStart[L] .. dagStart[L + 1] enter L. */
  private readonly dagFrom: Int32Array;
  private readonly dagTo: Int32Array;
  private readonly dagStart: Int32Array;
  /** People not reached yet, kept only once a bottom-up step has needed them. */
  private readonly unreached: Int32Array;
  private readonly degree: Int32Array;

  constructor(private readonly adjacency: Adjacency) {
    const n = adjacency.personCount;
    const { offsets } = adjacency;
    this.order = new Int32Array(n);
    this.levelStart = new Int32Array(n + 2);
    this.distance = new Int32Array(n).fill(-1);
    this.paths = new Float64Array(n);
    this.successorShare = new Float64Array(n);
    this.share = new Float64Array(n);
    // Each relationship joins consecutive levels in at most one direction, so half the entries bound the DAG.
    const dagCapacity = Math.ceil(adjacency.targets.length / 2) + 1;
    this.dagFrom = new Int32Array(dagCapacity);
    this.dagTo = new Int32Array(dagCapacity);
    this.dagStart = new Int32Array(n + 2);
    this.unreached = new Int32Array(n);
    this.degree = new Int32Array(n);
    for (let v = 0; v < n; v++) this.degree[v] = offsets[v + 1]! - offsets[v]!;
  }

  /** Adds source's dependencies δ_s(v) to `into`. */
  accumulate(source: number, into: Float64Array): void {
    const { offsets, targets, personCount } = this.adjacency;
    const { order, levelStart, distance, paths, successorShare, share, dagFrom, dagTo, dagStart, unreached, degree } =
      this;
    distance[source] = 0;
    paths[source] = 1;
    successorShare[source] = 0;
    order[0] = source;
    levelStart[0] = 0;
    dagStart[0] = 0;
    let tail = 1;
    let dagCount = 0;
    let level = 0;
    let unreachedCount = -1; // listed at the first bottom-up step
    let frontierEnds = degree[source]!;
    let unreachedEnds = targets.length - frontierEnds;
    while (levelStart[level]! < tail) {
      const frontierStart = levelStart[level]!;
      const frontierEnd = tail;
      const next = level + 1;
      let discoveredEnds = 0;
      dagStart[next] = dagCount;
      if (frontierEnds <= unreachedEnds) {
        for (let p = frontierStart; p < frontierEnd; p++) {
          const v = order[p]!;
          const pathsV = paths[v]!;
          const end = offsets[v + 1]!;
          for (let i = offsets[v]!; i < end; i++) {
            const w = targets[i]!;
            const distanceW = distance[w]!;
            if (distanceW === -1) {
              distance[w] = next;
              paths[w] = pathsV;
              successorShare[w] = 0;
              order[tail++] = w;
              discoveredEnds += degree[w]!;
              dagFrom[dagCount] = v;
              dagTo[dagCount++] = w;
            } else if (distanceW === next) {
              paths[w]! += pathsV;
              dagFrom[dagCount] = v;
              dagTo[dagCount++] = w;
            }
          }
        }
        if (unreachedCount >= 0) {
          let kept = 0;
          for (let j = 0; j < unreachedCount; j++)
            if (distance[unreached[j]!] === -1) unreached[kept++] = unreached[j]!;
          unreachedCount = kept;
        }
      } else {
        if (unreachedCount < 0) {
          unreachedCount = 0;
          for (let u = 0; u < personCount; u++) if (distance[u] === -1) unreached[unreachedCount++] = u;
        }
        let kept = 0;
        for (let j = 0; j < unreachedCount; j++) {
          const u = unreached[j]!;
          const before = dagCount;
          let pathsU = 0;
          const end = offsets[u + 1]!;
          for (let i = offsets[u]!; i < end; i++) {
            const x = targets[i]!;
            if (distance[x] === level) {
              pathsU += paths[x]!;
              dagFrom[dagCount] = x;
              dagTo[dagCount++] = u;
            }
          }
          if (dagCount !== before) {
            paths[u] = pathsU;
            successorShare[u] = 0;
            order[tail++] = u;
            discoveredEnds += degree[u]!;
          } else {
            unreached[kept++] = u;
          }
        }
        unreachedCount = kept;
        // Distances are set after the step, so the scan above only ever matched the current level.
        for (let p = frontierEnd; p < tail; p++) distance[order[p]!] = next;
      }
      unreachedEnds -= discoveredEnds;
      frontierEnds = discoveredEnds;
      level = next;
      levelStart[level] = frontierEnd;
    }
    dagStart[level] = dagCount;
    // Backward, deepest level first: finish each person's dependency, then pass its share to its predecessors.
    for (let deepest = level - 1; deepest >= 1; deepest--) {
      const end = levelStart[deepest + 1]!;
      for (let p = levelStart[deepest]!; p < end; p++) {
        const w = order[p]!;
        const pathsW = paths[w]!;
        const dependency = pathsW * successorShare[w]!;
        into[w]! += dependency;
        share[w] = (1 + dependency) / pathsW;
      }
      const dagEnd = dagStart[deepest + 1]!;
      for (let e = dagStart[deepest]!; e < dagEnd; e++) successorShare[dagFrom[e]!]! += share[dagTo[e]!]!;
    }
    for (let p = 0; p < tail; p++) distance[order[p]!] = -1;
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
  const run = new BetweennessRun(snapshot, options);
  run.step(Number.POSITIVE_INFINITY);
  return run.result().values;
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
  const run = new BetweennessRun(snapshot, options);
  run.step(Number.POSITIVE_INFINITY);
  const { values, pivots, errorBound, confidence } = run.result();
  return { values, pivots, errorBound: errorBound ?? 0, confidence };
}

export interface BetweennessRunResult {
  values: Float64Array;
  method: "EXACT" | "SAMPLED";
  /** Sources used: every person when exact. */
  pivots: number;
  /** Sampled only (see SampledBetweenness.errorBound); null when exact. */
  errorBound: number | null;
  confidence: number;
}

/**
 * Betweenness a few sources at a time, for a thread that answers requests between steps: `step(k)` runs up to k more
 * sources, `result()` gives the values once `done`. Exact without `pivots`, sampled with them; the same values as
 * betweennessCentrality and sampledBetweennessCentrality. It reads the snapshot's compacted adjacency as of
 * construction, so patch a copy, not this snapshot, while a run is under way.
 */
export class BetweennessRun {
  private readonly adjacency: Adjacency;
  private readonly scratch: BrandesScratch;
  private readonly sources: Int32Array;
  private readonly values: Float64Array;
  private readonly normalized: boolean;
  private readonly sampled: boolean;
  private readonly confidence: number;
  private next = 0;

  constructor(snapshot: GraphSnapshot, options: BetweennessOptions & Partial<SampledBetweennessOptions> = {}) {
    this.adjacency = snapshot.adjacency();
    const n = this.adjacency.personCount;
    this.normalized = options.normalized ?? true;
    this.confidence = options.confidence ?? 0.95;
    this.values = new Float64Array(n);
    this.scratch = new BrandesScratch(this.adjacency);
    this.sampled = options.pivots !== undefined;
    if (options.pivots === undefined) {
      this.sources = new Int32Array(n);
      for (let i = 0; i < n; i++) this.sources[i] = i;
      return;
    }
    if (!(this.confidence > 0 && this.confidence < 1))
      throw new RangeError(`confidence must be in (0, 1), got ${this.confidence}`);
    const pivots = Math.min(n, Math.max(1, Math.floor(options.pivots)));
    const random = seededRandom(options.seed ?? 1);
    // Partial Fisher–Yates: the first `pivots` entries become a uniform sample without replacement.
    const people = new Int32Array(n);
    for (let i = 0; i < n; i++) people[i] = i;
    for (let i = 0; i < pivots; i++) {
      const j = i + Math.floor(random() * (n - i));
      const swap = people[i]!;
      people[i] = people[j]!;
      people[j] = swap;
    }
    this.sources = people.subarray(0, pivots);
  }

  get done(): boolean {
    return this.next >= this.sources.length;
  }

  /** Sources still to run. */
  get remaining(): number {
    return this.sources.length - this.next;
  }

  /** Runs up to `count` more sources. */
  step(count: number): void {
    const end = Math.min(this.sources.length, this.next + count);
    for (; this.next < end; this.next++) this.scratch.accumulate(this.sources[this.next]!, this.values);
  }

  result(): BetweennessRunResult {
    if (!this.done) throw new Error("betweenness run not finished");
    const n = this.adjacency.personCount;
    const pivots = this.sources.length;
    const values = this.values.slice();
    rescale(values, n, this.normalized, this.sampled ? n / Math.max(1, pivots) : 1);
    const errorBound = !this.sampled
      ? null
      : n > 2
        ? (n / (n - 1)) * Math.sqrt(Math.log((2 * n) / (1 - this.confidence)) / (2 * pivots))
        : 0;
    return { values, method: this.sampled ? "SAMPLED" : "EXACT", pivots, errorBound, confidence: this.confidence };
  }
}
