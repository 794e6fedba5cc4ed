// Bulk import benchmark: streams generic-format files of 100k and 1M relationships to bench/.work/ and imports them
// into a fresh PostgreSQL database, printing rows/s and the importer's peak RSS; ends with one summary line.
// Usage: pnpm --filter @intrograph/bench run bench:import [relationships...]   (default: 100000 1000000)
// The script caps the V8 heap at 256 MB: finishing 1M rows under that cap is the proof that memory does not grow with
// the file (without a cap V8 lets garbage pile up and RSS says more about the GC than about the importer).
import { createReadStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "@intrograph/db/testing";
import { type ImportReport, importStream } from "@intrograph/import";
import { writeSyntheticPeople, writeSyntheticRelationships } from "@intrograph/import/synthetic";

const workDir = fileURLToPath(new URL("../.work/import/", import.meta.url));
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const relationshipCounts = sizes.length > 0 ? sizes : [100_000, 1_000_000];
const MB = 1024 * 1024;

/** Samples RSS every 50 ms while `work` runs: the peak is what a constant-memory importer must keep flat. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const result = await work();
    return { result, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / MB) };
  } finally {
    clearInterval(timer);
  }
}

interface Row {
  relationships: number;
  fileMb: number;
  peopleRowsPerSecond: number;
  rowsPerSecond: number;
  reimportRowsPerSecond: number;
  peakRssMb: number;
}

const results: Row[] = [];
await mkdir(workDir, { recursive: true });
for (const relationships of relationshipCounts) {
  const people = Math.max(1_000, Math.round(relationships / 10));
  const peopleFile = `${workDir}people-${people}.csv`;
  const relationshipFile = `${workDir}relationships-${relationships}.csv`;
  await writeSyntheticPeople(peopleFile, people);
  await writeSyntheticRelationships(relationshipFile, people, relationships);
  const fileMb = (await stat(relationshipFile)).size / MB;

  const database = await createTestDatabase("postgres");
  try {
    const run = (format: "people" | "relationships", file: string): Promise<ImportReport> =>
      importStream(database.prisma, {
        format,
        input: createReadStream(file),
        source: "bench",
        actor: { kind: "SYSTEM" },
        batchSize: 5_000,
      });
    global.gc?.();
    const peopleReport = await run("people", peopleFile);
    const { result: report, peakRssMb } = await withPeakRss(() => run("relationships", relationshipFile));
    if (report.created !== relationships || report.rejected !== 0) throw new Error(`unexpected report ${JSON.stringify(report)}`);
    const reimport = await run("relationships", relationshipFile);
    if (reimport.created + reimport.updated !== 0) throw new Error("re-import changed rows");
    const row: Row = {
      relationships,
      fileMb: Math.round(fileMb * 10) / 10,
      peopleRowsPerSecond: peopleReport.rowsPerSecond,
      rowsPerSecond: report.rowsPerSecond,
      reimportRowsPerSecond: reimport.rowsPerSecond,
      peakRssMb,
    };
    results.push(row);
    console.log(
      `${relationships.toLocaleString("en")} relationships (${row.fileMb} MB, ${people.toLocaleString("en")} people): ` +
        `${row.rowsPerSecond.toLocaleString("en")} relationships/s in ${(report.durationMs / 1000).toFixed(1)} s, ` +
        `peak RSS ${peakRssMb} MB; people ${row.peopleRowsPerSecond.toLocaleString("en")} rows/s; ` +
        `idempotent re-import ${row.reimportRowsPerSecond.toLocaleString("en")} rows/s`,
    );
  } finally {
    await database.drop();
  }
}
await rm(workDir, { recursive: true, force: true });

const [small, large] = [results[0]!, results[results.length - 1]!];
console.log(
  `summary: import ${results.map((r) => `${r.relationships.toLocaleString("en")} rel ${r.rowsPerSecond.toLocaleString("en")}/s (peak RSS ${r.peakRssMb} MB)`).join(", ")}; ` +
    `memory ${large.relationships / small.relationships}x file → ${(large.peakRssMb / small.peakRssMb).toFixed(2)}x peak RSS; target 50,000 rel/s`,
);
