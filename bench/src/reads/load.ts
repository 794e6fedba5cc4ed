// Load generation for bench:reads: autocannon against one server for a fixed time, every answer checked for GraphQL
// errors; and sequential timing of single requests for per-operation percentiles.
import autocannon from "autocannon";

export interface GraphQLRequest {
  /** Label for reports (an operation name or a kind of request). */
  name: string;
  body: string;
  key: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Transport errors, time-outs, non-2xx answers and answers carrying GraphQL errors. */
  errors: number;
  /** The first error seen, to say what went wrong. */
  firstError: string | null;
  /** Answers marked as served from the response cache (the `x-response-cache` header), when the server sets it. */
  cacheHits: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** The next request to send; called once per request. */
  next: () => GraphQLRequest;
  /** How long a request may take before it counts as a time-out. */
  timeoutSeconds?: number;
}

/** Runs autocannon for `seconds` with `connections` connections, each request from `next()`. */
export async function runLoad({
  url,
  connections,
  seconds,
  next,
  timeoutSeconds = 10,
}: LoadOptions): Promise<LoadResult> {
  let graphqlErrors = 0;
  let firstError: string | null = null;
  let cacheHits = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: timeoutSeconds,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const { body, key } = next();
          return {
            ...request,
            method: "POST",
            path: new URL(url).pathname,
            headers: {
              "content-type": "application/json",
              "x-graphql-csrf": "1",
              ...(key ? { authorization: `Bearer ${key}` } : {}),
            },
            body,
          };
        },
        onResponse: (status, body, _context, headers) => {
          const cache = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "x-response-cache");
          if (cache?.[1] === "hit") cacheHits += 1;
          if (status !== 200 || body.startsWith('{"errors"') || body.includes('"errors":[')) {
            graphqlErrors += 1;
            firstError ??= `${status}: ${body.slice(0, 300)}`;
          }
        },
      },
    ],
  });
  const transportErrors = result.errors + result.timeouts + result.non2xx;
  return {
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: transportErrors + graphqlErrors,
    firstError,
    cacheHits,
  };
}

/** One request at a time: its time and whether it answered without errors. */
export async function timeRequest(url: string, request: GraphQLRequest): Promise<{ ms: number; error: string | null }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-graphql-csrf": "1", authorization: `Bearer ${request.key}` },
    body: request.body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const failed = response.status !== 200 || text.includes('"errors":[');
  return { ms, error: failed ? `${response.status}: ${text.slice(0, 300)}` : null };
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}
