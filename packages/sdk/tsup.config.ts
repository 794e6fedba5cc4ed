// The SDK as partners install it: ES module and CommonJS builds with type declarations, and no runtime dependencies
// (graphql's printer and graphql-sse are bundled, their types inlined), so a tarball installs with no registry at hand.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  noExternal: [/.*/],
  target: "es2022",
  // Runs in Node and browsers; the ES module builds of graphql and graphql-sse tree-shake best.
  platform: "neutral",
  esbuildOptions(options) {
    options.mainFields = ["module", "main"];
  },
  tsconfig: "tsconfig.build.json",
  sourcemap: true,
  clean: true,
  treeshake: true,
});
