// Warm-intro paths: the chains of relationships from one person to another person, or to any decision maker of an
// organization, that maximise the product of strengths — bidirectional hop-bounded Dijkstra plus Yen's k best paths.

import { ballRadius, HopBall } from "./hop-ball.ts";
import { NONE, strengthCost } from "./search-common.ts";
import { SearchSide } from "./search-side.ts";
import { REMOVED_FLAG, VERIFIED_FLAG } from "./snapshot.ts";
import type { GraphSnapshot } from "./snapshot.ts";

export interface WarmIntroQuery {
  /** Person who wants the introduction. */
  from: string;
  /** Person to reach. Exactly one of `to` and `toOrganization` is given. */
  to?: string;
  /** Organization to reach: the path ends at any of its decision makers. */
  toOrganization?: string;
  /** How many loopless paths to return, best first. Default 1. */
  k?: number;
  /** Longest chain of relationships allowed. Default DEFAULT_MAX_HOPS. */
  maxHops?: number;
  /** Use verified relationships only. */
  verifiedOnly?: boolean;
  /** People who must not appear anywhere on a path (endpoints included). */
  exclude?: readonly string[];
}

export interface WarmIntroPath {
  /** From the requester to the person reached, inclusive. */
  personIds: string[];
  /** Strength of each relationship along the path; `strengths[i]` joins `personIds[i]` and `personIds[i + 1]`. */
  strengths: number[];
  /** Product of the strengths: the chance-like warmth of the whole chain. */
  score: number;
  hops: number;
}

/** Intro chains longer than this rarely land; callers can raise it per query. */
export const DEFAULT_MAX_HOPS = 4;

/** Epoch stamps start again from zero past this (see `startQueryEpoch`). */
const EPOCH_LIMIT = 2 ** 30;

export interface PathFinderOptions {
  /** Relationship ends a hop-distance BFS may scan before it stops; past it pruning is weaker, never wrong. */
  ballEdgeBudget?: number;
}

interface FoundPath {
  people: number[];
  strengths: number[];
  cost: number;
  /** Position where the path leaves the accepted path it was derived from (0 for the first path). */
  deviation: number;
}

/**
 * Reusable path finder for one snapshot. It keeps its search buffers between queries, so a query allocates only its
 * result; create one per snapshot (or use `warmIntroPaths`, which caches one).
 */
export class PathFinder {
  private readonly snapshot: GraphSnapshot;
  private capacity = 0;
  private forward!: SearchSide;
  private backward!: SearchSide;
  private excludedStamp!: Int32Array;
  private blockedStamp!: Int32Array;
  private bannedStamp!: Int32Array;
  /**
   * Hop distances for pruning: from the targets (once per query), from the requester (once per query, shared by the
   * first search and every spur search that starts at the requester) and from the latest other spur person.
   */
  private targetBall!: HopBall;
  private sourceBall!: HopBall;
  private spurBall!: HopBall;
  /** The ball around the current search's source. */
  private nearBall!: HopBall;
  private epoch = 0;

  // Per-search settings, kept in fields so the hot loop reads no closures.
  private queryEpoch = 0;
  private searchEpoch = 0;
  private source = 0;
  private hopLimit = 0;
  private verifiedOnly = false;

  // Best meeting of the two searches so far.
  private bestCost = Infinity;
  private bestHops = 0;
  private bestForward = NONE;
  private bestBackward = NONE;
  /** Strength of the joining relationship, or NaN when both searches met at the same person. */
  private bestJoinStrength = NaN;

  private readonly ballEdgeBudget: number;

  constructor(snapshot: GraphSnapshot, options: PathFinderOptions = {}) {
    this.snapshot = snapshot;
    this.ballEdgeBudget = options.ballEdgeBudget ?? 200_000;
    this.ensureCapacity();
  }

  private ensureCapacity(): void {
    const n = this.snapshot.personCount;
    if (n <= this.capacity) return;
    const capacity = Math.max(n, 16);
    this.forward = new SearchSide(capacity);
    this.backward = new SearchSide(capacity);
    this.excludedStamp = new Int32Array(capacity);
    this.blockedStamp = new Int32Array(capacity);
    this.bannedStamp = new Int32Array(capacity);
    this.targetBall = new HopBall(capacity);
    this.sourceBall = new HopBall(capacity);
    this.spurBall = new HopBall(capacity);
    this.nearBall = this.sourceBall;
    this.capacity = capacity;
    this.epoch = 0;
  }

  /**
   * Stamps are compared with epochs, so arrays are never cleared between searches. The wrap-around check runs only at
   * the start of a query: a query then has 2³⁰ epochs of headroom in Int32 stamps, and no stamp is cleared mid-query.
   */
  private startQueryEpoch(): number {
    if (this.epoch >= EPOCH_LIMIT) {
      for (const stamps of [this.excludedStamp, this.blockedStamp, this.bannedStamp]) stamps.fill(0);
      this.targetBall.stamp.fill(0);
      this.sourceBall.stamp.fill(0);
      this.spurBall.stamp.fill(0);
      this.forward.clearStamps();
      this.backward.clearStamps();
      this.epoch = 0;
    }
    return ++this.epoch;
  }

  private nextEpoch(): number {
    return ++this.epoch;
  }

  find(query: WarmIntroQuery): WarmIntroPath[] {
    this.ensureCapacity();
    const snapshot = this.snapshot;
    const k = query.k ?? 1;
    const maxHops = query.maxHops ?? DEFAULT_MAX_HOPS;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
    if (!(maxHops >= 0)) throw new RangeError(`maxHops must be non-negative, got ${maxHops}`);
    if ((query.to === undefined) === (query.toOrganization === undefined)) {
      throw new Error("give exactly one of `to` and `toOrganization`");
    }
    const source = snapshot.indexOf(query.from);
    if (source < 0) throw new Error(`unknown person ${query.from}`);

    this.queryEpoch = this.startQueryEpoch();
    for (const personId of query.exclude ?? []) {
      const person = snapshot.indexOf(personId);
      if (person >= 0) this.excludedStamp[person] = this.queryEpoch;
    }
    if (this.excludedStamp[source] === this.queryEpoch) return [];
    const targets: number[] = [];
    if (query.to !== undefined) {
      const target = snapshot.indexOf(query.to);
      if (target < 0) throw new Error(`unknown person ${query.to}`);
      targets.push(target);
    } else {
      const organization = snapshot.organizationIndex(query.toOrganization!);
      if (organization < 0) throw new Error(`unknown organization ${query.toOrganization}`);
      for (const person of snapshot.decisionMakers(organization)) targets.push(person);
    }
    const reachable = targets.filter((t) => t !== source && this.excludedStamp[t] !== this.queryEpoch);
    if (reachable.length === 0) return [];
    this.verifiedOnly = query.verifiedOnly ?? false;

    const hopCap = Math.min(maxHops, snapshot.personCount - 1);
    // Distances ignore exclusions and Yen's removals, which only lengthen paths, so they stay valid lower bounds.
    // Every label has at least one hop, so only distances below the hop limit can spare a label: the BFS stops there.
    this.targetBall.explore(
      snapshot,
      reachable,
      ballRadius(hopCap),
      this.verifiedOnly,
      this.queryEpoch,
      this.ballEdgeBudget,
    );
    const paths = this.yen(source, reachable, hopCap, k);
    return paths.map((path) => ({
      personIds: path.people.map((person) => snapshot.personIds[person]!),
      strengths: path.strengths,
      score: path.strengths.reduce((product, s) => product * s, 1),
      hops: path.strengths.length,
    }));
  }

  /**
   * Yen's k shortest loopless paths, with spur searches done by the bidirectional search and two exact shortcuts:
   * - Lawler: a spur before the position where the latest path deviated has the same root and the same banned
   *   relationships as a spur already searched for the path it came from, so it would only find a known candidate.
   * - Bound: once there are as many candidates as paths still needed, a spur path costlier than the last of those can
   *   never be accepted, so each spur search only looks for paths costing at most that (ties included).
   */
  private yen(source: number, targets: readonly number[], maxHops: number, k: number): FoundPath[] {
    const first = this.search(source, targets, maxHops, [], [], Infinity);
    if (first === null) return [];
    const accepted: FoundPath[] = [first];
    const candidates: FoundPath[] = [];
    const seen = new Set<string>([first.people.join(",")]);
    while (accepted.length < k) {
      const previous = accepted[accepted.length - 1]!;
      const needed = k - accepted.length;
      let rootCost = 0;
      for (let i = 0; i < previous.deviation; i++) rootCost += strengthCost(previous.strengths[i]!);
      for (let i = previous.deviation; i < previous.people.length - 1 && i < maxHops; i++) {
        const spurBound = costOfNeeded(candidates, needed) - rootCost;
        if (spurBound >= 0) {
          const root = previous.people.slice(0, i + 1);
          const banned: number[] = [];
          for (const path of accepted) {
            if (path.people.length > i + 1 && root.every((person, j) => path.people[j] === person)) {
              banned.push(path.people[i + 1]!);
            }
          }
          const spur = this.search(previous.people[i]!, targets, maxHops - i, root.slice(0, i), banned, spurBound);
          if (spur !== null) {
            const people = root.slice(0, i).concat(spur.people);
            const key = people.join(",");
            if (!seen.has(key)) {
              seen.add(key);
              candidates.push({
                people,
                strengths: previous.strengths.slice(0, i).concat(spur.strengths),
                cost: rootCost + spur.cost,
                deviation: i,
              });
            }
          }
        }
        rootCost += strengthCost(previous.strengths[i]!);
      }
      if (candidates.length === 0) break;
      let best = 0;
      for (let c = 1; c < candidates.length; c++) {
        if (comparePaths(candidates[c]!, candidates[best]!) < 0) best = c;
      }
      accepted.push(candidates[best]!);
      candidates.splice(best, 1);
    }
    return accepted.sort(comparePaths);
  }

  /** Hop distances around a search source, reused within a query when the same person and hop limit come again. */
  private ballAround(source: number, hopLimit: number): HopBall {
    const radius = ballRadius(hopLimit);
    for (const ball of [this.sourceBall, this.spurBall]) {
      if (ball.queryEpoch === this.queryEpoch && ball.seed === source && ball.radius === radius) return ball;
    }
    // The requester's ball is the one the first search explores; spur searches from elsewhere share the other one.
    const ball = this.sourceBall.queryEpoch === this.queryEpoch ? this.spurBall : this.sourceBall;
    ball.explore(this.snapshot, [source], radius, this.verifiedOnly, this.nextEpoch(), this.ballEdgeBudget);
    ball.seed = source;
    ball.radius = radius;
    ball.queryEpoch = this.queryEpoch;
    return ball;
  }

  private isBlocked(person: number): boolean {
    return this.excludedStamp[person] === this.queryEpoch || this.blockedStamp[person] === this.searchEpoch;
  }

  /**
   * Best path from `source` to any target within `hopLimit` hops avoiding `blocked` people and the relationships from
   * `source` to `bannedNeighbours`, costing at most `costBound` (null when there is none). Labels are Pareto-pruned on
   * (cost, hops): a label is dropped only when another label of the same person is no more costly and no longer,
   * which keeps the hop bound exact.
   */
  private search(
    source: number,
    targets: readonly number[],
    hopLimit: number,
    blocked: readonly number[],
    bannedNeighbours: readonly number[],
    costBound: number,
  ): FoundPath | null {
    const epoch = this.nextEpoch();
    this.searchEpoch = epoch;
    this.source = source;
    this.hopLimit = hopLimit;
    this.nearBall = this.ballAround(source, hopLimit);
    for (const person of blocked) this.blockedStamp[person] = epoch;
    for (const person of bannedNeighbours) this.bannedStamp[person] = epoch;
    // Costs are integers, so "at most costBound" is "below costBound + 1"; the search stops once nothing can beat it.
    this.bestCost = costBound + 1;
    this.bestHops = 0;
    this.bestForward = NONE;
    this.bestBackward = NONE;

    const n = this.snapshot.personCount;
    const forward = this.forward;
    const backward = this.backward;
    forward.reset();
    backward.reset();
    forward.touch(source, epoch);
    forward.addLabel(source, NONE, 0, 0, NaN, n);
    forward.tentativeCost[source] = 0;
    forward.tentativeHops[source] = 0;
    let seeded = 0;
    for (const target of targets) {
      if (this.isBlocked(target) || target === source) continue;
      backward.touch(target, epoch);
      backward.addLabel(target, NONE, 0, 0, NaN, n);
      backward.tentativeCost[target] = 0;
      backward.tentativeHops[target] = 0;
      seeded++;
    }
    if (seeded === 0) return null;
    // Meetings are recorded against settled labels only, so the stopping rule below holds once both ends are settled:
    // the source first, then every target (cost 0, 0 hops, so they pop before anything they push).
    this.settle(forward, backward, true);
    for (let target = 0; target < seeded; target++) this.settle(backward, forward, false);

    for (;;) {
      const forwardEmpty = forward.heap.size === 0;
      const backwardEmpty = backward.heap.size === 0;
      if (forwardEmpty && backwardEmpty) break;
      const forwardTop = forwardEmpty ? 0 : forward.heap.peekKey();
      const backwardTop = backwardEmpty ? 0 : backward.heap.peekKey();
      // No undiscovered path can beat the best meeting once the two frontiers together cost more: one costing the same
      // can still have fewer hops, so equality goes on (without a meeting yet, bestCost is just past the bound).
      const frontier = forwardTop + backwardTop;
      if (frontier > this.bestCost || (this.bestForward === NONE && frontier >= this.bestCost)) break;
      if (!forwardEmpty && (backwardEmpty || forwardTop <= backwardTop)) this.settle(forward, backward, true);
      else this.settle(backward, forward, false);
    }
    if (this.bestForward === NONE) return null;
    return this.lowestPath(this.bestCost, this.bestHops) ?? this.buildPath();
  }

  /**
   * Among the paths with exactly the best cost and hops, the one with the lowest sequence of person indices: a
   * depth-first walk trying neighbours by index. Any walk with the best (cost, hops) is loopless and ends at the first
   * target it reaches (cutting a loop or stopping early would give fewer hops at no more cost), so a dead end depends
   * only on (person, cost so far, hops so far) and is remembered. The finished search bounds what is left: a person
   * the backward search settled costs at least its cheapest settled label, any other at least the backward frontier.
   */
  private lowestPath(bestCost: number, bestHops: number): FoundPath | null {
    const snapshot = this.snapshot;
    const backward = this.backward;
    const epoch = this.searchEpoch;
    const source = this.source;
    const frontier = backward.heap.size > 0 ? backward.heap.peekKey() : Infinity;
    const deadEnds = new Set<string>();
    const people = [source];
    const strengths: number[] = [];
    const costLeft = (person: number): number => {
      if (backward.stamp[person] !== epoch || backward.settledHead[person] === NONE) return frontier;
      let label = backward.settledHead[person]!;
      while (backward.labelNextSettled[label] !== NONE) label = backward.labelNextSettled[label]!;
      return backward.labelCost[label]!; // settled by cost, so the oldest is the cheapest
    };
    const isTarget = (person: number): boolean =>
      backward.stamp[person] === epoch && backward.settledMinHops[person] === 0;

    const walk = (person: number, cost: number, hops: number): boolean => {
      if (hops > 0 && isTarget(person)) return hops === bestHops && cost === bestCost;
      if (hops === bestHops) return false;
      const key = `${person}:${cost}:${hops}`;
      if (deadEnds.has(key)) return false;
      const step = (neighbour: number, strength: number, flags: number): boolean => {
        if (flags & REMOVED_FLAG || (this.verifiedOnly && !(flags & VERIFIED_FLAG))) return false;
        if (neighbour === source || this.isBlocked(neighbour)) return false;
        if (person === source && this.bannedStamp[neighbour] === epoch) return false;
        // Cheap bounds first: most neighbours of a well-connected person fail them before a logarithm is taken.
        if (hops + 1 + this.targetBall.lowerBound(neighbour) > bestHops) return false;
        const left = costLeft(neighbour);
        if (cost + left > bestCost) return false;
        const nextCost = cost + strengthCost(strength);
        if (nextCost + left > bestCost) return false;
        people.push(neighbour);
        strengths.push(strength);
        if (walk(neighbour, nextCost, hops + 1)) return true;
        people.pop();
        strengths.pop();
        return false;
      };
      const { offsets, targets, flags } = snapshot;
      if (snapshot.overlaySize > 0 && snapshot.overlayHead !== null) {
        // Overlay relationships are not sorted with the CSR ones: merge both by neighbour index.
        const edges: { neighbour: number; strength: number; flags: number }[] = [];
        for (let i = offsets[person]!; i < offsets[person + 1]!; i++) {
          edges.push({ neighbour: targets[i]!, strength: snapshot.strengths[i]!, flags: flags[i]! });
        }
        for (let e = snapshot.overlayHead[person]!; e !== NONE; e = snapshot.overlayNext[e]!) {
          edges.push({
            neighbour: snapshot.overlayTarget[e]!,
            strength: snapshot.overlayStrength[e]!,
            flags: snapshot.overlayFlags[e]!,
          });
        }
        edges.sort((a, b) => a.neighbour - b.neighbour);
        for (const edge of edges) if (step(edge.neighbour, edge.strength, edge.flags)) return true;
      } else {
        for (let i = offsets[person]!; i < offsets[person + 1]!; i++) {
          if (step(targets[i]!, snapshot.strengths[i]!, flags[i]!)) return true;
        }
      }
      deadEnds.add(key);
      return false;
    };
    if (!walk(source, 0, 0)) return null;
    return { people, strengths, cost: bestCost, deviation: 0 };
  }

  /** Pops one label from `side`, records meetings with the other side, and relaxes its relationships. */
  private settle(side: SearchSide, other: SearchSide, isForward: boolean): void {
    const label = side.heap.pop();
    const person = side.labelNode[label]!;
    const hops = side.labelHops[label]!;
    if (hops >= side.settledMinHops[person]!) return; // an earlier, cheaper label of this person is no longer
    side.settledMinHops[person] = hops;
    side.labelNextSettled[label] = side.settledHead[person]!;
    side.settledHead[person] = label;
    const cost = side.labelCost[label]!;
    const epoch = this.searchEpoch;
    const hopLimit = this.hopLimit;

    if (other.stamp[person] === epoch) this.meet(label, other, person, cost, hops, NaN, isForward);
    if (hops + 1 > hopLimit) return;

    const snapshot = this.snapshot;
    const offsets = snapshot.offsets;
    const targets = snapshot.targets;
    const strengths = snapshot.strengths;
    const flags = snapshot.flags;
    const end = offsets[person + 1]!;
    for (let i = offsets[person]!; i < end; i++) {
      this.relax(side, other, label, person, cost, hops, targets[i]!, strengths[i]!, flags[i]!, isForward);
    }
    if (snapshot.overlaySize > 0 && snapshot.overlayHead !== null) {
      for (let e = snapshot.overlayHead[person]!; e !== NONE; e = snapshot.overlayNext[e]!) {
        this.relax(
          side,
          other,
          label,
          person,
          cost,
          hops,
          snapshot.overlayTarget[e]!,
          snapshot.overlayStrength[e]!,
          snapshot.overlayFlags[e]!,
          isForward,
        );
      }
    }
  }

  private relax(
    side: SearchSide,
    other: SearchSide,
    label: number,
    person: number,
    cost: number,
    hops: number,
    neighbour: number,
    strength: number,
    flags: number,
    isForward: boolean,
  ): void {
    if (flags & REMOVED_FLAG) return;
    if (this.verifiedOnly && !(flags & VERIFIED_FLAG)) return;
    if (this.isBlocked(neighbour)) return;
    const epoch = this.searchEpoch;
    const source = this.source;
    if (
      (person === source && this.bannedStamp[neighbour] === epoch) ||
      (neighbour === source && this.bannedStamp[person] === epoch)
    ) {
      return;
    }
    const nextCost = cost + strengthCost(strength);
    const nextHops = hops + 1;
    if (other.stamp[neighbour] === epoch) this.meet(label, other, neighbour, nextCost, nextHops, strength, isForward);
    // A label that cannot reach the far end within the hop limit is never part of an answer.
    const far = isForward ? this.targetBall : this.nearBall;
    if (nextHops + far.lowerBound(neighbour) > this.hopLimit) return;
    side.touch(neighbour, epoch);
    if (side.settledMinHops[neighbour]! <= nextHops) return; // a settled label costs no more and is no longer
    if (side.tentativeCost[neighbour]! <= nextCost && side.tentativeHops[neighbour]! <= nextHops) return;
    if (nextCost < side.tentativeCost[neighbour]! || nextHops < side.tentativeHops[neighbour]!) {
      side.tentativeCost[neighbour] = nextCost;
      side.tentativeHops[neighbour] = nextHops;
    }
    side.addLabel(neighbour, label, nextCost, nextHops, strength, this.snapshot.personCount);
  }

  /** Tries every settled label of `person` on the other side as the rest of the path. */
  private meet(
    label: number,
    other: SearchSide,
    person: number,
    cost: number,
    hops: number,
    joinStrength: number,
    isForward: boolean,
  ): void {
    for (
      let otherLabel = other.settledHead[person]!;
      otherLabel !== NONE;
      otherLabel = other.labelNextSettled[otherLabel]!
    ) {
      const totalHops = hops + other.labelHops[otherLabel]!;
      if (totalHops > this.hopLimit) continue;
      const totalCost = cost + other.labelCost[otherLabel]!;
      if (totalCost < this.bestCost || (totalCost === this.bestCost && totalHops < this.bestHops)) {
        this.bestCost = totalCost;
        this.bestHops = totalHops;
        this.bestForward = isForward ? label : otherLabel;
        this.bestBackward = isForward ? otherLabel : label;
        this.bestJoinStrength = joinStrength;
      }
    }
  }

  private buildPath(): FoundPath {
    const forward = this.forward;
    const backward = this.backward;
    const people: number[] = [];
    const strengths: number[] = [];
    for (let label = this.bestForward; label !== NONE; label = forward.labelParent[label]!) {
      people.push(forward.labelNode[label]!);
      if (forward.labelParent[label] !== NONE) strengths.push(forward.labelStrength[label]!);
    }
    people.reverse();
    strengths.reverse();
    let label = this.bestBackward;
    if (Number.isNaN(this.bestJoinStrength)) {
      // Both searches reached the same person: it is already the last entry.
    } else {
      strengths.push(this.bestJoinStrength);
      people.push(backward.labelNode[label]!);
    }
    for (; backward.labelParent[label] !== NONE; label = backward.labelParent[label]!) {
      strengths.push(backward.labelStrength[label]!);
      people.push(backward.labelNode[backward.labelParent[label]!]!);
    }
    return withoutLoops(people, strengths);
  }
}

/**
 * Cuts any cycle out of a joined path. The two halves are each loopless, but they can cross when zero-cost (strength
 * 1) relationships make a detour cost the same; the shortcut uses only edges already on the path.
 */
function withoutLoops(people: number[], strengths: number[]): FoundPath {
  const position = new Map<number, number>();
  const keptPeople: number[] = [];
  const keptStrengths: number[] = [];
  for (let i = 0; i < people.length; i++) {
    const person = people[i]!;
    const earlier = position.get(person);
    if (earlier !== undefined) {
      for (let j = earlier + 1; j < keptPeople.length; j++) position.delete(keptPeople[j]!);
      keptPeople.length = earlier + 1;
      keptStrengths.length = earlier;
      continue;
    }
    if (i > 0) keptStrengths.push(strengths[i - 1]!);
    position.set(person, keptPeople.length);
    keptPeople.push(person);
  }
  let cost = 0;
  for (const strength of keptStrengths) cost += strengthCost(strength);
  return { people: keptPeople, strengths: keptStrengths, cost, deviation: 0 };
}

/** Cost of the `needed`-th cheapest candidate, or Infinity when there are fewer candidates than that. */
function costOfNeeded(candidates: readonly FoundPath[], needed: number): number {
  if (candidates.length < needed) return Infinity;
  const costs = candidates.map((candidate) => candidate.cost).sort((a, b) => a - b);
  return costs[needed - 1]!;
}

/** Best first: higher score, then fewer hops, then the lower sequence of person indices. */
function comparePaths(a: FoundPath, b: FoundPath): number {
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.people.length !== b.people.length) return a.people.length - b.people.length;
  for (let i = 0; i < a.people.length; i++) {
    if (a.people[i] !== b.people[i]) return a.people[i]! - b.people[i]!;
  }
  return 0;
}

const finders = new WeakMap<GraphSnapshot, PathFinder>();

/**
 * Warm-intro paths on a snapshot, best first; reuses one PathFinder per snapshot.
 *
 * Ranking, exact including ties: higher score first, then fewer hops, then the lower sequence of person indices
 * (index = position in the snapshot's people). Each search finds the best (cost, hops) and then, among the paths with
 * exactly those, the lowest sequence; Yen picks candidates by the same full key, so the k paths are the k first of
 * that order.
 */
export function warmIntroPaths(snapshot: GraphSnapshot, query: WarmIntroQuery): WarmIntroPath[] {
  let finder = finders.get(snapshot);
  if (finder === undefined) {
    finder = new PathFinder(snapshot);
    finders.set(snapshot, finder);
  }
  return finder.find(query);
}
