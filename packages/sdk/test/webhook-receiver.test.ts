// The SDK README's webhook receiver, run as written (its import pointed at this checkout's SDK) as its own process:
// under 20 lines, it accepts the API's real deliveries (answers 204 and sees the credit change), de-duplicates a
// redelivery by id, and refuses a forged one.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookDispatcher } from "../../../apps/api/src/modules/webhooks/dispatcher.ts";
import { createClient } from "../src/index.ts";
import { startTestServer, type TestServer } from "./server.ts";

const sdkDir = fileURLToPath(new URL("..", import.meta.url));

async function receiverSnippet(): Promise<string> {
  const readme = await readFile(path.join(sdkDir, "README.md"), "utf8");
  const section = readme.split("### A partner's webhook receiver")[1]?.split("\n## ")[0] ?? "";
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("README.md has no js block under 'A partner's webhook receiver'");
  return code;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe("the README's webhook receiver", () => {
  let server: TestServer;
  let dispatcher: WebhookDispatcher;
  let receiver: ChildProcess | undefined;
  const script = path.join(sdkDir, "test", ".webhook-receiver.mjs");
  let output = "";

  beforeAll(async () => {
    server = await startTestServer("pglite");
    dispatcher = new WebhookDispatcher(server.database, { pollIntervalMs: 50, retryBaseMs: 100 });
    await dispatcher.start();
  });
  afterAll(async () => {
    receiver?.kill();
    await dispatcher?.stop();
    await server?.close();
    await rm(script, { force: true });
  });

  it("is under 20 lines, verifies real deliveries and refuses forged ones", async () => {
    const code = await receiverSnippet();
    expect(
      code
        .trim()
        .split("\n")
        .filter((line) => line.trim() !== "").length,
    ).toBeLessThan(20);
    await writeFile(script, code.replace('"@intrograph/sdk"', JSON.stringify(path.join(sdkDir, "src/index.ts"))));
    const admin = createClient({ url: server.url, apiKey: server.adminKey });
    const port = await freePort();
    // Registration needs the receiver listening (the API refuses URLs it cannot reach); the secret comes after, so the
    // receiver is started twice: once to be registered, then with its secret.
    const start = (secret: string) => {
      const child = spawn(process.execPath, ["--import", "tsx", script], {
        cwd: sdkDir,
        env: { ...process.env, PORT: String(port), INTROGRAPH_WEBHOOK_SECRET: secret },
        stdio: ["ignore", "pipe", "inherit"],
      });
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      return child;
    };
    const listening = async () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        if (
          await fetch(`http://127.0.0.1:${port}/`, { method: "POST" }).then(
            () => true,
            () => false,
          )
        )
          return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("the receiver did not start");
    };
    receiver = start("whsec_AAAA");
    await listening();
    const registered = await admin.webhooks.create({
      url: `http://127.0.0.1:${port}/hooks`,
      eventTypes: ["credit.changed"],
    });
    if (registered.__typename !== "RegisteredWebhookEndpoint") throw new Error(JSON.stringify(registered));
    receiver.kill();
    await new Promise((resolve) => receiver!.once("exit", resolve));
    receiver = start(registered.secret!);
    await listening();

    const person = async (displayName: string) => {
      const created = await admin.people.create({ displayName });
      if (created.__typename !== "CreatePersonSuccess") throw new Error(JSON.stringify(created));
      return created.person.id;
    };
    const [ada, ben, cy] = [await person("Ada"), await person("Ben"), await person("Cy")];
    const intro = await admin.introductions.create({
      connectorId: ada,
      fromId: ben,
      toId: cy,
      occurredAt: "2026-03-01T00:00:00Z",
      fromConsentedAt: "2026-03-02T00:00:00Z",
      toConsentedAt: "2026-03-02T00:00:00Z",
    });
    if (intro.__typename !== "CreateIntroductionSuccess") throw new Error(JSON.stringify(intro));
    const outcome = await admin.outcomes.create({
      kind: "DEAL",
      title: "Deal",
      value: "100",
      currency: "USD",
      occurredAt: "2026-03-05T00:00:00Z",
      introductionIds: [intro.introduction.id],
    });
    expect(outcome.__typename).toBe("RecordOutcomeSuccess");

    const deliveries = async () =>
      (await admin.webhooks.deliveries({ endpointId: registered.endpoint!.id!, first: 10 }))?.deliveries?.edges ?? [];
    for (let attempt = 0; attempt < 100; attempt++) {
      const [first] = await deliveries();
      if (first?.node?.status === "DELIVERED") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [delivered] = await deliveries();
    expect(delivered?.node).toMatchObject({ status: "DELIVERED", responseStatus: 204 });
    expect(output).toContain("credit moved for");
    expect(output).toContain(ada);

    // A redelivery is accepted and not handled twice.
    await admin.webhooks.redeliver(delivered!.node!.id!);
    for (let attempt = 0; attempt < 100; attempt++) {
      const [again] = await deliveries();
      if (again?.node?.status === "DELIVERED" && again.node.attempts === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output.split("credit moved for").length - 1).toBe(1);

    const forged = await fetch(`http://127.0.0.1:${port}/hooks`, {
      method: "POST",
      headers: {
        "webhook-id": "1.1",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,AAAA",
      },
      body: "{}",
    });
    expect(forged.status).toBe(400);
  }, 60_000);
});
