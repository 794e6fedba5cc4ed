// The SDK README's method table is the partner's reference card: every client method appears in it, and every example
// in it type-checks against the SDK as written (free variables such as `personId` declared with their obvious types).
import { rm, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";
import { createClient } from "../src/index.ts";

const sdkDir = fileURLToPath(new URL("..", import.meta.url));

interface Row {
  methods: string[];
  example: string;
}

async function methodTable(): Promise<Row[]> {
  const readme = await readFile(path.join(sdkDir, "README.md"), "utf8");
  const section = readme.split("\n## Methods\n")[1]?.split("\n## ")[0] ?? "";
  const rows: Row[] = [];
  for (const line of section.split("\n")) {
    const cells = line.split(" | ");
    if (cells.length < 2 || !line.startsWith("| `")) continue;
    const example = /`([^`]+)`/.exec(cells[1]!)?.[1];
    if (!example) continue;
    // `admin.partners.list` / `.iterate` documents both.
    const [first, ...more] = [...cells[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    const base = first!.slice(0, first!.lastIndexOf(".") + 1);
    rows.push({
      methods: [first!, ...more.map((name) => (name.startsWith(".") ? base + name.slice(1) : name))],
      example,
    });
  }
  return rows;
}

/** Every function of the client, by its path: `people.list`, `admin.apiKeys.revoke`, … */
function clientMethods(): string[] {
  const client = createClient({ url: "http://127.0.0.1:9/graphql" });
  const paths: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (typeof member === "function") paths.push(name);
      else if (member && typeof member === "object") walk(member, name);
    }
  };
  walk(client, "");
  return paths.sort();
}

it("documents every client method", async () => {
  const documented = new Set((await methodTable()).flatMap((row) => row.methods));
  expect(clientMethods().filter((method) => !documented.has(method))).toEqual([]);
  expect([...documented].filter((method) => !clientMethods().includes(method))).toEqual([]);
});

it("every example type-checks against the SDK", async () => {
  const rows = await methodTable();
  const ids = [
    "personId",
    "outcomeId",
    "organizationId",
    "survivorId",
    "mergedId",
    "otherPersonId",
    "relationshipId",
    "connectorId",
    "fromId",
    "toId",
    "earlierId",
    "introductionId",
    "partnerId",
    "apiKeyId",
    "accountId",
    "id",
  ];
  const source = [
    'import { createClient, PersonByIdDocument as MyQueryDocument } from "../src/index.ts";',
    ...ids.map((name) => `declare const ${name}: string;`),
    "declare const occurredAt: string, fromConsentedAt: string, toConsentedAt: string, csvText: string;",
    'const client = createClient({ url: "http://127.0.0.1:4000/graphql" });',
    "export async function examples(): Promise<void> {",
    ...rows.map((row) => `  {\n    ${row.example.replace(/ …$/, " {}")};\n  }`),
    "}",
    "",
  ].join("\n");
  const file = path.join(sdkDir, "test", ".readme-examples.ts");
  await writeFile(file, source);
  try {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      noUnusedLocals: false,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: [],
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    expect(problems, source).toEqual([]);
  } finally {
    await rm(file, { force: true });
  }
}, 120_000);
