// The compiled build (each workspace package's dist/, run with `node --conditions=intrograph-compiled`), brought up to
// date before tests and benchmarks that start processes from it: a clean clone needs no build step first, and a run
// after `pnpm build` compiles nothing.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const rootDir = fileURLToPath(new URL("..", import.meta.url));

function newestMtime(target: string): number {
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

/**
 * Compiles (tsc, tsconfig.build.json) each workspace package whose dist/ is missing or older than its sources. tsc
 * rather than turbo, whose build also reruns `generate`, rewriting files that running tests read. Returns the packages
 * it compiled.
 */
export function buildStalePackages(): string[] {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const packageDirs = ["apps", "packages"].flatMap((group) =>
    readdirSync(path.join(rootDir, group)).map((name) => path.join(rootDir, group, name)),
  );
  const built: string[] = [];
  for (const dir of packageDirs) {
    if (!existsSync(path.join(dir, "tsconfig.build.json")) || existsSync(path.join(dir, "tsup.config.ts"))) continue;
    const dist = path.join(dir, "dist");
    if (existsSync(dist) && newestMtime(dist) >= newestMtime(path.join(dir, "src"))) continue;
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
    built.push(path.relative(rootDir, dir));
  }
  return built;
}
