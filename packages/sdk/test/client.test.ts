// The SDK against the real API over HTTP: every method with a partner key (and the admin ones with an admin key),
// typed refusals, revoked and unknown keys, partner isolation, retries with Retry-After, every transport failure as an
// IntrographError (a stopped server, a wrong URL, timeouts), automatic idempotency keys and credit-change
// subscriptions over SSE.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, IntrographError, type IntrographClient } from "../src/index.ts";
import { startTestServer, type TestServer } from "./server.ts";

const NODE = parse(`query Node($id: ID!) { node(id: $id) { id } }`) as TypedDocumentNode<
  { node: { id: string } | null },
  { id: string }
>;

const UPDATE_OUTCOME = parse(`mutation ($input: UpdateOutcomeInput!) { updateOutcome(input: $input) {
  __typename ... on UpdateOutcomeSuccess { outcome { version } } } }`) as TypedDocumentNode<
  { updateOutcome: { __typename: string; outcome?: { version: number } } },
  { input: { id: string; version: number; value: string } }
>;

async function refusal(promise: Promise<unknown>): Promise<IntrographError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IntrographError);
  return error as IntrographError;
}

function success<T extends { __typename?: string }>(value: T, typename: string): T {
  expect(value.__typename, JSON.stringify(value)).toBe(typename);
  return value;
}

describe("SDK over HTTP", () => {
  let server: TestServer;
  let admin: IntrographClient;
  let partnerA: IntrographClient;
  let partnerB: IntrographClient;
  let keyB = { id: "", key: "" };
  let partnerKeyA = "";
  const people: string[] = [];
  let organizationId = "";
  const reportsA = { relationship: "", introduction: "", outcome: "" };

  beforeAll(async () => {
    server = await startTestServer("pglite");
    admin = createClient({ url: server.url, apiKey: server.adminKey });
    const clients: IntrographClient[] = [];
    for (const slug of ["alpha", "beta"]) {
      const partner = await admin.admin.partners.create({ name: slug.toUpperCase(), slug });
      if (partner.__typename !== "CreatePartnerSuccess") throw new Error(JSON.stringify(partner));
      const issued = await admin.admin.apiKeys.create({
        name: `${slug} key`,
        scope: "PARTNER",
        partnerId: partner.partner.id,
      });
      if (issued.__typename !== "IssuedApiKey" || !issued.key || !issued.apiKey)
        throw new Error(JSON.stringify(issued));
      clients.push(createClient({ url: server.url, apiKey: issued.key }));
      if (slug === "beta") keyB = { id: issued.apiKey.id, key: issued.key };
      else partnerKeyA = issued.key;
    }
    [partnerA, partnerB] = clients as [IntrographClient, IntrographClient];
  });
  afterAll(() => server.close());

  describe("with a partner key", () => {
    it("creates, finds, searches and iterates people", async () => {
      for (const displayName of ["Ada Lovelace", "Ben Okri", "Cleo Park", "Dev Shah", "Eve Moreau"]) {
        const created = await partnerA.people.create({ displayName, topics: ["fintech"] });
        if (created.__typename !== "CreatePersonSuccess") throw new Error(JSON.stringify(created));
        people.push(created.person.id);
      }
      expect((await partnerA.people.get(people[0]!))?.displayName).toBe("Ada Lovelace");
      const found = await partnerA.people.search("cleo");
      expect(found?.edges.map((edge) => edge.node?.displayName)).toEqual(["Cleo Park"]);
      const all: string[] = [];
      for await (const person of partnerA.people.iterate({ first: 2 })) all.push(person.id);
      expect(all).toEqual(people);
      const invalid = await partnerA.people.create({ displayName: " " });
      expect(invalid.__typename).toBe("ValidationError");
      if (invalid.__typename === "ValidationError") expect(invalid.issues?.[0]?.path).toEqual(["input", "displayName"]);
    });

    it("records organizations and memberships", async () => {
      const organization = await partnerA.organizations.create({
        name: "Acme Capital",
        kind: "INVESTOR",
        domain: "acme.example",
      });
      if (organization.__typename !== "CreateOrganizationSuccess") throw new Error(JSON.stringify(organization));
      organizationId = organization.organization.id;
      success(
        await partnerA.organizations.setMembership({
          personId: people[4]!,
          organizationId,
          title: "Partner",
          isDecisionMaker: true,
        }),
        "SetMembershipSuccess",
      );
      expect((await partnerA.organizations.search("acme"))?.edges).toHaveLength(1);
      const names: string[] = [];
      for await (const org of partnerA.organizations.iterate()) names.push(org.name ?? "");
      expect(names).toEqual(["Acme Capital"]);
    });

    it("records relationships, evidence, introductions and outcomes", async () => {
      const [ada, ben, cleo, dev, eve] = people as [string, string, string, string, string];
      const at = (day: number) => new Date(Date.UTC(2025, 0, day)).toISOString();
      for (const [a, b] of [
        [ada, cleo],
        [cleo, dev],
        [dev, eve],
        [ada, ben],
      ] as const) {
        const created = await partnerA.relationships.create({
          personId: a,
          otherPersonId: b,
          kind: "COLLEAGUE",
          interactions: [{ kind: "MEETING", occurredAt: at(2) }],
        });
        if (created.__typename !== "CreateRelationshipSuccess") throw new Error(JSON.stringify(created));
        reportsA.relationship ||= created.relationship.id;
      }
      const evidence = await partnerA.relationships.addInteraction({
        relationshipId: reportsA.relationship,
        interaction: { kind: "CALL", occurredAt: at(3) },
      });
      expect(evidence.__typename).toBe("AddInteractionSuccess");
      const queue = await partnerA.relationships.list({ filter: { status: "UNVERIFIED" } });
      expect(queue?.totalCount).toBe(4);
      let iterated = 0;
      for await (const relationship of partnerA.relationships.iterate({ first: 3 }))
        iterated += relationship.id ? 1 : 0;
      expect(iterated).toBe(4);

      const intro = await partnerA.introductions.create({
        connectorId: cleo,
        fromId: ada,
        toId: dev,
        occurredAt: at(5),
        fromConsentedAt: at(5),
        toConsentedAt: at(6),
      });
      if (intro.__typename !== "CreateIntroductionSuccess") throw new Error(JSON.stringify(intro));
      reportsA.introduction = intro.introduction.id;
      const accepted = await partnerA.introductions.update({
        id: reportsA.introduction,
        version: 1,
        status: "ACCEPTED",
      });
      expect(accepted.__typename).toBe("UpdateIntroductionSuccess");
      const stale = await partnerA.introductions.update({ id: reportsA.introduction, version: 1, status: "MET" });
      expect(stale).toMatchObject({ __typename: "ConflictError", currentVersion: 2 });
      expect((await partnerA.introductions.list())?.edges.map((edge) => edge.node?.id)).toEqual([
        reportsA.introduction,
      ]);
      expect(await partnerA.introductions.count({ filter: { status: "ACCEPTED" } })).toBe(1);
      expect(await partnerA.introductions.count({ filter: { status: "MET" } })).toBe(0);

      const outcome = await partnerA.outcomes.create({
        kind: "INVESTMENT",
        title: "Seed round",
        value: "250000.00",
        currency: "USD",
        occurredAt: at(20),
        introductionIds: [reportsA.introduction],
      });
      if (outcome.__typename !== "RecordOutcomeSuccess") throw new Error(JSON.stringify(outcome));
      reportsA.outcome = outcome.outcome.id;
      const listed: string[] = [];
      for await (const item of partnerA.outcomes.iterate()) listed.push(item.id);
      expect(listed).toEqual([reportsA.outcome]);
      expect(await partnerA.outcomes.count({ filter: { currency: "USD" } })).toBe(1);
      const introsIterated: string[] = [];
      for await (const item of partnerA.introductions.iterate()) introsIterated.push(item.id);
      expect(introsIterated).toEqual([reportsA.introduction]);
    });

    it("reads connector credit, the leaderboard, warm-intro paths and metrics", async () => {
      const [ada, , cleo, , eve] = people as [string, string, string, string, string];
      const credit = await partnerA.credit.get(cleo, { model: "SHAPLEY" });
      expect(credit?.displayName).toBe("Cleo Park");
      expect(credit?.credit?.totals).toEqual([{ amount: "250000.00", currency: "USD", outcomes: 1 }]);
      const board = await partnerA.leaderboard.list({ currency: "USD" });
      expect(board?.edges[0]?.node).toMatchObject({ rank: 1, amount: "250000.00", person: { id: cleo } });
      const ranked: number[] = [];
      for await (const entry of partnerA.leaderboard.iterate({ currency: "USD" })) ranked.push(entry.rank ?? 0);
      expect(ranked).toEqual([1]);

      const paths = await partnerA.warmIntroPaths.search({ from: ada, to: eve, k: 2 });
      if (paths.__typename !== "WarmIntroPathsSuccess") throw new Error(JSON.stringify(paths));
      expect(paths.paths[0]?.people?.map((person) => person.displayName)).toEqual([
        "Ada Lovelace",
        "Cleo Park",
        "Dev Shah",
        "Eve Moreau",
      ]);
      const toOrganization = await partnerA.warmIntroPaths.search({ from: ada, toOrganization: organizationId });
      expect(toOrganization.__typename).toBe("WarmIntroPathsSuccess");
      const metrics = await partnerA.metrics.get(cleo);
      expect(metrics?.metrics?.degree).toBe(2);
    });

    it("is refused admin operations and PII with a typed error", async () => {
      const refusals = [
        partnerA.admin.getPerson(people[0]!),
        partnerA.people.update({ id: people[0]!, version: 1, email: "x@example.com" }),
        partnerA.people.merge({ survivorId: people[0]!, survivorVersion: 1, mergedId: people[1]!, mergedVersion: 1 }),
        partnerA.relationships.update({ id: reportsA.relationship, version: 1, status: "VERIFIED" }),
        partnerA.admin.partners.list(),
        partnerA.admin.apiKeys.list(),
        partnerA.admin.apiKeys.create({ name: "sneaky", scope: "ADMIN" }),
        partnerA.admin.apiKeys.revoke(keyB.id),
        partnerA.admin.auditEvents.list(),
        partnerA.admin.partners.create({ name: "x", slug: "xx" }),
      ].map(refusal); // handled at once: they may settle in any order
      for (const attempt of refusals) expect((await attempt).code).toBe("FORBIDDEN");
      const pii = await refusal(partnerA.admin.getPerson(people[0]!));
      expect(JSON.stringify(pii.data ?? null)).not.toContain("@");
    });
  });

  describe("with an admin key", () => {
    it("reads the person page with PII, curates, merges, and reads keys, partners and the audit log", async () => {
      const updated = await admin.people.update({ id: people[1]!, version: 1, email: "ben@example.com" });
      expect(updated).toMatchObject({ __typename: "UpdatePersonSuccess", person: { email: "ben@example.com" } });
      const page = await admin.admin.getPerson(people[0]!);
      expect(page?.relationships?.totalCount).toBe(2);
      const verified = await admin.relationships.update({ id: reportsA.relationship, version: 2, status: "VERIFIED" });
      expect(verified).toMatchObject({ __typename: "UpdateRelationshipSuccess", relationship: { status: "VERIFIED" } });
      const extra = await admin.people.create({ displayName: "Ben Okri (duplicate)" });
      if (extra.__typename !== "CreatePersonSuccess") throw new Error(JSON.stringify(extra));
      const merged = await admin.people.merge({
        survivorId: people[1]!,
        survivorVersion: 2,
        mergedId: extra.person.id,
        mergedVersion: 1,
      });
      expect(merged.__typename).toBe("MergePeopleSuccess");

      expect((await admin.admin.partners.list())?.edges).toHaveLength(2);
      const partnerSlugs: string[] = [];
      for await (const partner of admin.admin.partners.iterate()) partnerSlugs.push(partner.slug ?? "");
      expect(partnerSlugs).toEqual(["alpha", "beta"]);
      const keys: string[] = [];
      for await (const key of admin.admin.apiKeys.iterate()) keys.push(key.prefix ?? "");
      expect(keys).toHaveLength(3);
      expect((await admin.admin.apiKeys.list({ first: 1 }))?.pageInfo.hasNextPage).toBe(true);
      const events = await admin.admin.auditEvents.list({ filter: { action: "introduction.create" } });
      expect(events?.edges.map((edge) => edge.node?.entityId)).toEqual([reportsA.introduction]);
      let audited = 0;
      for await (const event of admin.admin.auditEvents.iterate({ first: 10 })) audited += event.action ? 1 : 0;
      expect(audited).toBeGreaterThan(20);
    });
  });

  describe("partner isolation", () => {
    it("partner B reads none of partner A's private reports: lists, node(id) and nested fields", async () => {
      expect((await partnerB.introductions.list())?.edges).toEqual([]);
      expect((await partnerB.outcomes.list())?.edges).toEqual([]);
      expect([await partnerB.introductions.count(), await partnerB.outcomes.count()]).toEqual([0, 0]);
      expect((await partnerB.relationships.list())?.totalCount).toBe(0);
      for (const id of Object.values(reportsA)) {
        expect((await partnerB.execute(NODE, { id })).node).toBeNull();
        expect((await partnerA.execute(NODE, { id })).node).toEqual({ id });
      }
      const cleo = await partnerB.credit.get(people[2]!);
      expect(cleo?.credit?.totals ?? []).toEqual([]);
      const paths = await partnerB.warmIntroPaths.search({ from: people[0]!, to: people[4]! });
      expect(paths).toMatchObject({ __typename: "WarmIntroPathsSuccess", paths: [] });
    });
  });

  describe("imports", () => {
    it("imports a small file as a partner, again without creating anything, and types a refused one", async () => {
      const content = [
        "id,displayName,email",
        "s1,Sam Importer,sam.importer@example.com",
        "s2,,broken@example.com",
      ].join("\n");
      const first = success(
        await partnerA.imports.create({ format: "PEOPLE", content, source: "sdk-test" }),
        "ImportFileSuccess",
      );
      if (first.__typename !== "ImportFileSuccess") return;
      expect(first.report).toMatchObject({
        rowsRead: 2,
        created: 1,
        rejected: 1,
        issues: [{ line: 3, status: "REJECTED" }],
      });
      const again = await partnerA.imports.create({ format: "PEOPLE", content, source: "sdk-test" });
      expect(again.__typename === "ImportFileSuccess" && again.report.created).toBe(0);
      const empty = success(
        await partnerA.imports.create({ format: "PEOPLE", content: "", source: "sdk-test" }),
        "ValidationError",
      );
      expect(empty.__typename === "ValidationError" && empty.issues?.[0]?.path).toEqual(["input", "content"]);
    });
  });

  describe("keys that do not work", () => {
    it("refuses an unknown key and a revoked key with UNAUTHENTICATED", async () => {
      const stranger = createClient({ url: server.url, apiKey: `ig_${"z".repeat(12)}_${"q".repeat(43)}` });
      expect(await refusal(stranger.people.list())).toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
      expect(await partnerB.people.list()).toBeTruthy();
      success(await admin.admin.apiKeys.revoke(keyB.id), "RevokeApiKeySuccess");
      expect(await refusal(partnerB.people.list())).toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
    });
  });

  describe("typed refusals", () => {
    it("a malformed id is BAD_USER_INPUT, a too-deep query DEPTH_LIMIT_EXCEEDED, a taken slug a ConflictError", async () => {
      expect(await refusal(admin.execute(NODE, { id: "garbage" }))).toMatchObject({ code: "BAD_USER_INPUT" });
      let nested = "id";
      for (let level = 0; level < 8; level++)
        nested = `relationships(first: 1) { edges { node { otherPerson { ${nested} } } } }`;
      const deep = parse(`{ people(first: 1) { edges { node { ${nested} } } } }`) as TypedDocumentNode<
        unknown,
        Record<string, never>
      >;
      expect(await refusal(admin.execute(deep, {}))).toMatchObject({ code: "DEPTH_LIMIT_EXCEEDED" });
      const taken = await admin.admin.partners.create({ name: "Alpha again", slug: "alpha" });
      expect(taken).toMatchObject({ __typename: "ConflictError", entityType: "Partner", fields: ["slug"] });
    });
  });

  describe("transport", () => {
    it("retries 429/503 honouring Retry-After, keeping one idempotency key per logical write", async () => {
      const bodies: { variables?: { input?: { idempotencyKey?: string } } }[] = [];
      let failures = 2;
      const flaky: typeof fetch = async (input, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        if (failures-- > 0)
          return new Response("{}", { status: failures === 1 ? 429 : 503, headers: { "retry-after": "0" } });
        return fetch(input, init);
      };
      const client = createClient({ url: server.url, apiKey: server.adminKey, fetch: flaky });
      const created = await client.people.create({ displayName: "Retry Rita" });
      expect(created.__typename).toBe("CreatePersonSuccess");
      expect(bodies).toHaveLength(3);
      const keys = bodies.map((body) => body.variables?.input?.idempotencyKey);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(keys).size).toBe(1);
      // A second logical call gets a new key; reads get none.
      await client.people.create({ displayName: "Retry Rita" });
      expect(bodies.at(-1)?.variables?.input?.idempotencyKey).not.toBe(keys[0]);
      await client.people.list();
      expect(bodies.at(-1)?.variables?.input).toBeUndefined();
      expect(await server.database.prisma.person.count({ where: { displayName: "Retry Rita" } })).toBe(2);
    });

    it("reports a stopped server as NETWORK after retrying a query, and does not resend a write without a key", async () => {
      const stopped = createServer();
      await new Promise<void>((resolve) => stopped.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${(stopped.address() as AddressInfo).port}/graphql`;
      await new Promise((resolve) => stopped.close(resolve));
      let attempts = 0;
      const counting: typeof fetch = (input, init) => {
        attempts++;
        return fetch(input, init);
      };
      const client = createClient({ url, apiKey: server.adminKey, fetch: counting, retries: 2, maxRetryDelayMs: 10 });
      const down = await refusal(client.people.list());
      expect(down).toMatchObject({ code: "NETWORK", status: 0 });
      expect(down.message).toContain(url);
      expect(down.message).toMatch(/ECONNREFUSED/);
      expect(attempts).toBe(3);

      attempts = 0;
      expect(await refusal(client.admin.apiKeys.revoke(keyB.id))).toMatchObject({ code: "NETWORK" });
      expect(attempts).toBe(1);
      attempts = 0;
      // A partner write carries an idempotency key, so sending it again cannot write twice.
      expect(await refusal(client.people.create({ displayName: "Nobody" }))).toMatchObject({ code: "NETWORK" });
      expect(attempts).toBe(3);
    });

    it("retries a query after 502/504, and names what is wrong with a URL that is not the API", async () => {
      let failures = 2;
      const gateway: typeof fetch = async (input, init) =>
        failures-- > 0 ? new Response("bad gateway", { status: failures === 1 ? 502 : 504 }) : fetch(input, init);
      const client = createClient({ url: server.url, apiKey: server.adminKey, fetch: gateway, maxRetryDelayMs: 10 });
      expect(await client.people.list({ first: 1 })).toBeTruthy();
      expect(failures).toBe(-1);

      const wrongPath = createClient({ url: server.url.replace(/\/graphql$/, "/graph"), apiKey: server.adminKey });
      const missing = await refusal(wrongPath.people.list());
      expect(missing).toMatchObject({ code: "NOT_FOUND", status: 404 });
      expect(missing.message).toMatch(/should end in \/graphql/);

      const notGraphQL = createClient({
        url: server.url,
        fetch: async () => new Response("<html>proxy login</html>", { status: 200 }),
      });
      expect(await refusal(notGraphQL.people.list())).toMatchObject({ code: "BAD_RESPONSE", status: 200 });
    });

    it("gives up on a server that does not answer with TIMEOUT, and on an aborted request with ABORTED", async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
      try {
        const client = createClient({ url, timeoutMs: 200, retries: 0 });
        expect(await refusal(client.people.list())).toMatchObject({ code: "TIMEOUT", status: 0 });
        const controller = new AbortController();
        const pending = refusal(
          createClient({ url, retries: 3 }).execute(NODE, { id: "x" }, { signal: controller.signal }),
        );
        controller.abort();
        expect(await pending).toMatchObject({ code: "ABORTED" });
      } finally {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it("waits out the real rate limiter, or reports RATE_LIMITED when retries are off", async () => {
      const limited = await startTestServer("pglite", {
        rateLimit: { keyPoints: 2, anonymousPoints: 2, windowSeconds: 1 },
      });
      try {
        const patient = createClient({ url: limited.url, apiKey: limited.adminKey, retries: 3 });
        const started = Date.now();
        for (let request = 0; request < 3; request++) await patient.people.list();
        expect(Date.now() - started).toBeGreaterThanOrEqual(500);
        const impatient = createClient({ url: limited.url, apiKey: limited.adminKey, retries: 0 });
        const errors = await Promise.allSettled([1, 2, 3].map(() => impatient.people.list()));
        const rejected = errors
          .filter((outcome) => outcome.status === "rejected")
          .map((outcome) => (outcome as PromiseRejectedResult).reason);
        expect(rejected.length).toBeGreaterThan(0);
        expect(rejected[0]).toMatchObject({ code: "RATE_LIMITED", status: 429 });
      } finally {
        await limited.close();
      }
    });

    it("streams the credit changes real writes make over SSE, and resumes after the last event it saw", async () => {
      const [, , cleo] = people as [string, string, string];
      let version = 1;
      /** Changes the outcome's value, which moves its connectors' credit. */
      const write = async () => {
        const { updateOutcome } = await partnerA.execute(UPDATE_OUTCOME, {
          input: { id: reportsA.outcome, version, value: `${250000 + version}.00` },
        });
        if (!updateOutcome.outcome) throw new Error(JSON.stringify(updateOutcome));
        version = updateOutcome.outcome.version;
      };
      const changes = partnerA.subscribeCreditChanges({ personId: cleo });
      const first = changes.next();
      // Write until the subscription is connected (SSE connects asynchronously): each write is a credit change.
      let writing = true;
      const writer = (async () => {
        while (writing) {
          await write();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      let seen: string;
      try {
        const received = await first;
        expect(received.done).toBe(false);
        expect(received.value).toMatchObject({ outcomeId: reportsA.outcome, personIds: [cleo] });
        expect(received.value!.eventId).toMatch(/^\d+\.\d+$/);
        seen = changes.lastEventId!;
        expect(seen).toBe(received.value!.eventId);
      } finally {
        writing = false;
        await writer;
        await changes.return?.();
      }
      // Written while nobody listens; a new subscription after the last event seen receives it.
      await write();
      const resumed = partnerA.subscribeCreditChanges({ personId: cleo, after: seen });
      try {
        const next = await resumed.next();
        expect(next.value?.outcomeId).toBe(reportsA.outcome);
        expect(next.value!.eventId).not.toBe(seen);
      } finally {
        await resumed.return?.();
      }

      // A connection that breaks after its first event: the iterator reconnects by itself with `after`, and misses
      // nothing written meanwhile.
      const bodies: string[] = [];
      let broken = false;
      const flaky: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        const isStream = new Headers(init?.headers).get("accept")?.includes("text/event-stream");
        if (!isStream || !response.body) return response;
        bodies.push(String(init?.body));
        if (broken) return response;
        broken = true;
        let passed = "";
        let resetting = false;
        const cut = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            controller.enqueue(chunk);
            passed += new TextDecoder().decode(chunk);
            // Once the event has been read (an error discards what is still queued), the connection resets.
            if (passed.includes("event: next") && !resetting) {
              resetting = true;
              setTimeout(() => controller.error(new TypeError("connection reset")), 100);
            }
          },
        });
        return new Response(response.body.pipeThrough(cut), { status: response.status, headers: response.headers });
      };
      const viaFlaky = createClient({ url: server.url, apiKey: partnerKeyA, fetch: flaky, retries: 3 });
      const survivor = viaFlaky.subscribeCreditChanges({ personId: cleo, after: seen });
      try {
        const first = await survivor.next();
        await write();
        const second = await survivor.next();
        expect(second.value!.eventId).not.toBe(first.value!.eventId);
        expect(bodies.length).toBeGreaterThanOrEqual(2);
        expect(JSON.parse(bodies.at(-1)!).variables.after).toBe(first.value!.eventId);
      } finally {
        await survivor.return?.();
      }
    });
  });
});
