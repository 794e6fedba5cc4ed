import { createRequire } from "node:module";
import { defineProject } from "vitest/config";

// The tests run the real API in-process; like the API's own tests, they need one graphql instance for everything
// (ESM and CJS builds loaded together break `instanceof GraphQLError`, which makes Yoga mask expected errors).
const requireFromApi = createRequire(new URL("../api/package.json", import.meta.url));

// Browser tests: a real API on a fresh database, the built app, and Chromium driven by playwright-core.
export default defineProject({
  resolve: { alias: { graphql: requireFromApi.resolve("graphql/index.js") } },
  test: {
    name: "admin",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
