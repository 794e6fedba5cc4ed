// Streaming readers that turn CSV or JSON-lines input into header-keyed rows with their line numbers, one at a time,
// so memory stays flat however long the file is.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { parse } from "csv-parse";

export interface SourceRow {
  /** 1-based line of the input where the row ends (its only line unless a quoted field spans lines). */
  line: number;
  fields: Record<string, unknown>;
}

export type ImportInput = Readable | AsyncIterable<string | Buffer>;

export function toReadable(input: ImportInput): Readable {
  return input instanceof Readable ? input : Readable.from(input, { objectMode: false });
}

export interface CsvOptions {
  /** Rows before the header are skipped until one whose first cell equals this (LinkedIn puts notes above it). */
  headerStartsWith?: string;
}

export async function* readCsvRows(input: Readable, options: CsvOptions = {}): AsyncGenerator<SourceRow> {
  const parser = input.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }),
  );
  let header: string[] | undefined;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      const first = record[0]?.trim();
      if (options.headerStartsWith !== undefined && first !== options.headerStartsWith) continue;
      header = record.map((name) => name.trim());
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((name, i) => {
      if (name) fields[name] = record[i];
    });
    yield { line: info.lines, fields };
  }
  if (!header && options.headerStartsWith !== undefined) {
    throw new Error(`no header row starting with "${options.headerStartsWith}" found`);
  }
}

/** JSON lines: one object per line; a line that is not an object becomes a row with a `__error` field to reject. */
export async function* readJsonLines(input: Readable): AsyncGenerator<SourceRow> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const trimmed = line === 1 ? text.replace(/^\uFEFF/, "").trim() : text.trim();
    if (!trimmed) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        yield { line, fields: { __error: "line is not a JSON object" } };
      } else {
        yield { line, fields: value as Record<string, unknown> };
      }
    } catch (error) {
      yield { line, fields: { __error: `invalid JSON: ${(error as Error).message}` } };
    }
  }
}
