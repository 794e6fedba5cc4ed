// The in-memory graph of people and relationships as CSR arrays, built from plain rows and patched in place or
// through a small overlay when a relationship changes, so path queries and metrics never touch the database.

export interface PersonRow {
  id: string;
}

export interface RelationshipRow {
  personAId: string;
  personBId: string;
  /** How warm the relationship is, in (0, 1]. */
  strength: number;
  verified: boolean;
}

export interface MembershipRow {
  personId: string;
  organizationId: string;
  decisionMaker: boolean;
}

export interface SnapshotRows {
  people: readonly PersonRow[];
  relationships: readonly RelationshipRow[];
  memberships?: readonly MembershipRow[];
}

/** The memory-lean input: relationships as parallel typed arrays of person indices (used by the generator). */
export interface RelationshipArrays {
  personIds: readonly string[];
  personA: Int32Array;
  personB: Int32Array;
  strength: Float64Array | Float32Array;
  /** 1 when verified, 0 otherwise. */
  verified: Uint8Array;
  memberships?: readonly MembershipRow[];
}

/** Relationship rows as parallel typed arrays of person indices (into `personIds`), the input of `fromArrays`. */
export function relationshipArrays(
  personIds: readonly string[],
  relationships: readonly RelationshipRow[],
): Omit<RelationshipArrays, "memberships"> {
  const index = new Map<string, number>();
  for (const [i, id] of personIds.entries()) index.set(id, i);
  const count = relationships.length;
  const personA = new Int32Array(count);
  const personB = new Int32Array(count);
  const strength = new Float64Array(count);
  const verified = new Uint8Array(count);
  relationships.forEach((relationship, row) => {
    const a = index.get(relationship.personAId);
    const b = index.get(relationship.personBId);
    if (a === undefined || b === undefined) {
      throw new Error(`relationship ${relationship.personAId}–${relationship.personBId} names an unknown person`);
    }
    personA[row] = a;
    personB[row] = b;
    strength[row] = relationship.strength;
    verified[row] = relationship.verified ? 1 : 0;
  });
  return { personIds, personA, personB, strength, verified };
}

/** Flag bits stored per directed adjacency entry. */
export const VERIFIED_FLAG = 1;
export const REMOVED_FLAG = 2;

/** Read-only view of the compacted adjacency (no pending patches), for metrics that scan the whole graph. */
export interface Adjacency {
  personCount: number;
  offsets: Int32Array;
  targets: Int32Array;
  strengths: Float64Array;
  flags: Uint8Array;
}

export interface RelationshipState {
  strength: number;
  verified: boolean;
}

function checkStrength(strength: number, where: string): void {
  // NaN fails both comparisons, so it is rejected too.
  if (!(strength > 0 && strength <= 1)) {
    throw new RangeError(`${where}: strength must be in (0, 1], got ${strength}`);
  }
}

interface BuiltAdjacency {
  offsets: Int32Array;
  targets: Int32Array;
  strengths: Float64Array;
  flags: Uint8Array;
}

/**
 * Builds sorted, de-duplicated CSR adjacency with two stable counting sorts (by target, then by source) so each
 * person's neighbours are ascending, which lets patches find an edge by binary search. When a pair appears more than
 * once, the last row wins, like a sequence of upserts.
 */
function buildAdjacency(
  personCount: number,
  personA: Int32Array,
  personB: Int32Array,
  strength: ArrayLike<number>,
  verified: ArrayLike<number>,
  rowCount: number,
): BuiltAdjacency {
  const degree = new Int32Array(personCount + 1);
  for (let row = 0; row < rowCount; row++) {
    const a = personA[row]!;
    const b = personB[row]!;
    if (a < 0 || a >= personCount || b < 0 || b >= personCount) {
      throw new RangeError(`relationship row ${row}: person index out of range`);
    }
    checkStrength(strength[row]!, `relationship row ${row}`);
    if (a === b) continue; // a person is not their own warm intro
    degree[a]!++;
    degree[b]!++;
  }
  const entryCount = degree.reduce((sum, d) => sum + d, 0);
  // Entry e encodes row = e >> 1 and direction = e & 1 (0: A→B, 1: B→A).
  const byTarget = new Int32Array(entryCount);
  const start = new Int32Array(personCount + 1);
  for (let p = 0; p < personCount; p++) start[p + 1] = start[p]! + degree[p]!;
  const cursor = start.slice(0, personCount);
  for (let row = 0; row < rowCount; row++) {
    const a = personA[row]!;
    const b = personB[row]!;
    if (a === b) continue;
    byTarget[cursor[b]!++] = row << 1; // A→B lands in B's target bucket
    byTarget[cursor[a]!++] = (row << 1) | 1;
  }
  cursor.set(start.subarray(0, personCount));
  const bySource = new Int32Array(entryCount);
  for (let i = 0; i < entryCount; i++) {
    const entry = byTarget[i]!;
    const row = entry >> 1;
    const source = entry & 1 ? personB[row]! : personA[row]!;
    bySource[cursor[source]!++] = entry;
  }
  // De-duplicate runs of equal targets inside each source segment, keeping the last row.
  const offsets = new Int32Array(personCount + 1);
  let kept = 0;
  for (let p = 0; p < personCount; p++) {
    const end = start[p + 1]!;
    for (let i = start[p]!; i < end; i++) {
      const entry = bySource[i]!;
      const target = entry & 1 ? personA[entry >> 1]! : personB[entry >> 1]!;
      const next = i + 1 < end ? bySource[i + 1]! : -1;
      if (next >= 0 && (next & 1 ? personA[next >> 1]! : personB[next >> 1]!) === target) continue;
      bySource[kept++] = entry;
    }
    offsets[p + 1] = kept;
  }
  const targets = new Int32Array(kept);
  const strengths = new Float64Array(kept);
  const flags = new Uint8Array(kept);
  for (let i = 0; i < kept; i++) {
    const entry = bySource[i]!;
    const row = entry >> 1;
    targets[i] = entry & 1 ? personA[row]! : personB[row]!;
    strengths[i] = strength[row]!;
    flags[i] = verified[row] ? VERIFIED_FLAG : 0;
  }
  return { offsets, targets, strengths, flags };
}

const NO_ENTRY = -1;

export class GraphSnapshot {
  /** Person ids by index; the index is the person's position in the rows the snapshot was built from. */
  readonly personIds: string[];
  private readonly personIndex: Map<string, number>;

  offsets: Int32Array;
  targets: Int32Array;
  strengths: Float64Array;
  /** Per directed entry: VERIFIED_FLAG, and REMOVED_FLAG for an edge removed since the last compaction. */
  flags: Uint8Array;

  // Overlay of relationships added since the last compaction: per-person linked lists of directed entries.
  overlayHead: Int32Array | null = null;
  overlayTarget: Int32Array = new Int32Array(64);
  overlayStrength: Float64Array = new Float64Array(64);
  overlayFlags: Uint8Array = new Uint8Array(64);
  overlayNext: Int32Array = new Int32Array(64);
  /** Directed overlay entries in use (live or removed); traversal skips the overlay entirely when 0. */
  overlaySize = 0;
  private removedEntries = 0;
  private liveRelationships = 0;

  organizationIds: string[] = [];
  private organizationIndexById = new Map<string, number>();
  private decisionMakerOffsets: Int32Array = new Int32Array(1);
  private decisionMakerPeople: Int32Array = new Int32Array(0);
  private membershipOffsets: Int32Array;
  private membershipOrganizations: Int32Array = new Int32Array(0);

  /** Bumped by every patch, so callers can tell a snapshot changed. */
  version = 0;

  private constructor(personIds: string[], built: BuiltAdjacency) {
    this.personIds = personIds;
    this.personIndex = new Map();
    for (let i = 0; i < personIds.length; i++) {
      const id = personIds[i]!;
      if (this.personIndex.has(id)) throw new Error(`duplicate person id ${id}`);
      this.personIndex.set(id, i);
    }
    this.offsets = built.offsets;
    this.targets = built.targets;
    this.strengths = built.strengths;
    this.flags = built.flags;
    this.liveRelationships = built.targets.length / 2;
    this.membershipOffsets = new Int32Array(personIds.length + 1);
  }

  /** Builds a snapshot from plain database rows. */
  static fromRows(rows: SnapshotRows): GraphSnapshot {
    const personIds = rows.people.map((person) => person.id);
    return GraphSnapshot.fromArrays({
      ...relationshipArrays(personIds, rows.relationships),
      memberships: rows.memberships ?? [],
    });
  }

  /** Builds a snapshot from parallel typed arrays of person indices, without per-relationship objects. */
  static fromArrays(input: RelationshipArrays): GraphSnapshot {
    const n = input.personIds.length;
    const built = buildAdjacency(n, input.personA, input.personB, input.strength, input.verified, input.personA.length);
    const snapshot = new GraphSnapshot([...input.personIds], built);
    snapshot.replaceMemberships(input.memberships ?? []);
    return snapshot;
  }

  get personCount(): number {
    return this.personIds.length;
  }

  /** Relationships currently in the graph (patches included). */
  get relationshipCount(): number {
    return this.liveRelationships;
  }

  get hasPendingPatches(): boolean {
    return this.overlaySize > 0 || this.removedEntries > 0;
  }

  /** Index of a person id, or -1 when the person is not in the snapshot. */
  indexOf(personId: string): number {
    return this.personIndex.get(personId) ?? -1;
  }

  personId(index: number): string {
    const id = this.personIds[index];
    if (id === undefined) throw new RangeError(`no person at index ${index}`);
    return id;
  }

  private requireIndex(personId: string): number {
    const index = this.personIndex.get(personId);
    if (index === undefined) throw new Error(`unknown person ${personId}`);
    return index;
  }

  /** Position of target in source's CSR segment, or -1. Segments are sorted, so this is a binary search. */
  private csrSlot(source: number, target: number): number {
    let low = this.offsets[source]!;
    let high = this.offsets[source + 1]! - 1;
    const targets = this.targets;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = targets[mid]!;
      if (value === target) return mid;
      if (value < target) low = mid + 1;
      else high = mid - 1;
    }
    return NO_ENTRY;
  }

  private overlaySlot(source: number, target: number): number {
    if (this.overlayHead === null) return NO_ENTRY;
    for (let e = this.overlayHead[source]!; e !== NO_ENTRY; e = this.overlayNext[e]!) {
      if (this.overlayTarget[e] === target) return e;
    }
    return NO_ENTRY;
  }

  /** The current state of the relationship between two people, or undefined when there is none. */
  findRelationship(personAId: string, personBId: string): RelationshipState | undefined {
    const a = this.indexOf(personAId);
    const b = this.indexOf(personBId);
    if (a < 0 || b < 0) return undefined;
    const slot = this.csrSlot(a, b);
    if (slot !== NO_ENTRY) {
      const flags = this.flags[slot]!;
      if (flags & REMOVED_FLAG) return undefined;
      return { strength: this.strengths[slot]!, verified: (flags & VERIFIED_FLAG) !== 0 };
    }
    const entry = this.overlaySlot(a, b);
    if (entry === NO_ENTRY || this.overlayFlags[entry]! & REMOVED_FLAG) return undefined;
    return { strength: this.overlayStrength[entry]!, verified: (this.overlayFlags[entry]! & VERIFIED_FLAG) !== 0 };
  }

  /** Adds a person with no relationships yet and returns their index. */
  addPerson(personId: string): number {
    if (this.personIndex.has(personId)) return this.personIndex.get(personId)!;
    const index = this.personIds.length;
    this.personIds.push(personId);
    this.personIndex.set(personId, index);
    const offsets = new Int32Array(index + 2);
    offsets.set(this.offsets);
    offsets[index + 1] = offsets[index]!;
    this.offsets = offsets;
    if (this.overlayHead !== null) {
      const head = new Int32Array(index + 1).fill(NO_ENTRY);
      head.set(this.overlayHead);
      this.overlayHead = head;
    }
    const membership = new Int32Array(index + 2);
    membership.set(this.membershipOffsets);
    membership[index + 1] = membership[index]!;
    this.membershipOffsets = membership;
    this.version++;
    return index;
  }

  /**
   * Creates or updates a relationship. An existing edge is updated in place; a new one goes to the overlay, which is
   * folded into the CSR arrays once it grows past a sixteenth of the graph.
   */
  upsertRelationship(relationship: RelationshipRow): void {
    checkStrength(relationship.strength, `relationship ${relationship.personAId}–${relationship.personBId}`);
    const a = this.requireIndex(relationship.personAId);
    const b = this.requireIndex(relationship.personBId);
    if (a === b) return;
    const flag = relationship.verified ? VERIFIED_FLAG : 0;
    this.version++;
    const slotAB = this.csrSlot(a, b);
    if (slotAB !== NO_ENTRY) {
      const slotBA = this.csrSlot(b, a);
      if (this.flags[slotAB]! & REMOVED_FLAG) {
        this.removedEntries -= 2;
        this.liveRelationships++;
      }
      this.strengths[slotAB] = relationship.strength;
      this.strengths[slotBA] = relationship.strength;
      this.flags[slotAB] = flag;
      this.flags[slotBA] = flag;
      return;
    }
    const entryAB = this.overlaySlot(a, b);
    if (entryAB !== NO_ENTRY) {
      const entryBA = this.overlaySlot(b, a);
      if (this.overlayFlags[entryAB]! & REMOVED_FLAG) this.liveRelationships++;
      this.overlayStrength[entryAB] = relationship.strength;
      this.overlayStrength[entryBA] = relationship.strength;
      this.overlayFlags[entryAB] = flag;
      this.overlayFlags[entryBA] = flag;
      return;
    }
    this.appendOverlay(a, b, relationship.strength, flag);
    this.appendOverlay(b, a, relationship.strength, flag);
    this.liveRelationships++;
    this.compactIfLarge();
  }

  /** Removes a relationship; returns false when there was none. */
  removeRelationship(personAId: string, personBId: string): boolean {
    const a = this.indexOf(personAId);
    const b = this.indexOf(personBId);
    if (a < 0 || b < 0) return false;
    const slotAB = this.csrSlot(a, b);
    if (slotAB !== NO_ENTRY) {
      if (this.flags[slotAB]! & REMOVED_FLAG) return false;
      this.flags[slotAB]! |= REMOVED_FLAG;
      this.flags[this.csrSlot(b, a)]! |= REMOVED_FLAG;
      this.removedEntries += 2;
    } else {
      const entryAB = this.overlaySlot(a, b);
      if (entryAB === NO_ENTRY || this.overlayFlags[entryAB]! & REMOVED_FLAG) return false;
      this.overlayFlags[entryAB]! |= REMOVED_FLAG;
      this.overlayFlags[this.overlaySlot(b, a)]! |= REMOVED_FLAG;
    }
    this.liveRelationships--;
    this.version++;
    this.compactIfLarge();
    return true;
  }

  /**
   * A read-only view of this snapshot for a viewer who sees it differently: without some relationships (`hidden`:
   * person indices a0, b0, a1, b1, …, marked REMOVED_FLAG) and with other strengths or verification for some
   * (`changed`). It shares every array of this snapshot except the flags, and the strengths only while nothing is
   * changed, so path searches and metrics run on it without a copy of the graph. It shows this snapshot as it is now:
   * make a new one after a patch (compare `version`), and never patch a view.
   */
  view(
    hidden: ArrayLike<number>,
    changed: readonly { a: number; b: number; strength: number; verified: boolean }[] = [],
  ): GraphSnapshot {
    const view: GraphSnapshot = Object.assign(Object.create(GraphSnapshot.prototype) as GraphSnapshot, this);
    view.flags = this.flags.slice();
    view.overlayFlags = this.overlayFlags.slice();
    for (let i = 0; i + 1 < hidden.length; i += 2) view.hide(hidden[i]!, hidden[i + 1]!);
    if (changed.length > 0) {
      view.strengths = this.strengths.slice();
      view.overlayStrength = this.overlayStrength.slice();
      for (const edge of changed) view.restate(edge.a, edge.b, edge.strength, edge.verified);
    }
    return view;
  }

  /** Sets one relationship's strength and verification in place (a view's own copies of the arrays). */
  private restate(a: number, b: number, strength: number, verified: boolean): void {
    checkStrength(strength, `relationship ${this.personId(a)}–${this.personId(b)}`);
    for (const [source, target] of [
      [a, b],
      [b, a],
    ] as const) {
      const slot = this.csrSlot(source, target);
      if (slot !== NO_ENTRY) {
        this.strengths[slot] = strength;
        this.flags[slot] = (this.flags[slot]! & ~VERIFIED_FLAG) | (verified ? VERIFIED_FLAG : 0);
        continue;
      }
      const entry = this.overlaySlot(source, target);
      if (entry === NO_ENTRY) continue;
      this.overlayStrength[entry] = strength;
      this.overlayFlags[entry] = (this.overlayFlags[entry]! & ~VERIFIED_FLAG) | (verified ? VERIFIED_FLAG : 0);
    }
  }

  /** Marks one relationship removed without compacting, so a view keeps sharing the CSR arrays. */
  private hide(a: number, b: number): void {
    const slotAB = this.csrSlot(a, b);
    if (slotAB !== NO_ENTRY) {
      if (this.flags[slotAB]! & REMOVED_FLAG) return;
      this.flags[slotAB]! |= REMOVED_FLAG;
      this.flags[this.csrSlot(b, a)]! |= REMOVED_FLAG;
      this.removedEntries += 2;
    } else {
      const entryAB = this.overlaySlot(a, b);
      if (entryAB === NO_ENTRY || this.overlayFlags[entryAB]! & REMOVED_FLAG) return;
      this.overlayFlags[entryAB]! |= REMOVED_FLAG;
      this.overlayFlags[this.overlaySlot(b, a)]! |= REMOVED_FLAG;
    }
    this.liveRelationships--;
  }

  private appendOverlay(source: number, target: number, strength: number, flag: number): void {
    if (this.overlayHead === null) this.overlayHead = new Int32Array(this.personCount).fill(NO_ENTRY);
    if (this.overlaySize === this.overlayTarget.length) {
      const capacity = this.overlaySize * 2;
      const grow = <T extends Int32Array | Float64Array | Uint8Array>(array: T, make: (n: number) => T): T => {
        const bigger = make(capacity);
        bigger.set(array);
        return bigger;
      };
      this.overlayTarget = grow(this.overlayTarget, (n) => new Int32Array(n));
      this.overlayStrength = grow(this.overlayStrength, (n) => new Float64Array(n));
      this.overlayFlags = grow(this.overlayFlags, (n) => new Uint8Array(n));
      this.overlayNext = grow(this.overlayNext, (n) => new Int32Array(n));
    }
    const entry = this.overlaySize++;
    this.overlayTarget[entry] = target;
    this.overlayStrength[entry] = strength;
    this.overlayFlags[entry] = flag;
    this.overlayNext[entry] = this.overlayHead[source]!;
    this.overlayHead[source] = entry;
  }

  private compactIfLarge(): void {
    const limit = Math.max(4096, this.targets.length >> 4);
    if (this.overlaySize > limit || this.removedEntries > limit) this.compact();
  }

  /** Folds the overlay and removals into fresh CSR arrays. O(people + relationships). */
  compact(): void {
    if (!this.hasPendingPatches) return;
    const n = this.personCount;
    const count = this.liveRelationships;
    const personA = new Int32Array(count);
    const personB = new Int32Array(count);
    const strength = new Float64Array(count);
    const verified = new Uint8Array(count);
    let row = 0;
    const keep = (a: number, b: number, s: number, flags: number): void => {
      personA[row] = a;
      personB[row] = b;
      strength[row] = s;
      verified[row] = flags & VERIFIED_FLAG;
      row++;
    };
    for (let a = 0; a < n; a++) {
      for (let i = this.offsets[a]!; i < this.offsets[a + 1]!; i++) {
        const b = this.targets[i]!;
        if (a < b && !(this.flags[i]! & REMOVED_FLAG)) keep(a, b, this.strengths[i]!, this.flags[i]!);
      }
      if (this.overlayHead !== null) {
        for (let e = this.overlayHead[a]!; e !== NO_ENTRY; e = this.overlayNext[e]!) {
          const b = this.overlayTarget[e]!;
          if (a < b && !(this.overlayFlags[e]! & REMOVED_FLAG))
            keep(a, b, this.overlayStrength[e]!, this.overlayFlags[e]!);
        }
      }
    }
    const built = buildAdjacency(n, personA, personB, strength, verified, row);
    this.offsets = built.offsets;
    this.targets = built.targets;
    this.strengths = built.strengths;
    this.flags = built.flags;
    this.overlayHead = null;
    this.overlaySize = 0;
    this.removedEntries = 0;
    this.liveRelationships = built.targets.length / 2;
  }

  /** The compacted adjacency (compacting first if patches are pending). */
  adjacency(): Adjacency {
    this.compact();
    return {
      personCount: this.personCount,
      offsets: this.offsets,
      targets: this.targets,
      strengths: this.strengths,
      flags: this.flags,
    };
  }

  /** Replaces the organization memberships (who belongs where, who decides). */
  replaceMemberships(memberships: readonly MembershipRow[]): void {
    const n = this.personCount;
    this.organizationIds = [];
    this.organizationIndexById = new Map();
    const personOf: number[] = [];
    const organizationOf: number[] = [];
    const decides: boolean[] = [];
    const seen = new Set<string>();
    for (const membership of memberships) {
      const person = this.requireIndex(membership.personId);
      let organization = this.organizationIndexById.get(membership.organizationId);
      if (organization === undefined) {
        organization = this.organizationIds.length;
        this.organizationIds.push(membership.organizationId);
        this.organizationIndexById.set(membership.organizationId, organization);
      }
      const key = `${person}:${organization}`;
      const duplicate = seen.has(key);
      seen.add(key);
      if (duplicate) {
        // A repeated membership row can only add the decision-maker role.
        const at = personOf.findIndex((p, i) => p === person && organizationOf[i] === organization);
        decides[at] = decides[at]! || membership.decisionMaker;
        continue;
      }
      personOf.push(person);
      organizationOf.push(organization);
      decides.push(membership.decisionMaker);
    }
    const organizationCount = this.organizationIds.length;
    const toOffsets = (keys: number[], size: number, include: (i: number) => boolean): Int32Array => {
      const offsets = new Int32Array(size + 1);
      keys.forEach((key, i) => {
        if (include(i)) offsets[key + 1]!++;
      });
      for (let k = 0; k < size; k++) offsets[k + 1]! += offsets[k]!;
      return offsets;
    };
    // Sorting by person index keeps decision-maker lists ascending, which tie-breaking relies on.
    const order = personOf
      .map((_, i) => i)
      .sort((x, y) => personOf[x]! - personOf[y]! || organizationOf[x]! - organizationOf[y]!);
    this.decisionMakerOffsets = toOffsets(organizationOf, organizationCount, (i) => decides[i]!);
    this.decisionMakerPeople = new Int32Array(this.decisionMakerOffsets[organizationCount]!);
    const dmCursor = this.decisionMakerOffsets.slice(0, organizationCount);
    this.membershipOffsets = toOffsets(personOf, n, () => true);
    this.membershipOrganizations = new Int32Array(personOf.length);
    const memberCursor = this.membershipOffsets.slice(0, n);
    for (const i of order) {
      const person = personOf[i]!;
      const organization = organizationOf[i]!;
      this.membershipOrganizations[memberCursor[person]!++] = organization;
      if (decides[i]) this.decisionMakerPeople[dmCursor[organization]!++] = person;
    }
  }

  get organizationCount(): number {
    return this.organizationIds.length;
  }

  /** Index of an organization id, or -1. */
  organizationIndex(organizationId: string): number {
    return this.organizationIndexById.get(organizationId) ?? -1;
  }

  /** Person indices of an organization's decision makers, ascending. */
  decisionMakers(organization: number): Int32Array {
    return this.decisionMakerPeople.subarray(
      this.decisionMakerOffsets[organization]!,
      this.decisionMakerOffsets[organization + 1]!,
    );
  }

  /** Organization indices a person belongs to, ascending. */
  organizationsOf(person: number): Int32Array {
    return this.membershipOrganizations.subarray(this.membershipOffsets[person]!, this.membershipOffsets[person + 1]!);
  }
}
