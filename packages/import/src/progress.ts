// Terminal progress for the CLI: a cli-progress bar (rows/s, ETA from bytes read) on an interactive terminal, or one
// plain line per committed batch when output goes to a log or another process.
import { SingleBar } from "cli-progress";
import type { ImportProgress } from "./index.ts";

export type ProgressMode = "auto" | "bar" | "lines" | "none";

/** Below this a file imports in a blink and a bar would only flicker (a few thousand rows). */
const BAR_MIN_BYTES = 256 * 1024;

export interface ProgressDisplay {
  update(progress: ImportProgress): void;
  stop(): void;
}

export function createProgressDisplay(mode: ProgressMode, totalBytes: number): ProgressDisplay {
  const resolved = mode === "auto" ? (process.stderr.isTTY && totalBytes >= BAR_MIN_BYTES ? "bar" : "none") : mode;
  if (resolved === "none") return { update: () => undefined, stop: () => undefined };
  if (resolved === "lines") {
    return {
      update: (p) =>
        process.stderr.write(
          `progress batches=${p.batchesCommitted} rows=${p.rowsRead} rows/s=${rate(p)} created=${p.created} ` +
            `updated=${p.updated} skipped=${p.skipped} rejected=${p.rejected}\n`,
        ),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    format: "{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted} | rejected {rejected}",
    stream: process.stderr,
    hideCursor: true,
    etaBuffer: 50,
  });
  bar.start(Math.max(totalBytes, 1), 0, { rows: 0, rate: 0, rejected: 0 });
  return {
    update: (p) =>
      bar.update(Math.min(p.bytesRead, totalBytes), { rows: p.rowsRead, rate: rate(p), rejected: p.rejected }),
    stop: () => bar.stop(),
  };
}

function rate(progress: ImportProgress): number {
  return Math.round((progress.rowsRead / Math.max(progress.elapsedMs, 1)) * 1000);
}
