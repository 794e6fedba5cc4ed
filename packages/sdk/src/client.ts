// The hand-written half of the SDK: one `createClient` with typed methods over the generated documents, every failure
// an IntrographError with a code, async iteration over connections, retries with backoff (honouring Retry-After) of
// requests that did not get through, automatic idempotency keys on writes, persisted operations (the document's hash
// instead of its text), and credit-change subscriptions over Server-Sent Events.
import { type DocumentNode as GraphQLDocument, type OperationDefinitionNode, print } from "graphql";
import { createClient as createSseClient } from "graphql-sse";
import * as ops from "./generated/graphql.ts";
import type { DocumentNode, TypedDocumentNode } from "./typed-document.ts";

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** `ig_<prefix>_<secret>`; without it only the schema is readable. */
  apiKey?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Retries of a request that did not get through (default 3): after 429 or 503 for every operation; after a network
   * failure, a timeout, 502 or 504 only for queries and for writes that carry an idempotency key.
   */
  retries?: number;
  /** The longest wait between retries, whatever Retry-After says (default 30 s). */
  maxRetryDelayMs?: number;
  /** How long one attempt may take before it fails with TIMEOUT (default 30 s; 0 for no limit). */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /**
   * Send each operation's sha256 hash instead of its text (default true). The API knows every SDK operation by hash; a
   * document it does not know (your own, or a newer SDK than the server) is sent in full after PersistedQueryNotFound.
   */
  persisted?: boolean;
}

/**
 * Why a request failed. The client's own: NETWORK (the server could not be reached: down, wrong host or port),
 * TIMEOUT, ABORTED (your signal), NOT_FOUND (no GraphQL API at that URL), BAD_RESPONSE (an answer that is not
 * GraphQL), HTTP_ERROR (any other HTTP failure). The API's, from `extensions.code` or the HTTP status: UNAUTHENTICATED,
 * FORBIDDEN, RATE_LIMITED, UNAVAILABLE, BAD_USER_INPUT, GRAPHQL_VALIDATION_FAILED, … A code the API adds later comes
 * through as it is.
 */
export type IntrographErrorCode =
  | "NETWORK"
  | "TIMEOUT"
  | "ABORTED"
  | "NOT_FOUND"
  | "BAD_RESPONSE"
  | "HTTP_ERROR"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "BAD_REQUEST"
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
  | (string & {});

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface IntrographErrorDetails {
  /** The HTTP status; 0 when no answer came (NETWORK, TIMEOUT, ABORTED). */
  status?: number;
  errors?: GraphQLErrorShape[];
  /** Whatever data came back beside the errors (e.g. a person without the refused `email`). */
  data?: unknown;
  /** The underlying failure, e.g. fetch's TypeError for NETWORK. */
  cause?: unknown;
}

/**
 * Every failure of a request: the server out of reach (NETWORK), a wrong or revoked key (UNAUTHENTICATED), a partner
 * asking for admin data or PII (FORBIDDEN), limits, invalid queries. Expected write failures are not thrown: they are
 * the typed members (ValidationError, NotFoundError, ConflictError, ForbiddenError) of each write's result.
 */
export class IntrographError extends Error {
  readonly code: IntrographErrorCode;
  readonly status: number;
  readonly errors: GraphQLErrorShape[];
  readonly data?: unknown;

  constructor(code: IntrographErrorCode, message: string, details: IntrographErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "IntrographError";
    this.code = code;
    this.status = details.status ?? 0;
    this.errors = details.errors ?? [];
    this.data = details.data;
  }
}

/** The code of a GraphQL answer: the first error's `extensions.code`, else what its HTTP status means. */
function codeOf(status: number, errors: GraphQLErrorShape[]): IntrographErrorCode {
  const code = errors.find((error) => error.extensions?.code)?.extensions?.code;
  if (code) return code;
  return codeOfStatus(status) ?? (errors.length ? "INTERNAL_SERVER_ERROR" : "HTTP_ERROR");
}

function codeOfStatus(status: number): IntrographErrorCode | null {
  if (status === 400) return "BAD_REQUEST";
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 429) return "RATE_LIMITED";
  if (status === 502 || status === 503 || status === 504) return "UNAVAILABLE";
  if (status >= 500) return "INTERNAL_SERVER_ERROR";
  return null;
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

function prepare(typed: DocumentNode): PreparedDocument {
  let entry = prepared.get(typed);
  if (!entry) {
    // The SDK's own documents and codegen's are graphql DocumentNodes; the public type only states less of them.
    const document = typed as GraphQLDocument;
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
    prepared.set(typed, entry);
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
    throw new IntrographError("INTERNAL_SERVER_ERROR", `${field} returned no result`, { status: 200 });
  return value;
}

export type CreditChange = NonNullable<ops.CreditChangedSubscription["creditChanged"]>;
export type IntroductionChange = NonNullable<ops.IntroductionChangedSubscription["introductionChanged"]>;
export type OutcomeChange = NonNullable<ops.OutcomeChangedSubscription["outcomeChanged"]>;

/** An event stream that resumes after the last event it handed over; `lastEventId` says which that was. */
export interface ResumableSubscription<Event> extends AsyncIterableIterator<Event> {
  readonly lastEventId: string | null;
}

/** Statuses that mean the request was not handled and may be sent again. */
const RETRY_ANY = new Set([429, 503]);
/** Statuses after which the request may have been handled: sent again only when that is harmless. */
const RETRY_SAFE = new Set([502, 504]);

/** Waits before retry `attempt` (0-based): Retry-After when the server said, else exponential backoff with jitter. */
function retryDelayMs(attempt: number, retryAfter: number | null, maxRetryDelayMs: number): number {
  const backoff = 250 * 2 ** attempt * (0.5 + Math.random() / 2);
  return Math.min(retryAfter ?? backoff, maxRetryDelayMs);
}

/** fetch's failure as the reason a partner can act on: "ECONNREFUSED", "ENOTFOUND", … */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export function createClient(options: ClientOptions) {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retries = options.retries ?? 3;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
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
    // A query changes nothing, and a write with an idempotency key is written once however often it is sent.
    const safe =
      operation?.operation === "query" ||
      Boolean((sent?.input as { idempotencyKey?: unknown } | undefined)?.idempotencyKey);
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
        safe,
        signal,
      );
      if (answer.payload.errors?.some((error) => error.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) {
        unknownHashes.add(hash);
        answer = undefined;
      }
    }
    answer ??= await post<Data>(JSON.stringify({ query, variables: sent, operationName }), safe, signal);
    const { status, payload } = answer;
    const errors = payload.errors ?? [];
    if (errors.length || !payload.data) {
      const message = errors.map((error) => error.message).join("; ") || `HTTP ${status} without data`;
      throw new IntrographError(codeOf(status, errors), message, {
        status,
        errors,
        data: payload.data ?? undefined,
      });
    }
    return payload.data;
  }

  interface Answer<Data> {
    status: number;
    payload: { data?: Data | null; errors?: GraphQLErrorShape[] };
  }

  interface Reply {
    status: number;
    headers: Headers;
    text: string;
  }

  /** One attempt: the status and body, or IntrographError (NETWORK, TIMEOUT, ABORTED) when no answer came. */
  async function attempt(body: string, signal: AbortSignal | undefined): Promise<Reply> {
    const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const signals = [signal, timeout].filter((each): each is AbortSignal => each !== undefined);
    try {
      const response = await fetchImpl(options.url, {
        method: "POST",
        headers,
        body,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      });
      // The body is read within the same time limit.
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      if (signal?.aborted) throw new IntrographError("ABORTED", "the request was aborted", { cause: error });
      if (timeout?.aborted)
        throw new IntrographError("TIMEOUT", `${options.url} did not answer within ${timeoutMs} ms`, { cause: error });
      throw new IntrographError(
        "NETWORK",
        `cannot reach ${options.url} (${networkReason(error)}): is the server running, and is the URL right?`,
        { cause: error },
      );
    }
  }

  /** One request body, retried while it may be; the parsed answer, or IntrographError. */
  async function post<Data>(body: string, safe: boolean, signal: AbortSignal | undefined): Promise<Answer<Data>> {
    for (let tries = 0; ; tries++) {
      let reply: Reply;
      try {
        reply = await attempt(body, signal);
      } catch (error) {
        const retryable = safe && error instanceof IntrographError && error.code !== "ABORTED";
        if (!retryable || tries >= retries) throw error;
        await sleep(retryDelayMs(tries, null, maxRetryDelayMs));
        continue;
      }
      const { status, text } = reply;
      if ((RETRY_ANY.has(status) || (safe && RETRY_SAFE.has(status))) && tries < retries) {
        await sleep(retryDelayMs(tries, retryAfterMs(reply.headers.get("retry-after")), maxRetryDelayMs));
        continue;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        payload = undefined;
      }
      if (payload && typeof payload === "object" && ("data" in payload || "errors" in payload))
        return { status, payload: payload as Answer<Data>["payload"] };
      throw httpFailure(status, text);
    }
  }

  /** An answer that is not GraphQL: the wrong URL, a proxy's error page, … */
  function httpFailure(status: number, text: string): IntrographError {
    const excerpt = text.trim().slice(0, 200);
    if (status === 404)
      return new IntrographError(
        "NOT_FOUND",
        `no GraphQL API at ${options.url} (HTTP 404): the URL should end in /graphql, e.g. http://127.0.0.1:4000/graphql`,
        { status },
      );
    const code = codeOfStatus(status) ?? (status >= 200 && status < 300 ? "BAD_RESPONSE" : "HTTP_ERROR");
    return new IntrographError(
      code,
      `${options.url} answered HTTP ${status} without a GraphQL response${excerpt ? `: ${excerpt}` : ""}`,
      { status },
    );
  }

  const run = execute as <Data, V extends Variables>(
    document: TypedDocumentNode<Data, V>,
    variables?: V,
  ) => Promise<Data>;

  const people = {
    /** One person by id, or null. */
    get: async (id: string) => (await run(ops.PersonByIdDocument, { id })).person,
    /** A page of people: `{ filter: { search, topic, organizationId }, orderBy, first, after }`. */
    list: async (variables: ops.SearchPeopleQueryVariables = {}) =>
      (await run(ops.SearchPeopleDocument, variables)).people,
    /** A page of people whose name or headline matches `text`. */
    search: async (text: string, variables: ops.SearchPeopleQueryVariables = {}) =>
      people.list({ ...variables, filter: { ...variables.filter, search: text } }),
    /** Every person matching `filter`, fetched a page at a time: `for await (const person of client.people.iterate())`. */
    iterate: (variables: Omit<ops.SearchPeopleQueryVariables, "after"> = {}) =>
      iterate((after) => people.list({ first: 100, ...variables, after })),
    create: async (input: ops.CreatePersonInput) =>
      result((await run(ops.CreatePersonDocument, { input })).createPerson, "createPerson"),
    update: async (input: ops.UpdatePersonInput) =>
      result((await run(ops.UpdatePersonDocument, { input })).updatePerson, "updatePerson"),
    /** Merges `mergedId` into `survivorId` (admin keys only). */
    merge: async (input: ops.MergePeopleInput) =>
      result((await run(ops.MergePeopleDocument, { input })).mergePeople, "mergePeople"),
  };

  const socialAccounts = {
    /** One social account with its audience-quality explanation, flags and a page of its follower-count history. */
    get: async (id: string, variables: Omit<ops.SocialAccountByIdQueryVariables, "id"> = {}) => {
      const node = (await run(ops.SocialAccountByIdDocument, { id, ...variables })).node;
      return node?.__typename === "SocialAccount" ? node : null;
    },
    /** Adds an account with its counts (and optionally earlier counts and a follower sample); its score is computed. */
    create: async (input: ops.CreateSocialAccountInput) =>
      result((await run(ops.CreateSocialAccountDocument, { input })).createSocialAccount, "createSocialAccount"),
    /** New counts at the version you read: recorded in the history, and the score recomputed. */
    update: async (input: ops.UpdateSocialAccountInput) =>
      result((await run(ops.UpdateSocialAccountDocument, { input })).updateSocialAccount, "updateSocialAccount"),
  };

  const organizations = {
    /** A page of organizations: `{ filter: { kind, search }, first, after }`. */
    list: async (variables: ops.SearchOrganizationsQueryVariables = {}) =>
      (await run(ops.SearchOrganizationsDocument, variables)).organizations,
    /** A page of organizations whose name or domain matches `text`. */
    search: async (text: string, variables: ops.SearchOrganizationsQueryVariables = {}) =>
      organizations.list({ ...variables, filter: { ...variables.filter, search: text } }),
    iterate: (variables: Omit<ops.SearchOrganizationsQueryVariables, "after"> = {}) =>
      iterate((after) => organizations.list({ first: 100, ...variables, after })),
    create: async (input: ops.CreateOrganizationInput) =>
      result((await run(ops.CreateOrganizationDocument, { input })).createOrganization, "createOrganization"),
    /** A person's membership (title, decision maker, since/until) at an organization, created or updated. */
    setMembership: async (input: ops.SetMembershipInput) =>
      result((await run(ops.SetMembershipDocument, { input })).setMembership, "setMembership"),
  };

  const relationships = {
    /** A page of relationships, e.g. the curation queue: `{ filter: { status: "UNVERIFIED" } }`. */
    list: async (variables: ops.RelationshipQueueQueryVariables = {}) =>
      (await run(ops.RelationshipQueueDocument, variables)).relationships,
    iterate: (variables: Omit<ops.RelationshipQueueQueryVariables, "after"> = {}) =>
      iterate((after) => relationships.list({ first: 100, ...variables, after })),
    create: async (input: ops.CreateRelationshipInput) =>
      result((await run(ops.CreateRelationshipDocument, { input })).createRelationship, "createRelationship"),
    /** Verify, dispute or recategorise (admin keys only). */
    update: async (input: ops.UpdateRelationshipInput) =>
      result((await run(ops.UpdateRelationshipDocument, { input })).updateRelationship, "updateRelationship"),
    /** Evidence for a relationship (a meeting, a message…); its strength is recomputed from all of it. */
    addInteraction: async (input: ops.AddInteractionInput) =>
      result((await run(ops.AddInteractionDocument, { input })).addInteraction, "addInteraction"),
  };

  const introductions = {
    /** A page of introductions: `{ filter: { connectorId, status, consentedOnly, occurredAfter }, first, after }`. */
    list: async (variables: ops.ListIntroductionsQueryVariables = {}) =>
      (await run(ops.ListIntroductionsDocument, variables)).introductions,
    iterate: (variables: Omit<ops.ListIntroductionsQueryVariables, "after"> = {}) =>
      iterate((after) => introductions.list({ first: 100, ...variables, after })),
    /** How many introductions the filter matches (of those this key may see). */
    count: async (variables: ops.CountIntroductionsQueryVariables = {}) =>
      (await run(ops.CountIntroductionsDocument, variables)).introductions?.totalCount ?? 0,
    create: async (input: ops.CreateIntroductionInput) =>
      result((await run(ops.CreateIntroductionDocument, { input })).createIntroduction, "createIntroduction"),
    update: async (input: ops.UpdateIntroductionInput) =>
      result((await run(ops.UpdateIntroductionDocument, { input })).updateIntroduction, "updateIntroduction"),
    /** One side withdrew consent: the introduction stops earning credit on outcomes whose credit has not locked. */
    withdrawConsent: async (input: ops.WithdrawIntroductionConsentInput) =>
      result(
        (await run(ops.WithdrawIntroductionConsentDocument, { input })).withdrawIntroductionConsent,
        "withdrawIntroductionConsent",
      ),
  };

  const outcomes = {
    /** A page of outcomes: `{ filter: { kind, currency, occurredAfter }, first, after }`. */
    list: async (variables: ops.ListOutcomesQueryVariables = {}) =>
      (await run(ops.ListOutcomesDocument, variables)).outcomes,
    iterate: (variables: Omit<ops.ListOutcomesQueryVariables, "after"> = {}) =>
      iterate((after) => outcomes.list({ first: 100, ...variables, after })),
    /** How many outcomes the filter matches (of those this key may see). */
    count: async (variables: ops.CountOutcomesQueryVariables = {}) =>
      (await run(ops.CountOutcomesDocument, variables)).outcomes?.totalCount ?? 0,
    /** Records an outcome (a deal, a hire…) and the introductions that led to it; its credit is computed at once. */
    create: async (input: ops.RecordOutcomeInput) =>
      result((await run(ops.RecordOutcomeDocument, { input })).recordOutcome, "recordOutcome"),
    /** Value, currency and date change only until the credit locks (a CreditLockedError after); the title always. */
    update: async (input: ops.UpdateOutcomeInput) =>
      result((await run(ops.UpdateOutcomeDocument, { input })).updateOutcome, "updateOutcome"),
    /** How the outcome's credit moved over time, oldest first, with causes; and when it locks. */
    creditHistory: async (
      outcomeId: string,
      variables: Omit<ops.OutcomeCreditHistoryQueryVariables, "outcomeId"> = {},
    ) => {
      const { node } = await run(ops.OutcomeCreditHistoryDocument, { outcomeId, ...variables });
      return node && "creditHistory" in node ? node : null;
    },
  };

  const credit = {
    /** A connector's credit: totals per currency and the allocations behind them. */
    get: async (personId: string, variables: Omit<ops.ConnectorCreditQueryVariables, "personId"> = {}) =>
      (await run(ops.ConnectorCreditDocument, { personId, ...variables })).person,
    /** A connector's credit totals as they stood at `asOf` (an ISO 8601 timestamp). */
    asOf: async (
      personId: string,
      asOf: string,
      variables: Omit<ops.ConnectorCreditAsOfQueryVariables, "personId" | "asOf"> = {},
    ) => (await run(ops.ConnectorCreditAsOfDocument, { personId, asOf, ...variables })).person,
    /**
     * A connector's statement: every outcome their introductions led to in `period`, their introductions on its
     * chains, credit under every model with its summary, and open disputes. Totals equal `get` under each model.
     */
    statement: async (personId: string, variables: Omit<ops.ConnectorStatementQueryVariables, "personId"> = {}) =>
      (await run(ops.ConnectorStatementDocument, { personId, ...variables })).person,
    /** Every change of a connector's credit, oldest first, with its cause. */
    history: async (personId: string, variables: Omit<ops.PersonCreditHistoryQueryVariables, "personId"> = {}) =>
      (await run(ops.PersonCreditHistoryDocument, { personId, ...variables })).person?.creditHistory,
    /** When an outcome's credit was computed, and whether it is stale. */
    freshness: async (
      outcomeId: string,
      variables: Omit<ops.OutcomeCreditFreshnessQueryVariables, "outcomeId"> = {},
    ) => {
      const { node } = await run(ops.OutcomeCreditFreshnessDocument, { outcomeId, ...variables });
      return node && "creditFreshness" in node ? node : null;
    },
  };

  const leaderboard = {
    /** A page of connectors ranked by credit: `{ model, period, currency, first, after }`. */
    list: async (variables: ops.ConnectorLeaderboardQueryVariables = {}) =>
      (await run(ops.ConnectorLeaderboardDocument, variables)).connectorLeaderboard,
    iterate: (variables: Omit<ops.ConnectorLeaderboardQueryVariables, "after"> = {}) =>
      iterate((after) => leaderboard.list({ first: 100, ...variables, after })),
  };

  const warmIntroPaths = {
    /** The warmest paths from `from` to `to` (a person) or `toOrganization` (its decision makers). */
    search: async (variables: ops.WarmIntroPathsQueryVariables) =>
      result((await run(ops.WarmIntroPathsDocument, variables)).warmIntroPaths, "warmIntroPaths"),
  };

  const discovery = {
    /**
     * People who matter for `topics` (and `toOrganization`), ranked by connector value — credit on the topic's outcomes,
     * brokerage in its community, reach into decision makers, warmth from `near` — with each score explained.
     */
    search: async (variables: ops.DiscoverConnectorsQueryVariables) =>
      (await run(ops.DiscoverConnectorsDocument, variables)).discoverConnectors,
    topicAliases: async () => (await run(ops.TopicAliasesDocument, {})).topicAliases,
    /** Admin keys only: `alias` becomes another name for `topic`. */
    setTopicAlias: async (alias: string, topic: string) =>
      result((await run(ops.SetTopicAliasDocument, { alias, topic })).setTopicAlias, "setTopicAlias"),
  };

  const metrics = {
    /** A person's brokerage metrics and role (connector, influencer, both), with their freshness. */
    get: async (personId: string) => (await run(ops.PersonMetricsDocument, { id: personId })).person,
  };

  const imports = {
    /**
     * Imports a small file (at most 5 MB; larger ones go through the command-line importer) and returns its report.
     * Safe to repeat: the same file again creates nothing. A partner's rows become its private reports.
     */
    create: async (input: ops.ImportFileInput) =>
      result((await run(ops.ImportFileDocument, { input })).importFile, "importFile"),
  };

  /** Admin keys only. */
  const admin = {
    /** The admin person page: PII (email), relationships, memberships, introductions. */
    getPerson: async (id: string) => (await run(ops.AdminPersonPageDocument, { id })).person,
    partners: {
      list: async (variables: ops.PartnersQueryVariables = {}) => (await run(ops.PartnersDocument, variables)).partners,
      iterate: () => iterate((after) => admin.partners.list({ first: 100, after })),
      create: async (input: ops.CreatePartnerInput) =>
        result((await run(ops.CreatePartnerDocument, { input })).createPartner, "createPartner"),
    },
    apiKeys: {
      list: async (variables: ops.ApiKeysQueryVariables = {}) => (await run(ops.ApiKeysDocument, variables)).apiKeys,
      iterate: (variables: Omit<ops.ApiKeysQueryVariables, "after"> = {}) =>
        iterate((after) => admin.apiKeys.list({ first: 100, ...variables, after })),
      /** The result's `key` is the only time the secret is shown. */
      create: async (input: ops.CreateApiKeyInput) =>
        result((await run(ops.CreateApiKeyDocument, { input })).createApiKey, "createApiKey"),
      revoke: async (id: string) => result((await run(ops.RevokeApiKeyDocument, { id })).revokeApiKey, "revokeApiKey"),
    },
    auditEvents: {
      list: async (variables: ops.AuditEventsQueryVariables = {}) =>
        (await run(ops.AuditEventsDocument, variables)).auditEvents,
      iterate: (variables: Omit<ops.AuditEventsQueryVariables, "after"> = {}) =>
        iterate((after) => admin.auditEvents.list({ first: 100, ...variables, after })),
    },
    /** Makes an outcome's credit final now (or at an earlier moment than its lock date). */
    lockOutcomeCredit: async (input: ops.LockOutcomeCreditInput) =>
      result((await run(ops.LockOutcomeCreditDocument, { input })).lockOutcomeCredit, "lockOutcomeCredit"),
    /** A person's privacy rights: staying off warm-intro paths, erasure (irreversible), export. */
    privacy: {
      setPathsOptOut: async (input: ops.SetPathsOptOutInput) =>
        result((await run(ops.SetPathsOptOutDocument, { input })).setPathsOptOut, "setPathsOptOut"),
      /** Irreversible: pass `irreversible: true`. */
      erase: async (input: ops.ErasePersonInput) =>
        result((await run(ops.ErasePersonDocument, { input })).erasePerson, "erasePerson"),
      /** Everything stored about the person, as one JSON document. */
      export: async (id: string) => (await run(ops.PersonExportDocument, { id })).personExport,
    },
    /** The MARKOV credit job's recent runs. */
    creditModelRuns: async () => (await run(ops.CreditModelRunsDocument, {})).creditModelRuns,
  };

  /**
   * A subscription over SSE (graphql-sse distinct connections mode) that survives dropped connections: it remembers
   * the id of the last event it handed over and reconnects (up to `retries` times in a row, with backoff) passing it as
   * `after`, so the server sends exactly what was missed. `lastEventId` is that id: keep it to resume in a later
   * process with `{ after: lastEventId }`.
   */
  function resumable<Data, Variables extends { after?: string | null }, Event extends { eventId: string | null }>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    pick: (data: Data) => Event | null | undefined,
  ): ResumableSubscription<Event> {
    const sse = createSseClient({
      url: options.url,
      fetchFn: fetchImpl,
      headers: { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers },
      retryAttempts: 0,
    });
    const query = prepare(document).query;
    let lastEventId: string | null = variables.after ?? null;
    let events: AsyncIterableIterator<{ data?: Data | null; errors?: readonly unknown[] }> | null = null;
    let failures = 0;
    let closed = false;
    const connect = () =>
      sse.iterate<Data>({ query, variables: { ...variables, after: lastEventId } as Record<string, unknown> });
    const close = async () => {
      closed = true;
      await events?.return?.();
      sse.dispose();
    };
    const subscription: ResumableSubscription<Event> = {
      get lastEventId() {
        return lastEventId;
      },
      async next() {
        for (;;) {
          if (closed) return { done: true, value: undefined };
          events ??= connect();
          let next: IteratorResult<{ data?: Data | null; errors?: readonly unknown[] }>;
          try {
            next = await events.next();
          } catch (error) {
            events = null;
            if (error instanceof IntrographError) {
              await close();
              throw error;
            }
            if (failures >= retries) {
              await close();
              throw new IntrographError(
                "NETWORK",
                `the event stream from ${options.url} broke (${networkReason(error)})`,
                {
                  cause: error,
                },
              );
            }
            await new Promise((resolve) => setTimeout(resolve, retryDelayMs(failures, null, maxRetryDelayMs)));
            failures += 1;
            continue;
          }
          if (next.done) {
            // The server ended the stream (a restart, or this subscriber fell behind): resume after the last event.
            events = null;
            if (failures >= retries) {
              await close();
              return { done: true, value: undefined };
            }
            failures += 1;
            continue;
          }
          if (next.value.errors?.length) {
            const errors = next.value.errors as unknown as GraphQLErrorShape[];
            await close();
            throw new IntrographError(codeOf(200, errors), errors.map((error) => error.message).join("; "), {
              status: 200,
              errors,
            });
          }
          const event = next.value.data ? pick(next.value.data) : null;
          if (event) {
            failures = 0;
            lastEventId = event.eventId ?? lastEventId;
            return { done: false, value: event };
          }
        }
      },
      async return() {
        await close();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return subscription;
      },
    };
    return subscription;
  }

  /**
   * Every credit change as it happens: `for await (const change of client.subscribeCreditChanges({ personId }))`.
   * Resumes by itself after a dropped connection; pass `after` (an event id) to start after an event you saw before.
   * Stop with `return()` on the iterator or by breaking the loop.
   */
  const subscribeCreditChanges = (variables: ops.CreditChangedSubscriptionVariables = {}) =>
    resumable(ops.CreditChangedDocument, variables, (data) => data.creditChanged);

  /** Introductions reported or changed (consent included), resumable like subscribeCreditChanges. */
  const subscribeIntroductionChanges = (variables: ops.IntroductionChangedSubscriptionVariables = {}) =>
    resumable(ops.IntroductionChangedDocument, variables, (data) => data.introductionChanged);

  /** Outcomes recorded or changed, resumable like subscribeCreditChanges. */
  const subscribeOutcomeChanges = (variables: ops.OutcomeChangedSubscriptionVariables = {}) =>
    resumable(ops.OutcomeChangedDocument, variables, (data) => data.outcomeChanged);

  /** Your webhook endpoints (an admin's: every endpoint): register, change, read the delivery log, redeliver. */
  const webhooks = {
    eventTypes: async () => (await run(ops.WebhookEventTypesDocument, {})).webhookEventTypes,
    list: async (variables: ops.WebhookEndpointsQueryVariables = {}) =>
      (await run(ops.WebhookEndpointsDocument, variables)).webhookEndpoints,
    /** The result's `secret` (whsec_…) is the only time the signing secret is shown. */
    create: async (input: ops.CreateWebhookEndpointInput) =>
      result((await run(ops.CreateWebhookEndpointDocument, { input })).createWebhookEndpoint, "createWebhookEndpoint"),
    update: async (input: ops.UpdateWebhookEndpointInput) =>
      result((await run(ops.UpdateWebhookEndpointDocument, { input })).updateWebhookEndpoint, "updateWebhookEndpoint"),
    delete: async (id: string) =>
      result((await run(ops.DeleteWebhookEndpointDocument, { id })).deleteWebhookEndpoint, "deleteWebhookEndpoint"),
    /** One endpoint's delivery log, newest first; null for an id that is not yours. */
    deliveries: async (variables: ops.WebhookDeliveriesQueryVariables) =>
      (await run(ops.WebhookDeliveriesDocument, variables)).webhookEndpoint,
    redeliver: async (id: string) =>
      result((await run(ops.RedeliverWebhookDocument, { id })).redeliverWebhook, "redeliverWebhook"),
  };

  return {
    execute,
    people,
    socialAccounts,
    organizations,
    relationships,
    introductions,
    outcomes,
    credit,
    leaderboard,
    warmIntroPaths,
    discovery,
    metrics,
    imports,
    admin,
    subscribeCreditChanges,
    subscribeIntroductionChanges,
    subscribeOutcomeChanges,
    webhooks,
  };
}

export type IntrographClient = ReturnType<typeof createClient>;
