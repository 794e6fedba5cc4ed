// The README's first script, run as written (only the package name mapped to the sources) against a seeded demo
// database served over HTTP with a partner key, as a partner would run it against `npm start`.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase } from "@intrograph/db/testing";
import { loadDemoData } from "@intrograph/db/seed";
import { issueApiKey } from "../../../apps/api/src/modules/access/api-keys.ts";
import { rebuildCredit } from "@intrograph/ledger";
import { startTestServer, type TestServer } from "./server.ts";

const sdkDir = fileURLToPath(new URL("..", import.meta.url));

export async function firstScript(): Promise<string> {
  const readme = await readFile(path.join(sdkDir, "README.md"), "utf8");
  const section = readme.split("## A partner's first script")[1] ?? "";
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("README.md has no ts block under 'A partner's first script'");
  return code;
}

let server: TestServer;
let partnerKey: string;

beforeAll(async () => {
  const database = await createTestDatabase("pglite");
  // What `npm start` does on a fresh embedded database, at a smaller scale.
  await loadDemoData(database.prisma, { scale: 0.1 });
  await rebuildCredit(database.prisma);
  const partner = await database.prisma.partner.findFirstOrThrow({ orderBy: { slug: "asc" } });
  partnerKey = (
    await issueApiKey(database.prisma, { name: `demo ${partner.name}`, scopes: ["partner"], partnerId: partner.id })
  ).key;
  server = await startTestServer("pglite", { database });
});
afterAll(() => server.close());

it("the first script is under 20 lines of code", async () => {
  const lines = (await firstScript()).split("\n").filter((line) => line.trim() && !line.trim().startsWith("//"));
  expect(lines.length).toBeLessThan(20);
});

it("the first script runs as written and prints a connector's credit and a warm-intro path", async () => {
  const code = (await firstScript()).replace(
    '"@intrograph/sdk"',
    JSON.stringify(pathToFileURL(path.join(sdkDir, "src/index.ts")).href),
  );
  const dir = await mkdtemp(path.join(tmpdir(), "intrograph-readme-"));
  try {
    // .mts: an ES module wherever it lies, as a partner's script in a "type": "module" project is.
    const file = path.join(dir, "first.mts");
    await writeFile(file, code);
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", file], {
      cwd: sdkDir,
      env: { ...process.env, INTROGRAPH_URL: server.url, INTROGRAPH_API_KEY: partnerKey },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/ earned \d+(\.\d+)? USD/);
    expect(stdout).toMatch(/warmest path: .+ → .+/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
