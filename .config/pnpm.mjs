// Runs the project's pinned pnpm, with it on PATH for everything it starts (turbo and nested scripts call `pnpm` too).
// A machine with only Node and npm gets it installed under .config/tools on first use; nothing global is touched.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PNPM_VERSION = "12.21.0";
const root = fileURLToPath(new URL("..", import.meta.url));
const toolsDir = path.join(root, ".config", "tools");
const toolsBin = path.join(toolsDir, "node_modules", ".bin");

function installedVersion(command, env) {
  try {
    return execFileSync(command, ["--version"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

// Turbo's telemetry would only try (and fail) to reach the internet from machines without it.
const env = {
  TURBO_TELEMETRY_DISABLED: "1",
  ...process.env,
  PATH: `${toolsBin}${path.delimiter}${process.env.PATH ?? ""}`,
};
if (installedVersion("pnpm", env) !== PNPM_VERSION) {
  console.log(`installing pnpm ${PNPM_VERSION} into .config/tools…`);
  execFileSync(
    process.platform === "win32" ? "npm.cmd" : "npm",
    [
      "install",
      "--prefix",
      toolsDir,
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `pnpm@${PNPM_VERSION}`,
    ],
    { stdio: "inherit" },
  );
  if (!existsSync(path.join(toolsBin, "pnpm"))) throw new Error("pnpm did not install");
}

const result = spawnSync("pnpm", process.argv.slice(2), { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
