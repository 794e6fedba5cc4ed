// Once per test run, before any test file: migrate the template databases every test database is copied from, and
// bring the compiled build up to date for the tests that start processes from it (the production start, replicas).
import { prepareTestTemplates } from "../packages/db/src/testing.ts";
import { buildStalePackages } from "./compiled-build.ts";

export default async function setup(): Promise<() => Promise<void>> {
  buildStalePackages();
  return prepareTestTemplates();
}
