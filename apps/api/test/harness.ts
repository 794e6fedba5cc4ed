// Test harness: a real database per test file (PGlite or PostgreSQL), the API in-process through yoga.fetch, an admin
// key, and a recorder of the SQL statements each request runs.
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import type { DatabaseKind } from "@intrograph/db";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { createApi } from "../src/server.ts";

export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestApi {
  database: TestDatabase;
  adminKey: string;
  /** SQL statements run since the last `resetQueries()`. */
  queries: string[];
  resetQueries(): void;
  request<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { key?: string | null },
  ): Promise<GraphQLResponse<Data> & { status: number }>;
  close(): Promise<void>;
}

export async function startTestApi(kind: DatabaseKind): Promise<TestApi> {
  const queries: string[] = [];
  const database = await createTestDatabase(kind, { onQuery: (event) => queries.push(event.query) });
  const { yoga } = createApi({ database });
  const admin = await issueApiKey(database.prisma, { name: "test admin", scopes: ["admin"] });
  return {
    database,
    adminKey: admin.key,
    queries,
    resetQueries: () => {
      queries.length = 0;
    },
    async request(query, variables, options = {}) {
      const key = options.key === undefined ? admin.key : options.key;
      const response = await yoga.fetch("http://intrograph.test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as GraphQLResponse<any>) };
    },
    close: () => database.drop(),
  };
}

/** Unwraps a successful response, failing loudly with the errors otherwise. */
export function dataOf<Data>(response: GraphQLResponse<Data>): Data {
  if (response.errors?.length || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}
