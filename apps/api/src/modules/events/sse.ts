// Subscriptions over Server-Sent Events with event ids: every message a subscription sends from the event log carries
// the event's id as the SSE `id:` field (so an EventSource sends it back as Last-Event-ID when it reconnects) and as
// `extensions.eventId` in the GraphQL result (so any client can resume with the `after` argument). Otherwise it streams
// exactly like graphql-yoga's own SSE processor (graphql-sse's distinct connections mode: `event: next`, `data:`,
// `event: complete`, comment pings).
import type { ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";

/** The id of the event a subscription is about to send, per GraphQL context (set by the source, read per result). */
const sending = new WeakMap<object, string>();

/** Called by a subscription's source just before it yields the event with this id. */
export function noteEventSent(context: object, eventId: string): void {
  sending.set(context, eventId);
}

const PING_MS = 12_000;

function sseResponse(
  results: AsyncIterable<ExecutionResult>,
  fetchAPI: { ReadableStream: typeof ReadableStream; Response: typeof Response; TextEncoder: typeof TextEncoder },
): Response {
  const encoder = new fetchAPI.TextEncoder();
  let iterator: AsyncIterator<ExecutionResult>;
  let ping: ReturnType<typeof setInterval>;
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // A comment first: some clients wait for the first bytes before they report the response.
      controller.enqueue(encoder.encode(":\n\n"));
      ping = setInterval(() => {
        if (controller.desiredSize === null) clearInterval(ping);
        else if (controller.desiredSize > 0) controller.enqueue(encoder.encode(":\n\n"));
      }, PING_MS);
      iterator = results[Symbol.asyncIterator]();
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.value != null) {
          const { extensions } = next.value;
          const eventId = typeof extensions?.eventId === "string" ? extensions.eventId : null;
          // Yoga's internal `http` extension is never sent.
          const { http: _http, ...shown } = extensions ?? {};
          const result = { ...next.value, extensions: Object.keys(shown).length ? shown : undefined };
          controller.enqueue(
            encoder.encode(`${eventId ? `id: ${eventId}\n` : ""}event: next\ndata: ${JSON.stringify(result)}\n\n`),
          );
        }
        if (next.done) {
          controller.enqueue(encoder.encode("event: complete\ndata:\n\n"));
          clearInterval(ping);
          controller.close();
        }
      } catch (error) {
        clearInterval(ping);
        controller.error(error);
      }
    },
    async cancel() {
      clearInterval(ping);
      await iterator.return?.();
    },
  });
  return new fetchAPI.Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream",
      Connection: "keep-alive",
      "Cache-Control": "no-cache",
      "Content-Encoding": "none",
    },
  });
}

export function useEventIds(): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult() {
          return {
            onNext({ args, result, setResult }) {
              const eventId = sending.get(args.contextValue as object);
              if (eventId) setResult({ ...result, extensions: { ...result.extensions, eventId } });
            },
          };
        },
      };
    },
    onResultProcess({ request, result, setResultProcessor }) {
      if (!result || typeof result !== "object" || !(Symbol.asyncIterator in result)) return;
      const accept = request.headers.get("accept") ?? "";
      if (!/\btext\/event-stream\b/i.test(accept)) return;
      setResultProcessor(
        (results, fetchAPI) => sseResponse(results as AsyncIterable<ExecutionResult>, fetchAPI),
        "text/event-stream",
      );
    },
  };
}
