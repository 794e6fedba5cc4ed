// Gould–Fernandez brokerage roles with organizations as groups, and each person's reach into decision makers —
// who can open which doors, and through which kind of bridge.

import { VERIFIED_FLAG } from "../snapshot.ts";
import type { GraphSnapshot } from "../snapshot.ts";

/**
 * Counts of brokered ordered pairs (a, c) for broker b, where a–b and b–c are relationships and a–c is not.
 *
 * Direction rule: relationships are undirected, so each one is read in both directions and every unordered pair
 * {a, c} is counted twice, once as a→b→c and once as c→b→a. A pair with one end in b's group therefore counts once
 * as representative and once as gatekeeper, and `total` is twice the number of open triads around b.
 *
 * Groups: two people are in the same group when they share at least one organization; people without one are a
 * group of their own. Roles are read from b's side: same(a,b) and same(b,c) → coordinator; same(a,b) only →
 * representative; same(b,c) only → gatekeeper; neither but same(a,c) → itinerant (consultant); otherwise liaison.
 * For one organization per person this is exactly Gould & Fernandez (1989).
 */
export interface BrokerageRoles {
  coordinator: number;
  gatekeeper: number;
  representative: number;
  itinerant: number;
  liaison: number;
  total: number;
}

/** Whether two sorted lists of organization indices have one in common. */
export function shareOrganization(left: Int32Array, right: Int32Array): boolean {
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i]!;
    const b = right[j]!;
    if (a === b) return true;
    if (a < b) i++;
    else j++;
  }
  return false;
}

function emptyRoles(): BrokerageRoles {
  return { coordinator: 0, gatekeeper: 0, representative: 0, itinerant: 0, liaison: 0, total: 0 };
}

/** Brokerage roles of every person, by index. O(Σ degree²) — meant for organizations' subgraphs or modest graphs. */
export function brokerageRoles(snapshot: GraphSnapshot): BrokerageRoles[] {
  const { personCount: n, offsets, targets } = snapshot.adjacency();
  const adjacentMark = new Int32Array(n).fill(-1);
  let mark = 0;
  const result: BrokerageRoles[] = [];
  for (let broker = 0; broker < n; broker++) {
    const roles = emptyRoles();
    const brokerGroups = snapshot.organizationsOf(broker);
    for (let i = offsets[broker]!; i < offsets[broker + 1]!; i++) {
      const a = targets[i]!;
      const aGroups = snapshot.organizationsOf(a);
      const sameAB = shareOrganization(aGroups, brokerGroups);
      mark++;
      for (let l = offsets[a]!; l < offsets[a + 1]!; l++) adjacentMark[targets[l]!] = mark;
      for (let l = offsets[broker]!; l < offsets[broker + 1]!; l++) {
        const c = targets[l]!;
        if (c === a || adjacentMark[c] === mark) continue;
        const cGroups = snapshot.organizationsOf(c);
        const sameBC = shareOrganization(brokerGroups, cGroups);
        roles.total++;
        if (sameAB && sameBC) roles.coordinator++;
        else if (sameAB) roles.representative++;
        else if (sameBC) roles.gatekeeper++;
        else if (shareOrganization(aGroups, cGroups)) roles.itinerant++;
        else roles.liaison++;
      }
    }
    result.push(roles);
  }
  return result;
}

export interface DecisionMakerReach {
  /** Distinct decision makers (of any organization) within `maxHops`, the person excluded. */
  decisionMakers: number;
  /** Organizations with at least one of those decision makers. */
  organizations: number;
}

export interface ReachOptions {
  maxHops: number;
  verifiedOnly?: boolean;
}

/** How many decision makers, and of how many organizations, a person can reach within `maxHops` relationships. */
export function decisionMakerReach(
  snapshot: GraphSnapshot,
  personId: string,
  options: ReachOptions,
): DecisionMakerReach {
  const start = snapshot.indexOf(personId);
  if (start < 0) throw new Error(`unknown person ${personId}`);
  const { personCount: n, offsets, targets, flags } = snapshot.adjacency();
  const decides = new Uint8Array(n);
  const organizationReached = new Uint8Array(snapshot.organizationCount);
  const distance = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  distance[start] = 0;
  queue[0] = start;
  let head = 0;
  let tail = 1;
  let decisionMakers = 0;
  let organizations = 0;
  for (let organization = 0; organization < snapshot.organizationCount; organization++) {
    for (const person of snapshot.decisionMakers(organization)) decides[person] = 1;
  }
  while (head < tail) {
    const v = queue[head++]!;
    if (v !== start && decides[v]) {
      decisionMakers++;
      for (const organization of snapshot.organizationsOf(v)) {
        if (organizationReached[organization] || !snapshot.decisionMakers(organization).includes(v)) continue;
        organizationReached[organization] = 1;
        organizations++;
      }
    }
    if (distance[v]! >= options.maxHops) continue;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
      const w = targets[i]!;
      if (distance[w] !== -1) continue;
      if (options.verifiedOnly && !(flags[i]! & VERIFIED_FLAG)) continue;
      distance[w] = distance[v]! + 1;
      queue[tail++] = w;
    }
  }
  return { decisionMakers, organizations };
}
