// The API process killed (SIGKILL) while it dispatches webhooks loses no event: fan-out moves its cursor in the same
// transaction as the deliveries it writes, and a delivery whose sender died is sent again when its lease runs out —
// with the same webhook-id, so the receiver de-duplicates by it.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatPosition } from "@intrograph/db/events";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { verifyWebhook } from "../../../packages/sdk/src/webhooks.ts";
import { issueApiKey } from "../src/modules/access/api-keys.ts";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const SECRET_KEY = randomBytes(32).toString("base64");
const TYPES = ["credit.changed", "outcome.created", "introduction.created"];

async function startApi(database: TestDatabase): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/api-process.ts"], {
    cwd: apiDir,
    env: {
      ...process.env,
      DATABASE_URL: database.location,
      INTROGRAPH_SECRET_KEY: SECRET_KEY,
      INTROGRAPH_WEBHOOK_TIMEOUT_MS: "1000",
      INTROGRAPH_WEBHOOK_RETRY_BASE_MS: "200",
      INTROGRAPH_DEMO_DATA: "off",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((text) => text.startsWith("{"));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`the API process exited (${code}) before it listened`)));
  });
  return { process: child, url };
}

describe("webhooks when the API is killed mid-dispatch (postgres)", () => {
  let database: TestDatabase;
  let receiver: Server;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let arrived = 0;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      arrived += 1;
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      // Slow enough (yet within the dispatcher's time-out) that deliveries are in flight when the sender dies.
      request.on("end", () =>
        setTimeout(() => {
          received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
          if (!response.destroyed) response.writeHead(204).end();
        }, 600),
      );
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    receiver?.close();
    await database?.drop();
  });

  it("delivers every event at least once, each with one id, across a kill -9", async () => {
    const { prisma } = database;
    const adminKey = (await issueApiKey(prisma, { name: "admin", scopes: ["admin"] })).key;
    const gql = async (url: string, query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query, variables }),
      });
      const result = (await response.json()) as { data: Record<string, Record<string, unknown>>; errors?: unknown };
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    const writeOutcomes = async (url: string, count: number) => {
      const person = async (name: string) =>
        (
          (
            await gql(
              url,
              `mutation ($n: String!) { createPerson(input: { displayName: $n }) { ... on CreatePersonSuccess { person { id } } } }`,
              { n: name },
            )
          ).createPerson!.person as { id: string }
        ).id;
      const [a, b, c] = [await person("A"), await person("B"), await person("C")];
      for (let index = 0; index < count; index++) {
        const intro = await gql(
          url,
          `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) { ... on CreateIntroductionSuccess { introduction { id } } } }`,
          {
            input: {
              connectorId: a,
              fromId: b,
              toId: c,
              occurredAt: "2026-03-02T00:00:00Z",
              fromConsentedAt: "2026-03-03T00:00:00Z",
              toConsentedAt: "2026-03-03T00:00:00Z",
            },
          },
        );
        await gql(url, `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) { __typename } }`, {
          input: {
            kind: "DEAL",
            title: `Deal ${index}`,
            value: "100",
            currency: "USD",
            occurredAt: "2026-03-05T00:00:00Z",
            introductionIds: [(intro.createIntroduction!.introduction as { id: string }).id],
          },
        });
      }
    };

    const first = await startApi(database);
    children.push(first.process);
    const registered = await gql(
      first.url,
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename ... on RegisteredWebhookEndpoint { secret } ... on Error { message } } }`,
      { input: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, eventTypes: TYPES } },
    );
    const secret = registered.createWebhookEndpoint!.secret as string;
    expect(secret).toMatch(/^whsec_/);
    await writeOutcomes(first.url, 8);
    // Killed while deliveries are in flight (sent, not yet answered), with more still to fan out.
    const deadline = Date.now() + 20_000;
    while (arrived < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    first.process.kill("SIGKILL");
    await new Promise((resolve) => first.process.once("exit", resolve));
    const atKill = received.length;

    const second = await startApi(database);
    children.push(second.process);
    await writeOutcomes(second.url, 2);

    const expected = (
      await prisma.domainEvent.findMany({ where: { type: { in: TYPES } }, select: { txid: true, id: true } })
    ).map(formatPosition);
    const ids = () => new Set(received.map((request) => request.headers["webhook-id"] as string));
    const waitUntil = Date.now() + 60_000;
    while (expected.some((id) => !ids().has(id)) && Date.now() < waitUntil)
      await new Promise((resolve) => setTimeout(resolve, 100));

    expect(atKill).toBeLessThan(expected.length);
    expect([...ids()].sort()).toEqual([...expected].sort());
    // Every copy verifies and, for one id, carries one body: de-duplicating by webhook-id is safe.
    const bodies = new Map<string, string>();
    for (const request of received) {
      const event = await verifyWebhook(request.body, request.headers as Record<string, string>, secret);
      expect(bodies.get(event.id) ?? request.body).toBe(request.body);
      bodies.set(event.id, request.body);
    }
    // The deliveries in flight at the kill are sent again once their lease runs out, and then recorded as delivered.
    while (
      (await prisma.webhookDelivery.count({ where: { status: { not: "DELIVERED" } } })) > 0 &&
      Date.now() < waitUntil
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await prisma.webhookDelivery.count({ where: { status: "DELIVERED" } })).toBe(expected.length);
    const resent = await prisma.webhookDelivery.count({ where: { attempts: { gt: 1 } } });
    expect(resent).toBeGreaterThan(0);
    if (process.env.INTROGRAPH_TEST_VERBOSE)
      console.log({ events: expected.length, receivedAtKill: atKill, received: received.length, resent });
    second.process.kill("SIGTERM");
  }, 120_000);
});
