import { readdir, readFile } from "node:fs/promises";
import { printSchema } from "graphql";
import { expect, it } from "vitest";
import { generatedDir, generateTestDocuments } from "../scripts/codegen-tests.ts";
import { schema } from "../src/schema.ts";

it("apps/api/schema.graphql matches the schema built from the code (run `pnpm generate` when this fails)", async () => {
  const committed = await readFile(new URL("../schema.graphql", import.meta.url), "utf8");
  expect(committed).toBe(`${printSchema(schema)}\n`);
});

it("apps/api/test/generated/ matches the tests' documents (run `pnpm generate` when this fails)", async () => {
  const names = (await readdir(generatedDir)).sort();
  const committed = await Promise.all(
    names.map(async (name) => [name, await readFile(new URL(name, generatedDir), "utf8")]),
  );
  expect(Object.fromEntries(committed)).toEqual(Object.fromEntries(await generateTestDocuments()));
});
