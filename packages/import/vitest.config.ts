import { defineProject } from "vitest/config";

// Real child processes killed mid-run and real job runners: a loaded 2-core machine needs minutes, not seconds.
export default defineProject({ test: { name: "import", testTimeout: 240_000, hookTimeout: 240_000 } });
