// One graph for every viewer: the public relationships and each partner's private ones in a single snapshot, the
// private ones tagged with the partner that reported them, and a view per viewer that hides what it may not see.
//
// Viewers: "all" (admins) sees every relationship; "public" sees the public ones only, and is what values shown to
// everyone (metrics) are computed from; a partner sees the public ones plus its own. People and memberships are
// public. Person indices never change: a person who leaves (merged, deleted) keeps an index with no relationships and
// is marked retired.
//
// A pair of people may have several relationships, one per scope (the public one, and one private report per
// partner): its "layers". The snapshot holds one edge per pair — the public layer when there is one — and a viewer
// who sees several layers of a pair sees one edge with the strongest of them (verified when any of them is).

import type { MembershipRow, RelationshipArrays, RelationshipRow } from "./snapshot.ts";
import { GraphSnapshot, REMOVED_FLAG, relationshipArrays, VERIFIED_FLAG } from "./snapshot.ts";

export interface SharedRelationshipRow extends RelationshipRow {
  /** The partner whose private report this is; null for a public relationship. */
  owner: string | null;
}

export interface SharedGraphRows {
  people: readonly string[];
  relationships: readonly SharedRelationshipRow[];
  memberships?: readonly MembershipRow[];
}

/** The memory-lean input: relationships as typed arrays of person indices, owners of the private ones by row. */
export interface SharedGraphArrays extends Omit<RelationshipArrays, "memberships"> {
  /** Row → the partner whose private report it is; rows not listed are public. */
  owners: ReadonlyMap<number, string>;
  memberships?: readonly MembershipRow[];
}

export type GraphViewer = { kind: "all" } | { kind: "public" } | { kind: "partner"; partnerId: string };

export const PUBLIC_VIEWER: GraphViewer = { kind: "public" };
export const ALL_VIEWER: GraphViewer = { kind: "all" };

/** Pair keys are min · PAIR_BASE + max: exact in a double for up to 2²⁶ people. */
const PAIR_BASE = 2 ** 26;
const pairKey = (a: number, b: number): number => (a < b ? a * PAIR_BASE + b : b * PAIR_BASE + a);

interface Layer {
  strength: number;
  verified: boolean;
}
/** A pair's relationships by scope: null for the public one, else the reporting partner. */
type Layers = Map<string | null, Layer>;

/** The edge a viewer sees of a pair: the strongest of the layers it may see, verified when any of them is. */
function combine(layers: Layers, visible: (owner: string | null) => boolean): Layer | null {
  let best: Layer | null = null;
  let verified = false;
  for (const [owner, layer] of layers) {
    if (!visible(owner)) continue;
    if (best === null || layer.strength > best.strength) best = layer;
    verified ||= layer.verified;
  }
  return best && { strength: best.strength, verified };
}

const sameLayer = (a: Layer | undefined, b: Layer): boolean =>
  a !== undefined && a.strength === b.strength && a.verified === b.verified;

export class SharedGraph {
  readonly snapshot: GraphSnapshot;
  /**
   * The layers of every pair with a private relationship, by pair key; a pair not listed has a public relationship
   * only (the snapshot's edge) or none.
   */
  private readonly layers = new Map<number, Layers>();
  private readonly retired = new Set<number>();
  /** Organization id → decision maker, per person index; flushed into the snapshot before it is read. */
  private readonly membershipsByPerson = new Map<number, Map<string, boolean>>();
  private membershipsChanged = false;
  private readonly views = new Map<string, { generation: number; view: GraphSnapshot }>();
  /** Bumped by every change, so views and callers can tell the graph moved. */
  generation = 0;
  /**
   * Bumped when a public relationship or a person appears or disappears: the only changes that can move hop-based
   * betweenness. Private relationships never move it, so it reveals nothing about them.
   */
  publicTopologyVersion = 0;

  private constructor(snapshot: GraphSnapshot) {
    this.snapshot = snapshot;
  }

  static fromRows(rows: SharedGraphRows): SharedGraph {
    const owners = new Map<number, string>();
    rows.relationships.forEach((relationship, row) => {
      if (relationship.owner !== null) owners.set(row, relationship.owner);
    });
    return SharedGraph.fromArrays({
      ...relationshipArrays(rows.people, rows.relationships),
      owners,
      memberships: rows.memberships ?? [],
    });
  }

  static fromArrays(input: SharedGraphArrays): SharedGraph {
    // Rows of public relationships go straight into the snapshot; private ones are collected as layers first, then
    // each such pair gets the edge it shows: the public layer when there is one (a pair listed twice in one scope keeps
    // its last row).
    const publicRows: number[] = [];
    const privateLayers = new Map<number, Layers>();
    const publicLayer = new Map<number, Layer>();
    for (let row = 0; row < input.personA.length; row++) {
      const a = input.personA[row]!;
      const b = input.personB[row]!;
      if (a === b) continue;
      const owner = input.owners.get(row);
      const layer = { strength: input.strength[row]!, verified: input.verified[row] === 1 };
      if (owner === undefined) {
        publicRows.push(row);
        publicLayer.set(pairKey(a, b), layer);
      } else {
        const key = pairKey(a, b);
        let layers = privateLayers.get(key);
        if (!layers) {
          layers = new Map();
          privateLayers.set(key, layers);
        }
        layers.set(owner, layer);
      }
    }
    const privateOnly: [number, number, Layer][] = [];
    for (const [key, layers] of privateLayers) {
      const own = publicLayer.get(key);
      if (own) layers.set(null, own);
      else privateOnly.push([Math.floor(key / PAIR_BASE), key % PAIR_BASE, [...layers.values()][0]!]);
    }
    const pick = <T extends Int32Array | Float64Array | Uint8Array>(all: ArrayLike<number>, make: (n: number) => T) => {
      const out = make(publicRows.length + privateOnly.length);
      publicRows.forEach((row, i) => {
        out[i] = all[row]!;
      });
      return out;
    };
    const personA = pick(input.personA, (n) => new Int32Array(n));
    const personB = pick(input.personB, (n) => new Int32Array(n));
    const strength = pick(input.strength, (n) => new Float64Array(n));
    const verified = pick(input.verified, (n) => new Uint8Array(n));
    privateOnly.forEach(([a, b, layer], i) => {
      const row = publicRows.length + i;
      personA[row] = a;
      personB[row] = b;
      strength[row] = layer.strength;
      verified[row] = layer.verified ? 1 : 0;
    });
    const graph = new SharedGraph(
      GraphSnapshot.fromArrays({ personIds: input.personIds, personA, personB, strength, verified }),
    );
    for (const [key, layers] of privateLayers) graph.layers.set(key, layers);
    for (const membership of input.memberships ?? []) graph.addMembership(membership);
    graph.flushMemberships();
    return graph;
  }

  get personCount(): number {
    return this.snapshot.personCount;
  }

  /** Index of a person who is in the graph now, or −1 (unknown or retired). */
  activeIndexOf(personId: string): number {
    const index = this.snapshot.indexOf(personId);
    return index >= 0 && !this.retired.has(index) ? index : -1;
  }

  isActive(index: number): boolean {
    return index >= 0 && index < this.snapshot.personCount && !this.retired.has(index);
  }

  /** Adds a person (or brings a retired one back); returns the index. */
  addPerson(personId: string): number {
    const known = this.snapshot.indexOf(personId);
    if (known >= 0 && !this.retired.has(known)) return known;
    const index = known >= 0 ? known : this.snapshot.addPerson(personId);
    this.retired.delete(index);
    this.changed(true);
    return index;
  }

  /** Takes a person out: their relationships and memberships go, their index stays. */
  retirePerson(personId: string): void {
    const index = this.snapshot.indexOf(personId);
    if (index < 0 || this.retired.has(index)) return;
    for (const other of this.neighbours(index))
      for (const owner of this.scopesOf(index, other))
        this.removeRelationship(personId, this.snapshot.personId(other), owner);
    this.setMemberships(personId, []);
    this.retired.add(index);
    this.changed(true);
  }

  /**
   * Creates or updates a relationship — the layer of its scope (`owner`: null for public, else the reporting partner)
   * — between two people, adding them when they are not in the graph.
   */
  upsertRelationship(row: SharedRelationshipRow): void {
    const a = this.addPerson(row.personAId);
    const b = this.addPerson(row.personBId);
    if (a === b) return;
    const key = pairKey(a, b);
    const layer = { strength: row.strength, verified: row.verified };
    const existing = this.snapshot.findRelationship(row.personAId, row.personBId);
    let layers = this.layers.get(key);
    if (!layers && row.owner === null) {
      // Public only, before and after: the snapshot's edge is the layer.
      if (existing && sameLayer(existing, layer)) return;
      this.snapshot.upsertRelationship(row);
      this.changed(existing === undefined);
      return;
    }
    if (!layers) {
      layers = new Map();
      if (existing) layers.set(null, existing);
      this.layers.set(key, layers);
    }
    if (sameLayer(layers.get(row.owner), layer)) return;
    const hadPublic = layers.has(null);
    layers.set(row.owner, layer);
    this.settle(a, b, layers);
    this.changed(row.owner === null && !hadPublic);
  }

  /**
   * Removes a pair's relationship of one scope (`owner`: null for the public one, else the reporting partner's);
   * without `owner`, every relationship of the pair.
   */
  removeRelationship(personAId: string, personBId: string, owner?: string | null): void {
    const a = this.snapshot.indexOf(personAId);
    const b = this.snapshot.indexOf(personBId);
    if (a < 0 || b < 0 || a === b) return;
    const key = pairKey(a, b);
    const layers = this.layers.get(key);
    if (!layers) {
      if (owner !== undefined && owner !== null) return;
      if (this.snapshot.removeRelationship(personAId, personBId)) this.changed(true);
      return;
    }
    const hadPublic = layers.has(null);
    if (owner === undefined) layers.clear();
    else if (!layers.delete(owner)) return;
    this.settle(a, b, layers);
    this.changed(hadPublic && !layers.has(null));
  }

  /** Writes the edge a pair's layers show into the snapshot (the public layer when there is one), or removes it. */
  private settle(a: number, b: number, layers: Layers): void {
    const personAId = this.snapshot.personId(a);
    const personBId = this.snapshot.personId(b);
    const shown = layers.get(null) ?? layers.values().next().value;
    if (shown) this.snapshot.upsertRelationship({ personAId, personBId, ...shown });
    else this.snapshot.removeRelationship(personAId, personBId);
    // A pair left with its public layer alone needs no entry: the snapshot's edge says it all.
    if (layers.size === 0 || (layers.size === 1 && layers.has(null))) this.layers.delete(pairKey(a, b));
  }

  /** The scopes of a pair's relationships: null for the public one, partner ids for private reports. */
  scopesOf(a: number, b: number): (string | null)[] {
    const layers = this.layers.get(pairKey(a, b));
    if (layers) return [...layers.keys()];
    return this.snapshot.findRelationship(this.snapshot.personId(a), this.snapshot.personId(b)) ? [null] : [];
  }

  /** People a person has relationships with (any owner), by index. */
  neighbours(index: number): number[] {
    const found: number[] = [];
    const { offsets, targets, flags } = this.snapshot;
    for (let i = offsets[index]!; i < offsets[index + 1]!; i++)
      if (!(flags[i]! & REMOVED_FLAG)) found.push(targets[i]!);
    const overlay = this.snapshot.overlaySize > 0 ? this.snapshot.overlayHead : null;
    if (overlay !== null) {
      for (let e = overlay[index]!; e !== -1; e = this.snapshot.overlayNext[e]!)
        if (!(this.snapshot.overlayFlags[e]! & REMOVED_FLAG)) found.push(this.snapshot.overlayTarget[e]!);
    }
    return found;
  }

  /**
   * Replaces a person's current memberships. A retired person has none: the call is ignored for them, and a person
   * brought back starts without memberships until they are set again.
   */
  setMemberships(personId: string, memberships: readonly Omit<MembershipRow, "personId">[]): void {
    const index = this.snapshot.indexOf(personId);
    if (index < 0 || this.retired.has(index)) return;
    const before = this.membershipsByPerson.get(index);
    const after = new Map<string, boolean>();
    for (const membership of memberships)
      after.set(membership.organizationId, (after.get(membership.organizationId) ?? false) || membership.decisionMaker);
    const same =
      (before?.size ?? 0) === after.size && [...after].every(([organization, dm]) => before?.get(organization) === dm);
    if (same) return;
    if (after.size === 0) this.membershipsByPerson.delete(index);
    else this.membershipsByPerson.set(index, after);
    this.membershipsChanged = true;
    this.changed(false);
  }

  private addMembership(membership: MembershipRow): void {
    const index = this.snapshot.indexOf(membership.personId);
    if (index < 0) return;
    let organizations = this.membershipsByPerson.get(index);
    if (!organizations) {
      organizations = new Map();
      this.membershipsByPerson.set(index, organizations);
    }
    organizations.set(
      membership.organizationId,
      (organizations.get(membership.organizationId) ?? false) || membership.decisionMaker,
    );
    this.membershipsChanged = true;
  }

  private flushMemberships(): void {
    if (!this.membershipsChanged) return;
    const rows: MembershipRow[] = [];
    for (const [index, organizations] of this.membershipsByPerson) {
      const personId = this.snapshot.personId(index);
      for (const [organizationId, decisionMaker] of organizations)
        rows.push({ personId, organizationId, decisionMaker });
    }
    this.snapshot.replaceMemberships(rows);
    this.membershipsChanged = false;
  }

  private changed(publicTopology: boolean): void {
    this.generation++;
    if (publicTopology) this.publicTopologyVersion++;
  }

  /** The graph as a viewer may see it; valid until the next change (views are cached per generation). */
  view(viewer: GraphViewer): GraphSnapshot {
    this.flushMemberships();
    if (viewer.kind === "all" && this.layers.size === 0) return this.snapshot;
    const cacheKey = viewer.kind === "partner" ? `partner:${viewer.partnerId}` : viewer.kind;
    const cached = this.views.get(cacheKey);
    if (cached?.generation === this.generation) return cached.view;
    const visible = (owner: string | null): boolean =>
      owner === null || viewer.kind === "all" || (viewer.kind === "partner" && owner === viewer.partnerId);
    const hidden: number[] = [];
    const changed: { a: number; b: number; strength: number; verified: boolean }[] = [];
    for (const [key, layers] of this.layers) {
      const a = Math.floor(key / PAIR_BASE);
      const b = key % PAIR_BASE;
      const seen = combine(layers, visible);
      if (seen === null) hidden.push(a, b);
      else if (!sameLayer(layers.get(null) ?? layers.values().next().value, seen)) changed.push({ a, b, ...seen });
    }
    const view = this.snapshot.view(hidden, changed);
    // Views of an earlier generation are dropped as they are replaced; partners who stop asking keep one at most.
    this.views.set(cacheKey, { generation: this.generation, view });
    return view;
  }

  /**
   * The public graph as a compact snapshot of its own, active people only, for whole-graph metrics: it does not
   * change when this graph is patched, so a long computation can run on it between patches.
   */
  publicSnapshot(): GraphSnapshot {
    const view = this.view(PUBLIC_VIEWER);
    const n = view.personCount;
    const compactIndex = new Int32Array(n).fill(-1);
    const personIds: string[] = [];
    for (let i = 0; i < n; i++) {
      if (this.retired.has(i)) continue;
      compactIndex[i] = personIds.length;
      personIds.push(view.personIds[i]!);
    }
    const count = view.relationshipCount;
    const personA = new Int32Array(count);
    const personB = new Int32Array(count);
    const strength = new Float64Array(count);
    const verified = new Uint8Array(count);
    let row = 0;
    const keep = (a: number, b: number, s: number, flags: number): void => {
      if (a >= b || flags & REMOVED_FLAG || row >= count) return;
      personA[row] = compactIndex[a]!;
      personB[row] = compactIndex[b]!;
      strength[row] = s;
      verified[row] = flags & VERIFIED_FLAG ? 1 : 0;
      row++;
    };
    for (let a = 0; a < n; a++) {
      for (let i = view.offsets[a]!; i < view.offsets[a + 1]!; i++)
        keep(a, view.targets[i]!, view.strengths[i]!, view.flags[i]!);
      if (view.overlaySize > 0 && view.overlayHead !== null) {
        for (let e = view.overlayHead[a]!; e !== -1; e = view.overlayNext[e]!)
          keep(a, view.overlayTarget[e]!, view.overlayStrength[e]!, view.overlayFlags[e]!);
      }
    }
    return GraphSnapshot.fromArrays({
      personIds,
      personA: personA.subarray(0, row),
      personB: personB.subarray(0, row),
      strength: strength.subarray(0, row),
      verified: verified.subarray(0, row),
    });
  }
}
