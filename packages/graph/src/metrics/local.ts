// One person's brokerage measures computed from their neighbourhood alone — degree, Burt's constraint and effective
// size, Gould–Fernandez roles, reach into decision makers — on a snapshot as it is, pending patches and views'
// hidden relationships included, so a live graph answers for one person without compacting or scanning everyone.
// Same definitions and values as the whole-graph functions in structural-holes.ts and brokerage.ts.

import { type BrokerageRoles, type DecisionMakerReach, type ReachOptions, shareOrganization } from "./brokerage.ts";
import type { StructuralHoleOptions } from "./structural-holes.ts";
import { REMOVED_FLAG, VERIFIED_FLAG } from "../snapshot.ts";
import type { GraphSnapshot } from "../snapshot.ts";

export interface LocalMetrics {
  /** Relationships the person has in this snapshot. */
  degree: number;
  /** Burt's constraint; NaN without relationships. */
  constraint: number;
  /** Burt's effective size; NaN without relationships. */
  effectiveSize: number;
  brokerage: BrokerageRoles;
}

const NONE = -1;

/** Calls `visit` for each relationship of `person` not marked removed: the compacted ones, then pending patches. */
export function forEachRelationship(
  snapshot: GraphSnapshot,
  person: number,
  visit: (target: number, strength: number, flags: number) => void,
): void {
  const { offsets, targets, strengths, flags } = snapshot;
  for (let i = offsets[person]!; i < offsets[person + 1]!; i++) {
    if (!(flags[i]! & REMOVED_FLAG)) visit(targets[i]!, strengths[i]!, flags[i]!);
  }
  if (snapshot.overlaySize > 0 && snapshot.overlayHead !== null) {
    for (let e = snapshot.overlayHead[person]!; e !== NONE; e = snapshot.overlayNext[e]!) {
      const entryFlags = snapshot.overlayFlags[e]!;
      if (!(entryFlags & REMOVED_FLAG)) visit(snapshot.overlayTarget[e]!, snapshot.overlayStrength[e]!, entryFlags);
    }
  }
}

interface Contact {
  person: number;
  strength: number;
}

function contactsOf(snapshot: GraphSnapshot, person: number): Contact[] {
  const contacts: Contact[] = [];
  forEachRelationship(snapshot, person, (target, strength) => contacts.push({ person: target, strength }));
  // Ascending like a compacted segment, so sums run in the same order as the whole-graph functions'.
  return contacts.sort((x, y) => x.person - y.person);
}

/**
 * Scratch arrays sized to the snapshot's people, reused between calls (stamped, never cleared): keep one per thread
 * and pass it to every call. It grows when the snapshot does.
 */
export class LocalMetricsScratch {
  private stamp = new Int32Array(0);
  private value = new Float64Array(0);
  private accumulated = new Float64Array(0);
  private epoch = 0;
  private reachDistance = new Int32Array(0);
  private reachQueue = new Int32Array(0);
  private reachStamp = new Int32Array(0);
  private organizationStamp = new Int32Array(0);

  private fit(personCount: number, organizationCount: number): void {
    if (this.stamp.length < personCount) {
      const capacity = Math.max(personCount, this.stamp.length * 2, 16);
      this.stamp = new Int32Array(capacity);
      this.value = new Float64Array(capacity);
      this.accumulated = new Float64Array(capacity);
      this.reachDistance = new Int32Array(capacity);
      this.reachQueue = new Int32Array(capacity);
      this.reachStamp = new Int32Array(capacity);
      this.epoch = 0;
    }
    if (this.organizationStamp.length < organizationCount)
      this.organizationStamp = new Int32Array(Math.max(organizationCount, this.organizationStamp.length * 2, 16));
  }

  private nextEpoch(personCount: number, organizationCount: number): number {
    this.fit(personCount, organizationCount);
    if (this.epoch >= 2 ** 30) {
      this.stamp.fill(0);
      this.reachStamp.fill(0);
      this.organizationStamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }

  /** Degree, constraint, effective size and brokerage roles of one person (by index). */
  metrics(snapshot: GraphSnapshot, person: number, options: StructuralHoleOptions = {}): LocalMetrics {
    const contacts = contactsOf(snapshot, person);
    const brokerage = this.brokerage(snapshot, person, contacts);
    if (contacts.length === 0) return { degree: 0, constraint: Number.NaN, effectiveSize: Number.NaN, brokerage };
    const weighted = options.weighted ?? false;
    return {
      degree: contacts.length,
      constraint: this.constraint(snapshot, person, contacts, weighted),
      effectiveSize: this.effectiveSize(snapshot, person, contacts, weighted),
      brokerage,
    };
  }

  /** Marks the ego's contacts with this epoch and stores p(ego, contact) in `value`. */
  private enter(contacts: readonly Contact[], weighted: boolean, epoch: number): void {
    let total = 0;
    for (const contact of contacts) total += weighted ? contact.strength : 1;
    for (const contact of contacts) {
      this.stamp[contact.person] = epoch;
      this.value[contact.person] = (weighted ? contact.strength : 1) / total;
      this.accumulated[contact.person] = 0;
    }
  }

  private constraint(snapshot: GraphSnapshot, ego: number, contacts: readonly Contact[], weighted: boolean): number {
    const epoch = this.nextEpoch(snapshot.personCount, snapshot.organizationCount);
    this.enter(contacts, weighted, epoch);
    for (const q of contacts) {
      const egoToQ = this.value[q.person]!;
      const qContacts = contactsOf(snapshot, q.person);
      let qTotal = 0;
      for (const j of qContacts) qTotal += weighted ? j.strength : 1;
      for (const j of qContacts) {
        if (j.person === ego || this.stamp[j.person] !== epoch) continue;
        this.accumulated[j.person]! += (egoToQ * (weighted ? j.strength : 1)) / qTotal;
      }
    }
    let sum = 0;
    for (const j of contacts) {
      const local = this.value[j.person]! + this.accumulated[j.person]!;
      sum += local * local;
    }
    return sum;
  }

  private effectiveSize(snapshot: GraphSnapshot, ego: number, contacts: readonly Contact[], weighted: boolean): number {
    const epoch = this.nextEpoch(snapshot.personCount, snapshot.organizationCount);
    this.enter(contacts, weighted, epoch);
    let redundancy = 0;
    for (const j of contacts) {
      const jContacts = contactsOf(snapshot, j.person);
      let jMax = 0;
      for (const q of jContacts) if (q.strength > jMax) jMax = q.strength;
      for (const q of jContacts) {
        if (q.person === ego || this.stamp[q.person] !== epoch) continue;
        // Unweighted this counts each tie among contacts twice, i.e. 2t.
        redundancy += weighted ? (this.value[q.person]! * q.strength) / jMax : 1;
      }
    }
    const n = contacts.length;
    return weighted ? n - redundancy : n - redundancy / n;
  }

  private brokerage(snapshot: GraphSnapshot, broker: number, contacts: readonly Contact[]): BrokerageRoles {
    const roles: BrokerageRoles = {
      coordinator: 0,
      gatekeeper: 0,
      representative: 0,
      itinerant: 0,
      liaison: 0,
      total: 0,
    };
    const brokerGroups = snapshot.organizationsOf(broker);
    for (const a of contacts) {
      const epoch = this.nextEpoch(snapshot.personCount, snapshot.organizationCount);
      const aGroups = snapshot.organizationsOf(a.person);
      const sameAB = shareOrganization(aGroups, brokerGroups);
      forEachRelationship(snapshot, a.person, (target) => {
        this.stamp[target] = epoch;
      });
      for (const c of contacts) {
        if (c.person === a.person || this.stamp[c.person] === epoch) continue;
        const cGroups = snapshot.organizationsOf(c.person);
        const sameBC = shareOrganization(brokerGroups, cGroups);
        roles.total++;
        if (sameAB && sameBC) roles.coordinator++;
        else if (sameAB) roles.representative++;
        else if (sameBC) roles.gatekeeper++;
        else if (shareOrganization(aGroups, cGroups)) roles.itinerant++;
        else roles.liaison++;
      }
    }
    return roles;
  }

  /** Decision makers (and their organizations) within `maxHops` relationships of one person (by index). */
  reach(snapshot: GraphSnapshot, start: number, options: ReachOptions): DecisionMakerReach {
    const epoch = this.nextEpoch(snapshot.personCount, snapshot.organizationCount);
    const { reachDistance: distance, reachQueue: queue, reachStamp: reached, organizationStamp } = this;
    const verifiedOnly = options.verifiedOnly ?? false;
    reached[start] = epoch;
    distance[start] = 0;
    queue[0] = start;
    let head = 0;
    let tail = 1;
    let decisionMakers = 0;
    let organizations = 0;
    const enqueue = (target: number, entryFlags: number, hops: number): void => {
      if (reached[target] === epoch || (verifiedOnly && !(entryFlags & VERIFIED_FLAG))) return;
      reached[target] = epoch;
      distance[target] = hops;
      queue[tail++] = target;
    };
    while (head < tail) {
      const v = queue[head++]!;
      if (v !== start) {
        let decides = false;
        for (const organization of snapshot.organizationsOf(v)) {
          if (!snapshot.decisionMakers(organization).includes(v)) continue;
          decides = true;
          if (organizationStamp[organization] === epoch) continue;
          organizationStamp[organization] = epoch;
          organizations++;
        }
        if (decides) decisionMakers++;
      }
      const hops = distance[v]!;
      if (hops >= options.maxHops) continue;
      forEachRelationship(snapshot, v, (target, _strength, entryFlags) => enqueue(target, entryFlags, hops + 1));
    }
    return { decisionMakers, organizations };
  }
}
