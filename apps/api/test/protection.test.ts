// Protection over real HTTP: per-key and per-IP rate limits (429 + Retry-After), depth/complexity/alias/token limits,
// CSRF prevention (GraphiQL still served), and the graphql-http conformance audit.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse, validate } from "graphql";
import { auditServer } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { graphiqlExample } from "../src/graphiql-example.ts";
import { schema } from "../src/schema.ts";
import { createApi, CSRF_HEADER, MAX_ALIASES } from "../src/server.ts";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

describe("protection", () => {
  let database: TestDatabase;
  let server: Server;
  let url: string;
  let adminKey: string;
  let limitedKey: string;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    const { yoga } = createApi({ database, rateLimit: { keyPoints: 40, anonymousPoints: 100, windowSeconds: 60 } });
    server = createServer(yoga);
    url = await listen(server);
    adminKey = (await issueApiKey(database.prisma, { name: "admin", scopes: ["admin"] })).key;
    limitedKey = (await issueApiKey(database.prisma, { name: "limited", scopes: ["admin"] })).key;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database.drop();
  });

  const post = (query: string, key: string | null = adminKey, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: JSON.stringify({ query }),
    });

  describe("query limits", () => {
    it("refuses a too-deep query with a clear message", async () => {
      let nested = "id";
      for (let level = 0; level < 8; level++)
        nested = `relationships(first: 1) { edges { node { otherPerson { ${nested} } } } }`;
      const response = await post(`{ people(first: 1) { edges { node { ${nested} } } } }`);
      const body = (await response.json()) as { errors?: { message: string }[] };
      expect(body.errors?.[0]?.message).toMatch(/depth/i);
    });

    it("refuses a too-costly query with a clear message", async () => {
      const page = (inner: string) => `relationships(first: 100) { edges { node { otherPerson { ${inner} } } } }`;
      const response = await post(`{ people(first: 100) { edges { node { ${page(page("displayName"))} } } } }`);
      const body = (await response.json()) as { errors?: { message: string }[] };
      expect(body.errors?.[0]?.message).toMatch(/complexity/i);
    });

    it("refuses too many aliases and too many tokens", async () => {
      const aliases = Array.from(
        { length: MAX_ALIASES + 1 },
        (_, index) => `a${index}: people(first: 1) { totalCount }`,
      ).join(" ");
      const aliased = (await (await post(`{ ${aliases} }`)).json()) as { errors?: { message: string }[] };
      expect(aliased.errors?.[0]?.message).toMatch(/aliases/i);
      const long = (await (await post(`{ ${"__typename ".repeat(6_000)} }`)).json()) as {
        errors?: { message: string }[];
      };
      expect(long.errors?.[0]?.message).toMatch(/token/i);
    });
  });

  describe("CSRF prevention", () => {
    it("refuses a GET or a form-encoded POST without the CSRF header, and accepts them with it", async () => {
      const get = `${url}?query=${encodeURIComponent("{ __typename }")}`;
      expect((await fetch(get)).status).toBe(403);
      expect((await fetch(get, { headers: { [CSRF_HEADER]: "1" } })).status).toBe(200);
      const form = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `query=${encodeURIComponent("{ __typename }")}`,
      });
      expect(form.status).toBe(403);
    });

    it("still serves GraphiQL to a browser", async () => {
      const page = await fetch(url, { headers: { accept: "text/html" } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/GraphiQL/);
    });

    it("serves GraphiQL's page and assets itself: nothing loads from another host", async () => {
      const html = await (await fetch(url, { headers: { accept: "text/html" } })).text();
      const references = [...html.matchAll(/(?:src|href)="([^"]+)"|"(\/graphiql\/[^"]+)"/g)].map(
        (match) => match[1] ?? match[2]!,
      );
      expect(references.length).toBe(6);
      expect(references.every((reference) => reference.startsWith("/graphiql/"))).toBe(true);
      expect(html).not.toMatch(/https?:\/\//);
      for (const reference of references) {
        const asset = await fetch(new URL(reference, url), { headers: { "accept-encoding": "gzip" } });
        expect(asset.status, reference).toBe(200);
        expect(asset.headers.get("cache-control")).toMatch(/immutable/);
        expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1_000);
      }
      expect((await fetch(new URL("/graphiql/0/nothing.js", url))).status).toBe(404);
    });

    it("opens GraphiQL on an example that is valid against the schema", () => {
      expect(validate(schema, parse(graphiqlExample)).map((error) => error.message)).toEqual([]);
    });
  });

  describe("rate limits", () => {
    it("answers 429 with Retry-After once a key has used its budget", async () => {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let request = 0; request < 45; request++) {
        const response = await post(`{ __typename }`, limitedKey);
        statuses.push(response.status);
        if (response.status === 429) limited ??= response;
        else await response.body?.cancel();
      }
      expect(statuses.slice(0, 40).every((status) => status === 200)).toBe(true);
      expect(statuses.slice(40).every((status) => status === 429)).toBe(true);
      expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = (await limited!.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe("RATE_LIMITED");
      // Other keys have their own budget.
      expect((await post(`{ __typename }`)).status).toBe(200);
    });

    // Behind a load balancer every request comes from the balancer: its X-Forwarded-For names the client, but only a
    // trusted proxy's is believed, or anyone could dodge the limit by inventing addresses.
    it.each([
      { trusted: true, statuses: [200, 200, 429, 200] },
      { trusted: false, statuses: [200, 200, 429, 429] },
    ])("counts anonymous clients by X-Forwarded-For from trusted proxies only (trusted: $trusted)", async (setup) => {
      const { yoga, graph } = createApi({
        database,
        rateLimit: {
          keyPoints: 40,
          anonymousPoints: 2,
          windowSeconds: 60,
          ...(setup.trusted ? { trustedProxies: ["loopback"] } : {}),
        },
      });
      const balanced = createServer(yoga);
      const balancedUrl = await listen(balanced);
      const from = (client: string) =>
        fetch(balancedUrl, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": client },
          body: JSON.stringify({ query: "{ __typename }" }),
        }).then((response) => response.status);
      const statuses = [];
      for (const client of ["203.0.113.5", "203.0.113.5", "203.0.113.5", "203.0.113.6"])
        statuses.push(await from(client));
      expect(statuses).toEqual(setup.statuses);
      await new Promise((resolve) => balanced.close(resolve));
      await graph.stop();
    });
  });

  it("passes every MUST of the graphql-http conformance audit", async () => {
    const results = await auditServer({ url, fetchFn: fetch });
    const failedMusts = results.filter((result) => result.status !== "ok" && result.name.startsWith("MUST"));
    expect(failedMusts.map((result) => `${result.name}: ${"reason" in result ? result.reason : ""}`)).toEqual([]);
    expect(results.filter((result) => result.name.startsWith("MUST")).length).toBeGreaterThan(10);
  });
});
