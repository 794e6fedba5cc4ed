// A binary min-heap of integer items on typed arrays, for Dijkstra-style searches that run many times per second.
// Items are ordered by (key, tie, item) so equal keys pop in a fixed order and searches stay deterministic.

export class MinHeap {
  private items: Int32Array;
  private keys: Float64Array;
  private ties: Float64Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.items = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.ties = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  /** Key of the smallest entry; the caller checks `size` first. */
  peekKey(): number {
    return this.keys[0]!;
  }

  push(item: number, key: number, tie: number): void {
    if (this.count === this.items.length) this.grow();
    let hole = this.count++;
    const items = this.items;
    const keys = this.keys;
    const ties = this.ties;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if (!this.less(key, tie, item, keys[parent]!, ties[parent]!, items[parent]!)) break;
      items[hole] = items[parent]!;
      keys[hole] = keys[parent]!;
      ties[hole] = ties[parent]!;
      hole = parent;
    }
    items[hole] = item;
    keys[hole] = key;
    ties[hole] = tie;
  }

  /** Removes and returns the smallest item; the caller checks `size` first. */
  pop(): number {
    const items = this.items;
    const keys = this.keys;
    const ties = this.ties;
    const top = items[0]!;
    const last = --this.count;
    if (last === 0) return top;
    const item = items[last]!;
    const key = keys[last]!;
    const tie = ties[last]!;
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= last) break;
      const right = child + 1;
      if (
        right < last &&
        this.less(keys[right]!, ties[right]!, items[right]!, keys[child]!, ties[child]!, items[child]!)
      ) {
        child = right;
      }
      if (!this.less(keys[child]!, ties[child]!, items[child]!, key, tie, item)) break;
      items[hole] = items[child]!;
      keys[hole] = keys[child]!;
      ties[hole] = ties[child]!;
      hole = child;
    }
    items[hole] = item;
    keys[hole] = key;
    ties[hole] = tie;
    return top;
  }

  private less(keyA: number, tieA: number, itemA: number, keyB: number, tieB: number, itemB: number): boolean {
    if (keyA !== keyB) return keyA < keyB;
    if (tieA !== tieB) return tieA < tieB;
    return itemA < itemB;
  }

  private grow(): void {
    const capacity = this.items.length * 2;
    const items = new Int32Array(capacity);
    const keys = new Float64Array(capacity);
    const ties = new Float64Array(capacity);
    items.set(this.items);
    keys.set(this.keys);
    ties.set(this.ties);
    this.items = items;
    this.keys = keys;
    this.ties = ties;
  }
}
