import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "ledger", testTimeout: 60_000, hookTimeout: 120_000 } });
