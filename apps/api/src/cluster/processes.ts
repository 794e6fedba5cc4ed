// The processes of a local cluster (API replicas, the worker, the balancer): how each is launched, in one table to
// switch to the compiled build, and a handle that prefixes its output, tells when it is ready and stops it.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export type Role = "api" | "worker" | "balancer";

export interface Launch {
  /** Appended to the role's process name ("jobs" → "worker-jobs"); empty for a role of one process. */
  part: string;
  cwd: string;
  /** Arguments to node. */
  args: string[];
  /** The line a process without an HTTP readiness check prints once it works. */
  readyLine?: RegExp;
}

/** The compiled build, as production runs it (`pnpm cluster` builds first; tests and benchmarks bring it up to date). */
function compiled(directory: string, entry: string): Pick<Launch, "cwd" | "args"> {
  return { cwd: path.join(repositoryRoot, directory), args: ["--conditions=intrograph-compiled", entry] };
}

/** What each role runs. */
export const launches: Record<Role, Launch[]> = {
  api: [{ part: "", ...compiled("apps/api", "dist/main.js") }],
  worker: [{ part: "", ...compiled("apps/api", "dist/worker-main.js"), readyLine: /worker started/ }],
  balancer: [{ part: "", ...compiled("apps/api", "dist/balancer-main.js"), readyLine: /balancer listening/ }],
};

/** Where children's output goes: the console, each line prefixed with the process name, or one file per process. */
export type OutputTarget = { kind: "console" } | { kind: "files"; directory: string };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const COLORS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];
let nextColor = 0;

export class ClusterProcess {
  /** Set once stop() is called, so an exit after it is expected. */
  stopping = false;
  readonly exited: Promise<Exit>;
  private readonly lines: string[] = [];
  private readonly lineWaiters = new Set<() => void>();

  private constructor(
    readonly name: string,
    readonly role: Role,
    readonly launch: Launch,
    private readonly child: ChildProcess,
    readonly logFile: string | null,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts one process in its own process group, so that a Ctrl-C in the terminal reaches only the cluster, which
   * then stops its children in order.
   */
  static start(name: string, role: Role, launch: Launch, env: NodeJS.ProcessEnv, output: OutputTarget) {
    const logFile = output.kind === "files" ? path.join(output.directory, `${name}.log`) : null;
    const fd = logFile ? openSync(logFile, "w") : null;
    const child = spawn(process.execPath, launch.args, {
      cwd: launch.cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", fd ?? "pipe", fd ?? "pipe"],
      detached: true,
    });
    if (fd !== null) closeSync(fd);
    const started = new ClusterProcess(name, role, launch, child, logFile);
    if (!logFile) started.prefixOutput();
    return started;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private prefixOutput() {
    const color = COLORS[nextColor++ % COLORS.length]!;
    const prefix = process.stdout.isTTY ? `\x1b[${color}m[${this.name}]\x1b[0m ` : `[${this.name}] `;
    for (const stream of [this.child.stdout!, this.child.stderr!])
      createInterface({ input: stream }).on("line", (line) => {
        if (this.lines.length < 200) this.lines.push(line);
        for (const wake of this.lineWaiters) wake();
        process.stdout.write(`${prefix}${line}\n`);
      });
  }

  private async output(): Promise<string> {
    return this.logFile ? readFile(this.logFile, "utf8").catch(() => "") : this.lines.join("\n");
  }

  /** Resolves once the process printed a line matching `pattern`; fails if it exits first or after `timeoutMs`. */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<void> {
    let exit: Exit | null = null;
    void this.exited.then((value) => {
      exit = value;
    });
    const deadline = performance.now() + timeoutMs;
    while (!pattern.test(await this.output())) {
      if (exit) throw new Error(`${this.name} exited (${describeExit(exit)}) before it was ready${this.seeLog()}`);
      if (performance.now() > deadline)
        throw new Error(
          `${this.name} printed no line matching ${pattern} within ${timeoutMs / 1000} s${this.seeLog()}`,
        );
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.lineWaiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 200);
        this.lineWaiters.add(wake);
      });
    }
  }

  seeLog(): string {
    return this.logFile ? `; see ${this.logFile}` : "";
  }

  signal(name: NodeJS.Signals): void {
    try {
      process.kill(this.pid, name);
    } catch {
      // Gone already.
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<Exit> {
    this.stopping = true;
    this.signal("SIGTERM");
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs).unref());
    const exit = await Promise.race([this.exited, timeout]);
    if (exit) return exit;
    this.signal("SIGKILL");
    return this.exited;
  }
}

export function describeExit({ code, signal }: Exit): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}
