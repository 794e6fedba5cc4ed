import { describe, expect, it } from "vitest";
import { betweennessCentrality, sampledBetweennessCentrality } from "../src/metrics/betweenness.ts";
import { brokerageRoles, decisionMakerReach } from "../src/metrics/brokerage.ts";
import { constraint, effectiveSize } from "../src/metrics/structural-holes.ts";
import { generatePowerLawGraph } from "../src/generate.ts";
import { GraphSnapshot } from "../src/snapshot.ts";
import {
  borgattiStrengths,
  borgattiStructuralHoles,
  borgattiWeightedConstraint,
  borgattiWeightedEffectiveSize,
  florentineFamilies,
  karateClub,
} from "./fixtures/classic-networks.ts";
import type { ClassicNetwork } from "./fixtures/classic-networks.ts";
import { byId, snapshotFromEdges } from "./helpers.ts";

function expectClose(actual: Record<string, number>, expected: Record<string, number>, tolerance = 1e-3): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [id, value] of Object.entries(expected)) {
    expect(Math.abs(actual[id]! - value), `${id}: ${actual[id]} vs ${value}`).toBeLessThan(tolerance);
  }
}

const networks: [string, ClassicNetwork][] = [
  ["Florentine families", florentineFamilies],
  ["Zachary karate club", karateClub],
  ["Borgatti's structural-holes example", borgattiStructuralHoles],
];

describe.each(networks)("%s against networkx", (_, network) => {
  const snapshot = snapshotFromEdges(network.edges);

  it("betweenness (normalized) matches nx.betweenness_centrality", () => {
    expectClose(byId(snapshot, betweennessCentrality(snapshot)), network.betweenness);
  });

  it("constraint matches nx.constraint", () => {
    expectClose(byId(snapshot, constraint(snapshot)), network.constraint);
  });

  it("effective size matches nx.effective_size", () => {
    expectClose(byId(snapshot, effectiveSize(snapshot)), network.effectiveSize);
  });
});

describe("published headline values", () => {
  it("Medici: betweenness 0.522, constraint 0.210; karate node 0: betweenness 0.4376", () => {
    const florentine = snapshotFromEdges(florentineFamilies.edges);
    const medici = florentine.indexOf("Medici");
    expect(betweennessCentrality(florentine)[medici]).toBeCloseTo(0.522, 3);
    expect(constraint(florentine)[medici]).toBeCloseTo(0.21, 3);
    const karate = snapshotFromEdges(karateClub.edges);
    expect(betweennessCentrality(karate)[karate.indexOf("0")]).toBeCloseTo(0.4376, 4);
  });

  it("unnormalized betweenness halves pair counts like networkx (Medici 47.5 of 91 pairs)", () => {
    const florentine = snapshotFromEdges(florentineFamilies.edges);
    const raw = betweennessCentrality(florentine, { normalized: false });
    expect(raw[florentine.indexOf("Medici")]).toBeCloseTo(0.521978 * 91, 3);
  });
});

describe("weighted structural holes (strength as weight)", () => {
  const snapshot = snapshotFromEdges(borgattiStrengths);

  it("constraint matches nx.constraint(G, weight='weight')", () => {
    expectClose(byId(snapshot, constraint(snapshot, { weighted: true })), borgattiWeightedConstraint);
  });

  it("effective size matches nx.effective_size(G, weight='weight')", () => {
    expectClose(byId(snapshot, effectiveSize(snapshot, { weighted: true })), borgattiWeightedEffectiveSize);
  });

  it("isolated people get NaN, as in networkx", () => {
    const lonely = snapshotFromEdges([["a", "b"]], { people: ["solo"] });
    expect(constraint(lonely)[lonely.indexOf("solo")]).toBeNaN();
    expect(effectiveSize(lonely)[lonely.indexOf("solo")]).toBeNaN();
  });
});

describe("sampled betweenness", () => {
  const karate = snapshotFromEdges(karateClub.edges);
  const exact = betweennessCentrality(karate);

  it("stays within its stated Hoeffding bound of the exact values", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const pivots of [8, 17]) {
        const sampled = sampledBetweennessCentrality(karate, { pivots, seed });
        expect(sampled.errorBound).toBeGreaterThan(0);
        for (let i = 0; i < exact.length; i++) {
          expect(Math.abs(sampled.values[i]! - exact[i]!)).toBeLessThanOrEqual(sampled.errorBound);
        }
      }
    }
  });

  it("is exact when every person is a pivot, and reproducible from its seed", () => {
    const all = sampledBetweennessCentrality(karate, { pivots: 34, seed: 9 });
    for (let i = 0; i < exact.length; i++) expect(all.values[i]).toBeCloseTo(exact[i]!, 12);
    const again = sampledBetweennessCentrality(karate, { pivots: 10, seed: 7 });
    expect(sampledBetweennessCentrality(karate, { pivots: 10, seed: 7 }).values).toEqual(again.values);
  });

  it("bound shrinks like 1/sqrt(k) and the estimate tracks exact values on a generated graph", () => {
    const snapshot = GraphSnapshot.fromArrays(generatePowerLawGraph({ people: 600, attachments: 3, seed: 3 }));
    const truth = betweennessCentrality(snapshot);
    const sampled = sampledBetweennessCentrality(snapshot, { pivots: 150, seed: 1 });
    const quarter = sampledBetweennessCentrality(snapshot, { pivots: 600, seed: 1 });
    expect(quarter.errorBound).toBeCloseTo(sampled.errorBound / 2, 10);
    let worst = 0;
    for (let i = 0; i < truth.length; i++) worst = Math.max(worst, Math.abs(sampled.values[i]! - truth[i]!));
    expect(worst).toBeLessThanOrEqual(sampled.errorBound);
  });
});

describe("Gould–Fernandez brokerage with organizations as groups", () => {
  // b brokers between a, c (b's own organization X) and d, e (organization Y), and f (no organization).
  const memberships = [
    { personId: "a", organizationId: "X", decisionMaker: false },
    { personId: "b", organizationId: "X", decisionMaker: false },
    { personId: "c", organizationId: "X", decisionMaker: true },
    { personId: "d", organizationId: "Y", decisionMaker: true },
    { personId: "e", organizationId: "Y", decisionMaker: false },
  ];
  const snapshot = snapshotFromEdges(
    [
      ["a", "b"],
      ["b", "c"],
      ["b", "d"],
      ["b", "e"],
      ["b", "f"],
      ["d", "e"],
      ["e", "g"],
    ],
    { memberships, people: ["a", "b", "c", "d", "e", "f", "g"] },
  );

  it("counts each open pair in both directions and classifies from the broker's side", () => {
    const roles = brokerageRoles(snapshot)[snapshot.indexOf("b")]!;
    // Open pairs around b: {a,c} coordinator ×2; {a,d},{a,e},{c,d},{c,e},{a,f},{c,f}: representative + gatekeeper each;
    // {d,f},{e,f}: liaison ×2 each; {d,e} is closed.
    expect(roles).toEqual({ coordinator: 2, representative: 6, gatekeeper: 6, itinerant: 0, liaison: 4, total: 18 });
  });

  it("an outsider between two members of one organization is itinerant", () => {
    const outsider = snapshotFromEdges(
      [
        ["x1", "broker"],
        ["broker", "x2"],
      ],
      {
        memberships: [
          { personId: "x1", organizationId: "X", decisionMaker: false },
          { personId: "x2", organizationId: "X", decisionMaker: false },
        ],
      },
    );
    expect(brokerageRoles(outsider)[outsider.indexOf("broker")]).toMatchObject({ itinerant: 2, total: 2 });
  });

  it("reach into decision makers counts people and organizations within k hops", () => {
    expect(decisionMakerReach(snapshot, "a", { maxHops: 1 })).toEqual({ decisionMakers: 0, organizations: 0 });
    expect(decisionMakerReach(snapshot, "a", { maxHops: 2 })).toEqual({ decisionMakers: 2, organizations: 2 });
    expect(decisionMakerReach(snapshot, "c", { maxHops: 2 })).toEqual({ decisionMakers: 1, organizations: 1 });
    expect(decisionMakerReach(snapshot, "g", { maxHops: 1 })).toEqual({ decisionMakers: 0, organizations: 0 });
    expect(decisionMakerReach(snapshot, "g", { maxHops: 2 })).toEqual({ decisionMakers: 1, organizations: 1 });
  });
});
