// Persisted operations over real HTTP: SDK operations by hash (Apollo's extension or `documentId`), unknown hashes, and
// INTROGRAPH_PARTNERS_PERSISTED_ONLY — partners refused ad-hoc documents, admins and anonymous callers not.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { loadPersistedOperations, partnersPersistedOnlyFromEnv } from "../src/persisted-operations.ts";
import { createApi } from "../src/server.ts";

const operations = loadPersistedOperations();

/** The hash and text of the SDK operation called `name`. */
function persisted(name: string): { hash: string; text: string } {
  for (const [hash, text] of operations)
    if (new RegExp(`^(query|mutation|subscription) ${name}\\b`).test(text)) return { hash, text };
  throw new Error(`no persisted operation ${name}`);
}

/** A response body; `Data` is the shape of what the test reads from the operation it sent by hash or as text. */
interface Body<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

interface PeopleData {
  people: { totalCount: number; edges: { node: { displayName: string } }[] };
}

async function startServer(
  database: TestDatabase,
  partnersPersistedOnly: boolean,
): Promise<{ server: Server; url: string }> {
  const { yoga } = createApi({ database, rateLimit: false, partnersPersistedOnly });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

async function post<Data = unknown>(
  url: string,
  key: string | null,
  body: Record<string, unknown>,
): Promise<Body<Data> & { status: number }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as Body<Data>) };
}

const byHash = (name: string, variables: Record<string, unknown> = {}) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: persisted(name).hash } },
});

const AD_HOC_PEOPLE = `{ people(first: 5) { totalCount } }`;

describe("persisted operations", () => {
  let database: TestDatabase;
  const servers: Server[] = [];
  let open = "";
  let strict = "";
  let adminKey = "";
  let partnerKey = "";

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    adminKey = (await issueApiKey(database.prisma, { name: "admin", scopes: ["admin"] })).key;
    for (const [partnersOnly, assign] of [
      [false, (url: string) => (open = url)],
      [true, (url: string) => (strict = url)],
    ] as const) {
      const { server, url } = await startServer(database, partnersOnly);
      servers.push(server);
      assign(url);
    }
    // The partner and its key are made with persisted operations too.
    const partner = await post<{ createPartner: { __typename: string; partner: { id: string } } }>(
      open,
      adminKey,
      byHash("CreatePartner", { input: { name: "Acme CRM", slug: "acme-crm" } }),
    );
    expect(partner.data?.createPartner.__typename, JSON.stringify(partner)).toBe("CreatePartnerSuccess");
    const issued = await post<{ createApiKey: { __typename: string; key: string } }>(open, adminKey, {
      ...byHash("CreateApiKey", {
        input: { name: "acme", scope: "PARTNER", partnerId: partner.data?.createPartner.partner.id },
      }),
    });
    expect(issued.data?.createApiKey.__typename, JSON.stringify(issued)).toBe("IssuedApiKey");
    partnerKey = issued.data?.createApiKey.key as string;
    await post(open, adminKey, byHash("CreatePerson", { input: { displayName: "Ada Lovelace" } }));
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await database.drop();
  });

  it("runs an SDK operation by its sha256 hash, as Apollo's extension or as documentId", async () => {
    const viaExtension = await post<PeopleData>(open, partnerKey, byHash("SearchPeople", { first: 10 }));
    expect(viaExtension.status).toBe(200);
    expect(viaExtension.errors).toBeUndefined();
    expect(viaExtension.data?.people.edges.map((edge) => edge.node.displayName)).toEqual(["Ada Lovelace"]);
    const viaDocumentId = await post(open, partnerKey, {
      documentId: persisted("SearchPeople").hash,
      variables: { first: 10 },
    });
    expect(viaDocumentId.data).toEqual(viaExtension.data);
  });

  it("answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, and a request with neither document nor hash clearly", async () => {
    const unknown = await post(open, partnerKey, {
      extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
    });
    expect(unknown.data ?? null).toBeNull();
    expect(unknown.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(unknown.errors?.[0]?.message).toMatch(/^PersistedQueryNotFound: no persisted operation has this hash/);
    const empty = await post(open, partnerKey, { variables: {} });
    expect(empty.status).toBe(400);
    expect(empty.errors?.[0]?.message).toMatch(/Must provide a query string, or a persisted operation's hash/);
  });

  it("still lets partners send any document by default", async () => {
    const adHoc = await post<PeopleData>(open, partnerKey, { query: AD_HOC_PEOPLE });
    expect(adHoc.errors).toBeUndefined();
    expect(adHoc.data?.people.totalCount).toBe(1);
  });

  describe("with INTROGRAPH_PARTNERS_PERSISTED_ONLY", () => {
    it("is read from the environment", () => {
      expect(partnersPersistedOnlyFromEnv({ INTROGRAPH_PARTNERS_PERSISTED_ONLY: "1" })).toBe(true);
      expect(partnersPersistedOnlyFromEnv({ INTROGRAPH_PARTNERS_PERSISTED_ONLY: "true" })).toBe(true);
      expect(partnersPersistedOnlyFromEnv({})).toBe(false);
    });

    it("refuses a partner's ad-hoc document with PERSISTED_QUERY_ONLY", async () => {
      const refused = await post(strict, partnerKey, { query: AD_HOC_PEOPLE });
      expect(refused.status).toBe(400);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_ONLY");
      expect(refused.errors?.[0]?.message).toMatch(/partner keys may run only persisted operations/);
    });

    it("runs the partner's operation by hash, or as the exact text of a persisted operation", async () => {
      const viaHash = await post<PeopleData>(strict, partnerKey, byHash("SearchPeople", { first: 10 }));
      expect(viaHash.errors).toBeUndefined();
      expect(viaHash.data?.people.totalCount).toBe(1);
      const viaText = await post(strict, partnerKey, {
        query: persisted("SearchPeople").text,
        variables: { first: 10 },
      });
      expect(viaText.data).toEqual(viaHash.data);
    });

    it("lets admins and anonymous callers (GraphiQL) send any document", async () => {
      const admin = await post<PeopleData>(strict, adminKey, { query: AD_HOC_PEOPLE });
      expect(admin.errors).toBeUndefined();
      expect(admin.data?.people.totalCount).toBe(1);
      const anonymous = await post<{ __schema: { queryType: { name: string } } }>(strict, null, {
        query: `{ __schema { queryType { name } } }`,
      });
      expect(anonymous.data?.__schema.queryType.name).toBe("Query");
    });

    it("still reports a wrong key as UNAUTHENTICATED", async () => {
      const wrong = await post(strict, "ig_nope_nope", { query: AD_HOC_PEOPLE });
      expect(wrong.status).toBe(401);
      expect(wrong.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    });
  });
});
