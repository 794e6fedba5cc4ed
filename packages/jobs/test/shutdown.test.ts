// stopOnSignals in a real process: exit 0 once the stop steps are done; exit 1 on a second signal or at the deadline.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Starts the test process, sends `signals` (ms apart) once it is ready; its exit code and what it logged. */
async function signalled(env: Record<string, string>, signals: number) {
  const child = spawn(process.execPath, ["--import", "tsx", "test/shutdown-process.ts"], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const messages: string[] = [];
  const exited = once(child, "exit") as Promise<[number | null]>;
  const ready = new Promise<void>((resolve) =>
    createInterface({ input: child.stdout! }).on("line", (line) => {
      messages.push((JSON.parse(line) as { msg: string }).msg);
      if (messages.at(-1) === "ready") resolve();
    }),
  );
  await ready;
  const signalledAt = Date.now();
  for (let sent = 0; sent < signals; sent++) {
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const [code] = await exited;
  return { code, messages, afterMs: Date.now() - signalledAt };
}

describe("stopOnSignals", () => {
  it("exits 0 once the stop steps are done", async () => {
    const run = await signalled({ SHUTDOWN_TEST_STOP_MS: "300" }, 1);
    expect(run.code).toBe(0);
    expect(run.messages).toEqual(["ready", "stopping: finishing work in flight", "stopped"]);
  });

  it("exits 1 at once on a second signal", async () => {
    const run = await signalled({ INTROGRAPH_SHUTDOWN_TIMEOUT_SECONDS: "60" }, 2);
    expect(run.code).toBe(1);
    expect(run.messages.at(-1)).toBe("second signal while stopping: exiting now");
    expect(run.afterMs).toBeLessThan(5_000);
  });

  it("exits 1 when stopping outlasts INTROGRAPH_SHUTDOWN_TIMEOUT_SECONDS", async () => {
    const run = await signalled({ INTROGRAPH_SHUTDOWN_TIMEOUT_SECONDS: "1" }, 1);
    expect(run.code).toBe(1);
    expect(run.messages.at(-1)).toBe("stopping took too long: exiting now");
    expect(run.afterMs).toBeGreaterThanOrEqual(900);
  });
});
