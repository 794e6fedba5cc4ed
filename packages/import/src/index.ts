// intrograph's bulk import core: streams a LinkedIn export or a generic CSV / JSON-lines file into the database in
// batches (one transaction each, with the credit of what it wrote and its `import.batch` event), idempotently,
// reporting progress, rejected rows and one audit event. The CLI and the API's small-file mutation both call
// importStream.
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Transform } from "node:stream";
import type { PrismaClient } from "@intrograph/db";
import type { CreditRecompute } from "@intrograph/ledger";
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
  type EntityName,
  entityNames,
  type ImportState,
  type Owner,
  type PendingLink,
  type SqlRunner,
} from "./write/batch.ts";
import { type BatchCredit, type BatchOrigin, finishBatch } from "./write/commit.ts";
import { writeLinks } from "./write/introductions.ts";
import { RetryBatchError } from "./write/people.ts";
import { writeRecords } from "./write/records.ts";

export type { ImportInput } from "./parse/rows.ts";
export type { EntityCounts, EntityName } from "./write/batch.ts";
export { entityNames } from "./write/batch.ts";
export type { ImportBatchPayload } from "./write/commit.ts";
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
  /** After each committed batch whose credit moved: the outcomes and people whose amounts changed. */
  onCreditChanged?: (changes: CreditRecompute["changes"]) => void;
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
  /**
   * Summed over the batches: outcomes whose per-outcome credit they recomputed, and those whose credit changed (an
   * outcome two batches feed counts twice). MARKOV follows in the background job.
   */
  credit: { outcomesRecomputed: number; outcomesChanged: number };
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

const tableOfEntity: Record<EntityName, string> = {
  people: "Person",
  organizations: "Organization",
  memberships: "Membership",
  relationships: "Relationship",
  relationshipSides: "RelationshipSide",
  interactions: "Interaction",
  introductions: "Introduction",
  introductionLinks: "IntroductionLink",
  outcomes: "Outcome",
  outcomeIntroductions: "OutcomeIntroduction",
  duplicateSuggestions: "DuplicateSuggestion",
  socialAccounts: "SocialAccount",
};

/**
 * Refreshes the planner statistics of the tables an import wrote, so the queries after it are planned for the data it
 * left (PGlite never gathers statistics by itself; PostgreSQL's autovacuum only after a while).
 */
export async function analyzeImportedTables(
  prisma: PrismaClient,
  report: Pick<ImportReport, "entities" | "credit">,
): Promise<void> {
  const tables = entityNames
    .filter((name) => report.entities[name].created + report.entities[name].updated > 0)
    .map((name) => tableOfEntity[name]);
  if (tables.length === 0) return;
  // Every batch that wrote rows appended an event; those that fed outcomes rewrote their credit.
  tables.push("DomainEvent");
  if (report.credit.outcomesRecomputed > 0) tables.push("Credit");
  await prisma.$executeRawUnsafe(`ANALYZE ${tables.map((table) => `"${table}"`).join(", ")}`);
}

/** A failure while rows or links are written still closes the run and is recorded in the audit event, then rethrown. */
export async function importStream(prisma: PrismaClient, options: ImportOptions): Promise<ImportReport> {
  const run = new ImportRun(prisma, options);
  await run.identifyOwner();
  await run.resumeFromCheckpoint();
  await run.openIssueReport();
  const rows = run.openRows();
  let failure: unknown;
  try {
    await run.writeRows(rows);
    await run.writePendingLinks();
  } catch (error) {
    failure = error;
    await run.settleBatches();
  }
  await run.close({ complete: !failure });
  const report = run.report();
  await recordImportEvent(prisma, options, report, failure);
  if (failure) throw failure;
  return report;
}

/** One import while it runs: the import-wide state, what has been counted so far, and the batches being written. */
class ImportRun {
  private readonly started = Date.now();
  private readonly importId = uuidv7();
  private readonly prisma: PrismaClient;
  private readonly options: ImportOptions;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly state: ImportState;
  /** Chain and outcome links whose other end was not written yet, retried when the file is done. */
  private readonly pendingLinks = new Map<string, PendingLink>();
  private readonly totals = { rowsRead: 0, created: 0, updated: 0, skipped: 0, rejected: 0, warnings: 0 };
  private readonly entities = emptyEntityCounts();
  private readonly credit = { outcomesRecomputed: 0, outcomesChanged: 0 };
  private readonly issues: RowIssue[] = [];
  private reportStream: WriteStream | undefined;
  private bytesRead = 0;
  /** Rows up to this line were covered by the checkpoint this run resumed from: they are skipped. */
  private resumedAfterLine = 0;
  /** The last line of the committed batches the next checkpoint covers. */
  private checkpointLine = 0;
  // Batches may commit out of order when written concurrently; the checkpoint only covers the unbroken prefix.
  private nextSequence = 0;
  private batchesCommitted = 0;
  private contiguous = 0;
  private readonly committedLines = new Map<number, number>();
  private checkpointWrite: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(prisma: PrismaClient, options: ImportOptions) {
    this.prisma = prisma;
    this.options = options;
    this.batchSize = Math.max(1, options.batchSize ?? 2000);
    this.concurrency = Math.max(1, options.concurrency ?? (options.format === "relationships" ? 2 : 1));
    this.state = {
      source: options.source,
      ...(options.partnerId ? { partnerId: options.partnerId } : {}),
      now: options.now ?? new Date(),
      halfLifeDays: options.halfLifeDays ?? 90,
      keys: new Map(),
      organizationNames: new Map(),
      knownPeople: new Set(),
      personIds: new Map(),
    };
  }

  /** A LinkedIn export is one person's connections: that person must exist. */
  async identifyOwner(): Promise<void> {
    const ownerRef = this.options.ownerPersonId ?? this.options.owner;
    if (this.options.format === "linkedin") {
      if (!ownerRef) throw new Error("a LinkedIn import needs an owner (person id, email or profile URL)");
      this.state.owner = await resolveOwner(this.prisma, ownerRef);
    }
  }

  /** With `resume`, picks up an unfinished checkpoint of the same import: its rows are skipped, its keys known. */
  async resumeFromCheckpoint(): Promise<void> {
    const { options } = this;
    if (!options.resume || !options.checkpointPath) return;
    const checkpoint = await readCheckpoint(options.checkpointPath);
    if (
      checkpoint &&
      !checkpoint.complete &&
      checkpoint.format === options.format &&
      checkpoint.source === options.source &&
      checkpoint.partnerId === options.partnerId
    ) {
      this.resumedAfterLine = checkpoint.lastLine;
      this.checkpointLine = checkpoint.lastLine;
      for (const [key, id] of checkpoint.keys) this.state.keys.set(key, id);
      for (const link of checkpoint.pendingLinks) this.addPendingLink(link);
    }
  }

  async openIssueReport(): Promise<void> {
    const { reportPath } = this.options;
    if (!reportPath) return;
    await mkdir(dirname(reportPath), { recursive: true });
    this.reportStream = createWriteStream(reportPath);
  }

  /** The input's rows, counting its bytes for progress reports. */
  openRows(): AsyncIterable<SourceRow> {
    const { options } = this;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.bytesRead += chunk.length;
        callback(null, chunk);
      },
    });
    const readable = toReadable(options.input).pipe(counter);
    const encoding = options.encoding ?? (options.format === "mixed" ? "jsonl" : "csv");
    return options.format === "linkedin"
      ? readCsvRows(readable, { headerStartsWith: LINKEDIN_HEADER_START })
      : encoding === "jsonl"
        ? readJsonLines(readable)
        : readCsvRows(readable);
  }

  /** Parses every row not covered by the checkpoint and writes them in batches; a row that does not parse is rejected. */
  async writeRows(rows: AsyncIterable<SourceRow>): Promise<void> {
    const skipUntilLine = this.resumedAfterLine;
    let pending: BatchRow[] = [];
    let index = 0;
    for await (const row of rows) {
      this.totals.rowsRead += 1;
      if (row.line <= skipUntilLine) {
        this.totals.skipped += 1;
        continue;
      }
      let record: ImportRecord;
      try {
        record = this.parseRecord(row.fields);
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        this.recordIssue({ line: row.line, status: "rejected", reason: error.message });
        continue;
      }
      pending.push({ index: index++, line: row.line, record });
      if (pending.length >= this.batchSize) {
        await this.submit(pending);
        pending = [];
      }
    }
    if (pending.length > 0) await this.submit(pending);
    await Promise.all(this.inFlight);
  }

  /** Links that pointed forward in the file can be made now; the rest name introductions that never came. */
  async writePendingLinks(): Promise<void> {
    if (this.pendingLinks.size === 0) return;
    const links = [...this.pendingLinks.values()];
    const { batch, unresolved, credit } = await this.prisma.$transaction(
      async (tx) => {
        const batch = new Batch(tx as unknown as SqlRunner, this.state);
        const unresolved = await writeLinks(batch, links, true);
        const credit = await finishBatch(tx, batch, this.origin());
        return { batch, unresolved, credit };
      },
      { maxWait: 600_000, timeout: 600_000 },
    );
    for (const [entity, count] of Object.entries(batch.counts) as [keyof EntityCounts, { created: number }][]) {
      this.entities[entity].created += count.created;
    }
    this.creditRecomputed(credit);
    for (const link of unresolved) {
      this.recordIssue({ line: link.line, status: "warning", reason: `${link.description}: not found, link skipped` });
    }
    for (const skipped of batch.skippedLinks) this.recordIssue({ ...skipped, status: "warning" });
    this.pendingLinks.clear();
  }

  /** After a failure: lets the batches already being written finish or fail before the run closes. */
  async settleBatches(): Promise<void> {
    await Promise.allSettled(this.inFlight);
  }

  /** Writes the last checkpoint (marked complete unless the run failed) and closes the issue report. */
  async close({ complete }: { complete: boolean }): Promise<void> {
    await this.checkpointWrite;
    if (this.options.checkpointPath && complete)
      await saveCheckpoint(this.options.checkpointPath, this.checkpointOf(true));
    const { reportStream } = this;
    if (reportStream) await new Promise<void>((resolve) => reportStream.end(resolve));
  }

  report(): ImportReport {
    const { options, totals } = this;
    const durationMs = Date.now() - this.started;
    return {
      importId: this.importId,
      format: options.format,
      source: options.source,
      ...totals,
      batches: this.batchesCommitted,
      entities: this.entities,
      credit: this.credit,
      durationMs,
      rowsPerSecond: Math.round((totals.rowsRead / Math.max(durationMs, 1)) * 1000),
      issues: this.issues,
      ...(options.reportPath ? { reportPath: options.reportPath } : {}),
      ...(this.resumedAfterLine > 0 ? { resumedAfterLine: this.resumedAfterLine } : {}),
    };
  }

  private parseRecord(fields: SourceRow["fields"]): ImportRecord {
    const { format } = this.options;
    return format === "linkedin"
      ? parseLinkedInRow(fields)
      : parseGenericRow(fields, format === "mixed" ? undefined : format);
  }

  private recordIssue(issue: RowIssue): void {
    if (issue.status === "rejected") this.totals.rejected += 1;
    else this.totals.warnings += 1;
    if (this.issues.length < MAX_ISSUES_IN_REPORT) this.issues.push(issue);
    this.reportStream?.write(`${JSON.stringify(issue)}\n`);
  }

  private addPendingLink(link: PendingLink): void {
    this.pendingLinks.set(`${link.table}:${link.first}:${link.second}`, link);
  }

  /** Starts writing a batch; waits while `concurrency` batches are in flight. */
  private async submit(rowsOfBatch: BatchRow[]): Promise<void> {
    const sequence = this.nextSequence++;
    const lastLine = rowsOfBatch[rowsOfBatch.length - 1]!.line;
    const task = this.writeBatch(rowsOfBatch).then(() => this.batchCommitted(sequence, lastLine));
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task)).catch(() => undefined);
    if (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
  }

  /** Advances the checkpoint over the unbroken prefix of committed batches, and reports progress. */
  private batchCommitted(sequence: number, lastLine: number): void {
    this.batchesCommitted += 1;
    this.committedLines.set(sequence, lastLine);
    let advanced = false;
    while (this.committedLines.has(this.contiguous)) {
      this.checkpointLine = Math.max(this.checkpointLine, this.committedLines.get(this.contiguous)!);
      this.committedLines.delete(this.contiguous);
      this.contiguous += 1;
      advanced = true;
    }
    if (advanced && this.options.checkpointPath) {
      const path = this.options.checkpointPath;
      const snapshot = this.checkpointOf(false);
      this.checkpointWrite = this.checkpointWrite.then(() => saveCheckpoint(path, snapshot));
    }
    this.options.onProgress?.(this.progress());
  }

  /** One transaction per batch; a failing batch is retried, then split until the bad rows are alone and rejected. */
  private async writeBatch(rowsOfBatch: BatchRow[], attempt = 0): Promise<void> {
    try {
      const { batch, credit } = await this.prisma.$transaction(
        async (tx) => {
          const batch = new Batch(tx as unknown as SqlRunner, this.state);
          await writeRecords(batch, rowsOfBatch);
          return { batch, credit: await finishBatch(tx, batch, this.origin()) };
        },
        { maxWait: 600_000, timeout: 600_000 },
      );
      this.applyBatch(batch, rowsOfBatch);
      this.creditRecomputed(credit);
    } catch (error) {
      if (isRetryable(error) && attempt < 5) return this.writeBatch(rowsOfBatch, attempt + 1);
      if (rowsOfBatch.length === 1) {
        // One row left: either it is bad, or the database is gone, which must stop the import instead.
        await this.prisma.$queryRawUnsafe("SELECT 1");
        this.recordIssue({ line: rowsOfBatch[0]!.line, status: "rejected", reason: databaseMessage(error) });
        return;
      }
      // Split until the bad rows are alone; every part is still one transaction, so nothing half-written stays.
      const middle = Math.ceil(rowsOfBatch.length / 2);
      await this.writeBatch(rowsOfBatch.slice(0, middle));
      await this.writeBatch(rowsOfBatch.slice(middle));
    }
  }

  private origin(): BatchOrigin {
    return { importId: this.importId, actorId: this.options.actor.id ?? null };
  }

  /** Counts a committed batch's credit recompute and passes on the changes. */
  private creditRecomputed(credit: BatchCredit | null): void {
    if (!credit) return;
    this.credit.outcomesRecomputed += credit.outcomes;
    this.credit.outcomesChanged += credit.changes.length;
    if (credit.changes.length > 0) this.options.onCreditChanged?.(credit.changes);
  }

  /** A committed batch's results join the import-wide state and counts. */
  private applyBatch(batch: Batch, rowsOfBatch: BatchRow[]): void {
    const { state, entities, totals } = this;
    for (const [key, id] of batch.keys) state.keys.set(key, id);
    if (state.organizationNames.size > ORGANIZATION_NAME_CACHE) state.organizationNames.clear();
    for (const [name, id] of batch.organizationNames) state.organizationNames.set(name, id);
    if (state.knownPeople.size > KNOWN_PEOPLE_CACHE) state.knownPeople.clear();
    for (const id of batch.knownPeople) state.knownPeople.add(id);
    for (const link of batch.pendingLinks) this.addPendingLink(link);
    for (const skipped of batch.skippedLinks) this.recordIssue({ ...skipped, status: "warning" });
    for (const [entity, count] of Object.entries(batch.counts) as [
      keyof EntityCounts,
      { created: number; updated: number },
    ][]) {
      entities[entity].created += count.created;
      entities[entity].updated += count.updated;
    }
    for (const row of rowsOfBatch) {
      const reason = batch.rejected.get(row.index);
      if (reason !== undefined) this.recordIssue({ line: row.line, status: "rejected", reason });
      else {
        const status = batch.status.get(row.index) ?? "unchanged";
        if (status === "created") totals.created += 1;
        else if (status === "updated") totals.updated += 1;
        else totals.skipped += 1;
      }
    }
  }

  private checkpointOf(complete: boolean): Checkpoint {
    const { options } = this;
    return {
      format: options.format,
      source: options.source,
      ...(options.partnerId ? { partnerId: options.partnerId } : {}),
      batchesCommitted: this.contiguous,
      lastLine: this.checkpointLine,
      keys: [...this.state.keys],
      pendingLinks: [...this.pendingLinks.values()],
      complete,
    };
  }

  private progress(): ImportProgress {
    return {
      ...this.totals,
      batchesCommitted: this.batchesCommitted,
      bytesRead: this.bytesRead,
      elapsedMs: Date.now() - this.started,
    };
  }
}

/** The import's audit event, written whether it completed or failed. */
async function recordImportEvent(
  prisma: PrismaClient,
  options: ImportOptions,
  report: ImportReport,
  failure: unknown,
): Promise<void> {
  await prisma.auditEvent.create({
    data: {
      actorKind: options.actor.kind,
      actorId: options.actor.id ?? null,
      apiKeyId: options.actor.apiKeyId ?? null,
      partnerId: options.partnerId ?? null,
      requestId: options.actor.requestId ?? null,
      action: "import",
      entityType: "Import",
      entityId: report.importId,
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
        durationMs: report.durationMs,
        ...(failure ? { error: String((failure as Error).message ?? failure).slice(0, 500) } : {}),
      },
    },
  });
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
