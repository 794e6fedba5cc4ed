// The API as its own process, with the webhook dispatcher in it, for tests that kill it (SIGKILL) mid-dispatch: opens
// DATABASE_URL, serves on a free port and prints {"url": …} once it listens.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { openDatabase } from "@intrograph/db";
import { WebhookDispatcher } from "../src/modules/webhooks/dispatcher.ts";
import { createApi } from "../src/server.ts";

const database = await openDatabase();
const { yoga } = createApi({ database, rateLimit: false });
const dispatcher = new WebhookDispatcher(database, { pollIntervalMs: 50 });
await dispatcher.start();
const server = createServer(yoga);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` })}\n`,
  );
});
