// Shapley credit for the path-criticality game: a coalition of connectors "opens the door" when it covers every
// connector of at least one complete chain, v(S) = V if so and 0 otherwise.
//
// Only connectors on a minimal complete chain (one containing no other chain's connectors) can ever be pivotal; the
// rest are null players and get exactly 0, and dropping them leaves everyone else's Shapley value unchanged. The
// remaining n players are solved exactly for n ≤ exactLimit by walking all 2^n coalitions as bitmasks; beyond that
// by sampling random orderings, with a Hoeffding error bound.
import { seededRandom } from "@intrograph/random";
import { Rational } from "../rational.ts";
import { reviewChains } from "../eligibility.ts";
import { buildAllocation, percent } from "../allocation.ts";
import type { ConnectorWeight } from "../allocation.ts";
import { resolveMinorUnits } from "../money.ts";
import type { Allocation, MoneyOptions, Outcome, ShapleyMethodReport, ShapleyOptions } from "../types.ts";

export const DEFAULT_EXACT_LIMIT = 16;
/** Bitmask tables of 2^20 entries are the most we allocate; pivot counts stay well inside Int32. */
export const MAX_EXACT_LIMIT = 20;
/** 2^5 · 5^4, so sampled shares (count / permutations) are terminating decimals. */
export const DEFAULT_PERMUTATIONS = 20_000;
export const DEFAULT_CONFIDENCE = 0.99;
export const DEFAULT_SEED = 1;

export interface ShapleyConnectorValue {
  connectorId: string;
  /** Exact Shapley share of the value (an estimate when sampled). */
  share: Rational;
  /** EXACT: pivotal coalitions of the other players, by coalition size. */
  pivotalBySize?: number[];
  /** SAMPLED: orderings in which this connector completed the first complete chain. */
  pivotalPermutations?: number;
  /** On no minimal chain, so never pivotal. */
  isNull: boolean;
}

export interface ShapleyValues {
  method: "EXACT" | "SAMPLED";
  /** Every distinct connector of the chains, in order of first appearance. */
  connectors: ShapleyConnectorValue[];
  /** Connectors that can be pivotal. */
  players: number;
  permutations?: number;
  errorBound?: number;
  confidence?: number;
  seed?: number;
}

/**
 * Shapley shares of the connectors on the given complete chains (each chain: its connector ids, any order).
 * The shares of all connectors sum to exactly 1.
 */
export function shapleyValues(chains: readonly (readonly string[])[], options: ShapleyOptions = {}): ShapleyValues {
  const exactLimit = options.exactLimit ?? DEFAULT_EXACT_LIMIT;
  if (!Number.isInteger(exactLimit) || exactLimit < 0 || exactLimit > MAX_EXACT_LIMIT) {
    throw new RangeError(`exactLimit must be an integer from 0 to ${MAX_EXACT_LIMIT}, got ${exactLimit}`);
  }
  if (chains.length === 0 || chains.some((chain) => chain.length === 0)) {
    throw new RangeError("Shapley values need at least one chain, and no empty chains");
  }

  const connectorIds = [...new Set(chains.flat())];
  const minimal = minimalChains(chains, connectorIds);
  const playerIndex = new Map<string, number>();
  for (const chain of minimal) for (const id of chain) if (!playerIndex.has(id)) playerIndex.set(id, playerIndex.size);
  const players = [...playerIndex.keys()];
  const playerChains = minimal.map((chain) => chain.map((id) => playerIndex.get(id) ?? -1));

  const withNulls = (values: Map<string, Omit<ShapleyConnectorValue, "connectorId" | "isNull">>) =>
    connectorIds.map((connectorId): ShapleyConnectorValue => {
      const value = values.get(connectorId);
      return value
        ? { connectorId, isNull: false, ...value }
        : { connectorId, isNull: true, share: Rational.ZERO, pivotalBySize: [] };
    });

  if (players.length <= exactLimit) {
    const pivotalBySize = exactPivots(players.length, playerChains);
    const values = new Map(
      players.map((id, i) => {
        const counts = Array.from(pivotalBySize.subarray(i * players.length, (i + 1) * players.length));
        return [id, { share: shapleyShare(players.length, counts), pivotalBySize: counts }] as const;
      }),
    );
    return { method: "EXACT", connectors: withNulls(values), players: players.length };
  }

  const permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RangeError(`permutations must be a positive integer, got ${permutations}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);

  const pivots = sampledPivots(players.length, playerChains, permutations, seed);
  const values = new Map(
    players.map((id, i) => {
      const count = pivots[i] ?? 0;
      return [id, { share: Rational.of(count, permutations), pivotalPermutations: count }] as const;
    }),
  );
  return {
    method: "SAMPLED",
    connectors: withNulls(values),
    players: players.length,
    permutations,
    errorBound: hoeffdingBound(permutations, players.length, confidence),
    confidence,
    seed,
  };
}

/**
 * Half-width ε such that every one of `players` sampled shares is within ±ε of its exact value with probability at
 * least `confidence`: each share is a mean of 0/1 pivot indicators, so Hoeffding gives P(|error| ≥ ε) ≤ 2e^(−2mε²);
 * a union bound over the players splits the failure probability between them.
 */
export function hoeffdingBound(permutations: number, players: number, confidence: number): number {
  return Math.sqrt(Math.log((2 * players) / (1 - confidence)) / (2 * permutations));
}

/** Distinct chain connector sets with no proper subset among the others, as lists of connector ids. */
function minimalChains(chains: readonly (readonly string[])[], connectorIds: readonly string[]): string[][] {
  const index = new Map(connectorIds.map((id, i) => [id, i]));
  const sets = chains.map((chain) => [...new Set(chain.map((id) => index.get(id) ?? -1))].sort((a, b) => a - b));
  // Shorter first, so a chain is only ever compared against possible subsets of it; stable for determinism.
  const bySize = sets
    .map((set, order) => ({ set, order }))
    .sort((a, b) => a.set.length - b.set.length || a.order - b.order);
  const kept: number[][] = [];
  const member = new Uint8Array(connectorIds.length);
  for (const { set } of bySize) {
    for (const i of set) member[i] = 1;
    const covered = kept.some((smaller) => smaller.every((i) => member[i] === 1));
    for (const i of set) member[i] = 0;
    if (!covered) kept.push(set);
  }
  return kept.map((set) => set.map((i) => connectorIds[i] ?? ""));
}

/** pivots[i·n + s] = coalitions S of size s, without i, that do not open the door while S ∪ {i} does. */
function exactPivots(n: number, chains: readonly number[][]): Int32Array {
  const size = 1 << n;
  const opens = new Uint8Array(size);
  for (const chain of chains) {
    let mask = 0;
    for (const player of chain) mask |= 1 << player;
    opens[mask] = 1;
  }
  const popcount = popcountTable(n);
  const pivots = new Int32Array(n * n);
  // One pass in increasing order, so every mask's one-smaller subsets are settled before it: a coalition opens the
  // door if it is a chain or drops a member and still opens it; the members it cannot drop are its pivotal players.
  for (let mask = 1; mask < size; mask++) {
    let needed = 0;
    for (let rest = mask; rest !== 0; rest &= rest - 1) {
      const low = rest & -rest;
      if (opens[mask ^ low] === 0) needed |= low;
    }
    if (needed !== mask) opens[mask] = 1;
    else if (opens[mask] === 0) continue;
    const others = (popcount[mask] ?? 0) - 1;
    for (let rest = needed; rest !== 0; rest &= rest - 1) {
      const slot = (31 - Math.clz32(rest & -rest)) * n + others;
      pivots[slot] = (pivots[slot] ?? 0) + 1;
    }
  }
  return pivots;
}

let popcounts = new Uint8Array(1);

/** Bits set in every mask below 2^n; kept between calls since leaderboards solve many outcomes in a row. */
function popcountTable(n: number): Uint8Array {
  const size = 1 << n;
  if (popcounts.length < size) {
    const table = new Uint8Array(size);
    for (let mask = 1; mask < size; mask++) table[mask] = (table[mask >> 1] ?? 0) + (mask & 1);
    popcounts = table;
  }
  return popcounts;
}

/** φᵢ/V = Σ_s pivots(s) · s!(n−s−1)!/n!, in exact integers. */
function shapleyShare(n: number, pivotalBySize: readonly number[]): Rational {
  const factorial = [1n];
  for (let k = 1; k <= n; k++) factorial.push((factorial[k - 1] ?? 1n) * BigInt(k));
  let numerator = 0n;
  pivotalBySize.forEach((count, s) => {
    numerator += BigInt(count) * (factorial[s] ?? 1n) * (factorial[n - s - 1] ?? 1n);
  });
  return Rational.of(numerator, factorial[n] ?? 1n);
}

/** Pivot counts over random orderings: in each ordering exactly one player completes the first complete chain. */
function sampledPivots(n: number, chains: readonly number[][], permutations: number, seed: number): Int32Array {
  const chainsOf: number[][] = Array.from({ length: n }, () => []);
  const needed = new Int32Array(chains.length);
  chains.forEach((chain, c) => {
    needed[c] = chain.length;
    for (const player of chain) chainsOf[player]?.push(c);
  });
  const random = seededRandom(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const missing = new Int32Array(chains.length);
  const pivots = new Int32Array(n);

  for (let t = 0; t < permutations; t++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = swap;
    }
    missing.set(needed);
    ordering: for (const player of order) {
      for (const c of chainsOf[player] ?? []) {
        const stillMissing = (missing[c] ?? 0) - 1;
        missing[c] = stillMissing;
        if (stillMissing === 0) {
          pivots[player] = (pivots[player] ?? 0) + 1;
          break ordering;
        }
      }
    }
  }
  return pivots;
}

/** Shapley credit for one outcome. */
export function attributeShapley(outcome: Outcome, options: MoneyOptions & ShapleyOptions = {}): Allocation {
  const minorUnits = resolveMinorUnits(options.minorUnits);
  const review = reviewChains(outcome.chains);
  if (review.complete.length === 0) {
    return buildAllocation({ outcome, model: "SHAPLEY", minorUnits, review, weights: [], method: "" });
  }

  const result = shapleyValues(
    review.complete.map((chain) => chain.touches.map((touch) => touch.connectorId)),
    options,
  );
  const n = result.players;
  const coalitions = 2 ** Math.max(n - 1, 0);
  const weights: ConnectorWeight[] = result.connectors.map((value) => {
    if (result.method === "EXACT") {
      const pivotal = (value.pivotalBySize ?? []).reduce((sum, count) => sum + count, 0);
      return {
        connectorId: value.connectorId,
        weight: value.share,
        basis: {
          model: "SHAPLEY",
          method: "EXACT",
          pivotalCoalitions: pivotal,
          coalitions: value.isNull ? 2 ** n : coalitions,
          pivotalBySize: value.pivotalBySize ?? [],
          fraction: value.share.toString(),
        },
        note: value.isNull
          ? `never pivotal: any group that opens the door with ${value.connectorId} also opens it without`
          : `pivotal in ${pivotal} of ${coalitions} coalition(s) of the other ${n - 1} connector(s); Shapley share ${value.share.toString()}`,
      };
    }
    const pivotal = value.pivotalPermutations ?? 0;
    return {
      connectorId: value.connectorId,
      weight: value.share,
      basis: {
        model: "SHAPLEY",
        method: "SAMPLED",
        pivotalPermutations: pivotal,
        permutations: result.permutations ?? 0,
      },
      note: value.isNull
        ? `never pivotal: any group that opens the door with ${value.connectorId} also opens it without`
        : `completed the first complete chain in ${pivotal} of ${result.permutations ?? 0} sampled orderings (${percent(value.share.toNumber())})`,
    };
  });

  const nullCount = result.connectors.filter((value) => value.isNull).length;
  const nulls = nullCount > 0 ? ` ${nullCount} connector(s) lie on no minimal chain and earn 0.` : "";
  const rule =
    "A group of connectors opens the door when it covers every connector of some complete chain; each connector " +
    "earns the Shapley-weighted share of the groups it turns from closed to open.";
  let method: string;
  const shapley: ShapleyMethodReport = { method: result.method, players: n };
  if (result.method === "EXACT") {
    method = `Exact Shapley value over ${n} connector(s) who can make a difference. ${rule}${nulls}`;
  } else {
    shapley.permutations = result.permutations ?? 0;
    shapley.errorBound = result.errorBound ?? 0;
    shapley.confidence = result.confidence ?? 0;
    shapley.seed = result.seed ?? 0;
    method =
      `Shapley value estimated from ${shapley.permutations} random orderings of ${n} connectors (seed ${shapley.seed}): ` +
      `every share is within ±${shapley.errorBound.toFixed(4)} of the exact share with probability ≥ ${shapley.confidence} ` +
      `(Hoeffding bound, union over connectors). ${rule}${nulls}`;
  }

  return buildAllocation({ outcome, model: "SHAPLEY", minorUnits, review, weights, method, shapley });
}
