// Small builders shared by the graph tests.

import { GraphSnapshot } from "../src/snapshot.ts";
import type { MembershipRow, RelationshipRow } from "../src/snapshot.ts";

/** A snapshot from an edge list; people are the sorted-by-first-appearance ids, or `people` when given. */
export function snapshotFromEdges(
  edges: readonly (
    | readonly [string, string]
    | readonly [string, string, number]
    | readonly [string, string, number, boolean]
  )[],
  options: { people?: readonly string[]; memberships?: readonly MembershipRow[] } = {},
): GraphSnapshot {
  const people = [...(options.people ?? [])];
  const known = new Set(people);
  const relationships: RelationshipRow[] = [];
  for (const [a, b, strength = 1, verified = true] of edges) {
    for (const id of [a, b]) {
      if (!known.has(id)) {
        known.add(id);
        people.push(id);
      }
    }
    relationships.push({ personAId: a, personBId: b, strength, verified });
  }
  return GraphSnapshot.fromRows({
    people: people.map((id) => ({ id })),
    relationships,
    memberships: options.memberships ?? [],
  });
}

export function byId(snapshot: GraphSnapshot, values: Float64Array): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [i, id] of snapshot.personIds.entries()) result[id] = values[i]!;
  return result;
}
