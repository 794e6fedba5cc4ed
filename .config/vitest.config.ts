import { fileURLToPath } from "node:url";
import type { Reporter, TestModule } from "vitest/node";
import { defineConfig } from "vitest/config";

// Ends the run with a plain "N passed, N failed, N skipped" line after vitest's own summary, so any tool reading the
// last line of the output can tell the result without knowing vitest's format.
const plainSummary: Reporter = {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const testModule of testModules) {
      if (testModule.state() === "failed" && [...testModule.children.allTests()].length === 0) counts.failed += 1;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed += 1;
        else if (state === "failed") counts.failed += 1;
        else counts.skipped += 1;
      }
    }
    if (unhandledErrors.length > 0) counts.failed += unhandledErrors.length;
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  },
};

// One run over every workspace project, so the whole suite ends with a single summary.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    projects: ["packages/*", "apps/*"],
    globalSetup: [".config/vitest.global-setup.ts"],
    reporters: ["default", plainSummary],
  },
});
