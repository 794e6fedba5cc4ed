// The committed generated SDK code must be what codegen produces now from schema.graphql and the operations.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type DocumentNode, print } from "graphql";
import { expect, it } from "vitest";
import { generatedFile, generatePersistedOperations, generateSdkSource, persistedOperationsFile } from "../codegen.ts";
import * as generated from "../src/generated/graphql.ts";

it("src/generated/graphql.ts is up to date (run `pnpm generate` when this fails)", async () => {
  expect(await readFile(generatedFile, "utf8")).toBe(await generateSdkSource());
});

it("src/generated/persisted-operations.json is up to date (run `pnpm generate` when this fails)", async () => {
  expect(await readFile(persistedOperationsFile, "utf8")).toBe(await generatePersistedOperations());
});

it("persisted-operations.json holds exactly the generated documents, keyed by the sha256 of their printed text", async () => {
  const manifest = JSON.parse(await readFile(persistedOperationsFile, "utf8")) as Record<string, string>;
  const documents = Object.entries(generated)
    .filter(([name]) => name.endsWith("Document"))
    .map(([, document]) => print(document as DocumentNode));
  expect(documents.length).toBeGreaterThan(0);
  const byHash = Object.fromEntries(documents.map((text) => [createHash("sha256").update(text).digest("hex"), text]));
  expect(manifest).toEqual(byHash);
});
