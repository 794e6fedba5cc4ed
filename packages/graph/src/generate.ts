// Seeded power-law graphs (Barabási–Albert preferential attachment) with random strengths and verified flags, for
// benchmarks at 10k–1M people: everything lives in typed arrays, with no per-relationship objects.

import { seededRandom } from "@intrograph/random";
import type { MembershipRow, RelationshipArrays } from "./snapshot.ts";

export interface PowerLawOptions {
  people: number;
  /** Relationships each newcomer makes (BA's m); about 2m relationships per person on average. Default 5. */
  attachments?: number;
  seed?: number;
  /** Share of relationships that are verified. Default 0.6. */
  verifiedShare?: number;
  /** Organizations to spread people over (30% of people join one; 10% of members decide). Default 0. */
  organizations?: number;
}

/** Person id of generated index i. */
export const generatedPersonId = (index: number): string => `p${index}`;

/** Generates relationship arrays; feed them to `GraphSnapshot.fromArrays`. */
export function generatePowerLawGraph(options: PowerLawOptions): RelationshipArrays {
  const n = options.people;
  const m = options.attachments ?? 5;
  const random = seededRandom(options.seed ?? 1);
  const verifiedShare = options.verifiedShare ?? 0.6;
  if (!(Number.isInteger(n) && Number.isInteger(m) && m >= 1 && n > m)) {
    throw new RangeError("need integer people > attachments ≥ 1");
  }
  // A clique of m + 1 founders, then each newcomer attaches to m distinct people chosen by degree.
  const edgeCount = (m * (m + 1)) / 2 + (n - m - 1) * m;
  const personA = new Int32Array(edgeCount);
  const personB = new Int32Array(edgeCount);
  // Every relationship end appears once here, so a uniform pick is a degree-proportional pick.
  const ends = new Int32Array(2 * edgeCount);
  let edges = 0;
  const link = (a: number, b: number): void => {
    personA[edges] = a;
    personB[edges] = b;
    ends[2 * edges] = a;
    ends[2 * edges + 1] = b;
    edges++;
  };
  for (let a = 0; a <= m; a++) for (let b = a + 1; b <= m; b++) link(a, b);
  const chosen = new Int32Array(m);
  for (let newcomer = m + 1; newcomer < n; newcomer++) {
    const available = 2 * edges;
    for (let c = 0; c < m; c++) {
      let pick: number;
      do {
        pick = ends[Math.floor(random() * available)]!;
      } while (chosen.subarray(0, c).includes(pick));
      chosen[c] = pick;
    }
    for (let c = 0; c < m; c++) link(newcomer, chosen[c]!);
  }
  const strength = new Float64Array(edgeCount);
  const verified = new Uint8Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    strength[e] = 0.05 + 0.95 * (1 - random()); // (0.05, 1]
    verified[e] = random() < verifiedShare ? 1 : 0;
  }
  const personIds = new Array<string>(n);
  for (let i = 0; i < n; i++) personIds[i] = generatedPersonId(i);
  const memberships: MembershipRow[] = [];
  const organizations = options.organizations ?? 0;
  if (organizations > 0) {
    for (let i = 0; i < n; i++) {
      if (random() >= 0.3) continue;
      memberships.push({
        personId: personIds[i]!,
        organizationId: `o${Math.floor(random() * organizations)}`,
        decisionMaker: random() < 0.1,
      });
    }
  }
  return { personIds, personA, personB, strength, verified, memberships };
}
