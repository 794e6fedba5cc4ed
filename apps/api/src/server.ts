// The HTTP face of intrograph: GraphQL (and GraphiQL) at /graphql, health at /healthz and /readyz, the admin app at /admin.
import { randomUUID } from "node:crypto";
import { createGraphQLError, createYoga, useReadinessCheck } from "graphql-yoga";
import type { Database } from "@intrograph/db";
import { anonymousViewer, type Context, databaseHandle, type Viewer } from "./context.ts";
import { useAdminApp } from "./admin-static.ts";
import { graphiqlExample } from "./graphiql-example.ts";
import { ApiKeyVerifier, InvalidApiKeyError } from "./modules/access/api-keys.ts";
import { schema } from "./schema.ts";

export interface ApiOptions {
  database: Database;
}

function unauthenticated(message: string) {
  return createGraphQLError(message, {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401, headers: { "WWW-Authenticate": "Bearer" } } },
  });
}

export function createApi({ database }: ApiOptions) {
  const verifier = new ApiKeyVerifier(database.prisma);
  const db = databaseHandle(database);

  async function viewerFor(request: Request): Promise<Viewer> {
    const header = request.headers.get("authorization");
    if (!header) return anonymousViewer;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated("the Authorization header must be `Bearer <API key>`");
    try {
      return await verifier.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidApiKeyError) throw unauthenticated(error.message);
      throw error;
    }
  }

  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    healthCheckEndpoint: "/healthz",
    landingPage: false,
    graphiql: { title: "intrograph GraphiQL", defaultQuery: graphiqlExample, shouldPersistHeaders: true },
    context: async ({ request }): Promise<Context> => ({
      viewer: await viewerFor(request),
      db,
      requestId: request.headers.get("x-request-id") ?? randomUUID(),
    }),
    plugins: [
      useAdminApp(),
      useReadinessCheck({
        endpoint: "/readyz",
        check: async () => {
          await database.prisma.$queryRaw`SELECT 1`;
        },
      }),
    ],
  });

  return { yoga, verifier };
}
