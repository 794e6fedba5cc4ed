import { readFile } from "node:fs/promises";
import { printSchema } from "graphql";
import { expect, it } from "vitest";
import { schema } from "../src/schema.ts";

it("apps/api/schema.graphql matches the schema built from the code (run `pnpm generate` when this fails)", async () => {
  const committed = await readFile(new URL("../schema.graphql", import.meta.url), "utf8");
  expect(committed).toBe(`${printSchema(schema)}\n`);
});
