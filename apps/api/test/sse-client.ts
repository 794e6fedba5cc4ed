// A minimal Server-Sent Events reader for tests: POSTs a subscription to a real listening server, parses the stream
// (id, event, data) as it arrives, and waits for messages that match.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { createApi } from "../src/server.ts";

export interface SseMessage {
  id: string | null;
  event: string;
  data: {
    data?: Record<string, unknown>;
    errors?: { message: string; extensions?: { code?: string } }[];
    extensions?: Record<string, unknown>;
  };
}

export interface SseStream {
  status: number;
  messages: SseMessage[];
  /** Resolves with the first message (after `from`) that matches, or fails after `timeoutMs`. */
  waitFor(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

/** The API's yoga on a real HTTP server on a free port. */
export async function listen(yoga: ReturnType<typeof createApi>["yoga"]): Promise<{ url: string; server: Server }> {
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

export async function subscribe(
  url: string,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  /** GET is how an EventSource connects (the query in the URL); POST is graphql-sse's way. */
  method: "GET" | "POST" = "POST",
): Promise<SseStream> {
  const abort = new AbortController();
  const target = new URL(url);
  if (method === "GET") {
    target.searchParams.set("query", query);
    target.searchParams.set("variables", JSON.stringify(variables));
  }
  const response = await fetch(target, {
    method,
    headers: {
      accept: "text/event-stream",
      authorization: `Bearer ${key}`,
      ...(method === "POST" ? { "content-type": "application/json" } : { "x-graphql-csrf": "1" }),
      ...headers,
    },
    ...(method === "POST" ? { body: JSON.stringify({ query, variables }) } : {}),
    signal: abort.signal,
  });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          let id: string | null = null;
          let event = "message";
          const data: string[] = [];
          for (const line of frame.split("\n")) {
            if (line.startsWith(":")) continue;
            const [field, ...rest] = line.split(":");
            const text = rest.join(":").replace(/^ /, "");
            if (field === "id") id = text;
            else if (field === "event") event = text;
            else if (field === "data") data.push(text);
          }
          if (event === "next") messages.push({ id, event, data: JSON.parse(data.join("\n")) });
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // Closed by the test.
    }
  })();
  return {
    status: response.status,
    messages,
    // Generous: events are delivered in the log's final order, which a long write transaction anywhere on a shared
    // PostgreSQL server (another test run's bulk load) holds back until it ends.
    waitFor(match, timeoutMs = 50_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => abort.abort(),
  };
}
