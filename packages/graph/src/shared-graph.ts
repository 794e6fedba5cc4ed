// One graph for every viewer: the public relationships and each partner's private ones in a single snapshot, the
// private ones tagged with the partner that reported them, and a view per viewer that hides what it may not see.
//
// Viewers: "all" (admins) sees every relationship; "public" sees the public ones only, and is what values shown to
// everyone (metrics) are computed from; a partner sees the public ones plus its own. People and memberships are
// public. Person indices never change: a person who leaves (merged, deleted) keeps an index with no relationships and
// is marked retired.

import type { MembershipRow, RelationshipArrays, RelationshipRow } from "./snapshot.ts";
import { GraphSnapshot, REMOVED_FLAG, VERIFIED_FLAG } from "./snapshot.ts";

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

export class SharedGraph {
  readonly snapshot: GraphSnapshot;
  /** Owners of the private relationships, by pair key; a relationship not listed is public. */
  private readonly owners = new Map<number, string>();
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
    const index = new Map(rows.people.map((id, i) => [id, i]));
    const count = rows.relationships.length;
    const personA = new Int32Array(count);
    const personB = new Int32Array(count);
    const strength = new Float64Array(count);
    const verified = new Uint8Array(count);
    const owners = new Map<number, string>();
    rows.relationships.forEach((relationship, row) => {
      const a = index.get(relationship.personAId);
      const b = index.get(relationship.personBId);
      if (a === undefined || b === undefined)
        throw new Error(`relationship ${relationship.personAId}–${relationship.personBId} names an unknown person`);
      personA[row] = a;
      personB[row] = b;
      strength[row] = relationship.strength;
      verified[row] = relationship.verified ? 1 : 0;
      if (relationship.owner !== null) owners.set(row, relationship.owner);
    });
    return SharedGraph.fromArrays({
      personIds: rows.people,
      personA,
      personB,
      strength,
      verified,
      owners,
      memberships: rows.memberships ?? [],
    });
  }

  static fromArrays(input: SharedGraphArrays): SharedGraph {
    const graph = new SharedGraph(
      GraphSnapshot.fromArrays({
        personIds: input.personIds,
        personA: input.personA,
        personB: input.personB,
        strength: input.strength,
        verified: input.verified,
      }),
    );
    // A pair listed twice keeps its last row, in the snapshot and here alike.
    for (let row = 0; row < input.personA.length; row++) {
      const a = input.personA[row]!;
      const b = input.personB[row]!;
      if (a === b) continue;
      const owner = input.owners.get(row);
      if (owner === undefined) graph.owners.delete(pairKey(a, b));
      else graph.owners.set(pairKey(a, b), owner);
    }
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
    for (const other of this.neighbours(index)) this.removeRelationship(personId, this.snapshot.personId(other));
    this.setMemberships(personId, []);
    this.retired.add(index);
    this.changed(true);
  }

  /** Creates or updates a relationship between two people already in the graph (public when `owner` is null). */
  upsertRelationship(row: SharedRelationshipRow): void {
    const a = this.addPerson(row.personAId);
    const b = this.addPerson(row.personBId);
    if (a === b) return;
    const key = pairKey(a, b);
    const before = this.snapshot.findRelationship(row.personAId, row.personBId);
    const ownerBefore = before ? (this.owners.get(key) ?? null) : undefined;
    if (before && ownerBefore === row.owner && before.strength === row.strength && before.verified === row.verified)
      return;
    this.snapshot.upsertRelationship(row);
    if (row.owner === null) this.owners.delete(key);
    else this.owners.set(key, row.owner);
    // Public topology moves when a public relationship appears or one changes between public and private.
    this.changed(ownerBefore === undefined ? row.owner === null : (ownerBefore === null) !== (row.owner === null));
  }

  removeRelationship(personAId: string, personBId: string): void {
    const a = this.snapshot.indexOf(personAId);
    const b = this.snapshot.indexOf(personBId);
    if (a < 0 || b < 0) return;
    const key = pairKey(a, b);
    const wasPublic = !this.owners.has(key);
    if (!this.snapshot.removeRelationship(personAId, personBId)) return;
    this.owners.delete(key);
    this.changed(wasPublic);
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

  /** The partner whose private relationship joins two people, null when it is public, undefined when there is none. */
  ownerOf(personAId: string, personBId: string): string | null | undefined {
    if (!this.snapshot.findRelationship(personAId, personBId)) return undefined;
    return this.owners.get(pairKey(this.snapshot.indexOf(personAId), this.snapshot.indexOf(personBId))) ?? null;
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
    if (viewer.kind === "all") return this.snapshot;
    const cacheKey = viewer.kind === "public" ? "public" : `partner:${viewer.partnerId}`;
    const cached = this.views.get(cacheKey);
    if (cached?.generation === this.generation) return cached.view;
    const hidden: number[] = [];
    for (const [key, owner] of this.owners) {
      if (viewer.kind === "partner" && owner === viewer.partnerId) continue;
      hidden.push(Math.floor(key / PAIR_BASE), key % PAIR_BASE);
    }
    const view = this.snapshot.withoutRelationships(hidden);
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
