// The `intrograph` command line: `intrograph import <format> <file> [options]` streams a file into the database that
// openDatabase() picks (embedded PGlite under .data/, or PostgreSQL when DATABASE_URL is set).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "@intrograph/db";
import { analyzeImportedTables, type ImportFormat, importFormats, importStream } from "./index.ts";
import { createProgressDisplay, type ProgressMode } from "./progress.ts";

const usage = `Usage: pnpm intrograph import <format> <file> [options]

Formats: ${importFormats.join(", ")}
  linkedin       LinkedIn's Connections.csv; needs --owner
  people ...     one entity type per CSV file (or JSON lines with --encoding jsonl / a .jsonl file)
  mixed          JSON lines whose rows carry their own "type"

Options:
  --owner <personId|email|profileUrl>  whose connections a LinkedIn export holds
  --source <name>       the system the file comes from; namespaces its row ids (default: linkedin for LinkedIn,
                        else "import") — keep it the same when re-importing
  --batch-size <n>      rows per transaction (default 2000)
  --concurrency <n>     batches written at once on PostgreSQL (default 2 for relationships, else 1)
  --report <path>       rejected rows as JSON lines (default: <file>.rejected.jsonl)
  --checkpoint <path>   progress file written after every committed batch
  --resume              skip the rows the checkpoint covers
  --encoding csv|jsonl  override the encoding guessed from the file extension
  --progress auto|bar|lines|none   (default auto: a bar on a terminal for files over a few thousand rows)
  --actor <id>          recorded in the audit log (actor kind ADMIN); without it the actor is SYSTEM
  --json                print the final report as JSON
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      owner: { type: "string" },
      source: { type: "string" },
      "batch-size": { type: "string" },
      concurrency: { type: "string" },
      report: { type: "string" },
      checkpoint: { type: "string" },
      resume: { type: "boolean" },
      encoding: { type: "string" },
      progress: { type: "string" },
      actor: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, format, file] = positionals;
  if (values.help || command !== "import" || !format || !file) {
    process.stderr.write(usage);
    return values.help ? 0 : 2;
  }
  if (!importFormats.includes(format as ImportFormat)) {
    process.stderr.write(`unknown format "${format}"\n\n${usage}`);
    return 2;
  }
  // `pnpm --filter … exec` runs in the package folder and resets INIT_CWD; the root script passes the directory the
  // user typed the command in as INTROGRAPH_CWD, and paths are relative to it.
  const cwd = process.env.INTROGRAPH_CWD || process.env.INIT_CWD || process.cwd();
  const path = resolve(cwd, file);
  const { size } = await stat(path);
  const encoding =
    (values.encoding as "csv" | "jsonl" | undefined) ??
    ([".jsonl", ".ndjson", ".json"].includes(extname(path).toLowerCase()) ? "jsonl" : "csv");
  const reportPath = resolve(cwd, values.report ?? `${path}.rejected.jsonl`);

  const database = await openDatabase();
  const display = createProgressDisplay((values.progress as ProgressMode | undefined) ?? "auto", size);
  try {
    const report = await importStream(database.prisma, {
      format: format as ImportFormat,
      input: createReadStream(path),
      encoding,
      owner: values.owner,
      source: values.source ?? (format === "linkedin" ? "linkedin" : "import"),
      actor: values.actor ? { kind: "ADMIN", id: values.actor } : { kind: "SYSTEM" },
      batchSize: values["batch-size"] ? Number(values["batch-size"]) : undefined,
      concurrency: values.concurrency ? Number(values.concurrency) : database.kind === "pglite" ? 1 : undefined,
      reportPath,
      checkpointPath: values.checkpoint ? resolve(cwd, values.checkpoint) : undefined,
      resume: values.resume,
      inputName: basename(path),
      onProgress: (progress) => display.update(progress),
    });
    display.stop();
    // Each batch brought the credit of what it wrote up to date in its own transaction; MARKOV follows in the job.
    await analyzeImportedTables(database.prisma, report);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...report, issues: undefined })}\n`);
    } else {
      process.stdout.write(
        `imported ${basename(path)} into ${database.location}: ${report.rowsRead} rows read, ${report.created} created, ` +
          `${report.updated} updated, ${report.skipped} skipped, ${report.rejected} rejected` +
          `${report.warnings ? `, ${report.warnings} warnings` : ""} in ${(report.durationMs / 1000).toFixed(1)} s ` +
          `(${report.rowsPerSecond} rows/s)\n`,
      );
      if (report.rejected || report.warnings) process.stdout.write(`rejected rows and warnings: ${reportPath}\n`);
      if (report.credit.outcomesRecomputed > 0)
        process.stdout.write(
          `credit recomputed for ${report.credit.outcomesRecomputed} outcome(s), ${report.credit.outcomesChanged} changed\n`,
        );
    }
    return 0;
  } finally {
    display.stop();
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import failed: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
