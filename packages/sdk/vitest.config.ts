import { createRequire } from "node:module";
import { defineProject } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineProject({
  // One graphql instance for everything (the API under test and the SDK): otherwise the ESM and CJS builds both load
  // and `instanceof GraphQLError` fails across them, which makes Yoga mask expected errors.
  resolve: { alias: { graphql: require.resolve("graphql/index.js") } },
  test: { name: "sdk", testTimeout: 60_000, hookTimeout: 180_000 },
});
