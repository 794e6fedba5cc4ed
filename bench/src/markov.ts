// Benchmark for MARKOV credit on the demo ledger: the input the API builds on every write (all outcomes' chains plus
// every non-converting journey), built in memory from the generated demo data by the ledger's own `ledgerFromRows` and
// `markovInput`, then `attributeMarkov` timed over several runs.
//
// Run: pnpm bench:markov (from bench/); BENCH_SCALE=2 for a larger ledger, BENCH_RUNS=n for more samples.
import { attributeMarkov } from "@intrograph/credit";
import { generateDemoData } from "@intrograph/db/seed";
import { ledgerFromRows, markovInput } from "@intrograph/ledger";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_MS = 30;

// Generated data has no disputes.
const ledger = ledgerFromRows({ ...generateDemoData({ scale: SCALE }), upheldDisputes: [] });
const { outcomes, nonConverting: dropOffs, minorUnits } = markovInput(ledger);

const converting = outcomes.reduce((sum, outcome) => sum + outcome.chains.length, 0);
const connectors = new Set(ledger.introductions.map((introduction) => introduction.connectorId)).size;
console.log(
  `demo ledger at scale ${SCALE}: ${ledger.introductions.length} introductions, ${outcomes.length} outcomes, ` +
    `${connectors} connectors; ${converting} converting and ${dropOffs.length} non-converting chain(s)`,
);

// Wall time and CPU time per run: on a busy machine the CPU time is the steadier of the two.
const wall: number[] = [];
const cpu: number[] = [];
let result = attributeMarkov(outcomes, dropOffs, { minorUnits });
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  result = attributeMarkov(outcomes, dropOffs, { minorUnits });
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
