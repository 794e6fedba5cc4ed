// Persisted operations from the client's side: SDK methods send the document's hash, documents the API does not know
// fall back to their text, `persisted: false` always sends text, and a persisted-only API still serves partners.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse, print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { persistedOperationsFile } from "../codegen.ts";
import { createClient, IntrographError, SearchPeopleDocument } from "../src/index.ts";
import { startTestServer, type TestServer } from "./server.ts";

const PEOPLE_COUNT = parse(`query PeopleCount { people(first: 1) { totalCount } }`) as TypedDocumentNode<
  { people: { totalCount: number } | null },
  Record<string, never>
>;

interface SentBody {
  query?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
}

/** A fetch that records the JSON bodies it sends. */
function recordingFetch(sent: SentBody[]): typeof fetch {
  return (input, init) => {
    if (typeof init?.body === "string") sent.push(JSON.parse(init.body) as SentBody);
    return fetch(input, init);
  };
}

describe.each([false, true])("SDK persisted operations (partners persisted-only: %s)", (partnersPersistedOnly) => {
  let server: TestServer;
  let partnerKey = "";
  let manifest: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer("pglite", { partnersPersistedOnly });
    manifest = JSON.parse(await readFile(persistedOperationsFile, "utf8")) as Record<string, string>;
    const admin = createClient({ url: server.url, apiKey: server.adminKey });
    const partner = await admin.admin.partners.create({ name: "Acme CRM", slug: "acme-crm" });
    if (partner.__typename !== "CreatePartnerSuccess") throw new Error(JSON.stringify(partner));
    const issued = await admin.admin.apiKeys.create({ name: "acme", scope: "PARTNER", partnerId: partner.partner.id });
    if (issued.__typename !== "IssuedApiKey" || !issued.key) throw new Error(JSON.stringify(issued));
    partnerKey = issued.key;
  });
  afterAll(() => server.close());

  it("sends SDK operations as the hash of their text, which the API runs", async () => {
    const sent: SentBody[] = [];
    const partner = createClient({ url: server.url, apiKey: partnerKey, fetch: recordingFetch(sent) });
    const created = await partner.people.create({ displayName: "Ada Lovelace" });
    expect(created.__typename).toBe("CreatePersonSuccess");
    expect((await partner.people.list())?.edges.map((edge) => edge.node?.displayName)).toEqual(["Ada Lovelace"]);
    expect(sent).toHaveLength(2);
    for (const body of sent) {
      expect(body.query).toBeUndefined();
      expect(manifest[body.extensions?.persistedQuery?.sha256Hash ?? ""]).toBeDefined();
    }
    const searchHash = createHash("sha256").update(print(SearchPeopleDocument)).digest("hex");
    expect(sent[1]?.extensions?.persistedQuery).toEqual({ version: 1, sha256Hash: searchHash });
  });

  it("sends the text with `persisted: false`", async () => {
    const sent: SentBody[] = [];
    const partner = createClient({
      url: server.url,
      apiKey: partnerKey,
      fetch: recordingFetch(sent),
      persisted: false,
    });
    expect((await partner.people.list())?.totalCount).toBe(1);
    expect(sent).toEqual([expect.objectContaining({ query: print(SearchPeopleDocument) })]);
    expect(sent[0]?.extensions).toBeUndefined();
  });

  it("falls back to the text of a document the API does not know, once per client", async () => {
    const sent: SentBody[] = [];
    const admin = createClient({ url: server.url, apiKey: server.adminKey, fetch: recordingFetch(sent) });
    expect((await admin.execute(PEOPLE_COUNT)).people?.totalCount).toBe(1);
    expect(sent.map((body) => (body.query ? "text" : "hash"))).toEqual(["hash", "text"]);
    expect((await admin.execute(PEOPLE_COUNT)).people?.totalCount).toBe(1);
    expect(sent.map((body) => (body.query ? "text" : "hash"))).toEqual(["hash", "text", "text"]);
  });

  it(`${partnersPersistedOnly ? "refuses" : "runs"} a partner's own document`, async () => {
    const partner = createClient({ url: server.url, apiKey: partnerKey });
    if (!partnersPersistedOnly) {
      expect((await partner.execute(PEOPLE_COUNT)).people?.totalCount).toBe(1);
      return;
    }
    const error = await partner.execute(PEOPLE_COUNT).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(IntrographError);
    expect((error as IntrographError).code).toBe("PERSISTED_QUERY_ONLY");
  });
});
