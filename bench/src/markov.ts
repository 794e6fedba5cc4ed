// Benchmark for MARKOV credit on the demo ledger: the input the API builds on every write (all outcomes' chains plus
// every non-converting journey), built in memory from the generated demo data the way
// apps/api/src/modules/credit/ledger.ts does, then `attributeMarkov` timed over several runs.
//
// Run: pnpm bench:markov (from bench/); BENCH_SCALE=2 for a larger ledger, BENCH_RUNS=n for more samples.
import { generateDemoData } from "@intrograph/db/seed";
import { attributeMarkov, enumerateChains, type Chain, type IntroductionRecord, type Outcome } from "@intrograph/credit";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 30;
/** The API splits every outcome at the finest unit it stores (ledger.ts MAX_MINOR_UNITS). */
const MINOR_UNITS = 4;

interface LedgerOutcome {
  id: string;
  value: string;
  currency: string;
  occurredAt: Date;
  directIntroductionIds: string[];
}

/** The demo data as ledger.ts `loadLedger` reads it (no upheld disputes in generated data). */
function demoLedger(): { introductions: IntroductionRecord[]; outcomes: LedgerOutcome[] } {
  const data = generateDemoData({ scale: SCALE });
  const ledFrom = new Map<string, string[]>();
  for (const link of data.introductionLinks) ledFrom.set(link.laterId, [...(ledFrom.get(link.laterId) ?? []), link.earlierId]);
  const direct = new Map<string, string[]>();
  for (const link of data.outcomeIntroductions) direct.set(link.outcomeId, [...(direct.get(link.outcomeId) ?? []), link.introductionId]);
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    introductions: [...data.introductions].sort(byId).map((introduction) => ({
      id: introduction.id,
      connectorId: introduction.connectorId,
      occurredAt: introduction.occurredAt,
      consented: introduction.fromConsentedAt !== null && introduction.toConsentedAt !== null,
      disputed: false,
      ledTo: ledFrom.get(introduction.id) ?? [],
    })),
    outcomes: [...data.outcomes].sort(byId).map((outcome) => ({
      id: outcome.id,
      value: outcome.value,
      currency: outcome.currency.trim(),
      occurredAt: outcome.occurredAt,
      directIntroductionIds: (direct.get(outcome.id) ?? []).sort(),
    })),
  };
}

/** Same as ledger.ts `nonConvertingChains`: chains ending at an intro that nothing continued. */
function nonConvertingChains(introductions: readonly IntroductionRecord[], outcomes: readonly LedgerOutcome[]): Chain[] {
  const continued = new Set<string>();
  for (const introduction of introductions) for (const earlier of introduction.ledTo) continued.add(earlier);
  for (const outcome of outcomes) for (const id of outcome.directIntroductionIds) continued.add(id);
  const ends = introductions.filter((introduction) => !continued.has(introduction.id)).map((introduction) => introduction.id);
  return enumerateChains(introductions, ends, { maxChains: 100_000 }).chains;
}

const ledger = demoLedger();
const outcomes: Outcome[] = ledger.outcomes.map((outcome) => ({
  id: outcome.id,
  value: outcome.value,
  currency: outcome.currency,
  occurredAt: outcome.occurredAt,
  chains: enumerateChains(ledger.introductions, outcome.directIntroductionIds).chains,
}));
const dropOffs = nonConvertingChains(ledger.introductions, ledger.outcomes);

const converting = outcomes.reduce((sum, outcome) => sum + outcome.chains.length, 0);
const connectors = new Set(ledger.introductions.map((introduction) => introduction.connectorId)).size;
console.log(
  `demo ledger at scale ${SCALE}: ${ledger.introductions.length} introductions, ${outcomes.length} outcomes, ` +
    `${connectors} connectors; ${converting} converting and ${dropOffs.length} non-converting chain(s)`,
);

// Wall time and CPU time per run: on a busy machine the CPU time is the steadier of the two.
const wall: number[] = [];
const cpu: number[] = [];
let result = attributeMarkov(outcomes, dropOffs, { minorUnits: MINOR_UNITS });
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  result = attributeMarkov(outcomes, dropOffs, { minorUnits: MINOR_UNITS });
  const cpuUsed = process.cpuUsage(cpuStarted);
  wall.push(performance.now() - started);
  cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
}
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN;
const positive = result.removalEffects.filter((effect) => effect.removalEffect > 0).length;
console.log(
  `attributeMarkov over ${RUNS} runs: wall median ${median(wall).toFixed(1)} ms (min ${Math.min(...wall).toFixed(1)}), ` +
    `CPU median ${median(cpu).toFixed(1)} ms; ${result.removalEffects.length} connectors, ${positive} with a positive ` +
    `removal effect, P(conversion) ${result.conversionProbability.toFixed(6)}`,
);
console.log(`${median(wall) <= TARGET_MS ? "OK" : "SLOW"}: target ≤ ${TARGET_MS} ms (wall median)`);
