// One direction of the bidirectional warm-intro search (see paths.ts): its labels and per-person bookkeeping, in typed
// arrays reused across searches.

import { MinHeap } from "./heap.ts";
import { NONE } from "./search-common.ts";

/** One direction of the bidirectional search: labels (node, cost, hops, parent) and per-person bookkeeping. */
export class SearchSide {
  stamp: Int32Array;
  settledHead: Int32Array;
  settledMinHops: Int32Array;
  tentativeCost: Float64Array;
  tentativeHops: Int32Array;
  readonly heap = new MinHeap(4096);

  labelNode: Int32Array = new Int32Array(4096);
  labelParent: Int32Array = new Int32Array(4096);
  labelCost: Float64Array = new Float64Array(4096);
  labelHops: Int32Array = new Int32Array(4096);
  labelNextSettled: Int32Array = new Int32Array(4096);
  /** Strength of the relationship between a label's person and its parent's person. */
  labelStrength: Float64Array = new Float64Array(4096);
  labelCount = 0;

  constructor(capacity: number) {
    this.stamp = new Int32Array(capacity);
    this.settledHead = new Int32Array(capacity);
    this.settledMinHops = new Int32Array(capacity);
    this.tentativeCost = new Float64Array(capacity);
    this.tentativeHops = new Int32Array(capacity);
  }

  reset(): void {
    this.heap.clear();
    this.labelCount = 0;
  }

  clearStamps(): void {
    this.stamp.fill(0);
  }

  /** Makes a person's bookkeeping current for this search (epoch stamping instead of clearing arrays). */
  touch(person: number, epoch: number): void {
    if (this.stamp[person] === epoch) return;
    this.stamp[person] = epoch;
    this.settledHead[person] = NONE;
    this.settledMinHops[person] = 0x7fffffff;
    this.tentativeCost[person] = Infinity;
    this.tentativeHops[person] = 0x7fffffff;
  }

  addLabel(person: number, parent: number, cost: number, hops: number, strength: number, personCount: number): void {
    if (this.labelCount === this.labelNode.length) this.growLabels();
    const label = this.labelCount++;
    this.labelNode[label] = person;
    this.labelParent[label] = parent;
    this.labelCost[label] = cost;
    this.labelHops[label] = hops;
    this.labelStrength[label] = strength;
    this.labelNextSettled[label] = NONE;
    // Ties on cost pop fewer hops first, then the lower person index.
    this.heap.push(label, cost, hops * personCount + person);
  }

  private growLabels(): void {
    const capacity = this.labelNode.length * 2;
    const int = (old: Int32Array): Int32Array => {
      const bigger = new Int32Array(capacity);
      bigger.set(old);
      return bigger;
    };
    const float = (old: Float64Array): Float64Array => {
      const bigger = new Float64Array(capacity);
      bigger.set(old);
      return bigger;
    };
    this.labelNode = int(this.labelNode);
    this.labelParent = int(this.labelParent);
    this.labelHops = int(this.labelHops);
    this.labelNextSettled = int(this.labelNextSettled);
    this.labelCost = float(this.labelCost);
    this.labelStrength = float(this.labelStrength);
  }
}
