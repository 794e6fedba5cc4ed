// Once per test run, before any test file: migrate the template databases every test database is copied from.
import { prepareTestTemplates } from "../packages/db/src/testing.ts";

export default async function setup(): Promise<() => Promise<void>> {
  return prepareTestTemplates();
}
