// The hand-written half of the SDK: one `createClient` with typed methods over the generated documents, typed errors,
// async iteration over connections, retries on 429/503 that honour Retry-After, automatic idempotency keys on
// writes, persisted operations (the document's hash instead of its text), and credit-change subscriptions over
// Server-Sent Events.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type DocumentNode, type OperationDefinitionNode, print } from "graphql";
import { createClient as createSseClient } from "graphql-sse";
import * as ops from "./generated/graphql.ts";

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** `ig_<prefix>_<secret>`; without it only the schema is readable. */
  apiKey?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Retries after a 429 or 503 (default 3). Writes keep their idempotency key across retries. */
  retries?: number;
  /** The longest wait between retries, whatever Retry-After says (default 30 s). */
  maxRetryDelayMs?: number;
  headers?: Record<string, string>;
  /**
   * Send each operation's sha256 hash instead of its text (default true). The API knows every SDK operation by hash; a
   * document it does not know (your own, or a newer SDK than the server) is sent in full after PersistedQueryNotFound.
   */
  persisted?: boolean;
}

/** What a failed request can be, from `extensions.code` or the HTTP status. */
export type IntrographErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "BAD_USER_INPUT"
  | "CONFLICT"
  | "NOT_FOUND"
  | "DEPTH_LIMIT_EXCEEDED"
  | "BREADTH_LIMIT_EXCEEDED"
  | "COMPLEXITY_LIMIT_EXCEEDED"
  | "ALIAS_LIMIT_EXCEEDED"
  | "TOKEN_LIMIT_EXCEEDED"
  | "GRAPHQL_VALIDATION_FAILED"
  | "GRAPHQL_PARSE_FAILED"
  | "PERSISTED_QUERY_ONLY"
  | "INTERNAL_SERVER_ERROR"
  | "HTTP_ERROR";

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * A request the API refused or could not answer: wrong or revoked key (UNAUTHENTICATED), a partner asking for admin
 * data or PII (FORBIDDEN), limits, invalid queries. Expected write failures are not thrown: they are the typed members
 * (ValidationError, NotFoundError, ConflictError, ForbiddenError) of each write's result.
 */
export class IntrographError extends Error {
  constructor(
    readonly code: IntrographErrorCode,
    message: string,
    readonly status: number,
    readonly errors: GraphQLErrorShape[] = [],
    /** Whatever data came back beside the errors (e.g. a person without the refused `email`). */
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "IntrographError";
  }
}

const KNOWN_CODES = new Set<string>([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "RATE_LIMITED",
  "UNAVAILABLE",
  "BAD_USER_INPUT",
  "CONFLICT",
  "NOT_FOUND",
  "DEPTH_LIMIT_EXCEEDED",
  "BREADTH_LIMIT_EXCEEDED",
  "COMPLEXITY_LIMIT_EXCEEDED",
  "ALIAS_LIMIT_EXCEEDED",
  "TOKEN_LIMIT_EXCEEDED",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_PARSE_FAILED",
  "PERSISTED_QUERY_ONLY",
  "INTERNAL_SERVER_ERROR",
]);

function codeOf(status: number, errors: GraphQLErrorShape[]): IntrographErrorCode {
  const code = errors.find((error) => error.extensions?.code)?.extensions?.code;
  if (code && KNOWN_CODES.has(code)) return code as IntrographErrorCode;
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 429) return "RATE_LIMITED";
  if (status === 503) return "UNAVAILABLE";
  return errors.length ? "INTERNAL_SERVER_ERROR" : "HTTP_ERROR";
}

/** Inputs whose writes take an `idempotencyKey`: the client fills one in per logical call. */
const IDEMPOTENT_INPUTS = new Set([
  "CreatePersonInput",
  "CreateOrganizationInput",
  "SetMembershipInput",
  "CreateRelationshipInput",
  "AddInteractionInput",
  "CreateIntroductionInput",
  "RecordOutcomeInput",
]);

interface PreparedDocument {
  query: string;
  /** sha256 hex of `query`, computed on first use; null where Web Crypto is unavailable (plain-http pages). */
  hash?: Promise<string | null>;
  operation: OperationDefinitionNode | undefined;
  idempotentInput: boolean;
}

const prepared = new WeakMap<DocumentNode, PreparedDocument>();

function prepare(document: DocumentNode): PreparedDocument {
  let entry = prepared.get(document);
  if (!entry) {
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === "OperationDefinition",
    );
    const inputVariable = operation?.variableDefinitions?.find((variable) => variable.variable.name.value === "input");
    const inputType = inputVariable?.type.kind === "NonNullType" ? inputVariable.type.type : inputVariable?.type;
    entry = {
      query: print(document),
      operation,
      idempotentInput:
        operation?.operation === "mutation" &&
        inputType?.kind === "NamedType" &&
        IDEMPOTENT_INPUTS.has(inputType.name.value),
    };
    prepared.set(document, entry);
  }
  return entry;
}

/** The key of persisted-operations.json: the hex sha256 of the printed document, exactly as sent. */
async function sha256Hex(text: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = new Uint8Array(await subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function hashOf(entry: PreparedDocument): Promise<string | null> {
  entry.hash ??= sha256Hex(entry.query);
  return entry.hash;
}

/** Retry-After is seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Variables = Record<string, unknown>;

interface Connection<Node> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: Node | null }[];
}

/** Walks a connection page by page; `fetchPage` gets the cursor to continue after. */
async function* iterate<Node>(
  fetchPage: (after: string | null) => Promise<Connection<Node> | null | undefined>,
): AsyncGenerator<Node, void, undefined> {
  let after: string | null = null;
  for (;;) {
    const page: Connection<Node> | null | undefined = await fetchPage(after);
    if (!page) return;
    for (const edge of page.edges) if (edge.node) yield edge.node;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}

/** A write's result union; null only if the server broke its schema, which is reported as an error. */
function result<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined)
    throw new IntrographError("INTERNAL_SERVER_ERROR", `${field} returned no result`, 200);
  return value;
}

export type CreditChange = NonNullable<ops.CreditChangedSubscription["creditChanged"]>;

export function createClient(options: ClientOptions) {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retries = options.retries ?? 3;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const persisted = options.persisted ?? true;
  /** Hashes this server answered PersistedQueryNotFound for: those documents go in full from then on. */
  const unknownHashes = new Set<string>();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...options.headers,
  };

  /** Runs any typed document (generated or your own) and returns its data, or throws IntrographError. */
  async function execute<Data, V extends Variables>(
    document: TypedDocumentNode<Data, V>,
    ...[variables, requestOptions]: V extends Record<string, never>
      ? [V?, { signal?: AbortSignal }?]
      : [V, { signal?: AbortSignal }?]
  ): Promise<Data> {
    const entry = prepare(document);
    const { query, operation, idempotentInput } = entry;
    let sent: Variables | undefined = variables;
    const input = variables?.input;
    if (
      idempotentInput &&
      input &&
      typeof input === "object" &&
      !(input as { idempotencyKey?: unknown }).idempotencyKey
    ) {
      // One key per logical call, fixed before the first attempt so every retry carries the same one.
      sent = { ...variables, input: { ...input, idempotencyKey: crypto.randomUUID() } };
    }
    const operationName = operation?.name?.value;
    const signal = requestOptions?.signal;
    const hash = persisted ? await hashOf(entry) : null;
    let answer: Answer<Data> | undefined;
    if (hash && !unknownHashes.has(hash)) {
      answer = await post<Data>(
        JSON.stringify({
          variables: sent,
          operationName,
          extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
        }),
        signal,
      );
      if (answer.payload.errors?.some((error) => error.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) {
        unknownHashes.add(hash);
        answer = undefined;
      }
    }
    answer ??= await post<Data>(JSON.stringify({ query, variables: sent, operationName }), signal);
    const { status, payload } = answer;
    const errors = payload.errors ?? [];
    if (errors.length || !payload.data) {
      const message = errors.map((error) => error.message).join("; ") || `HTTP ${status} without data`;
      throw new IntrographError(codeOf(status, errors), message, status, errors, payload.data ?? undefined);
    }
    return payload.data;
  }

  interface Answer<Data> {
    status: number;
    payload: { data?: Data | null; errors?: GraphQLErrorShape[] };
  }

  /** One request body, retried after 429/503; the parsed answer, or IntrographError if it is not JSON. */
  async function post<Data>(body: string, signal: AbortSignal | undefined): Promise<Answer<Data>> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchImpl(options.url, { method: "POST", headers, body, signal });
      if ((response.status === 429 || response.status === 503) && attempt < retries) {
        await response.body?.cancel();
        const wait = retryAfterMs(response.headers.get("retry-after")) ?? 250 * 2 ** attempt;
        await sleep(Math.min(wait, maxRetryDelayMs));
        continue;
      }
      const text = await response.text();
      try {
        return { status: response.status, payload: JSON.parse(text) as Answer<Data>["payload"] };
      } catch {
        throw new IntrographError(
          codeOf(response.status, []),
          `HTTP ${response.status}: ${text.slice(0, 200)}`,
          response.status,
        );
      }
    }
  }

  const run = execute as <Data, V extends Variables>(
    document: TypedDocumentNode<Data, V>,
    variables?: V,
  ) => Promise<Data>;

  const people = {
    get: async (id: string) => (await run(ops.PersonByIdDocument, { id })).person,
    search: async (variables: ops.SearchPeopleQueryVariables = {}) =>
      (await run(ops.SearchPeopleDocument, variables)).people,
    /** Every person matching `filter`, fetched a page at a time: `for await (const person of client.people.iterate())`. */
    iterate: (variables: Omit<ops.SearchPeopleQueryVariables, "after"> = {}) =>
      iterate((after) => people.search({ first: 100, ...variables, after })),
    /** The admin person page: PII (email), relationships, memberships, introductions. Admin keys only. */
    page: async (id: string) => (await run(ops.AdminPersonPageDocument, { id })).person,
    create: async (input: ops.CreatePersonInput) =>
      result((await run(ops.CreatePersonDocument, { input })).createPerson, "createPerson"),
    update: async (input: ops.UpdatePersonInput) =>
      result((await run(ops.UpdatePersonDocument, { input })).updatePerson, "updatePerson"),
    merge: async (input: ops.MergePeopleInput) =>
      result((await run(ops.MergePeopleDocument, { input })).mergePeople, "mergePeople"),
  };

  const organizations = {
    search: async (variables: ops.SearchOrganizationsQueryVariables = {}) =>
      (await run(ops.SearchOrganizationsDocument, variables)).organizations,
    iterate: (variables: Omit<ops.SearchOrganizationsQueryVariables, "after"> = {}) =>
      iterate((after) => organizations.search({ first: 100, ...variables, after })),
    create: async (input: ops.CreateOrganizationInput) =>
      result((await run(ops.CreateOrganizationDocument, { input })).createOrganization, "createOrganization"),
    setMembership: async (input: ops.SetMembershipInput) =>
      result((await run(ops.SetMembershipDocument, { input })).setMembership, "setMembership"),
  };

  const relationships = {
    create: async (input: ops.CreateRelationshipInput) =>
      result((await run(ops.CreateRelationshipDocument, { input })).createRelationship, "createRelationship"),
    addInteraction: async (input: ops.AddInteractionInput) =>
      result((await run(ops.AddInteractionDocument, { input })).addInteraction, "addInteraction"),
    /** The curation queue, e.g. `{ filter: { status: "UNVERIFIED" } }`. */
    queue: async (variables: ops.RelationshipQueueQueryVariables = {}) =>
      (await run(ops.RelationshipQueueDocument, variables)).relationships,
    iterate: (variables: Omit<ops.RelationshipQueueQueryVariables, "after"> = {}) =>
      iterate((after) => relationships.queue({ first: 100, ...variables, after })),
    /** Verify, dispute or recategorise (admin keys only). */
    update: async (input: ops.UpdateRelationshipInput) =>
      result((await run(ops.UpdateRelationshipDocument, { input })).updateRelationship, "updateRelationship"),
  };

  const introductions = {
    create: async (input: ops.CreateIntroductionInput) =>
      result((await run(ops.CreateIntroductionDocument, { input })).createIntroduction, "createIntroduction"),
    update: async (input: ops.UpdateIntroductionInput) =>
      result((await run(ops.UpdateIntroductionDocument, { input })).updateIntroduction, "updateIntroduction"),
    list: async (variables: ops.ListIntroductionsQueryVariables = {}) =>
      (await run(ops.ListIntroductionsDocument, variables)).introductions,
    iterate: (variables: Omit<ops.ListIntroductionsQueryVariables, "after"> = {}) =>
      iterate((after) => introductions.list({ first: 100, ...variables, after })),
  };

  const outcomes = {
    record: async (input: ops.RecordOutcomeInput) =>
      result((await run(ops.RecordOutcomeDocument, { input })).recordOutcome, "recordOutcome"),
    list: async (variables: ops.ListOutcomesQueryVariables = {}) =>
      (await run(ops.ListOutcomesDocument, variables)).outcomes,
    iterate: (variables: Omit<ops.ListOutcomesQueryVariables, "after"> = {}) =>
      iterate((after) => outcomes.list({ first: 100, ...variables, after })),
  };

  const credit = {
    /** A connector's credit: totals per currency and the allocations behind them. */
    connector: async (personId: string, variables: Omit<ops.ConnectorCreditQueryVariables, "personId"> = {}) =>
      (await run(ops.ConnectorCreditDocument, { personId, ...variables })).person,
    leaderboard: async (variables: ops.ConnectorLeaderboardQueryVariables = {}) =>
      (await run(ops.ConnectorLeaderboardDocument, variables)).connectorLeaderboard,
    iterateLeaderboard: (variables: Omit<ops.ConnectorLeaderboardQueryVariables, "after"> = {}) =>
      iterate((after) => credit.leaderboard({ first: 100, ...variables, after })),
  };

  const graph = {
    /** The warmest paths from `from` to `to` (a person) or `toOrganization` (its decision makers). */
    warmIntroPaths: async (variables: ops.WarmIntroPathsQueryVariables) =>
      result((await run(ops.WarmIntroPathsDocument, variables)).warmIntroPaths, "warmIntroPaths"),
    metrics: async (id: string) => (await run(ops.PersonMetricsDocument, { id })).person,
  };

  const imports = {
    /**
     * Imports a small file (at most 5 MB; larger ones go through the command-line importer). Safe to repeat: the same
     * file again creates nothing. A partner's rows become its private reports.
     */
    importFile: async (input: ops.ImportFileInput) =>
      result((await run(ops.ImportFileDocument, { input })).importFile, "importFile"),
  };

  const admin = {
    partners: async (variables: ops.PartnersQueryVariables = {}) =>
      (await run(ops.PartnersDocument, variables)).partners,
    iteratePartners: () => iterate((after) => admin.partners({ first: 100, after })),
    createPartner: async (input: ops.CreatePartnerInput) =>
      result((await run(ops.CreatePartnerDocument, { input })).createPartner, "createPartner"),
    apiKeys: async (variables: ops.ApiKeysQueryVariables = {}) => (await run(ops.ApiKeysDocument, variables)).apiKeys,
    iterateApiKeys: (variables: Omit<ops.ApiKeysQueryVariables, "after"> = {}) =>
      iterate((after) => admin.apiKeys({ first: 100, ...variables, after })),
    /** The result's `key` is the only time the secret is shown. */
    createApiKey: async (input: ops.CreateApiKeyInput) =>
      result((await run(ops.CreateApiKeyDocument, { input })).createApiKey, "createApiKey"),
    revokeApiKey: async (id: string) =>
      result((await run(ops.RevokeApiKeyDocument, { id })).revokeApiKey, "revokeApiKey"),
    auditEvents: async (variables: ops.AuditEventsQueryVariables = {}) =>
      (await run(ops.AuditEventsDocument, variables)).auditEvents,
    iterateAuditEvents: (variables: Omit<ops.AuditEventsQueryVariables, "after"> = {}) =>
      iterate((after) => admin.auditEvents({ first: 100, ...variables, after })),
  };

  /**
   * Credit changes as they happen, over SSE (graphql-sse distinct connections mode): `for await (const change of
   * client.subscribeCreditChanges({ personId }))`. Stop with `return()` on the iterator or by breaking the loop.
   */
  function subscribeCreditChanges(
    variables: ops.CreditChangedSubscriptionVariables = {},
  ): AsyncIterableIterator<CreditChange> {
    const sse = createSseClient({
      url: options.url,
      fetchFn: fetchImpl,
      headers: { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers },
      retryAttempts: retries,
    });
    const events = sse.iterate<ops.CreditChangedSubscription>({
      query: prepare(ops.CreditChangedDocument).query,
      variables,
    });
    const changes: AsyncIterableIterator<CreditChange> = {
      async next() {
        for (;;) {
          const next = await events.next();
          if (next.done) {
            sse.dispose();
            return { done: true, value: undefined };
          }
          if (next.value.errors?.length) {
            const errors = next.value.errors as unknown as GraphQLErrorShape[];
            throw new IntrographError(
              codeOf(200, errors),
              errors.map((error) => error.message).join("; "),
              200,
              errors,
            );
          }
          if (next.value.data?.creditChanged) return { done: false, value: next.value.data.creditChanged };
        }
      },
      async return() {
        await events.return?.();
        sse.dispose();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return changes;
      },
    };
    return changes;
  }

  return {
    execute,
    people,
    organizations,
    relationships,
    introductions,
    outcomes,
    credit,
    graph,
    imports,
    admin,
    subscribeCreditChanges,
  };
}

export type IntrographClient = ReturnType<typeof createClient>;
