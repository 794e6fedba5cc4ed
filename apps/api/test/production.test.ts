// The production profile: no schema hints, no parser internals, CORS for listed origins only, /metrics behind its
// token; and the query limits that hold in every profile (aliases of __typename, directives).
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SecurityProfile } from "../src/production.ts";
import { createApi, MAX_ALIASES, MAX_DIRECTIVES } from "../src/server.ts";

const PARTNER_ORIGIN = "https://partner.example";

describe("the API's security profiles", () => {
  let database: TestDatabase;
  const apis: Record<string, ReturnType<typeof createApi>["yoga"]> = {};
  const profiles: Record<string, SecurityProfile> = {
    production: { production: true, corsOrigins: [PARTNER_ORIGIN], metricsToken: "metrics-secret" },
    productionNoToken: { production: true, corsOrigins: null, metricsToken: null },
    development: { production: false, corsOrigins: null, metricsToken: null },
  };

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    for (const [name, security] of Object.entries(profiles))
      apis[name] = createApi({ database, security, rateLimit: false }).yoga;
  });
  afterAll(() => database?.drop());

  const post = (api: string, body: string, headers: Record<string, string> = {}) =>
    apis[api]!.fetch("http://intrograph.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  it("gives no field suggestions in production, and does in development", async () => {
    const query = JSON.stringify({ query: "{ peple { id } }" });
    const production = await (await post("production", query)).text();
    expect(production).toContain("peple");
    expect(production).not.toContain("people");
    expect(await (await post("development", query)).text()).toContain('Did you mean \\"people\\"');
  });

  it("answers bad JSON without the parser's own message in production", async () => {
    const response = await post("production", '{"query": "{ __typename }"');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(body)).not.toMatch(/originalError|SyntaxError|position/);
  });

  it("allows listed origins only, never with credentials", async () => {
    const query = JSON.stringify({ query: "{ __typename }" });
    const evil = await post("production", query, { origin: "https://evil.example" });
    expect(evil.headers.get("access-control-allow-origin")).not.toBe("https://evil.example");
    expect(evil.headers.get("access-control-allow-credentials")).toBeNull();
    const partner = await post("production", query, { origin: PARTNER_ORIGIN });
    expect(partner.headers.get("access-control-allow-origin")).toBe(PARTNER_ORIGIN);
    expect(partner.headers.get("access-control-allow-credentials")).toBeNull();
    const closed = await post("productionNoToken", query, { origin: PARTNER_ORIGIN });
    expect(closed.headers.get("access-control-allow-origin")).toBeNull();
    const development = await post("development", query, { origin: "https://evil.example" });
    expect(development.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("serves /metrics with its token only, and not at all in production without one", async () => {
    const metrics = (api: string, headers: Record<string, string> = {}) =>
      apis[api]!.fetch("http://intrograph.test/metrics", { headers });
    const missing = await metrics("production");
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      "UNAUTHENTICATED",
    );
    expect((await metrics("production", { authorization: "Bearer wrong" })).status).toBe(401);
    const allowed = await metrics("production", { authorization: "Bearer metrics-secret" });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("process_cpu");
    expect((await metrics("productionNoToken")).status).toBe(403);
    expect((await metrics("development")).status).toBe(200);
  });

  it("counts aliases of __typename and caps directives, in every profile", async () => {
    const aliases = Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `a${i}: __typename`).join(" ");
    const aliased = await (await post("development", JSON.stringify({ query: `{ ${aliases} }` }))).json();
    expect(JSON.stringify(aliased)).toMatch(/[Aa]liases limit/);
    expect(JSON.stringify(aliased)).not.toContain('"a0"');
    const directives = Array.from({ length: 50 }, (_, i) => `@unknown${i}`).join(" ");
    const directed = (await (
      await post("development", JSON.stringify({ query: `{ __typename ${directives} }` }))
    ).json()) as { errors: { message: string }[] };
    expect(directed.errors).toHaveLength(1);
    expect(directed.errors[0]!.message).toMatch(/[Dd]irectives limit/);
    expect(MAX_DIRECTIVES).toBeLessThan(50);
  });
});
