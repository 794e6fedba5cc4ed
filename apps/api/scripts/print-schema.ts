// Prints the schema built from the code to apps/api/schema.graphql (committed; a test fails when it drifts).
import { writeFile } from "node:fs/promises";
import { printSchema } from "graphql";
import { schema } from "../src/schema.ts";

export const schemaFile = new URL("../schema.graphql", import.meta.url);
await writeFile(schemaFile, `${printSchema(schema)}\n`);
console.log("wrote apps/api/schema.graphql");
