// Child process of the scale benchmark: the in-memory graph at 1M people and ~10M relationships (packages/graph's
// power-law generator, 10 attachments per newcomer). Builds the snapshot, times warm-intro paths (k = 3, ≤ 4 hops)
// and prints one JSON line: build time, path p50/p95, the RSS with the snapshot held and the process's peak RSS.
// Run with --expose-gc so the generator's arrays are collected before the held RSS is read.
import { GraphSnapshot, generatePowerLawGraph, PathFinder, seededRandom } from "@intrograph/graph";

const PEOPLE = Number(process.env.BENCH_GRAPH_PEOPLE ?? 1_000_000);
const ATTACHMENTS = 10;
const PAIRS = 200;
const K = 3;
const MAX_HOPS = 4;
const MB = 1024 * 1024;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function buildSnapshot(): { snapshot: GraphSnapshot; generateMs: number; buildMs: number } {
  let started = performance.now();
  const arrays = generatePowerLawGraph({ people: PEOPLE, attachments: ATTACHMENTS, seed: 7 });
  const generateMs = performance.now() - started;
  started = performance.now();
  const snapshot = GraphSnapshot.fromArrays(arrays);
  return { snapshot, generateMs, buildMs: performance.now() - started };
}

const { snapshot, generateMs, buildMs } = buildSnapshot();
global.gc?.();
const heldRssMb = process.memoryUsage().rss / MB;

const finder = new PathFinder(snapshot);
const random = seededRandom(11);
const ids = snapshot.personIds;
const pairs: [string, string][] = [];
while (pairs.length < PAIRS) {
  const a = Math.floor(random() * PEOPLE);
  const b = Math.floor(random() * PEOPLE);
  if (a !== b) pairs.push([ids[a]!, ids[b]!]);
}
for (const [from, to] of pairs.slice(0, 10)) finder.find({ from, to, k: K, maxHops: MAX_HOPS });
const times: number[] = [];
let found = 0;
for (const [from, to] of pairs) {
  const started = performance.now();
  const paths = finder.find({ from, to, k: K, maxHops: MAX_HOPS });
  times.push(performance.now() - started);
  if (paths.length > 0) found++;
}
global.gc?.();

console.log(
  JSON.stringify({
    people: snapshot.personCount,
    relationships: snapshot.relationshipCount,
    generateMs,
    buildMs,
    pathP50Ms: percentile(times, 50),
    pathP95Ms: percentile(times, 95),
    pairs: PAIRS,
    found,
    heldRssMb: Math.max(heldRssMb, process.memoryUsage().rss / MB),
    // ru_maxrss is in kilobytes on Linux.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
