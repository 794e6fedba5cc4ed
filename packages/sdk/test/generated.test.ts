// The committed generated SDK code must be what codegen produces now from schema.graphql and the operations.
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { generatedFile, generateSdkSource } from "../codegen.ts";

it("src/generated/graphql.ts is up to date (run `pnpm generate` when this fails)", async () => {
  expect(await readFile(generatedFile, "utf8")).toBe(await generateSdkSource());
});
