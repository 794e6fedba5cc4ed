import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatePowerLawGraph } from "../src/generate.ts";
import { betweennessCentrality } from "../src/metrics/betweenness.ts";
import { constraint } from "../src/metrics/structural-holes.ts";
import { warmIntroPaths } from "../src/paths.ts";
import { GraphSnapshot } from "../src/snapshot.ts";
import type { RelationshipRow } from "../src/snapshot.ts";

const people = Array.from({ length: 9 }, (_, i) => ({ id: `p${i}` }));

function rowsToMap(rows: readonly RelationshipRow[]): Map<string, RelationshipRow> {
  const map = new Map<string, RelationshipRow>();
  for (const row of rows) {
    if (row.personAId === row.personBId) continue;
    const [a, b] = [row.personAId, row.personBId].sort();
    map.set(`${a}|${b}`, { ...row, personAId: a!, personBId: b! });
  }
  return map;
}

const rowArbitrary = fc.record({
  personAId: fc.constantFrom(...people.map((p) => p.id)),
  personBId: fc.constantFrom(...people.map((p) => p.id)),
  strength: fc.double({ min: 0.05, max: 1, noNaN: true }),
  verified: fc.boolean(),
});
const patchArbitrary = fc.oneof(
  rowArbitrary.map((row) => ({ kind: "upsert" as const, row })),
  rowArbitrary.map((row) => ({ kind: "remove" as const, row })),
);

describe("patching a snapshot", () => {
  it("answers paths and metrics like a snapshot rebuilt from the patched rows", () => {
    fc.assert(
      fc.property(
        fc.array(rowArbitrary, { maxLength: 18 }),
        fc.array(patchArbitrary, { maxLength: 14 }),
        (rows, patches) => {
          const patched = GraphSnapshot.fromRows({ people, relationships: rows });
          const current = rowsToMap(rows);
          for (const patch of patches) {
            const [a, b] = [patch.row.personAId, patch.row.personBId].sort();
            if (patch.kind === "upsert") {
              patched.upsertRelationship(patch.row);
              if (a !== b) current.set(`${a}|${b}`, { ...patch.row, personAId: a!, personBId: b! });
            } else {
              const existed = current.delete(`${a}|${b}`);
              expect(patched.removeRelationship(patch.row.personAId, patch.row.personBId)).toBe(existed);
            }
          }
          const rebuilt = GraphSnapshot.fromRows({ people, relationships: [...current.values()] });
          expect(patched.relationshipCount).toBe(rebuilt.relationshipCount);
          for (const from of people) {
            for (const to of people) {
              expect(patched.findRelationship(from.id, to.id)).toEqual(rebuilt.findRelationship(from.id, to.id));
              if (from.id >= to.id) continue;
              const query = { from: from.id, to: to.id, k: 3, maxHops: 4 };
              expect(warmIntroPaths(patched, query)).toEqual(warmIntroPaths(rebuilt, query));
              expect(warmIntroPaths(patched, { ...query, verifiedOnly: true })).toEqual(
                warmIntroPaths(rebuilt, { ...query, verifiedOnly: true }),
              );
            }
          }
          // Metrics compact the overlay first; the result must match the rebuilt arrays exactly.
          expect(betweennessCentrality(patched)).toEqual(betweennessCentrality(rebuilt));
          expect(constraint(patched)).toEqual(constraint(rebuilt));
          expect(patched.hasPendingPatches).toBe(false);
          expect(patched.targets).toEqual(rebuilt.targets);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it("updates an existing relationship in place and new ones through the overlay", () => {
    const snapshot = GraphSnapshot.fromRows({
      people: [{ id: "a" }, { id: "b" }, { id: "c" }],
      relationships: [{ personAId: "a", personBId: "b", strength: 0.5, verified: false }],
    });
    const targets = snapshot.targets;
    snapshot.upsertRelationship({ personAId: "b", personBId: "a", strength: 0.7, verified: true });
    expect(snapshot.targets).toBe(targets);
    expect(snapshot.hasPendingPatches).toBe(false);
    expect(snapshot.findRelationship("a", "b")).toEqual({ strength: 0.7, verified: true });
    snapshot.upsertRelationship({ personAId: "b", personBId: "c", strength: 0.4, verified: true });
    expect(snapshot.overlaySize).toBe(2);
    expect(warmIntroPaths(snapshot, { from: "a", to: "c" })[0]!.score).toBeCloseTo(0.28, 12);
    snapshot.compact();
    expect(snapshot.overlaySize).toBe(0);
    expect(warmIntroPaths(snapshot, { from: "a", to: "c" })[0]!.score).toBeCloseTo(0.28, 12);
  });

  it("adds people, rejects bad strengths and compacts itself when the overlay grows", () => {
    const snapshot = GraphSnapshot.fromArrays(generatePowerLawGraph({ people: 2000, attachments: 2, seed: 5 }));
    const newcomer = snapshot.addPerson("newcomer");
    expect(snapshot.personId(newcomer)).toBe("newcomer");
    snapshot.upsertRelationship({ personAId: "newcomer", personBId: "p0", strength: 1, verified: true });
    expect(warmIntroPaths(snapshot, { from: "newcomer", to: "p1", maxHops: 2 })).toHaveLength(1);
    expect(() =>
      snapshot.upsertRelationship({ personAId: "p1", personBId: "p2", strength: 0, verified: true }),
    ).toThrow(RangeError);
    const before = snapshot.relationshipCount;
    for (let i = 1; i < 1999; i++) {
      snapshot.upsertRelationship({
        personAId: `p${i}`,
        personBId: `p${(i * 7 + 3) % 2000}`,
        strength: 0.3,
        verified: false,
      });
    }
    expect(snapshot.overlaySize).toBeLessThan(2 * 1999); // compaction ran at least once
    expect(snapshot.relationshipCount).toBeGreaterThan(before);
  });

  it("keeps the last row when a pair is listed twice, and ignores self-relationships", () => {
    const snapshot = GraphSnapshot.fromRows({
      people: [{ id: "a" }, { id: "b" }],
      relationships: [
        { personAId: "a", personBId: "b", strength: 0.2, verified: false },
        { personAId: "a", personBId: "a", strength: 0.9, verified: true },
        { personAId: "b", personBId: "a", strength: 0.6, verified: true },
      ],
    });
    expect(snapshot.relationshipCount).toBe(1);
    expect(snapshot.findRelationship("a", "b")).toEqual({ strength: 0.6, verified: true });
  });
});
