// Test server: the real API on a fresh database, over HTTP on a free local port, as partners' code reaches it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import type { DatabaseKind } from "@intrograph/db";
import { issueApiKey } from "../../../apps/api/src/modules/access/api-keys.ts";
import type { RateLimitOptions } from "../../../apps/api/src/rate-limit.ts";
import { createApi } from "../../../apps/api/src/server.ts";

export interface TestServer {
  url: string;
  database: TestDatabase;
  adminKey: string;
  close(): Promise<void>;
}

export async function startTestServer(
  kind: DatabaseKind = "pglite",
  options: { rateLimit?: RateLimitOptions | false; database?: TestDatabase; partnersPersistedOnly?: boolean } = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase(kind));
  const { yoga } = createApi({
    database,
    rateLimit: options.rateLimit ?? false,
    partnersPersistedOnly: options.partnersPersistedOnly ?? false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const adminKey = (await issueApiKey(database.prisma, { name: "test admin", scopes: ["admin"] })).key;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    database,
    adminKey,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await database.drop();
    },
  };
}
