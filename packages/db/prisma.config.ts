import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// The Prisma CLI looks for its native schema engine before every command, `generate` included, and would try to
// download it. We never run it (migrations go through the wasm engine, see src/engine-diff.ts), so point the CLI at a
// stub unless someone has a real engine configured.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL("./scripts/no-schema-engine.sh", import.meta.url));

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
