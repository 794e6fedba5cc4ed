// The shared graph against plain rebuilds: after any sequence of patches, each viewer's paths and the public metrics
// equal those of a snapshot built from scratch from what that viewer may see.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BetweennessRun,
  betweennessCentrality,
  brokerageRoles,
  constraint,
  decisionMakerReach,
  effectiveSize,
  type GraphViewer,
  GraphSnapshot,
  LocalMetricsScratch,
  type MembershipRow,
  SharedGraph,
  type SharedRelationshipRow,
  generatePowerLawGraph,
  sampledBetweennessCentrality,
  warmIntroPaths,
} from "../src/index.ts";

const PEOPLE = Array.from({ length: 8 }, (_, i) => `p${i}`);
const ORGANIZATIONS = ["o0", "o1", "o2"];
const OWNERS = [null, "partner-a", "partner-b"] as const;

type Operation =
  | { kind: "upsert"; a: number; b: number; strength: number; verified: boolean; owner: number }
  | { kind: "remove"; a: number; b: number; owner: number }
  | { kind: "retire"; person: number }
  | { kind: "add"; person: number }
  | { kind: "memberships"; person: number; organizations: [number, boolean][] };

const person = fc.nat(PEOPLE.length - 1);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant("upsert" as const),
    a: person,
    b: person,
    strength: fc.constantFrom(0.25, 0.5, 0.9, 1),
    verified: fc.boolean(),
    owner: fc.nat(2),
  }),
  fc.record({ kind: fc.constant("remove" as const), a: person, b: person, owner: fc.nat(2) }),
  fc.record({ kind: fc.constant("retire" as const), person }),
  fc.record({ kind: fc.constant("add" as const), person }),
  fc.record({
    kind: fc.constant("memberships" as const),
    person,
    organizations: fc.array(fc.tuple(fc.nat(ORGANIZATIONS.length - 1), fc.boolean()), { maxLength: 2 }),
  }),
);

/** What the graph should hold, kept as plain rows: one per pair and scope (public, or a partner's). */
class Reference {
  readonly people: string[];
  readonly retired = new Set<string>();
  readonly relationships = new Map<string, SharedRelationshipRow>();
  readonly memberships = new Map<string, MembershipRow[]>();

  constructor(people: string[]) {
    this.people = [...people];
  }

  apply(graph: SharedGraph, op: Operation): void {
    if (op.kind === "upsert" || op.kind === "remove") {
      const [a, b] = [PEOPLE[op.a]!, PEOPLE[op.b]!].sort() as [string, string];
      if (a === b) return;
      if (op.kind === "upsert") {
        const row = {
          personAId: a,
          personBId: b,
          strength: op.strength,
          verified: op.verified,
          owner: OWNERS[op.owner]!,
        };
        graph.upsertRelationship(row);
        this.relationships.set(`${a}|${b}|${row.owner}`, row);
        for (const id of [a, b]) this.revive(id);
      } else {
        graph.removeRelationship(a, b, OWNERS[op.owner]!);
        this.relationships.delete(`${a}|${b}|${OWNERS[op.owner]!}`);
      }
    } else if (op.kind === "retire") {
      const id = PEOPLE[op.person]!;
      graph.retirePerson(id);
      if (!this.people.includes(id)) return;
      this.retired.add(id);
      for (const [key, row] of this.relationships)
        if (row.personAId === id || row.personBId === id) this.relationships.delete(key);
      this.memberships.delete(id);
    } else if (op.kind === "add") {
      graph.addPerson(PEOPLE[op.person]!);
      this.revive(PEOPLE[op.person]!);
    } else {
      const id = PEOPLE[op.person]!;
      // Memberships belong to people in the graph; a retired person has none until brought back and set again.
      if (!this.people.includes(id) || this.retired.has(id)) return;
      const rows = op.organizations.map(([organization, decisionMaker]) => ({
        organizationId: ORGANIZATIONS[organization]!,
        decisionMaker,
      }));
      graph.setMemberships(id, rows);
      this.memberships.set(
        id,
        rows.map((row) => ({ ...row, personId: id })),
      );
    }
  }

  private revive(id: string): void {
    if (!this.people.includes(id)) this.people.push(id);
    this.retired.delete(id);
  }

  /** One row per pair the viewer sees: the strongest of the relationships it may see, verified when any is. */
  visibleTo(viewer: GraphViewer): SharedRelationshipRow[] {
    const byPair = new Map<string, SharedRelationshipRow>();
    for (const row of this.relationships.values()) {
      const visible =
        viewer.kind === "all" || row.owner === null || (viewer.kind === "partner" && row.owner === viewer.partnerId);
      if (!visible) continue;
      const key = `${row.personAId}|${row.personBId}`;
      const seen = byPair.get(key);
      byPair.set(
        key,
        seen
          ? {
              ...(row.strength > seen.strength ? row : seen),
              verified: row.verified || seen.verified,
            }
          : row,
      );
    }
    return [...byPair.values()];
  }

  /** Every person in index order (retired ones included, without relationships), as the shared graph keeps them. */
  snapshotFor(viewer: GraphViewer, people = this.people): GraphSnapshot {
    return GraphSnapshot.fromRows({
      people: people.map((id) => ({ id })),
      relationships: this.visibleTo(viewer),
      memberships: [...this.memberships.values()].flat().filter((row) => people.includes(row.personId)),
    });
  }
}

const viewers: GraphViewer[] = [
  { kind: "all" },
  { kind: "public" },
  { kind: "partner", partnerId: "partner-a" },
  { kind: "partner", partnerId: "partner-b" },
];

const close = (actual: number, expected: number) =>
  Number.isNaN(expected) ? Number.isNaN(actual) : Math.abs(actual - expected) < 1e-12;

describe("a shared graph", () => {
  it("answers every viewer's paths and the public metrics like a rebuild from that viewer's rows", () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 12 }),
        fc.array(operation, { maxLength: 16 }),
        fc.nat(PEOPLE.length - 1),
        fc.nat(PEOPLE.length - 1),
        (initial, patches, from, to) => {
          const start = new Reference(PEOPLE.slice(0, 5));
          const seeded = SharedGraph.fromRows({ people: start.people, relationships: [] });
          for (const op of initial) start.apply(seeded, op);
          // The same state built in one go, then patched: both must agree with the reference at every step.
          const graph = SharedGraph.fromRows({
            people: start.people,
            relationships: [...start.relationships.values()],
            memberships: [...start.memberships.values()].flat(),
          });
          for (const id of start.retired) graph.retirePerson(id);
          const reference = start;
          for (const op of patches) reference.apply(graph, op);

          const fromId = PEOPLE[from]!;
          const toId = PEOPLE[to]!;
          for (const viewer of viewers) {
            const expected = reference.snapshotFor(viewer);
            const view = graph.view(viewer);
            expect(view.personIds).toEqual(expected.personIds);
            expect(view.relationshipCount).toBe(expected.relationshipCount);
            if (fromId === toId || expected.indexOf(fromId) < 0 || expected.indexOf(toId) < 0) continue;
            const query = { from: fromId, to: toId, k: 3, maxHops: 4 };
            expect(warmIntroPaths(view, query)).toEqual(warmIntroPaths(expected, query));
          }

          const publicGraph = reference.snapshotFor({ kind: "public" });
          const view = graph.view({ kind: "public" });
          const scratch = new LocalMetricsScratch();
          const wholeConstraint = constraint(publicGraph);
          const wholeEffectiveSize = effectiveSize(publicGraph);
          const wholeBrokerage = brokerageRoles(publicGraph);
          for (let index = 0; index < publicGraph.personCount; index++) {
            const local = scratch.metrics(view, index);
            expect(close(local.constraint, wholeConstraint[index]!)).toBe(true);
            expect(close(local.effectiveSize, wholeEffectiveSize[index]!)).toBe(true);
            expect(local.brokerage).toEqual(wholeBrokerage[index]);
            for (const maxHops of [1, 2, 3])
              for (const verifiedOnly of [false, true])
                expect(scratch.reach(view, index, { maxHops, verifiedOnly })).toEqual(
                  decisionMakerReach(publicGraph, publicGraph.personIds[index]!, { maxHops, verifiedOnly }),
                );
          }

          const active = reference.people.filter((id) => !reference.retired.has(id));
          const compact = graph.publicSnapshot();
          expect(compact.personIds).toEqual(active);
          expect(betweennessCentrality(compact)).toEqual(
            betweennessCentrality(reference.snapshotFor({ kind: "public" }, active)),
          );
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it("moves the public topology version for public changes only", () => {
    const graph = SharedGraph.fromRows({ people: ["a", "b", "c"], relationships: [] });
    const version = () => graph.publicTopologyVersion;
    const start = version();
    graph.upsertRelationship({ personAId: "a", personBId: "b", strength: 0.5, verified: false, owner: "partner-a" });
    graph.removeRelationship("a", "b");
    graph.setMemberships("a", [{ organizationId: "o", decisionMaker: true }]);
    expect(version()).toBe(start);
    graph.upsertRelationship({ personAId: "a", personBId: "c", strength: 0.5, verified: false, owner: null });
    expect(version()).toBe(start + 1);
    graph.upsertRelationship({ personAId: "a", personBId: "c", strength: 0.7, verified: true, owner: null });
    expect(version()).toBe(start + 1);
    graph.addPerson("d");
    expect(version()).toBe(start + 2);
  });
});

describe("betweenness in steps", () => {
  const graph = GraphSnapshot.fromArrays(generatePowerLawGraph({ people: 300, attachments: 3, seed: 7 }));

  it("equals the exact and the sampled functions however it is sliced", () => {
    const exact = new BetweennessRun(graph);
    while (!exact.done) exact.step(7);
    expect(exact.result()).toMatchObject({ method: "EXACT", errorBound: null });
    expect(exact.result().values).toEqual(betweennessCentrality(graph));

    const sampled = new BetweennessRun(graph, { pivots: 40, seed: 3 });
    while (!sampled.done) sampled.step(3);
    const reference = sampledBetweennessCentrality(graph, { pivots: 40, seed: 3 });
    expect(sampled.result().values).toEqual(reference.values);
    expect(sampled.result().errorBound).toBe(reference.errorBound);
  });
});
