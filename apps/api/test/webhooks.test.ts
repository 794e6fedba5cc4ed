// Webhooks against a real local HTTP receiver: registration refuses bad input and stores nothing; deliveries verify with
// the SDK's verifyWebhook and with the Standard Webhooks reference library; 500s and time-outs are retried; an endpoint
// that keeps failing is disabled with its reason; redelivery; partner B never receives partner A's private events.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { verifyWebhook } from "../../../packages/sdk/src/webhooks.ts";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { DEFAULT_RETRY, retrySchedule, WebhookDispatcher } from "../src/modules/webhooks/dispatcher.ts";
import { createApi } from "../src/server.ts";
import { dataOf, documentOf, operationExecutor, type TestApi } from "./harness.ts";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver whose answer the test chooses per request: a status, or a delay longer than the dispatcher waits. */
async function receiver(): Promise<{
  url: string;
  received: Received[];
  answer: { status: number; delayMs: number };
  server: Server;
}> {
  const received: Received[] = [];
  const answer = { status: 200, delayMs: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const { status, delayMs } = answer;
      setTimeout(() => {
        if (!response.destroyed) response.writeHead(status).end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, answer, server };
}

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  __typename
  ... on RegisteredWebhookEndpoint { secret endpoint { id url eventTypes enabled } }
  ... on Error { message } } }`;
const ENDPOINTS = `{ webhookEndpoints(first: 10) { edges { node { id enabled disabledReason
  deliveries(first: 50) { edges { node { id eventId eventType status attempts responseStatus lastError } } } } } } }`;
const REDELIVER = `mutation ($id: ID!) { redeliverWebhook(id: $id) { __typename ... on Error { message } } }`;
const UPDATE = `mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) {
  __typename ... on Error { message } } }`;
const PERSON = `mutation ($name: String!) { createPerson(input: { displayName: $name }) {
  ... on CreatePersonSuccess { person { id } } } }`;
const CREATE_INTRO = `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) {
  ... on CreateIntroductionSuccess { introduction { id } } ... on Error { message } } }`;
const RECORD_OUTCOME = `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) {
  ... on RecordOutcomeSuccess { outcome { id } } ... on Error { message } } }`;

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
}
interface Endpoint {
  id: string;
  enabled: boolean;
  disabledReason: string | null;
  deliveries: { edges: { node: Delivery }[] };
}

const at = (day: number) => new Date(Date.UTC(2026, 2, day)).toISOString();

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it("retries for more than 24 hours by default, on the schedule the README gives", () => {
  const minutes = retrySchedule(DEFAULT_RETRY).map((ms) => ms / 60_000);
  expect(minutes).toEqual([0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 480, 480]);
  expect(minutes.reduce((sum, value) => sum + value, 0) / 60).toBeGreaterThan(24);
});

describe("webhooks (pglite)", () => {
  let database: TestDatabase;
  let execute: TestApi["executeOperation"];
  let metrics: () => Promise<string>;
  let dispatcher: WebhookDispatcher;
  let keyA: string;
  let keyB: string;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  const people: string[] = [];

  const call = async <Data>(query: string, variables: Record<string, unknown> = {}, key?: string) =>
    dataOf(await execute(documentOf<Data>(query), variables, key === undefined ? {} : { key }));
  const register = (input: Record<string, unknown>, key?: string) =>
    call<{
      createWebhookEndpoint: { __typename: string; message?: string; secret?: string; endpoint?: { id: string } };
    }>(CREATE, { input }, key).then((result) => result.createWebhookEndpoint);
  const endpointsOf = async (key?: string) =>
    (await call<{ webhookEndpoints: { edges: { node: Endpoint }[] } }>(ENDPOINTS, {}, key)).webhookEndpoints.edges.map(
      (edge) => edge.node,
    );
  const recordOutcome = async (key?: string) => {
    const intro = await call<{ createIntroduction: { introduction: { id: string } } }>(
      CREATE_INTRO,
      {
        input: {
          connectorId: people[0],
          fromId: people[1],
          toId: people[2],
          occurredAt: at(2),
          fromConsentedAt: at(3),
          toConsentedAt: at(3),
        },
      },
      key,
    );
    const result = await call<{ recordOutcome: { outcome: { id: string } } }>(
      RECORD_OUTCOME,
      {
        input: {
          kind: "DEAL",
          title: "Deal",
          value: "100",
          currency: "USD",
          occurredAt: at(5),
          introductionIds: [intro.createIntroduction.introduction.id],
        },
      },
      key,
    );
    return { introductionId: intro.createIntroduction.introduction.id, outcomeId: result.recordOutcome.outcome.id };
  };

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    const { yoga } = createApi({ database, rateLimit: false });
    const adminKey = (await issueApiKey(database.prisma, { name: "admin", scopes: ["admin"] })).key;
    execute = operationExecutor(yoga, adminKey);
    metrics = async () => (await yoga.fetch("http://intrograph.test/metrics")).text();
    const alpha = await database.prisma.partner.create({ data: { name: "Alpha", slug: "alpha" } });
    const beta = await database.prisma.partner.create({ data: { name: "Beta", slug: "beta" } });
    keyA = (await issueApiKey(database.prisma, { name: "a", scopes: ["partner"], partnerId: alpha.id })).key;
    keyB = (await issueApiKey(database.prisma, { name: "b", scopes: ["partner"], partnerId: beta.id })).key;
    hooks = await receiver();
    dispatcher = new WebhookDispatcher(database, {
      retryBaseMs: 100,
      maxRetryDelayMs: 400,
      maxAttempts: 4,
      timeoutMs: 500,
      pollIntervalMs: 50,
    });
    await dispatcher.start();
    for (const name of ["Ada", "Ben", "Cy"])
      people.push((await call<{ createPerson: { person: { id: string } } }>(PERSON, { name })).createPerson.person.id);
  });
  afterAll(async () => {
    await dispatcher?.stop();
    hooks?.server.close();
    await database?.drop();
  });

  it("refuses bad endpoints with typed errors and stores nothing", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ url: "http://example.com/hooks", eventTypes: ["credit.changed"] }, /https/],
      [{ url: "not a url", eventTypes: ["credit.changed"] }, /absolute URL/],
      [{ url: "ftp://127.0.0.1/x", eventTypes: ["credit.changed"] }, /https/],
      [{ url: "https://user:pw@127.0.0.1/x", eventTypes: ["credit.changed"] }, /credentials/],
      [{ url: hooks.url, eventTypes: ["credit.exploded"] }, /unknown event type/],
      [{ url: hooks.url, eventTypes: [] }, /at least one/],
      [{ url: "http://127.0.0.1:1/unreachable", eventTypes: ["credit.changed"] }, /cannot connect/],
      [{ url: "https://no-such-host.invalid/hooks", eventTypes: ["credit.changed"] }, /does not resolve/],
    ];
    for (const [input, message] of cases) {
      const result = await register(input);
      expect(result.__typename, JSON.stringify(input)).toBe("ValidationError");
      expect(result.message).toMatch(message);
    }
    // In production, addresses inside a private network (this machine included) are refused too.
    const environment = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      const result = await register({ url: hooks.url, eventTypes: ["credit.changed"] });
      expect(result.message).toMatch(/private network/);
    } finally {
      process.env.NODE_ENV = environment;
    }
    expect(await database.prisma.webhookEndpoint.count()).toBe(0);
  });

  it("delivers signed events: the SDK's verifyWebhook and the Standard Webhooks library both accept them", async () => {
    const registered = await register({ url: hooks.url, eventTypes: ["credit.changed", "outcome.created"] });
    expect(registered.__typename).toBe("RegisteredWebhookEndpoint");
    const secret = registered.secret!;
    expect(secret).toMatch(/^whsec_/);
    // Stored encrypted, never in clear.
    const stored = await database.prisma.webhookEndpoint.findFirstOrThrow();
    expect(stored.secretCiphertext).not.toContain(secret.slice(6));
    // Audited, without the secret in any form.
    const audit = await database.prisma.auditEvent.findFirstOrThrow({ where: { action: "webhookEndpoint.create" } });
    expect(JSON.stringify(audit.after)).not.toMatch(/secret/i);
    const { outcomeId } = await recordOutcome();
    const delivery = await until(
      async () => hooks.received.find((request) => JSON.parse(request.body).type === "credit.changed"),
      Boolean,
    );
    const event = await verifyWebhook(delivery!.body, delivery!.headers as Record<string, string>, secret);
    expect(event.type).toBe("credit.changed");
    if (event.type === "credit.changed") expect(event.data.changes[0]?.outcomeId).toBe(outcomeId);
    expect(event.id).toBe(delivery!.headers["webhook-id"]);
    const reference = new Webhook(secret).verify(delivery!.body, delivery!.headers as Record<string, string>);
    expect(reference).toEqual(JSON.parse(delivery!.body));
    // A body changed on the way fails both.
    const forged = delivery!.body.replace(outcomeId, outcomeId.toLowerCase());
    await expect(verifyWebhook(forged, delivery!.headers as Record<string, string>, secret)).rejects.toThrow();
    expect(() => new Webhook(secret).verify(forged, delivery!.headers as Record<string, string>)).toThrow();
    await until(
      async () => (await endpointsOf())[0]!.deliveries.edges.map((edge) => edge.node),
      (deliveries) => deliveries.length >= 2 && deliveries.every((item) => item.status === "DELIVERED"),
    );
  });

  it("retries 500s and time-outs with the same webhook-id, and logs each attempt's outcome", async () => {
    hooks.received.length = 0;
    hooks.answer.status = 500;
    await recordOutcome();
    const failing = await until(
      async () =>
        (await endpointsOf())[0]!.deliveries.edges.map((edge) => edge.node).find((item) => item.status === "RETRYING"),
      (item) => item !== undefined && item.attempts >= 1,
    );
    expect(failing!.responseStatus).toBe(500);
    hooks.answer.status = 200;
    hooks.answer.delayMs = 2_000;
    await until(
      async () =>
        (await endpointsOf())[0]!.deliveries.edges.map((edge) => edge.node).find((item) => item.id === failing!.id),
      (item) => item?.lastError?.includes("no answer") === true,
    );
    hooks.answer.delayMs = 0;
    const delivered = await until(
      async () =>
        (await endpointsOf())[0]!.deliveries.edges.map((edge) => edge.node).find((item) => item.id === failing!.id),
      (item) => item?.status === "DELIVERED",
    );
    expect(delivered!.attempts).toBeGreaterThanOrEqual(3);
    const ids = hooks.received.filter((request) => request.headers["webhook-id"] === failing!.eventId);
    expect(ids.length).toBeGreaterThanOrEqual(3);
  });

  it("disables an endpoint that keeps failing, says why, and redelivers on request", async () => {
    hooks.answer.status = 503;
    await recordOutcome();
    const endpoint = await until(
      async () => (await endpointsOf())[0]!,
      (item) => !item.enabled,
    );
    expect(endpoint.disabledReason).toMatch(/could not be delivered in 4 attempts.*HTTP 503/);
    const failed = endpoint.deliveries.edges.map((edge) => edge.node).find((item) => item.status === "FAILED")!;
    expect(await metrics()).toMatch(/intrograph_webhook_deliveries\{state="failed"\} [1-9]/);
    hooks.answer.status = 200;
    expect(
      (
        await call<{ updateWebhookEndpoint: { __typename: string } }>(UPDATE, {
          input: { id: endpoint.id, enabled: true },
        })
      ).updateWebhookEndpoint.__typename,
    ).toBe("UpdateWebhookEndpointSuccess");
    expect(
      (await call<{ redeliverWebhook: { __typename: string } }>(REDELIVER, { id: failed.id })).redeliverWebhook
        .__typename,
    ).toBe("RedeliverWebhookSuccess");
    await until(
      async () =>
        (await endpointsOf())[0]!.deliveries.edges.map((edge) => edge.node).find((item) => item.id === failed.id),
      (item) => item?.status === "DELIVERED",
    );
  });

  it("keeps finished deliveries for the log's days, then drops them", async () => {
    const finished = await database.prisma.webhookDelivery.count({
      where: { status: { in: ["DELIVERED", "FAILED"] } },
    });
    expect(finished).toBeGreaterThan(0);
    expect(await dispatcher.prune()).toBe(0);
    expect(await dispatcher.prune(new Date(Date.now() + 31 * 86_400_000))).toBe(finished);
  });

  it("partner B never receives partner A's private events, and cannot see A's endpoints", async () => {
    const hooksA = await receiver();
    const hooksB = await receiver();
    const a = await register(
      { url: hooksA.url, eventTypes: ["credit.changed", "outcome.created", "introduction.created"] },
      keyA,
    );
    const b = await register(
      { url: hooksB.url, eventTypes: ["credit.changed", "outcome.created", "introduction.created"] },
      keyB,
    );
    expect(a.__typename).toBe("RegisteredWebhookEndpoint");
    expect(b.__typename).toBe("RegisteredWebhookEndpoint");
    const privateA = await recordOutcome(keyA);
    const publicOne = await recordOutcome();
    const bodies = (hooks: Received[]) => hooks.map((request) => request.body).join("\n");
    await until(
      async () => bodies(hooksB.received),
      (text) => text.includes(publicOne.outcomeId) && text.includes(publicOne.introductionId),
    );
    await until(
      async () => bodies(hooksA.received),
      (text) => text.includes(privateA.outcomeId) && text.includes(publicOne.outcomeId),
    );
    expect(bodies(hooksB.received)).not.toContain(privateA.outcomeId);
    expect(bodies(hooksB.received)).not.toContain(privateA.introductionId);
    const seenByB = await endpointsOf(keyB);
    expect(seenByB.map((endpoint) => endpoint.id)).toEqual([b.endpoint!.id]);
    const redeliverOthers = await call<{ redeliverWebhook: { __typename: string } }>(
      REDELIVER,
      { id: (await endpointsOf(keyA))[0]!.deliveries.edges[0]!.node.id },
      keyB,
    );
    expect(redeliverOthers.redeliverWebhook.__typename).toBe("NotFoundError");
    hooksA.server.close();
    hooksB.server.close();
  });
  it("delivers consent changes, curations, merges, disputes and key revocations, each to whom it concerns", async () => {
    const everything = await receiver();
    const keysB = await receiver();
    const all = await call<{ webhookEventTypes: { type: string }[] }>(`{ webhookEventTypes { type } }`);
    const types = all.webhookEventTypes.map((item) => item.type);
    expect((await register({ url: everything.url, eventTypes: types })).__typename).toBe("RegisteredWebhookEndpoint");
    expect((await register({ url: keysB.url, eventTypes: ["apiKey.revoked"] }, keyB)).__typename).toBe(
      "RegisteredWebhookEndpoint",
    );
    const { introductionId, outcomeId } = await recordOutcome();
    // Consent withdrawn.
    await call(`mutation ($input: UpdateIntroductionInput!) { updateIntroduction(input: $input) { __typename } }`, {
      input: { id: introductionId, version: 1, toConsentedAt: null },
    });
    // A relationship verified.
    const created = await call<{ createRelationship: { relationship: { id: string; version: number } } }>(
      `mutation ($input: CreateRelationshipInput!) { createRelationship(input: $input) {
        ... on CreateRelationshipSuccess { relationship { id version } } } }`,
      { input: { personId: people[0], otherPersonId: people[1], kind: "COLLEAGUE" } },
    );
    const { id: relationshipId, version } = created.createRelationship.relationship;
    await call(`mutation ($input: UpdateRelationshipInput!) { updateRelationship(input: $input) { __typename } }`, {
      input: { id: relationshipId, version, status: "VERIFIED" },
    });
    // A dispute opened.
    await call(`mutation ($input: OpenCreditDisputeInput!) { openCreditDispute(input: $input) { __typename } }`, {
      input: { outcomeId, reason: "not theirs", evidence: [] },
    });
    // Keys revoked: partner B's own, and an admin key (which no partner hears of).
    const keyRows = await database.prisma.apiKey.findMany({ where: { name: { in: ["b"] } } });
    const adminKey = await issueApiKey(database.prisma, { name: "spare admin", scopes: ["admin"] });
    for (const id of [keyRows[0]!.id, adminKey.id])
      await call(`mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }`, { id: encodeGlobalID("ApiKey", id) });

    // An import: one import.batch event listing what it wrote.
    const content = [
      { type: "person", id: "p", displayName: "Imported Pat" },
      { type: "person", id: "q", displayName: "Imported Quinn" },
      { type: "person", id: "r", displayName: "Imported Ray" },
      { type: "introduction", id: "n", connector: "p", from: "q", to: "r", occurredAt: "2024-04-01" },
    ]
      .map((row) => JSON.stringify(row))
      .join("\n");
    await call(`mutation ($input: ImportFileInput!) { importFile(input: $input) { __typename } }`, {
      input: { format: "MIXED", content, source: "crm" },
    });
    const received = (hooks: Received[]) =>
      hooks.map((request) => JSON.parse(request.body) as { type: string; data: Record<string, unknown> });
    const wanted = [
      "introduction.consentChanged",
      "relationship.curated",
      "creditDispute.opened",
      "apiKey.revoked",
      "import.batch",
    ];
    await until(
      async () => received(everything.received).map((event) => event.type),
      (seen) =>
        wanted.every((type) => seen.includes(type)) && seen.filter((type) => type === "apiKey.revoked").length === 2,
    );
    const events = received(everything.received);
    expect(events.find((event) => event.type === "introduction.consentChanged")?.data).toMatchObject({
      introductionId,
      consented: false,
      toConsentedAt: null,
    });
    expect(events.find((event) => event.type === "relationship.curated")?.data).toMatchObject({
      relationshipId,
      status: "VERIFIED",
      previousStatus: "UNVERIFIED",
    });
    expect(events.find((event) => event.type === "creditDispute.opened")?.data).toMatchObject({ outcomeId });
    expect(events.find((event) => event.type === "import.batch")?.data).toMatchObject({
      source: "crm",
      people: { count: 3 },
      introductions: { count: 1 },
    });
    // Partner B hears of its own key only.
    await until(
      async () => received(keysB.received),
      (seen) => seen.length >= 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received(keysB.received).map((event) => event.data.apiKeyId)).toEqual([
      encodeGlobalID("ApiKey", keyRows[0]!.id),
    ]);
    everything.server.close();
    keysB.server.close();
  });
});
