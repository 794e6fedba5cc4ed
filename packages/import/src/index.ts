// intrograph's bulk import core: streams a LinkedIn export or a generic CSV / JSON-lines file into the database in
// batches (one transaction each), idempotently, reporting progress, rejected rows and one audit event. The CLI and the
// API's small-file mutation both call importStream.
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import type { PrismaClient } from "@intrograph/db";
import { parseGenericRow, type GenericType, genericTypes } from "./formats/generic.ts";
import { normalizeEmail, normalizeProfileUrl } from "./formats/fields.ts";
import { LINKEDIN_HEADER_START, parseLinkedInRow } from "./formats/linkedin.ts";
import { uuidv7 } from "./ids.ts";
import { type ImportInput, readCsvRows, readJsonLines, type SourceRow, toReadable } from "./parse/rows.ts";
import { RowError, type ImportRecord } from "./records.ts";
import {
  Batch,
  type BatchRow,
  emptyEntityCounts,
  type EntityCounts,
  type ImportState,
  type Owner,
  type PendingLink,
  type SqlRunner,
} from "./write/batch.ts";
import { writeLinks } from "./write/introductions.ts";
import { RetryBatchError } from "./write/people.ts";
import { writeRecords } from "./write/records.ts";

export type { ImportInput } from "./parse/rows.ts";
export type { EntityCounts, EntityName } from "./write/batch.ts";
export { entityNames } from "./write/batch.ts";
export type { GenericType } from "./formats/generic.ts";

/** "linkedin" is LinkedIn's Connections.csv; a generic type names the file's rows; "mixed" rows carry their own `type`. */
export type ImportFormat = "linkedin" | GenericType | "mixed";
export const importFormats: readonly ImportFormat[] = ["linkedin", ...genericTypes, "mixed"];

export interface ImportProgress {
  rowsRead: number;
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
  batchesCommitted: number;
  bytesRead: number;
  elapsedMs: number;
}

export interface ImportOptions {
  format: ImportFormat;
  input: ImportInput;
  /** How the input is encoded; LinkedIn is always CSV, "mixed" defaults to JSON lines, the others to CSV. */
  encoding?: "csv" | "jsonl";
  /** Whose connections a LinkedIn export holds: a person id, email or profile URL. */
  owner?: string;
  /** Same as `owner`, for callers that already hold the id. */
  ownerPersonId?: string;
  /** Names the system the file comes from; its row ids are namespaced by it, so keep it stable across re-imports. */
  source: string;
  /** Who runs the import, for its audit event: `id` is the actor's label (e.g. an API key prefix). */
  actor: { kind: "SYSTEM" | "ADMIN" | "PARTNER"; id?: string; apiKeyId?: string; requestId?: string };
  /**
   * Imports as this partner: introductions, outcomes, interactions and relationships become the partner's private
   * reports (source PARTNER), row ids are namespaced by partner as well as source, and existing people and
   * organizations are matched but not changed. Absent: public records (source IMPORT), as the CLI writes them.
   */
  partnerId?: string;
  /** Rows per transaction. */
  batchSize?: number;
  /** Batches written at once (PostgreSQL only; PGlite has one connection). Defaults to 1, or 2 for relationship files (measured best on two cores). */
  concurrency?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Where each rejected row's line and reason go, as JSON lines. */
  reportPath?: string;
  /** Written after every committed batch; with `resume`, a re-run skips the rows it covers. */
  checkpointPath?: string;
  resume?: boolean;
  /** What the audit event calls the input (a file name). */
  inputName?: string;
  /** The instant strength is computed at. */
  now?: Date;
  halfLifeDays?: number;
}

export interface RowIssue {
  line: number;
  status: "rejected" | "warning";
  reason: string;
}

export interface ImportReport {
  importId: string;
  format: ImportFormat;
  source: string;
  rowsRead: number;
  created: number;
  updated: number;
  /** Rows already up to date (or covered by the checkpoint when resuming). */
  skipped: number;
  rejected: number;
  warnings: number;
  batches: number;
  entities: EntityCounts;
  durationMs: number;
  rowsPerSecond: number;
  /** The first issues (all of them are in the report file). */
  issues: RowIssue[];
  reportPath?: string;
  resumedAfterLine?: number;
}

const MAX_ISSUES_IN_REPORT = 1000;
const ORGANIZATION_NAME_CACHE = 50_000;
// Caches are bounded so memory stays flat however many people a file names.
const KNOWN_PEOPLE_CACHE = 500_000;

interface Checkpoint {
  format: ImportFormat;
  source: string;
  partnerId?: string;
  batchesCommitted: number;
  lastLine: number;
  keys: [string, string][];
  pendingLinks: PendingLink[];
  complete: boolean;
}

/** Whether an import wrote anything credit is computed from (introductions, their links, outcomes). */
export function changesCreditInputs(report: Pick<ImportReport, "entities">): boolean {
  return (["introductions", "introductionLinks", "outcomes", "outcomeIntroductions"] as const).some(
    (name) => report.entities[name].created + report.entities[name].updated > 0,
  );
}

export async function importStream(prisma: PrismaClient, options: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const importId = uuidv7();
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const concurrency = Math.max(1, options.concurrency ?? (options.format === "relationships" ? 2 : 1));
  const state: ImportState = {
    source: options.source,
    ...(options.partnerId ? { partnerId: options.partnerId } : {}),
    now: options.now ?? new Date(),
    halfLifeDays: options.halfLifeDays ?? 90,
    keys: new Map(),
    organizationNames: new Map(),
    knownPeople: new Set(),
    personIds: new Map(),
  };
  const ownerRef = options.ownerPersonId ?? options.owner;
  if (options.format === "linkedin") {
    if (!ownerRef) throw new Error("a LinkedIn import needs an owner (person id, email or profile URL)");
    state.owner = await resolveOwner(prisma, ownerRef);
  }

  let resumeAfterLine = 0;
  const pendingLinks = new Map<string, PendingLink>();
  const addPending = (link: PendingLink) => pendingLinks.set(`${link.table}:${link.first}:${link.second}`, link);
  if (options.resume && options.checkpointPath) {
    const checkpoint = await readCheckpoint(options.checkpointPath);
    if (
      checkpoint &&
      !checkpoint.complete &&
      checkpoint.format === options.format &&
      checkpoint.source === options.source &&
      checkpoint.partnerId === options.partnerId
    ) {
      resumeAfterLine = checkpoint.lastLine;
      for (const [key, id] of checkpoint.keys) state.keys.set(key, id);
      checkpoint.pendingLinks.forEach(addPending);
    }
  }

  const totals = { rowsRead: 0, created: 0, updated: 0, skipped: 0, rejected: 0, warnings: 0 };
  const entities = emptyEntityCounts();
  const issues: RowIssue[] = [];
  let reportStream: WriteStream | undefined;
  if (options.reportPath) {
    await mkdir(dirname(options.reportPath), { recursive: true });
    reportStream = createWriteStream(options.reportPath);
  }
  const recordIssue = (issue: RowIssue) => {
    if (issue.status === "rejected") totals.rejected += 1;
    else totals.warnings += 1;
    if (issues.length < MAX_ISSUES_IN_REPORT) issues.push(issue);
    reportStream?.write(`${JSON.stringify(issue)}\n`);
  };

  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytesRead += chunk.length;
      callback(null, chunk);
    },
  });
  const readable = toReadable(options.input).pipe(counter);
  const encoding = options.encoding ?? (options.format === "mixed" ? "jsonl" : "csv");
  const rows: AsyncIterable<SourceRow> =
    options.format === "linkedin"
      ? readCsvRows(readable, { headerStartsWith: LINKEDIN_HEADER_START })
      : encoding === "jsonl"
        ? readJsonLines(readable)
        : readCsvRows(readable);
  const parseRecord = (fields: SourceRow["fields"]): ImportRecord =>
    options.format === "linkedin"
      ? parseLinkedInRow(fields)
      : parseGenericRow(fields, options.format === "mixed" ? undefined : options.format);

  // Batches may commit out of order when written concurrently; the checkpoint only covers the unbroken prefix.
  let nextSequence = 0;
  let batchesCommitted = 0;
  let contiguous = 0;
  const committedLines = new Map<number, number>();
  let checkpointWrite: Promise<void> = Promise.resolve();
  const progress = (): ImportProgress => ({
    ...totals,
    batchesCommitted,
    bytesRead,
    elapsedMs: Date.now() - started,
  });

  const applyBatch = (batch: Batch, rowsOfBatch: BatchRow[]) => {
    for (const [key, id] of batch.keys) state.keys.set(key, id);
    if (state.organizationNames.size > ORGANIZATION_NAME_CACHE) state.organizationNames.clear();
    for (const [name, id] of batch.organizationNames) state.organizationNames.set(name, id);
    if (state.knownPeople.size > KNOWN_PEOPLE_CACHE) state.knownPeople.clear();
    for (const id of batch.knownPeople) state.knownPeople.add(id);
    batch.pendingLinks.forEach(addPending);
    for (const [entity, count] of Object.entries(batch.counts) as [
      keyof EntityCounts,
      { created: number; updated: number },
    ][]) {
      entities[entity].created += count.created;
      entities[entity].updated += count.updated;
    }
    for (const row of rowsOfBatch) {
      const reason = batch.rejected.get(row.index);
      if (reason !== undefined) recordIssue({ line: row.line, status: "rejected", reason });
      else {
        const status = batch.status.get(row.index) ?? "unchanged";
        if (status === "created") totals.created += 1;
        else if (status === "updated") totals.updated += 1;
        else totals.skipped += 1;
      }
    }
  };

  const writeBatch = async (rowsOfBatch: BatchRow[], attempt = 0): Promise<void> => {
    try {
      const batch = await prisma.$transaction(
        async (tx) => {
          const batch = new Batch(tx as unknown as SqlRunner, state);
          await writeRecords(batch, rowsOfBatch);
          return batch;
        },
        { maxWait: 600_000, timeout: 600_000 },
      );
      applyBatch(batch, rowsOfBatch);
    } catch (error) {
      if (isRetryable(error) && attempt < 5) return writeBatch(rowsOfBatch, attempt + 1);
      if (rowsOfBatch.length === 1) {
        // One row left: either it is bad, or the database is gone, which must stop the import instead.
        await prisma.$queryRawUnsafe("SELECT 1");
        recordIssue({ line: rowsOfBatch[0]!.line, status: "rejected", reason: databaseMessage(error) });
        return;
      }
      // Split until the bad rows are alone; every part is still one transaction, so nothing half-written stays.
      const middle = Math.ceil(rowsOfBatch.length / 2);
      await writeBatch(rowsOfBatch.slice(0, middle));
      await writeBatch(rowsOfBatch.slice(middle));
    }
  };

  const inFlight = new Set<Promise<void>>();
  const submit = async (rowsOfBatch: BatchRow[]) => {
    const sequence = nextSequence++;
    const lastLine = rowsOfBatch[rowsOfBatch.length - 1]!.line;
    const task = writeBatch(rowsOfBatch).then(() => {
      batchesCommitted += 1;
      committedLines.set(sequence, lastLine);
      let advanced = false;
      while (committedLines.has(contiguous)) {
        resumeAfterLine = Math.max(resumeAfterLine, committedLines.get(contiguous)!);
        committedLines.delete(contiguous);
        contiguous += 1;
        advanced = true;
      }
      if (advanced && options.checkpointPath) {
        const path = options.checkpointPath;
        const snapshot = checkpointOf(false);
        checkpointWrite = checkpointWrite.then(() => saveCheckpoint(path, snapshot));
      }
      options.onProgress?.(progress());
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task)).catch(() => undefined);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };
  const checkpointOf = (complete: boolean): Checkpoint => ({
    format: options.format,
    source: options.source,
    ...(options.partnerId ? { partnerId: options.partnerId } : {}),
    batchesCommitted: contiguous,
    lastLine: resumeAfterLine,
    keys: [...state.keys],
    pendingLinks: [...pendingLinks.values()],
    complete,
  });

  let failure: unknown;
  const skipUntilLine = resumeAfterLine;
  try {
    let pending: BatchRow[] = [];
    let index = 0;
    for await (const row of rows) {
      totals.rowsRead += 1;
      if (row.line <= skipUntilLine) {
        totals.skipped += 1;
        continue;
      }
      let record: ImportRecord;
      try {
        record = parseRecord(row.fields);
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        recordIssue({ line: row.line, status: "rejected", reason: error.message });
        continue;
      }
      pending.push({ index: index++, line: row.line, record });
      if (pending.length >= batchSize) {
        await submit(pending);
        pending = [];
      }
    }
    if (pending.length > 0) await submit(pending);
    await Promise.all(inFlight);

    // Links that pointed forward in the file can be made now; the rest name introductions that never came.
    if (pendingLinks.size > 0) {
      const links = [...pendingLinks.values()];
      const unresolved = await prisma.$transaction(
        async (tx) => {
          const batch = new Batch(tx as unknown as SqlRunner, state);
          const left = await writeLinks(batch, links, true);
          for (const [entity, count] of Object.entries(batch.counts) as [keyof EntityCounts, { created: number }][]) {
            entities[entity].created += count.created;
          }
          return left;
        },
        { maxWait: 600_000, timeout: 600_000 },
      );
      for (const link of unresolved) {
        recordIssue({ line: link.line, status: "warning", reason: `${link.description}: not found, link skipped` });
      }
      pendingLinks.clear();
    }
  } catch (error) {
    failure = error;
    await Promise.allSettled(inFlight);
  }
  await checkpointWrite;
  if (options.checkpointPath && !failure) await saveCheckpoint(options.checkpointPath, checkpointOf(true));
  if (reportStream) await new Promise<void>((resolve) => reportStream.end(resolve));

  const durationMs = Date.now() - started;
  const report: ImportReport = {
    importId,
    format: options.format,
    source: options.source,
    ...totals,
    batches: batchesCommitted,
    entities,
    durationMs,
    rowsPerSecond: Math.round((totals.rowsRead / Math.max(durationMs, 1)) * 1000),
    issues,
    ...(options.reportPath ? { reportPath: options.reportPath } : {}),
    ...(skipUntilLine > 0 ? { resumedAfterLine: skipUntilLine } : {}),
  };
  await prisma.auditEvent.create({
    data: {
      actorKind: options.actor.kind,
      actorId: options.actor.id ?? null,
      apiKeyId: options.actor.apiKeyId ?? null,
      partnerId: options.partnerId ?? null,
      requestId: options.actor.requestId ?? null,
      action: "import",
      entityType: "Import",
      entityId: importId,
      after: {
        status: failure ? "failed" : "completed",
        format: options.format,
        source: options.source,
        input: options.inputName ?? null,
        rowsRead: report.rowsRead,
        created: report.created,
        updated: report.updated,
        skipped: report.skipped,
        rejected: report.rejected,
        warnings: report.warnings,
        batches: report.batches,
        entities: report.entities,
        durationMs,
        ...(failure ? { error: String((failure as Error).message ?? failure).slice(0, 500) } : {}),
      },
    },
  });
  if (failure) throw failure;
  return report;
}

async function resolveOwner(prisma: PrismaClient, ref: string): Promise<Owner> {
  const trimmed = ref.trim();
  const where = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(trimmed)
    ? { id: trimmed.toLowerCase() }
    : /^https?:\/\//i.test(trimmed)
      ? { profileUrl: normalizeProfileUrl(trimmed) }
      : { email: normalizeEmail(trimmed) };
  const person = await prisma.person.findFirst({ where: { ...where, deletedAt: null }, orderBy: { createdAt: "asc" } });
  if (!person) throw new Error(`owner not found: ${ref}`);
  const ownerId = person.mergedIntoId ?? person.id;
  const now = new Date();
  const memberships = await prisma.membership.findMany({
    where: { personId: ownerId, OR: [{ until: null }, { until: { gt: now } }] },
    select: { organizationId: true },
  });
  return { id: ownerId, organizationIds: new Set(memberships.map((m) => m.organizationId)) };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof RetryBatchError) return true;
  const message = String((error as Error)?.message ?? error);
  // Deadlock, serialization failure, or a unique race with a concurrent batch: the next attempt sees the other's rows.
  return /40P01|40001|23505|deadlock detected|could not serialize/i.test(message);
}

function databaseMessage(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  const match = /Message: `([^`]*)`/.exec(message);
  return (match?.[1] ?? message.split("\n").filter(Boolean).pop() ?? message).slice(0, 500);
}

async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Checkpoint;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a checkpoint. */
async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(checkpoint));
  await rename(`${path}.tmp`, path);
}
