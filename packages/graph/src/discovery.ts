// Graph signals for finding who matters for a topic or a target: how much a person brokers between members of the
// topic's community who are not tied to each other, how many decision makers of the target organizations they can
// reach, and how warm the best path from a given person to them is. Computed from each candidate's neighbourhood, so a
// query costs what the candidates' neighbourhoods cost, not what the whole graph does.

import { forEachRelationship } from "./metrics/local.ts";
import type { GraphSnapshot } from "./snapshot.ts";

export interface TopicSignalQuery {
  /** Indexes of the people who carry the topic: with the members of `communityOrganizations`, its community. */
  communityPeople: readonly number[];
  /** Indexes of the organizations where it is carried: their current members belong to the community too. */
  communityOrganizations: readonly number[];
  /** Indexes of the people to score. */
  candidates: readonly number[];
  /** Indexes of the organizations whose decision makers count as reach. */
  targets: readonly number[];
  /** Index of the person the warmth is measured from, or −1. */
  near: number;
  /** Longest path for reach into decision makers. */
  maxHops: number;
  /** Longest path for warmth. */
  warmthHops: number;
}

export interface TopicSignals {
  /**
   * Burt's effective size inside the community: the person's community contacts minus the redundancy among them
   * (n − 2t/n for n contacts with t ties among themselves), i.e. how many otherwise unconnected parts they join.
   */
  brokerage: number;
  /** Community contacts. */
  communityContacts: number;
  /** Distinct decision makers of the target organizations within `maxHops` (the person excluded). */
  decisionMakers: number;
  /** Of those, the ones the person knows directly. */
  directDecisionMakers: number;
  /** Decision makers weighted by distance: 1 for a direct contact, 1/2 two relationships away, 1/h at h. */
  reach: number;
  /** Product of strengths along the warmest path from `near` within `warmthHops`; 1 for `near` itself, 0 if none. */
  warmth: number;
}

/** The signals for each candidate, in the order given. */
export function topicSignals(snapshot: GraphSnapshot, query: TopicSignalQuery): TopicSignals[] {
  const n = snapshot.personCount;
  // 1 in the community, 2 not, 0 not yet known: membership is decided on first sight from the snapshot's memberships.
  const community = new Uint8Array(n);
  for (const person of query.communityPeople) community[person] = 1;
  const topicOrganization = new Uint8Array(snapshot.organizationCount);
  for (const organization of query.communityOrganizations) topicOrganization[organization] = 1;
  const inCommunity = (person: number): boolean => {
    if (community[person] === 0) {
      community[person] = 2;
      for (const organization of snapshot.organizationsOf(person))
        if (topicOrganization[organization]) community[person] = 1;
    }
    return community[person] === 1;
  };
  const decides = new Uint8Array(n);
  for (const organization of query.targets)
    for (const person of snapshot.decisionMakers(organization)) decides[person] = 1;
  const warmth = query.near >= 0 ? warmestFrom(snapshot, query.near, query.warmthHops) : null;
  const stamp = new Int32Array(n);
  let epoch = 0;
  const seen = new Visited(n);
  return query.candidates.map((candidate) => {
    // Community contacts, stamped so ties among them are found in one pass over each contact's relationships.
    epoch++;
    const contacts: number[] = [];
    forEachRelationship(snapshot, candidate, (target) => {
      if (stamp[target] !== epoch && inCommunity(target)) {
        stamp[target] = epoch;
        contacts.push(target);
      }
    });
    let ties = 0;
    for (const contact of contacts)
      forEachRelationship(snapshot, contact, (target) => {
        if (stamp[target] === epoch) ties++;
      });
    // Each tie among contacts was seen from both ends.
    const size = contacts.length;
    const brokerage = size === 0 ? 0 : size - ties / size;
    return {
      brokerage,
      communityContacts: size,
      ...decisionMakersWithin(snapshot, candidate, decides, query.maxHops, seen),
      warmth: warmth ? (warmth.get(candidate) ?? 0) : 0,
    };
  });
}

/** People marked in `decides` within `maxHops` of `start` (breadth first; `start` itself excluded), by distance. */
function decisionMakersWithin(
  snapshot: GraphSnapshot,
  start: number,
  decides: Uint8Array,
  maxHops: number,
  seen: Visited,
): Pick<TopicSignals, "decisionMakers" | "directDecisionMakers" | "reach"> {
  seen.next();
  seen.visit(start);
  let frontier = [start];
  const found = { decisionMakers: 0, directDecisionMakers: 0, reach: 0 };
  for (let hop = 1; hop <= maxHops && frontier.length; hop++) {
    const next: number[] = [];
    const last = hop === maxHops;
    for (const person of frontier)
      forEachRelationship(snapshot, person, (target) => {
        if (!seen.visit(target)) return;
        if (decides[target]) {
          found.decisionMakers++;
          if (hop === 1) found.directDecisionMakers++;
          found.reach += 1 / hop;
        }
        if (!last) next.push(target);
      });
    frontier = next;
  }
  return found;
}

/** A visited set for repeated searches: stamped per search, never cleared. */
class Visited {
  private readonly stamps: Int32Array;
  private epoch = 0;

  constructor(size: number) {
    this.stamps = new Int32Array(size);
  }

  next(): void {
    this.epoch++;
  }

  /** Marks `person`; false if this search had marked it already. */
  visit(person: number): boolean {
    if (this.stamps[person] === this.epoch) return false;
    this.stamps[person] = this.epoch;
    return true;
  }
}

/**
 * The warmest path's strength product from `start` to everyone within `maxHops` (a hop-bounded Bellman-Ford: products
 * of strengths in (0,1] only shrink, so each round relaxes the people the previous round improved).
 */
function warmestFrom(snapshot: GraphSnapshot, start: number, maxHops: number): Map<number, number> {
  const best = new Map<number, number>([[start, 1]]);
  let frontier = new Map<number, number>([[start, 1]]);
  for (let hop = 0; hop < maxHops && frontier.size; hop++) {
    const improved = new Map<number, number>();
    for (const [person, warmth] of frontier)
      forEachRelationship(snapshot, person, (target, strength) => {
        const candidate = warmth * strength;
        if (candidate > (best.get(target) ?? 0)) {
          best.set(target, candidate);
          improved.set(target, candidate);
        }
      });
    frontier = improved;
  }
  return best;
}
