// Test harness: a real database per test file (PGlite or PostgreSQL), the API in-process through yoga.fetch, an admin
// key, and a recorder of the SQL statements each request runs. Tests send typed documents (`graphql()` from
// ./generated/gql.ts) through `executeOperation`, so their variables and results are checked against the schema.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse, print } from "graphql";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import type { DatabaseKind, QueryEvent } from "@intrograph/db";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { type ApiOptions, createApi } from "../src/server.ts";

export interface GraphQLResponse<Data> {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface RequestOptions {
  /** The API key to send: the admin key when absent, none when null. */
  key?: string | null;
  /** Further request headers (e.g. a malformed Authorization header). */
  headers?: Record<string, string>;
}

export interface TestApi {
  database: TestDatabase;
  adminKey: string;
  /** The server itself, for requests that need more than `executeOperation` shows (e.g. response headers). */
  yoga: ReturnType<typeof createApi>["yoga"];
  /** SQL statements run since the last `resetQueries()`. */
  queries: string[];
  /** The same statements with their parameters, to run them again (e.g. under EXPLAIN). */
  statements: QueryEvent[];
  resetQueries(): void;
  /** Runs a typed document; its variables may be left out only when it declares none. */
  executeOperation<Result>(
    document: TypedDocumentNode<Result, Record<string, never>>,
  ): Promise<GraphQLResponse<Result>>;
  executeOperation<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<Result>>;
  close(): Promise<void>;
}

/**
 * `options` tune the API as createApi's do (e.g. `rateLimit: false` for tests that send thousands of requests). The
 * response cache is off unless asked for: many tests write rows directly, without the events that renew it.
 */
export async function startTestApi(kind: DatabaseKind, options: Omit<ApiOptions, "database"> = {}): Promise<TestApi> {
  const queries: string[] = [];
  const statements: QueryEvent[] = [];
  const database = await createTestDatabase(kind, {
    onQuery: (event) => {
      queries.push(event.query);
      statements.push(event);
    },
  });
  const { yoga } = createApi({ database, responseCache: false, ...options });
  const admin = await issueApiKey(database.prisma, { name: "test admin", scopes: ["admin"] });
  return {
    database,
    yoga,
    adminKey: admin.key,
    queries,
    statements,
    resetQueries: () => {
      queries.length = 0;
      statements.length = 0;
    },
    executeOperation: operationExecutor(yoga, admin.key),
    close: () => database.drop(),
  };
}

/** `executeOperation` over `yoga.fetch`: the typed-document counterpart of a client, with no network port. */
export function operationExecutor(
  yoga: ReturnType<typeof createApi>["yoga"],
  adminKey: string,
): TestApi["executeOperation"] {
  return async <Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
    options: RequestOptions = {},
  ): Promise<GraphQLResponse<Result>> => {
    const key = options.key === undefined ? adminKey : options.key;
    const response = await yoga.fetch("http://intrograph.test/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<Result>, "status">) };
  };
}

/**
 * A document from a plain string, its result typed by hand: for tests that build operations from parts. Prefer
 * `graphql()` documents, whose types codegen checks against the schema.
 */
export function documentOf<Result>(query: string): TypedDocumentNode<Result, Record<string, unknown>> {
  return parse(query);
}

/** Unwraps a successful response, failing loudly with the errors otherwise. */
export function dataOf<Data>(response: GraphQLResponse<Data>): Data {
  if (response.errors?.length || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/** Narrows a union result that selects `__typename` to the member the test expects, failing loudly otherwise. */
export function ofType<Result extends { __typename: string }, Typename extends Result["__typename"]>(
  result: Result | null | undefined,
  typename: Typename,
): Extract<Result, { __typename: Typename }> {
  if (result?.__typename !== typename) throw new Error(`expected a ${typename}, got ${JSON.stringify(result)}`);
  return result as Extract<Result, { __typename: Typename }>;
}

/** A connection's nodes, failing loudly when the connection or one of its nodes is missing. */
export function nodesOf<Node>(connection: { edges: { node: Node | null }[] } | null | undefined): Node[] {
  if (!connection) throw new Error("expected a connection, got none");
  return connection.edges.map((edge) => {
    if (edge.node === null) throw new Error(`expected every edge to have a node, got ${JSON.stringify(connection)}`);
    return edge.node;
  });
}
