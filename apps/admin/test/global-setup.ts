// Before the browser tests: make sure Chromium is installed (fresh CI machines lack it) and the admin app is built from
// the current sources, so the API under test serves what the tests exercise.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CHROMIUM = "/usr/bin/chromium";
const appDir = fileURLToPath(new URL("..", import.meta.url));

function newestMtime(target: string): number {
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  // Debian's build: Playwright's own browser downloads are unreachable from these machines. Tests run as root.
  console.log("Chromium is missing: installing it with apt-get (a minute or two)…");
  execSync("apt-get update && apt-get install -y chromium", {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

async function ensureBuild(): Promise<void> {
  const built = path.join(appDir, "dist", "index.html");
  const sources = ["src", "index.html", "vite.config.ts", "../../packages/sdk/src"]
    .map((entry) => path.join(appDir, entry))
    .filter(existsSync);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  const { build } = await import("vite");
  await build({ root: appDir, configFile: path.join(appDir, "vite.config.ts"), logLevel: "warn" });
}

export default async function setup(): Promise<void> {
  ensureChromium();
  await ensureBuild();
}
