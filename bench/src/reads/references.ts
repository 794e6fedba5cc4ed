// The references bench:reads measures intrograph against, on the same database: PostGraphile 5 (installed by the
// benchmark into bench/.work/reads/postgraphile, pinned, with the Node 22 it requires from npm's `node` package) and
// one raw SQL statement building the same JSON, served over node:http.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, runCommand } from "../scale/stack.ts";

/** The versions the benchmark measured with. */
export const POSTGRAPHILE_VERSION = "5.1.5";
export const NODE_FOR_POSTGRAPHILE = "22.23.3";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ServerProcess {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/** A child process in its own group, output to a log file, ready when `url` answers a POST with 200. */
async function startServer(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; port: number; readyBody: string },
): Promise<ServerProcess> {
  const fd = openSync(options.logFile, "w");
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    stdio: ["ignore", fd, fd],
    detached: true,
  });
  closeSync(fd);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const stop = async () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Gone already.
    }
  };
  const url = `http://127.0.0.1:${options.port}/graphql`;
  const started = performance.now();
  for (;;) {
    if (exited) throw new Error(`${name} exited before it was ready; see ${options.logFile}`);
    if (performance.now() - started > 120_000) {
      await stop();
      throw new Error(`${name} was not ready after 120 s; see ${options.logFile}`);
    }
    const ok = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: options.readyBody,
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { name, url, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** PostGraphile and Node 22 in `folder`, installed once (a marker names the versions it holds). */
export async function installPostGraphile(folder: string, log: (line: string) => void): Promise<string> {
  const wanted = `postgraphile@${POSTGRAPHILE_VERSION} node@${NODE_FOR_POSTGRAPHILE}`;
  const marker = path.join(folder, ".installed");
  if ((await readFile(marker, "utf8").catch(() => "")).trim() !== wanted) {
    log(`installing ${wanted} into ${path.relative(process.cwd(), folder)}…`);
    await mkdir(folder, { recursive: true });
    // The `node` package fetches its platform binary in an install script, which npm runs only when allowed.
    await writeFile(
      path.join(folder, "package.json"),
      `${JSON.stringify({ name: "bench-postgraphile", private: true, type: "module", allowScripts: { node: true } }, null, 2)}\n`,
    );
    await runCommand("npm", ["install", "--no-audit", "--no-fund", "--save-exact", ...wanted.split(" ")], {
      cwd: folder,
    });
    await writeFile(marker, `${wanted}\n`);
  }
  await copyFile(path.join(here, "postgraphile-server.mjs"), path.join(folder, "server.mjs"));
  const node = path.join(folder, "node_modules", ".bin", "node");
  const version = (await runCommand(node, ["--version"], { cwd: folder })).trim();
  if (!version.startsWith("v22.")) throw new Error(`expected Node 22 for PostGraphile, got ${version}`);
  return node;
}

export async function startPostGraphile(folder: string, node: string, databaseUrl: string, logFile: string) {
  return startServer("PostGraphile", node, ["server.mjs"], {
    cwd: folder,
    env: { DATABASE_URL: databaseUrl, NODE_ENV: "production", GRAPHILE_ENV: "production" },
    logFile,
    port: await freePort(),
    readyBody: JSON.stringify({ query: "{ __typename }" }),
  });
}

export async function startRawSql(databaseUrl: string, partnerId: string, logFile: string) {
  return startServer("raw SQL", process.execPath, ["--import", "tsx", path.join(here, "raw-sql-server.ts")], {
    cwd: path.join(here, "..", ".."),
    env: { DATABASE_URL: databaseUrl, PARTNER_ID: partnerId },
    logFile,
    port: await freePort(),
    readyBody: "{}",
  });
}
