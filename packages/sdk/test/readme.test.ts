// The SDK as a partner gets it: `pnpm sdk:pack` builds the tarball and the reference, the API serves them at /sdk/,
// npm installs the tarball from that URL into an empty CommonJS project and an empty ES module project (with no
// registry reachable: the package must need nothing else), and the README's first script runs in both against a
// seeded demo database, as it would against `npm start`. Its types compile in both module systems, and with the server
// stopped it fails with NETWORK.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@intrograph/db/testing";
import { loadDemoData } from "@intrograph/db/seed";
import { issueApiKey } from "../../../apps/api/src/modules/access/api-keys.ts";
import { sdkTarballName } from "../../../apps/api/src/sdk-download.ts";
import { rebuildCredit } from "@intrograph/ledger";
import { startTestServer, type TestServer } from "./server.ts";

const run = promisify(execFile);
const sdkDir = fileURLToPath(new URL("..", import.meta.url));
const rootDir = path.resolve(sdkDir, "../..");
const tsc = path.join(rootDir, "node_modules/typescript/bin/tsc");

const REQUIRE_LINE = 'const { createClient, IntrographError } = require("@intrograph/sdk");';

export async function firstScript(): Promise<string> {
  const readme = await readFile(path.join(sdkDir, "README.md"), "utf8");
  const section = readme.split("## A partner's first script")[1]?.split("\n## ")[0] ?? "";
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("README.md has no js block under 'A partner's first script'");
  if (!section.includes(REQUIRE_LINE)) throw new Error("README.md no longer says how to require the SDK");
  return code;
}

/** The script as the README says to write it in each kind of project. */
async function scriptFor(kind: "commonjs" | "module"): Promise<string> {
  const code = await firstScript();
  if (kind === "module") return code;
  const [importLine, ...rest] = code.split("\n");
  expect(importLine).toMatch(/^import \{ createClient, IntrographError \} from "@intrograph\/sdk";$/);
  return [REQUIRE_LINE, ...rest].join("\n");
}

describe("the packed SDK, installed from the API's URL", () => {
  let server: TestServer;
  let partnerKey: string;
  let workDir: string;
  const projects: Record<"commonjs" | "module", string> = { commonjs: "", module: "" };

  beforeAll(async () => {
    await run(process.execPath, [path.join(rootDir, ".config/pnpm.mjs"), "sdk:pack"], {
      cwd: rootDir,
      timeout: 240_000,
    });
    const database = await createTestDatabase("pglite");
    // What `npm start` does on a fresh embedded database, at a smaller scale.
    await loadDemoData(database.prisma, { scale: 0.1 });
    await rebuildCredit(database.prisma);
    const partner = await database.prisma.partner.findFirstOrThrow({ orderBy: { slug: "asc" } });
    partnerKey = (
      await issueApiKey(database.prisma, { name: `demo ${partner.name}`, scopes: ["partner"], partnerId: partner.id })
    ).key;
    server = await startTestServer("pglite", { database });
    workDir = await mkdtemp(path.join(tmpdir(), "intrograph-sdk-install-"));
  });
  let serverStopped = false;
  afterAll(async () => {
    if (!serverStopped) await server?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const origin = () => new URL(server.url).origin;

  it("the API tells where the SDK of its version is, and serves it", async () => {
    const page = await (await fetch(`${origin()}/sdk/`)).text();
    const tarballUrl = `${origin()}/sdk/${sdkTarballName()}`;
    expect(page).toContain(`npm install ${tarballUrl}`);
    const tarball = await fetch(tarballUrl);
    expect(tarball.status).toBe(200);
    expect(tarball.headers.get("content-type")).toBe("application/gzip");
    expect((await tarball.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    expect((await fetch(`${origin()}/sdk/intrograph-sdk-0.0.0.tgz`)).status).toBe(404);
    expect(await (await fetch(`${origin()}/sdk/README.md`)).text()).toContain("## A partner's first script");
  });

  it("the API serves the SDK's generated reference", async () => {
    const index = await fetch(`${origin()}/sdk/reference/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/text\/html/);
    const html = await index.text();
    expect(html).toContain("createClient");
    expect(html).toContain("IntrographError");
    const createClientPage = await fetch(`${origin()}/sdk/reference/functions/createClient.html`);
    expect(createClientPage.status).toBe(200);
    expect(await createClientPage.text()).toContain("leaderboard");
    expect((await fetch(`${origin()}/sdk/reference/%2e%2e/package.json`)).status).toBe(404);
  });

  it("both READMEs give the install line of the current version", async () => {
    const line = `npm install http://127.0.0.1:4000/sdk/${sdkTarballName()}`;
    expect(await readFile(path.join(sdkDir, "README.md"), "utf8")).toContain(line);
    expect(await readFile(path.join(rootDir, "README.md"), "utf8")).toContain(line);
  });

  for (const kind of ["commonjs", "module"] as const) {
    it(`installs into an empty ${kind} project and runs the README's first script there`, async () => {
      const dir = path.join(workDir, kind);
      projects[kind] = dir;
      await mkdir(dir);
      await writeFile(
        path.join(dir, "package.json"),
        `${JSON.stringify({ name: `partner-${kind}`, version: "1.0.0", private: true, type: kind }, null, 2)}\n`,
      );
      // No registry: anything the tarball needed from npm would fail the install.
      await run(
        "npm",
        [
          "install",
          `${origin()}/sdk/${sdkTarballName()}`,
          "--registry=http://127.0.0.1:9/",
          `--cache=${path.join(workDir, `npm-cache-${kind}`)}`,
          "--no-audit",
          "--no-fund",
          "--loglevel=error",
        ],
        { cwd: dir, timeout: 120_000 },
      );
      expect(existsSync(path.join(dir, "node_modules/@intrograph/sdk/dist/index.cjs"))).toBe(true);
      const installed = JSON.parse(await readFile(path.join(dir, "node_modules/@intrograph/sdk/package.json"), "utf8"));
      expect(installed.dependencies ?? {}).toEqual({});

      const introductionsBefore = await server.database.prisma.introduction.count();
      await writeFile(path.join(dir, "partner.js"), await scriptFor(kind));
      const { stdout, stderr } = await run(process.execPath, ["partner.js"], {
        cwd: dir,
        env: { ...process.env, INTROGRAPH_URL: server.url, INTROGRAPH_API_KEY: partnerKey },
        timeout: 60_000,
      });
      expect(stderr).toBe("");
      expect(stdout).toMatch(/^#1 .+: \d+(\.\d+)? USD$/m);
      expect(stdout).toMatch(/^#3 /m);
      expect(stdout).toMatch(/^warmest path: .+ → .+/m);
      expect(stdout).toMatch(/^recorded introduction \S+$/m);
      expect(await server.database.prisma.introduction.count()).toBe(introductionsBefore + 1);
    });
  }

  it("types the installed package under CommonJS and ES module resolution", async () => {
    const check = [
      'import { createClient, IntrographError, type ConnectorLeaderboardQuery } from "@intrograph/sdk";',
      'const client = createClient({ url: "http://127.0.0.1:4000/graphql" });',
      "export const board: Promise<ConnectorLeaderboardQuery['connectorLeaderboard']> = client.leaderboard.list();",
      "export const code = (error: unknown) => (error instanceof IntrographError ? error.code : null);",
      "",
    ].join("\n");
    const mistyped = "// @ts-expect-error: a mistyped input is caught\nclient.people.create({ name: 'x' });\n";
    for (const kind of ["commonjs", "module"] as const) {
      const file = path.join(projects[kind], kind === "module" ? "check.mts" : "check.cts");
      await writeFile(file, check + mistyped);
      await run(
        process.execPath,
        [
          tsc,
          "--noEmit",
          "--strict",
          "--module",
          "nodenext",
          "--moduleResolution",
          "nodenext",
          "--lib",
          "es2022,dom",
          file,
        ],
        { cwd: projects[kind], timeout: 120_000 },
      ).catch((error: { stdout?: string }) => {
        throw new Error(`tsc failed for the ${kind} project:\n${error.stdout}`);
      });
    }
  });

  it("with the server stopped, the installed package fails with IntrographError code NETWORK", async () => {
    const url = server.url;
    await server.close();
    serverStopped = true;
    const probe = [
      REQUIRE_LINE,
      `createClient({ url: ${JSON.stringify(url)}, retries: 1, maxRetryDelayMs: 10 }).people.list().then(`,
      '  () => console.log("answered"),',
      "  (error) => console.log(error instanceof IntrographError ? error.code : String(error)),",
      ");",
    ].join("\n");
    const { stdout } = await run(process.execPath, ["-e", probe], { cwd: projects.commonjs, timeout: 30_000 });
    expect(stdout.trim()).toBe("NETWORK");
  });
});
