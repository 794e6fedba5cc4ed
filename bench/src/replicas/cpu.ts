// CPU time of processes from /proc (Linux): the cluster's processes by pid, and the PostgreSQL server's processes split
// into the backends of one database, the server's own background processes, and backends of other databases (other
// work on a shared machine), so the benchmark can say what each request costs.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** User + system CPU seconds a process has used (all its threads), or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces; fields after it start at "state" (field 3).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function commandName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return null;
  }
}

export type PostgresShare = "database" | "server" | "others";

export interface PostgresSample {
  /** CPU seconds per process, with what it serves. */
  processes: Map<number, { seconds: number; share: PostgresShare }>;
}

/** Every postgres process's CPU time, each classified through pg_stat_activity against `database`. */
export async function samplePostgres(client: pg.Client, database: string): Promise<PostgresSample> {
  const { rows } = await client.query<{ pid: number; datname: string | null; backend_type: string }>(
    "SELECT pid, datname, backend_type FROM pg_stat_activity",
  );
  const activity = new Map(rows.map((row) => [row.pid, row]));
  const processes = new Map<number, { seconds: number; share: PostgresShare }>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || commandName(pid) !== "postgres") continue;
    const seconds = cpuSeconds(pid);
    if (seconds === null) continue;
    const row = activity.get(pid);
    // Processes pg_stat_activity does not list (the postmaster, the logger) are the server's own.
    const share: PostgresShare =
      row?.backend_type !== "client backend" ? "server" : row.datname === database ? "database" : "others";
    processes.set(pid, { seconds, share });
  }
  return { processes };
}

/** CPU seconds used between two samples per share; a backend that started in between counts from zero. */
export function postgresDelta(before: PostgresSample, after: PostgresSample): Record<PostgresShare, number> {
  const used: Record<PostgresShare, number> = { database: 0, server: 0, others: 0 };
  for (const [pid, { seconds, share }] of after.processes)
    used[share] += seconds - (before.processes.get(pid)?.seconds ?? 0);
  return used;
}
