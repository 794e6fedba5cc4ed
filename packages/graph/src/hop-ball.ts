// Hop distances around the ends of a warm-intro search (see paths.ts), used as lower bounds to prune labels.

import { REMOVED_FLAG, VERIFIED_FLAG } from "./snapshot.ts";
import type { GraphSnapshot } from "./snapshot.ts";
import { NONE } from "./search-common.ts";

/**
 * A label is pruned when hops + lowerBound(person) > hopLimit, and every label has hops ≥ 1, so only distances below
 * the hop limit matter: people beyond radius hopLimit − 1 get bound hopLimit and are pruned either way. Exploring one
 * level less gives the same pruning at a fraction of the cost (the last level is the largest).
 */
export function ballRadius(hopLimit: number): number {
  return Math.max(0, hopLimit - 1);
}

/**
 * Hop distances from a set of people, found by a BFS that stops at a work budget. Unvisited people are at least
 * `complete + 1` hops away, which gives a lower bound used to drop labels that cannot reach the other end in time.
 */
export class HopBall {
  stamp: Int32Array;
  distance: Int32Array;
  queue: Int32Array;
  complete = 0;
  epoch = 0;
  /** What the last exploration was for (a single seed), so a query can reuse it: seed, radius, query epoch. */
  seed = NONE;
  radius = -1;
  queryEpoch = 0;

  constructor(capacity: number) {
    this.stamp = new Int32Array(capacity);
    this.distance = new Int32Array(capacity);
    this.queue = new Int32Array(capacity);
  }

  lowerBound(person: number): number {
    return this.stamp[person] === this.epoch ? this.distance[person]! : this.complete + 1;
  }

  explore(
    snapshot: GraphSnapshot,
    seeds: readonly number[],
    maxRadius: number,
    verifiedOnly: boolean,
    epoch: number,
    edgeBudget: number,
  ): void {
    this.epoch = epoch;
    const { offsets, targets, flags } = snapshot;
    const overlay = snapshot.overlaySize > 0 ? snapshot.overlayHead : null;
    let tail = 0;
    for (const seed of seeds) {
      if (this.stamp[seed] === epoch) continue;
      this.stamp[seed] = epoch;
      this.distance[seed] = 0;
      this.queue[tail++] = seed;
    }
    let head = 0;
    let scanned = 0;
    this.complete = 0;
    for (let level = 0; level < maxRadius && head < tail; level++) {
      const levelEnd = tail;
      for (; head < levelEnd; head++) {
        const v = this.queue[head]!;
        scanned += offsets[v + 1]! - offsets[v]!;
        if (scanned > edgeBudget) return; // people up to `level` hops are all stamped; deeper ones may not be
        for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
          const f = flags[i]!;
          if (f & REMOVED_FLAG || (verifiedOnly && !(f & VERIFIED_FLAG))) continue;
          this.visit(targets[i]!, level + 1, epoch, tail) && tail++;
        }
        if (overlay !== null) {
          for (let e = overlay[v]!; e !== NONE; e = snapshot.overlayNext[e]!) {
            const f = snapshot.overlayFlags[e]!;
            if (f & REMOVED_FLAG || (verifiedOnly && !(f & VERIFIED_FLAG))) continue;
            this.visit(snapshot.overlayTarget[e]!, level + 1, epoch, tail) && tail++;
          }
        }
      }
      this.complete = level + 1;
    }
    // Every level was expanded: people not stamped are farther than maxRadius (or unreachable).
    if (head >= tail) this.complete = Math.max(this.complete, maxRadius);
  }

  private visit(person: number, distance: number, epoch: number, tail: number): boolean {
    if (this.stamp[person] === epoch) return false;
    this.stamp[person] = epoch;
    this.distance[person] = distance;
    this.queue[tail] = person;
    return true;
  }
}
