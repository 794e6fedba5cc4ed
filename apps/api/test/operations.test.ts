import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { MAX_REQUEST_BYTES } from "../src/observability.ts";
import { createApi } from "../src/server.ts";

describe("operations endpoints", () => {
  let database: TestDatabase;
  let yoga: ReturnType<typeof createApi>["yoga"];
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    yoga = createApi({ database, rateLimit: false }).yoga;
    key = (await issueApiKey(database.prisma, { name: "ops test", scopes: ["admin"] })).key;
  });
  afterAll(() => database.drop());

  const post = (body: string) =>
    yoga.fetch("http://intrograph.test/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${key}`,
        "content-length": String(body.length),
      },
      body,
    });

  it("answers liveness and readiness", async () => {
    expect((await yoga.fetch("http://intrograph.test/healthz")).status).toBe(200);
    // Ready once the graph snapshot is built, moments after the first probe starts it.
    const deadline = Date.now() + 30_000;
    let readiness = await yoga.fetch("http://intrograph.test/readyz");
    while (readiness.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      readiness = await yoga.fetch("http://intrograph.test/readyz");
    }
    expect(readiness.status).toBe(200);
  });

  it("exposes Prometheus metrics that count GraphQL requests", async () => {
    expect((await post(JSON.stringify({ query: "{ people(first: 1) { totalCount } }" }))).status).toBe(200);
    const metrics = await (await yoga.fetch("http://intrograph.test/metrics")).text();
    expect(metrics).toMatch(/graphql_envelop_request_duration_count\{[^}]*operationType="query"[^}]*\} [1-9]/);
    expect(metrics).toContain("process_cpu_seconds_total");
  });

  it("refuses a body over the cap with 413 before reading it", async () => {
    const response = await post(JSON.stringify({ query: `{ __typename }`, padding: "x".repeat(MAX_REQUEST_BYTES) }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      "PAYLOAD_TOO_LARGE",
    );
  });
});
