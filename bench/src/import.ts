// Bulk import benchmark: streams generic-format files of 100k and 1M relationships to bench/.work/ and imports them
// into a fresh PostgreSQL database, printing rows/s and the importer's peak RSS; ends with one summary line.
// Beside it, on a fresh database, a reference loads the same relationship and side rows the raw way: PostgreSQL COPY,
// batches of the same size, one transaction each, two connections like the importer, into the real tables (every index, foreign key and check in place),
// with no matching, idempotency or per-row strength. It is the ceiling: the ratio ours/COPY prices what the importer
// adds. (Prisma createMany is no reference here: 7.10 retains ~7 MB of heap per 1,000 rows it creates, so it cannot
// load 1M rows under the heap cap below, or in a few GB without it.)
// Usage: pnpm --filter @intrograph/bench run bench:import [relationships...]   (default: 100000 1000000)
// The script caps the V8 heap at 256 MB: finishing 1M rows under that cap is the proof that memory does not grow with
// the file (without a cap V8 lets garbage pile up and RSS says more about the GC than about the importer).
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { PrismaClient, RelationshipKind } from "@intrograph/db";
import { computeStrength } from "@intrograph/db/strength";
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from "@intrograph/db/testing";
import { type ImportReport, importStream } from "@intrograph/import";
import { writeSyntheticPeople, writeSyntheticRelationships } from "@intrograph/import/synthetic";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

const workDir = fileURLToPath(new URL("../.work/import/", import.meta.url));
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const relationshipCounts = sizes.length > 0 ? sizes : [100_000, 1_000_000];
const BATCH_SIZE = 5_000;
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

/** A fresh database holding the file's people, imported by the importer (not timed: every contender starts here). */
async function databaseWithPeople(peopleFile: string): Promise<TestDatabase> {
  const database = await createTestDatabase("postgres");
  await run(database.prisma, "people", peopleFile);
  return database;
}

function run(prisma: PrismaClient, format: "people" | "relationships", file: string): Promise<ImportReport> {
  return importStream(prisma, {
    format,
    input: createReadStream(file),
    source: "bench",
    actor: { kind: "SYSTEM" },
    batchSize: BATCH_SIZE,
  });
}

interface ReferenceRelationship {
  id: string;
  personAId: string;
  personBId: string;
  kind: RelationshipKind;
  since: Date;
}

/**
 * The relationship file's rows the straightforward way, in batches: person refs looked up in a map of every person
 * (the synthetic file's person `pN` has email `pN@example.test`), the pair put in canonical order, nothing deduplicated.
 */
async function* referenceBatches(prisma: PrismaClient, file: string): AsyncGenerator<ReferenceRelationship[]> {
  const people = await prisma.person.findMany({ select: { id: true, email: true } });
  const idByRef = new Map(people.map((person) => [person.email!.split("@")[0]!, person.id]));
  let batch: ReferenceRelationship[] = [];
  let header = true;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (header || line === "") {
      header = false;
      continue;
    }
    const [refA, refB, kind, since] = line.split(",");
    const [x, y] = [idByRef.get(refA!)!, idByRef.get(refB!)!];
    const [personAId, personBId] = x < y ? [x, y] : [y, x];
    batch.push({
      id: randomUUID(),
      personAId,
      personBId,
      kind: kind as RelationshipKind,
      since: new Date(`${since}T00:00:00Z`),
    });
    if (batch.length === BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

// The reference writes a constant strength and evidence: computing it per row is part of what the importer is paid for.
const constantStrength = computeStrength([], { since: null, now: new Date() });

async function timed(work: () => Promise<number>): Promise<{ rowsPerSecond: number; seconds: number }> {
  const started = performance.now();
  const rows = await work();
  const seconds = (performance.now() - started) / 1000;
  return { rowsPerSecond: Math.round(rows / seconds), seconds };
}

/**
 * The reference: COPY of the same rows, relationships then sides, one transaction per batch, over as many connections
 * as the importer writes relationship files with (2).
 */
async function copyReference(peopleFile: string, relationshipFile: string) {
  const database = await databaseWithPeople(peopleFile);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = new URL(database.location).pathname;
  const clients = [
    new pg.Client({ connectionString: url.toString() }),
    new pg.Client({ connectionString: url.toString() }),
  ];
  await Promise.all(clients.map((client) => client.connect()));
  try {
    // COPY's text format: tab-separated, backslash escaped (the evidence JSON holds no tabs or newlines).
    const evidence = JSON.stringify(constantStrength.evidence).replaceAll("\\", "\\\\");
    const copy = (client: pg.Client, sql: string, text: string) =>
      pipeline(Readable.from([text]), client.query(copyFrom(sql)));
    return await timed(async () => {
      let rows = 0;
      const batches = referenceBatches(database.prisma, relationshipFile);
      // Each connection takes the next batch as soon as it has committed its last.
      const load = async (client: pg.Client) => {
        for await (const batch of batches) {
          const now = new Date().toISOString();
          let relationships = "";
          let sides = "";
          for (const r of batch) {
            relationships += `${r.id}\t${r.personAId}\t${r.personBId}\t${r.kind}\tUNVERIFIED\tIMPORT\t${r.since.toISOString()}\t${constantStrength.strength}\t${evidence}\t${now}\n`;
            sides += `${randomUUID()}\t${r.id}\t${r.personAId}\t${r.personBId}\n${randomUUID()}\t${r.id}\t${r.personBId}\t${r.personAId}\n`;
          }
          await client.query("BEGIN");
          await copy(
            client,
            `COPY "Relationship" (id, "personAId", "personBId", kind, status, source, since, strength, "strengthEvidence", "updatedAt") FROM STDIN`,
            relationships,
          );
          await copy(
            client,
            `COPY "RelationshipSide" (id, "relationshipId", "personId", "otherPersonId") FROM STDIN`,
            sides,
          );
          await client.query("COMMIT");
          rows += batch.length;
        }
      };
      await Promise.all(clients.map(load));
      return rows;
    });
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await database.drop();
  }
}

interface Row {
  relationships: number;
  fileMb: number;
  peopleRowsPerSecond: number;
  rowsPerSecond: number;
  reimportRowsPerSecond: number;
  peakRssMb: number;
  copyRowsPerSecond: number;
}

const ratio = (ours: number, reference: number) => (ours / reference).toFixed(2);
const perSecond = (n: number) => `${n.toLocaleString("en")}/s`;

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
  let ours: Omit<Row, "copyRowsPerSecond">;
  let durationMs: number;
  try {
    global.gc?.();
    const peopleReport = await run(database.prisma, "people", peopleFile);
    const { result: report, peakRssMb } = await withPeakRss(() =>
      run(database.prisma, "relationships", relationshipFile),
    );
    if (report.created !== relationships || report.rejected !== 0)
      throw new Error(`unexpected report ${JSON.stringify(report)}`);
    const reimport = await run(database.prisma, "relationships", relationshipFile);
    if (reimport.created + reimport.updated !== 0) throw new Error("re-import changed rows");
    durationMs = report.durationMs;
    ours = {
      relationships,
      fileMb: Math.round(fileMb * 10) / 10,
      peopleRowsPerSecond: peopleReport.rowsPerSecond,
      rowsPerSecond: report.rowsPerSecond,
      reimportRowsPerSecond: reimport.rowsPerSecond,
      peakRssMb,
    };
  } finally {
    await database.drop();
  }
  const copy = await copyReference(peopleFile, relationshipFile);
  const row: Row = { ...ours, copyRowsPerSecond: copy.rowsPerSecond };
  results.push(row);
  console.log(
    `${relationships.toLocaleString("en")} relationships (${row.fileMb} MB, ${people.toLocaleString("en")} people): ` +
      `ours ${perSecond(row.rowsPerSecond)} in ${(durationMs / 1000).toFixed(1)} s, peak RSS ${row.peakRssMb} MB; ` +
      `COPY ${perSecond(row.copyRowsPerSecond)} in ${copy.seconds.toFixed(1)} s (ours/COPY ${ratio(row.rowsPerSecond, row.copyRowsPerSecond)}); ` +
      `people ${perSecond(row.peopleRowsPerSecond)}; idempotent re-import ${perSecond(row.reimportRowsPerSecond)}`,
  );
}
await rm(workDir, { recursive: true, force: true });

const [small, large] = [results[0]!, results[results.length - 1]!];
console.log(
  `summary: import ${results
    .map(
      (r) =>
        `${r.relationships.toLocaleString("en")} rel ${perSecond(r.rowsPerSecond)} (peak RSS ${r.peakRssMb} MB; ` +
        `ours/COPY ${ratio(r.rowsPerSecond, r.copyRowsPerSecond)})`,
    )
    .join(
      ", ",
    )}; memory ${large.relationships / small.relationships}x file → ${(large.peakRssMb / small.peakRssMb).toFixed(2)}x peak RSS; ` +
    `target 50,000 rel/s`,
);
