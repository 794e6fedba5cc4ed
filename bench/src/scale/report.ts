// The scale benchmark's printed report: per run and phase the operations' latencies and throughput, the API
// process's health, lock waits, ratios new/reference, growth with data size, MARKOV freshness, the 1M graph, and a
// closing summary line.
import type { LockWaits, MarkovFreshness, OperationStats, PhaseResult } from "./load.ts";
import { WRITE_OPERATIONS } from "./load.ts";
import type { JobPlacement, Tree } from "./stack.ts";

export interface RunResult {
  tree: Tree;
  scale: number;
  counts: Record<string, number>;
  seedSeconds: number | null;
  readySeconds: number;
  jobs: JobPlacement;
  /** Seconds the start-up work took to settle after /readyz (null: not within the timeout). */
  settledSeconds: number | null;
  firstReads: Map<string, number>;
  phases: PhaseResult[];
  markov: MarkovFreshness;
  /** Why the write that ends the burst failed, if it did (MARKOV freshness is then timed from the last event anyway). */
  burstEndError: string | null;
}

export interface FailedRun {
  tree: Tree;
  scale: number;
  error: string;
}

export interface GraphMillion {
  people: number;
  relationships: number;
  generateMs: number;
  buildMs: number;
  pathP50Ms: number;
  pathP95Ms: number;
  pairs: number;
  found: number;
  heldRssMb: number;
  peakRssMb: number;
}

export const GRAPH_RSS_TARGET_MB = 1536;

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ms = (value: number | null) =>
  value === null || Number.isNaN(value)
    ? "—"
    : value < 10
      ? value.toFixed(2)
      : value < 100
        ? value.toFixed(1)
        : value.toFixed(0);
const times = (value: number) =>
  Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×` : "—";
const scaleLabel = (scale: number) => `${scale}×`;
const rate = (perSecondValue: number) => perSecondValue.toFixed(perSecondValue < 1 ? 2 : 1);
const perSecond = (stats: OperationStats | undefined, seconds: number) =>
  stats ? stats.latenciesMs.length / seconds : 0;

/** Successful writes per second, over the four write operations (the throwaway people of merges not counted). */
export function writesPerSecond(phase: PhaseResult): number {
  return (
    phase.operations
      .filter((stats) => (WRITE_OPERATIONS as readonly string[]).includes(stats.operation))
      .reduce((sum, stats) => sum + stats.latenciesMs.length, 0) / phase.seconds
  );
}

function lockSummary(locks: LockWaits): string {
  if (locks.samples === 0) return "lock waits: not sampled";
  if (locks.samplesWaiting === 0) return `lock waits: none in ${locks.samples} samples`;
  const total = [...locks.byEvent.values()].reduce((sum, n) => sum + n, 0);
  const events = [...locks.byEvent]
    .sort((a, b) => b[1] - a[1])
    .map(([event, n]) => `${event} ${Math.round((100 * n) / total)}%`)
    .join(", ");
  return (
    `lock waits: ${Math.round((100 * locks.samplesWaiting) / locks.samples)}% of samples, max ${locks.maxWaiting} ` +
    `backends, ≈${locks.waitingSeconds.toFixed(1)} backend-s (${events})`
  );
}

const JOBS: Record<JobPlacement, string> = { api: " (jobs in the API)", worker: " (+ job worker process)", none: "" };

const ORDER = ["createIntroduction", "recordOutcome", "addInteraction", "mergePeople", "createPerson"];
const READ_ORDER = ["warmIntroPaths", "Person.metrics", "connectorLeaderboard"];
const operationOrder = (name: string) => {
  const index = [...ORDER, ...READ_ORDER].indexOf(name);
  return index < 0 ? 99 : index;
};

function sortedOperations(phase: PhaseResult): OperationStats[] {
  return [...phase.operations].sort((a, b) => operationOrder(a.operation) - operationOrder(b.operation));
}

const phaseOf = (run: RunResult, writers: number) => run.phases.find((phase) => phase.writers === writers);
const statsOf = (phase: PhaseResult | undefined, operation: string) =>
  phase?.operations.find((stats) => stats.operation === operation);

function printRuns(runs: RunResult[]): void {
  console.log("\nscale design     writers operation               count   ops/s   p50 ms   p95 ms   p99 ms  errors");
  for (const run of runs) {
    for (const phase of run.phases) {
      const rows = [...sortedOperations(phase), { ...phase.healthz, operation: "/healthz" }];
      for (const stats of rows) {
        console.log(
          [
            scaleLabel(run.scale).padEnd(5),
            run.tree.name.padEnd(10),
            String(phase.writers).padStart(7),
            ` ${stats.operation.padEnd(22)}`,
            String(stats.latenciesMs.length).padStart(6),
            rate(perSecond(stats, phase.seconds)).padStart(7),
            ms(percentile(stats.latenciesMs, 50)).padStart(8),
            ms(percentile(stats.latenciesMs, 95)).padStart(8),
            ms(percentile(stats.latenciesMs, 99)).padStart(8),
            String(stats.errors).padStart(7),
          ].join(" "),
        );
      }
      console.log(
        `${" ".repeat(25)}→ writes ${rate(writesPerSecond(phase))}/s; API event-loop p99 ≤ ${ms(phase.eventLoopP99Ms)} ms, ` +
          `RSS ≤ ${phase.rssMb === null ? "—" : phase.rssMb.toFixed(0)} MB; ${lockSummary(phase.locks)}`,
      );
    }
  }
  const errors = runs.flatMap((run) =>
    run.phases.flatMap((phase) =>
      [...phase.operations, phase.healthz]
        .filter((stats) => stats.errors > 0)
        .map(
          (stats) =>
            `  ${scaleLabel(run.scale)} ${run.tree.name} ${phase.writers}w ${stats.operation}: ${stats.errors} × ${stats.firstError}`,
        ),
    ),
  );
  if (errors.length)
    console.log(
      `\nerrors (count × first message; "Unexpected error." is masked: the cause is in bench/.work/scale/logs/):\n${errors.join("\n")}`,
    );
}

function printRatios(runs: RunResult[]): void {
  const pairs = runs
    .filter((run) => run.tree.name === "new")
    .map((run) => ({
      run,
      reference: runs.find((other) => other.tree.name === "reference" && other.scale === run.scale),
    }))
    .filter((pair): pair is { run: RunResult; reference: RunResult } => pair.reference !== undefined);
  if (pairs.length === 0) return;
  console.log(
    "\nnew / reference, same load on identically seeded data (latency < 1×: new is faster; ops/s > 1×: new does more)",
  );
  console.log("scale writers operation                 p50      p95      p99    ops/s   n new/ref");
  for (const { run, reference } of pairs) {
    for (const phase of run.phases) {
      const referencePhase = phaseOf(reference, phase.writers);
      if (!referencePhase) continue;
      for (const stats of sortedOperations(phase)) {
        const other = statsOf(referencePhase, stats.operation);
        if (!other) continue;
        const ratio = (p: number) => percentile(stats.latenciesMs, p) / percentile(other.latenciesMs, p);
        console.log(
          [
            scaleLabel(run.scale).padEnd(5),
            String(phase.writers).padStart(7),
            ` ${stats.operation.padEnd(22)}`,
            times(ratio(50)).padStart(8),
            times(ratio(95)).padStart(8),
            times(ratio(99)).padStart(8),
            times(perSecond(stats, phase.seconds) / perSecond(other, referencePhase.seconds)).padStart(8),
            `${stats.latenciesMs.length}/${other.latenciesMs.length}`.padStart(10),
          ].join(" "),
        );
      }
      const health = (p: PhaseResult) => percentile(p.healthz.latenciesMs, 99);
      console.log(
        `${" ".repeat(14)}→ writes/s ×${(writesPerSecond(phase) / writesPerSecond(referencePhase)).toFixed(2)}, ` +
          `/healthz p99 ${ms(health(phase))} vs ${ms(health(referencePhase))} ms, event-loop p99 ` +
          `${ms(phase.eventLoopP99Ms)} vs ${ms(referencePhase.eventLoopP99Ms)} ms`,
      );
    }
  }
}

function printConcurrency(runs: RunResult[], writerCounts: number[]): void {
  const [few, many] = [Math.min(...writerCounts), Math.max(...writerCounts)];
  if (few === many) return;
  console.log(`\nwrite throughput with ${many} writers / with ${few} (perfect scaling would be ${many / few}×)`);
  for (const run of runs) {
    const [a, b] = [phaseOf(run, few), phaseOf(run, many)];
    if (!a || !b) continue;
    console.log(
      `  ${scaleLabel(run.scale).padEnd(5)} ${run.tree.name.padEnd(10)} ${rate(writesPerSecond(a)).padStart(6)}/s → ` +
        `${rate(writesPerSecond(b)).padStart(6)}/s  ×${(writesPerSecond(b) / writesPerSecond(a)).toFixed(2)}; ${many} writers: ${lockSummary(b.locks)}`,
    );
  }
}

function printGrowth(runs: RunResult[]): void {
  for (const name of ["new", "reference"] as const) {
    const series = runs.filter((run) => run.tree.name === name).sort((a, b) => a.scale - b.scale);
    for (let i = 1; i < series.length; i++) {
      const [small, large] = [series[i - 1]!, series[i]!];
      console.log(
        `\ngrowth ${scaleLabel(small.scale)} → ${scaleLabel(large.scale)} (${name}; people ×${(large.counts.people! / small.counts.people!).toFixed(1)}), ratio large/small`,
      );
      console.log("writers operation                 p50      p95      p99    ops/s n large/small");
      for (const phase of large.phases) {
        const smallPhase = phaseOf(small, phase.writers);
        if (!smallPhase) continue;
        for (const stats of sortedOperations(phase)) {
          const other = statsOf(smallPhase, stats.operation);
          if (!other) continue;
          const ratio = (p: number) => percentile(stats.latenciesMs, p) / percentile(other.latenciesMs, p);
          console.log(
            [
              String(phase.writers).padStart(7),
              ` ${stats.operation.padEnd(22)}`,
              times(ratio(50)).padStart(8),
              times(ratio(95)).padStart(8),
              times(ratio(99)).padStart(8),
              times(perSecond(stats, phase.seconds) / perSecond(other, smallPhase.seconds)).padStart(8),
              `${stats.latenciesMs.length}/${other.latenciesMs.length}`.padStart(10),
            ].join(" "),
          );
        }
      }
    }
  }
}

function markovText(run: RunResult): string {
  const { markov } = run;
  if (markov.state === "n/a") return "n/a (no CreditModelRun table)";
  const caveat = run.burstEndError ? ` (the write closing the burst failed: ${run.burstEndError})` : "";
  if (markov.state === "stale") return `not fresh after ${markov.seconds!.toFixed(0)} s${caveat}`;
  return `${markov.seconds!.toFixed(1)} s${caveat}`;
}

export function printReport(
  runs: RunResult[],
  failed: FailedRun[],
  graph: GraphMillion | null,
  options: { seconds: number; readers: number; writerCounts: number[]; skippedReference: number[] },
): void {
  console.log("\n=== intrograph under growth ===");
  console.log(
    `${options.seconds} s per phase; writers ${options.writerCounts.join(" and ")} (createIntroduction, ledFrom in 1/3; ` +
      `recordOutcome; addInteraction; mergePeople of 2 new people), ${options.readers} readers (warmIntroPaths k=3 ≤4 hops, ` +
      "Person.metrics, connectorLeaderboard), /healthz every 50 ms",
  );
  for (const run of runs) {
    const counts = Object.entries(run.counts)
      .map(([table, n]) => `${n.toLocaleString("en-US")} ${table}`)
      .join(", ");
    const firsts = [...run.firstReads].map(([operation, t]) => `${operation} ${ms(t)} ms`).join(", ");
    console.log(
      `${scaleLabel(run.scale).padEnd(5)} ${run.tree.name.padEnd(10)} (${run.tree.label}) ${counts}; ` +
        `${run.seedSeconds === null ? "seeded database reused" : `seeded in ${run.seedSeconds.toFixed(0)} s`}; ` +
        `API ready in ${run.readySeconds.toFixed(1)} s, settled ${run.settledSeconds === null ? "NOT within the timeout" : `${run.settledSeconds.toFixed(1)} s later`}` +
        `${JOBS[run.jobs]}; first reads: ${firsts}`,
    );
  }
  for (const scale of options.skippedReference)
    console.log(
      `${scaleLabel(scale).padEnd(5)} reference  skipped: it recomputes the whole ledger in every credit write (minutes per write at this size)`,
    );
  for (const run of failed)
    console.log(`${scaleLabel(run.scale).padEnd(5)} ${run.tree.name.padEnd(10)} FAILED: ${run.error}`);

  printRuns(runs);
  printRatios(runs);
  printConcurrency(runs, options.writerCounts);
  printGrowth(runs);

  console.log(
    "\nMARKOV fresh after burst (end of the last phase → CreditModelRun MARKOV through the last DomainEvent, by (txid, id))",
  );
  for (const run of runs)
    console.log(`  ${scaleLabel(run.scale).padEnd(5)} ${run.tree.name.padEnd(10)} ${markovText(run)}`);

  if (graph) {
    console.log(
      `\nin-memory graph, ${graph.people.toLocaleString("en-US")} people / ${graph.relationships.toLocaleString("en-US")} relationships ` +
        `(packages/graph power-law generator): generated in ${(graph.generateMs / 1000).toFixed(1)} s, snapshot built in ` +
        `${(graph.buildMs / 1000).toFixed(1)} s; warm-intro paths k=3 ≤4 hops p50 ${ms(graph.pathP50Ms)} ms, p95 ` +
        `${ms(graph.pathP95Ms)} ms (${graph.found}/${graph.pairs} pairs with a path); RSS with the snapshot ` +
        `${graph.heldRssMb.toFixed(0)} MB (target ≤ ${GRAPH_RSS_TARGET_MB}: ${graph.heldRssMb <= GRAPH_RSS_TARGET_MB ? "met" : "MISSED"}), ` +
        `peak ${graph.peakRssMb.toFixed(0)} MB while generating`,
    );
  }

  console.log(`\n${summaryLine(runs, failed, graph, options.writerCounts)}`);
}

function summaryLine(
  runs: RunResult[],
  failed: FailedRun[],
  graph: GraphMillion | null,
  writerCounts: number[],
): string {
  const many = Math.max(...writerCounts);
  const parts: string[] = [];
  const largest = Math.max(...runs.map((run) => run.scale));
  for (const run of runs.filter((r) => r.tree.name === "new" && r.scale === largest)) {
    const phase = phaseOf(run, many);
    if (!phase) continue;
    const reference = runs.find((other) => other.tree.name === "reference" && other.scale === run.scale);
    const referencePhase = reference && phaseOf(reference, many);
    const p95 = (p: PhaseResult | undefined, operation: string) =>
      percentile(statsOf(p, operation)?.latenciesMs ?? [], 95);
    const writes = `${rate(writesPerSecond(phase))} writes/s`;
    parts.push(
      `at ${scaleLabel(run.scale)} with ${many} writers: ${writes}` +
        (referencePhase
          ? ` (reference ${rate(writesPerSecond(referencePhase))}, ×${(writesPerSecond(phase) / writesPerSecond(referencePhase)).toFixed(2)})`
          : ""),
    );
    parts.push(
      `p95 ms ${["createIntroduction", "recordOutcome", "warmIntroPaths", "Person.metrics"]
        .map(
          (operation) =>
            `${operation} ${ms(p95(phase, operation))}${referencePhase ? `/${ms(p95(referencePhase, operation))}` : ""}`,
        )
        .join(", ")}${referencePhase ? " (new/reference)" : ""}`,
    );
    parts.push(
      `/healthz p99 ${ms(percentile(phase.healthz.latenciesMs, 99))} ms` +
        (referencePhase ? ` (reference ${ms(percentile(referencePhase.healthz.latenciesMs, 99))})` : ""),
    );
    parts.push(`MARKOV fresh after burst ${markovText(run)}`);
  }
  if (graph)
    parts.push(
      `1M graph build ${(graph.buildMs / 1000).toFixed(1)} s, paths p95 ${ms(graph.pathP95Ms)} ms, RSS ${graph.heldRssMb.toFixed(0)} MB ` +
        `(≤ ${GRAPH_RSS_TARGET_MB}: ${graph.heldRssMb <= GRAPH_RSS_TARGET_MB ? "met" : "MISSED"})`,
    );
  if (failed.length) parts.push(`${failed.length} run(s) FAILED`);
  return `SUMMARY scale: ${parts.join("; ")}`;
}
