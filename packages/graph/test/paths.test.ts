import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "@intrograph/random";
import { generatePowerLawGraph } from "../src/generate.ts";
import { PathFinder, warmIntroPaths } from "../src/paths.ts";
import { GraphSnapshot } from "../src/snapshot.ts";
import type { WarmIntroPath } from "../src/paths.ts";
import { snapshotFromEdges } from "./helpers.ts";

interface BruteQuery {
  from: string;
  targets: ReadonlySet<string>;
  maxHops: number;
  verifiedOnly: boolean;
  exclude: ReadonlySet<string>;
}

/** Every loopless path within the limits, best score first — the reference the search must agree with. */
function allPaths(snapshot: GraphSnapshot, query: BruteQuery): { people: string[]; score: number }[] {
  const found: { people: string[]; score: number }[] = [];
  if (query.exclude.has(query.from)) return found;
  const walk = (people: string[], score: number): void => {
    const last = people[people.length - 1]!;
    if (people.length > 1 && query.targets.has(last)) {
      found.push({ people: [...people], score });
      return; // a path ends at the first person reached; going on only lowers the score
    }
    if (people.length - 1 >= query.maxHops) return;
    for (const next of snapshot.personIds) {
      if (people.includes(next) || query.exclude.has(next)) continue;
      const relationship = snapshot.findRelationship(last, next);
      if (relationship === undefined || (query.verifiedOnly && !relationship.verified)) continue;
      walk([...people, next], score * relationship.strength);
    }
  };
  walk([query.from], 1);
  return found.sort((a, b) => b.score - a.score);
}

function expectValidPath(snapshot: GraphSnapshot, path: WarmIntroPath): void {
  expect(new Set(path.personIds).size).toBe(path.personIds.length);
  expect(path.hops).toBe(path.personIds.length - 1);
  expect(path.strengths).toHaveLength(path.hops);
  let product = 1;
  path.strengths.forEach((strength, i) => {
    expect(snapshot.findRelationship(path.personIds[i]!, path.personIds[i + 1]!)?.strength).toBe(strength);
    product *= strength;
  });
  expect(path.score).toBeCloseTo(product, 12);
}

const people = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"];
const strengthArbitrary = fc.oneof(fc.constantFrom(0.5, 0.25, 1), fc.double({ min: 0.01, max: 1, noNaN: true }));
const graphArbitrary = fc.record({
  personCount: fc.integer({ min: 2, max: 8 }),
  edges: fc.array(
    fc.tuple(fc.nat(7), fc.nat(7), strengthArbitrary, fc.boolean()).filter(([a, b]) => a !== b),
    { maxLength: 20 },
  ),
  from: fc.nat(7),
  to: fc.nat(7),
  maxHops: fc.integer({ min: 1, max: 6 }),
  verifiedOnly: fc.boolean(),
  exclude: fc.array(fc.nat(7), { maxLength: 2 }),
  k: fc.integer({ min: 1, max: 4 }),
  decisionMakers: fc.array(fc.nat(7), { maxLength: 3 }),
});

type GraphInput = typeof graphArbitrary extends fc.Arbitrary<infer T> ? T : never;

function build(input: GraphInput): GraphSnapshot {
  const names = people.slice(0, input.personCount);
  const edges = input.edges
    .filter(([a, b]) => a < input.personCount && b < input.personCount)
    .map(([a, b, strength, verified]) => [names[a]!, names[b]!, strength, verified] as const);
  return snapshotFromEdges(edges, {
    people: names,
    memberships: input.decisionMakers
      .filter((p) => p < input.personCount)
      .map((p) => ({ personId: names[p]!, organizationId: "acme", decisionMaker: true })),
  });
}

describe("warm-intro paths agree with brute force on small random graphs", () => {
  it("best and k-best scores, person to person", () => {
    fc.assert(
      fc.property(graphArbitrary, (input) => {
        const snapshot = build(input);
        const from = people[input.from % input.personCount]!;
        const to = people[input.to % input.personCount]!;
        const exclude = input.exclude.map((p) => people[p]!).filter((id) => id !== from || input.exclude.length > 1);
        const paths = warmIntroPaths(snapshot, {
          from,
          to,
          k: input.k,
          maxHops: input.maxHops,
          verifiedOnly: input.verifiedOnly,
          exclude,
        });
        const reference =
          from === to
            ? []
            : allPaths(snapshot, {
                from,
                targets: new Set([to]),
                maxHops: input.maxHops,
                verifiedOnly: input.verifiedOnly,
                exclude: new Set(exclude),
              });
        expect(paths.length).toBe(Math.min(input.k, reference.length));
        paths.forEach((path, i) => {
          expectValidPath(snapshot, path);
          expect(path.score).toBeCloseTo(reference[i]!.score, 9);
          expect(path.hops).toBeLessThanOrEqual(input.maxHops);
          expect(path.personIds[0]).toBe(from);
          expect(path.personIds[path.hops]).toBe(to);
          for (const id of path.personIds) expect(exclude).not.toContain(id);
        });
        expect(new Set(paths.map((p) => p.personIds.join(">"))).size).toBe(paths.length);
      }),
      { numRuns: 400, seed: 20251122 },
    );
  });

  it("best and k-best scores, person to an organization's decision makers", () => {
    fc.assert(
      fc.property(graphArbitrary, (input) => {
        const snapshot = build(input);
        if (snapshot.organizationIndex("acme") < 0) return;
        const from = people[input.from % input.personCount]!;
        const decisionMakers = new Set(Array.from(snapshot.decisionMakers(0), (i) => snapshot.personIds[i]!));
        decisionMakers.delete(from);
        const paths = warmIntroPaths(snapshot, {
          from,
          toOrganization: "acme",
          k: input.k,
          maxHops: input.maxHops,
          verifiedOnly: input.verifiedOnly,
        });
        const reference = allPaths(snapshot, {
          from,
          targets: decisionMakers,
          maxHops: input.maxHops,
          verifiedOnly: input.verifiedOnly,
          exclude: new Set(),
        });
        expect(paths.length).toBe(Math.min(input.k, reference.length));
        paths.forEach((path, i) => {
          expectValidPath(snapshot, path);
          expect(path.score).toBeCloseTo(reference[i]!.score, 9);
          expect(decisionMakers.has(path.personIds[path.hops]!)).toBe(true);
        });
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("warm-intro paths follow the documented ranking exactly when scores tie", () => {
  // Strengths that are powers of two multiply exactly, so equal scores are common and compare exactly.
  const tiedArbitrary = fc.record({
    personCount: fc.integer({ min: 3, max: 7 }),
    edges: fc.array(
      fc.tuple(fc.nat(6), fc.nat(6), fc.constantFrom(0.25, 0.5, 0.5, 1), fc.boolean()).filter(([a, b]) => a !== b),
      { minLength: 4, maxLength: 24 },
    ),
    from: fc.nat(6),
    to: fc.nat(6),
    maxHops: fc.integer({ min: 1, max: 5 }),
    verifiedOnly: fc.boolean(),
    exclude: fc.array(fc.nat(6), { maxLength: 2 }),
    k: fc.integer({ min: 1, max: 4 }),
    toOrganization: fc.boolean(),
    decisionMakers: fc.array(fc.nat(6), { maxLength: 3 }),
    /** Relationships from this position on are added as patches, so searches read the overlay too. */
    patchedFrom: fc.nat(24),
  });

  /** Documented ranking: higher score, then fewer hops, then the lower sequence of person indices. */
  type Ranked = { people: string[]; score: number };
  function rank(snapshot: GraphSnapshot, a: Ranked, b: Ranked): number {
    if (a.score !== b.score) return b.score - a.score;
    if (a.people.length !== b.people.length) return a.people.length - b.people.length;
    for (let i = 0; i < a.people.length; i++) {
      const difference = snapshot.indexOf(a.people[i]!) - snapshot.indexOf(b.people[i]!);
      if (difference !== 0) return difference;
    }
    return 0;
  }

  it("k best equal brute force sorted by score, hops and person indices, order included", () => {
    fc.assert(
      fc.property(tiedArbitrary, (input) => {
        const names = people.slice(0, input.personCount);
        const edges = input.edges
          .filter(([a, b]) => a < input.personCount && b < input.personCount)
          .map(([a, b, strength, verified]) => [names[a]!, names[b]!, strength, verified] as const);
        const snapshot = snapshotFromEdges(edges.slice(0, input.patchedFrom), {
          people: names,
          memberships: input.decisionMakers
            .filter((p) => p < input.personCount)
            .map((p) => ({ personId: names[p]!, organizationId: "acme", decisionMaker: true })),
        });
        for (const [personAId, personBId, strength, verified] of edges.slice(input.patchedFrom)) {
          snapshot.upsertRelationship({ personAId, personBId, strength, verified });
        }
        const from = names[input.from % input.personCount]!;
        const exclude = input.exclude.filter((p) => p < input.personCount).map((p) => names[p]!);
        let targets: Set<string>;
        let paths: WarmIntroPath[];
        const limits = { from, k: input.k, maxHops: input.maxHops, verifiedOnly: input.verifiedOnly, exclude };
        if (input.toOrganization) {
          if (snapshot.organizationIndex("acme") < 0) return;
          targets = new Set(Array.from(snapshot.decisionMakers(0), (i) => snapshot.personIds[i]!));
          paths = warmIntroPaths(snapshot, { ...limits, toOrganization: "acme" });
        } else {
          const to = names[input.to % input.personCount]!;
          targets = new Set([to]);
          paths = warmIntroPaths(snapshot, { ...limits, to });
        }
        targets.delete(from);
        const reference = allPaths(snapshot, {
          from,
          targets,
          maxHops: input.maxHops,
          verifiedOnly: input.verifiedOnly,
          exclude: new Set(exclude),
        }).sort((a, b) => rank(snapshot, a, b));
        expect(paths.map((path) => path.personIds.join(">"))).toEqual(
          reference.slice(0, input.k).map((path) => path.people.join(">")),
        );
        for (const path of paths) expectValidPath(snapshot, path);
      }),
      { numRuns: 3000, seed: 20261122 },
    );
  }, 30_000);
});

describe("warm-intro path rules", () => {
  // Two routes from ana to zoe: via bo (0.9 × 0.9 = 0.81, unverified hop) and via cy–di (0.8 × 0.9 × 0.95 ≈ 0.684).
  const snapshot = snapshotFromEdges(
    [
      ["ana", "bo", 0.9, false],
      ["bo", "zoe", 0.9],
      ["ana", "cy", 0.8],
      ["cy", "di", 0.9],
      ["di", "zoe", 0.95],
      ["zoe", "eve", 0.5],
    ],
    {
      people: ["ana", "bo", "cy", "di", "zoe", "eve", "hermit"],
      memberships: [
        { personId: "di", organizationId: "globex", decisionMaker: true },
        { personId: "eve", organizationId: "globex", decisionMaker: true },
        { personId: "bo", organizationId: "globex", decisionMaker: false },
      ],
    },
  );

  it("returns the highest product of strengths with per-relationship strengths and hop count", () => {
    const [best] = warmIntroPaths(snapshot, { from: "ana", to: "zoe" });
    expect(best).toEqual({ personIds: ["ana", "bo", "zoe"], strengths: [0.9, 0.9], score: 0.9 * 0.9, hops: 2 });
  });

  it("k best are distinct, loopless and sorted by score", () => {
    const paths = warmIntroPaths(snapshot, { from: "ana", to: "zoe", k: 5 });
    expect(paths.map((p) => p.personIds.join(">"))).toEqual(["ana>bo>zoe", "ana>cy>di>zoe"]);
    expect(paths[1]!.score).toBeCloseTo(0.8 * 0.9 * 0.95, 12);
  });

  it("respects maxHops, verifiedOnly and exclusions", () => {
    expect(warmIntroPaths(snapshot, { from: "ana", to: "zoe", maxHops: 2, k: 3 })).toHaveLength(1);
    expect(warmIntroPaths(snapshot, { from: "ana", to: "zoe", maxHops: 1 })).toEqual([]);
    expect(warmIntroPaths(snapshot, { from: "ana", to: "zoe", verifiedOnly: true })[0]!.personIds).toEqual([
      "ana",
      "cy",
      "di",
      "zoe",
    ]);
    expect(warmIntroPaths(snapshot, { from: "ana", to: "zoe", exclude: ["bo"] })[0]!.hops).toBe(3);
    expect(warmIntroPaths(snapshot, { from: "ana", to: "zoe", exclude: ["bo", "di"] })).toEqual([]);
    expect(warmIntroPaths(snapshot, { from: "ana", to: "zoe", exclude: ["zoe"] })).toEqual([]);
  });

  it("to an organization ends at a decision maker, never at other members", () => {
    const paths = warmIntroPaths(snapshot, { from: "ana", toOrganization: "globex", k: 3 });
    for (const path of paths) expect(["di", "eve"]).toContain(path.personIds[path.hops]);
    // 0.9 × 0.9 × 0.95 through bo and zoe beats the shorter 0.8 × 0.9 through cy.
    expect(paths.map((p) => p.personIds.join(">"))).toEqual(["ana>bo>zoe>di", "ana>cy>di", "ana>bo>zoe>eve"]);
  });

  it("unreachable people and the requester themself give no paths", () => {
    expect(warmIntroPaths(snapshot, { from: "ana", to: "hermit", k: 3 })).toEqual([]);
    expect(warmIntroPaths(snapshot, { from: "ana", to: "ana" })).toEqual([]);
    expect(() => warmIntroPaths(snapshot, { from: "ana", to: "nobody" })).toThrow(/unknown person/);
  });

  it("breaks exact ties by fewer hops, then by lower person index, every time", () => {
    // Four equal-score routes s→t: via a, via b (both 2 hops), and 3-hop routes with strength-1 links.
    const ties = snapshotFromEdges(
      [
        ["s", "b", 0.5],
        ["b", "t", 0.5],
        ["s", "a", 0.5],
        ["a", "t", 0.5],
        ["s", "c", 0.5],
        ["c", "d", 1],
        ["d", "t", 0.5],
      ],
      { people: ["s", "t", "a", "b", "c", "d"] },
    );
    for (let round = 0; round < 3; round++) {
      expect(warmIntroPaths(ties, { from: "s", to: "t" })[0]!.personIds).toEqual(["s", "a", "t"]);
      expect(warmIntroPaths(ties, { from: "s", to: "t", k: 3 }).map((p) => p.personIds.join(">"))).toEqual([
        "s>a>t",
        "s>b>t",
        "s>c>d>t",
      ]);
    }
  });
});

describe("searches that meet only at settled labels", () => {
  it("settle every target before stopping, so a warmer path to a later decision maker is not missed", () => {
    // ana–cy–zoe is warmer (1 × 1) than ana–bo (0.9), but bo is seeded first; zoe must be settled before the stop test.
    const snapshot = snapshotFromEdges(
      [
        ["ana", "cy", 1],
        ["cy", "zoe", 1],
        ["ana", "bo", 0.9],
      ],
      {
        people: ["ana", "bo", "cy", "zoe"],
        memberships: [
          { personId: "bo", organizationId: "acme", decisionMaker: true },
          { personId: "zoe", organizationId: "acme", decisionMaker: true },
        ],
      },
    );
    expect(warmIntroPaths(snapshot, { from: "ana", toOrganization: "acme" })[0]!.personIds).toEqual([
      "ana",
      "cy",
      "zoe",
    ]);
    const paths = warmIntroPaths(snapshot, { from: "ana", toOrganization: "acme", k: 2 });
    expect(paths.map((p) => p.personIds.join(">"))).toEqual(["ana>cy>zoe", "ana>bo"]);
  });
});

describe("warm-intro paths on a generated power-law graph", () => {
  const snapshot = GraphSnapshot.fromArrays(generatePowerLawGraph({ people: 1500, attachments: 3, seed: 11 }));

  /** Best product over walks of ≤ maxHops relationships, by dynamic programming over hop layers. */
  function bestScore(from: number, to: number, maxHops: number, verifiedOnly: boolean): number {
    const { offsets, targets, strengths, flags } = snapshot.adjacency();
    let best = new Float64Array(snapshot.personCount);
    best[from] = 1;
    let answer = 0;
    for (let hop = 0; hop < maxHops; hop++) {
      const next = best.slice();
      for (let v = 0; v < snapshot.personCount; v++) {
        if (best[v] === 0) continue;
        for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
          if (verifiedOnly && !(flags[i]! & 1)) continue;
          const w = targets[i]!;
          next[w] = Math.max(next[w]!, best[v]! * strengths[i]!);
        }
      }
      best = next;
      answer = best[to]!;
    }
    return answer;
  }

  it("matches hop-layered dynamic programming, with and without a tiny BFS budget", () => {
    const starved = new PathFinder(snapshot, { ballEdgeBudget: 5 });
    const roomy = new PathFinder(snapshot);
    const random = seededRandom(5);
    for (let q = 0; q < 40; q++) {
      const from = Math.floor(random() * 1500);
      const to = Math.floor(random() * 1500);
      if (from === to) continue;
      const maxHops = 2 + (q % 4);
      const verifiedOnly = q % 3 === 0;
      const query = { from: `p${from}`, to: `p${to}`, k: 3, maxHops, verifiedOnly };
      const expected = bestScore(from, to, maxHops, verifiedOnly);
      const paths = roomy.find(query);
      expect(paths[0]?.score ?? 0).toBeCloseTo(expected, 9);
      expect(starved.find(query).map((p) => p.score)).toEqual(paths.map((p) => p.score));
    }
  });
});
