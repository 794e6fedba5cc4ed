// Seeded randomness for the demo data: the same seed yields the same network, ids included, on every machine.
import { seededRandom } from "@intrograph/random";

export class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[this.int(items.length)]!;
  }

  /** Picks by weight; `weights` need not be normalised. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /**
   * `weighted` for many draws from one long list: prefix sums and a binary search, O(log n) a draw instead of O(n).
   * Draws the same items as `weighted` would from the same random numbers.
   */
  weightedTable<T>(items: readonly (readonly [T, number])[]): () => T {
    const cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach(([, weight], i) => {
      total += weight;
      cumulative[i] = total;
    });
    return () => {
      const roll = this.next() * total;
      let low = 0;
      let high = items.length - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (cumulative[middle]! > roll) high = middle;
        else low = middle + 1;
      }
      return items[low]![0];
    };
  }

  /** Knuth's method; fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.next();
    while (product > limit) {
      k += 1;
      product *= this.next();
    }
    return k;
  }

  /** Log-normal via Box–Muller: follower counts, deal sizes and team sizes are all heavy-tailed. */
  logNormal(median: number, sigma: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }

  /** Distinct sample of up to `count` items (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.max(0, Math.min(count, copy.length));
    for (let i = 0; i < n; i += 1) {
      const j = i + this.int(copy.length - i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }

  /** A date uniformly between two instants. */
  dateBetween(from: Date, to: Date): Date {
    return new Date(Math.floor(from.getTime() + this.next() * (to.getTime() - from.getTime())));
  }
}

/**
 * UUID v7-shaped ids from a PRNG and a fixed base time: version and variant bits are right, the timestamp advances one
 * millisecond per id, so ids are unique, stable for a seed, and sort in creation order like real v7 ids.
 */
export function uuidV7Factory(seed: number, baseTime: Date): () => string {
  const random = seededRandom(seed ^ 0x5eed1d5);
  let timestamp = baseTime.getTime();
  const hex = (value: number, digits: number) => value.toString(16).padStart(digits, "0");
  const random32 = () => Math.floor(random() * 4294967296);
  return () => {
    const time = hex(timestamp, 12);
    timestamp += 1;
    const randA = random32() & 0x0fff;
    const variant = 0x8000 | (random32() & 0x3fff);
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(randA, 3)}-${hex(variant, 4)}-${hex(random32() & 0xffff, 4)}${hex(random32(), 8)}`;
  };
}
