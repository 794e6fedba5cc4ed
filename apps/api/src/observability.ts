// Operations: structured JSON logs (pino), Prometheus metrics at /metrics, and a request-size cap.
import { usePrometheus } from "@graphql-yoga/plugin-prometheus";
import type { Plugin } from "graphql-yoga";
import pino, { type Logger } from "pino";
import type { PrismaClient } from "@intrograph/db";
import { readQueueStats } from "@intrograph/jobs/runner";
import { Gauge, Registry, collectDefaultMetrics } from "prom-client";

/** Larger bodies are refused with 413 before they are read; `importFile` caps its content at 5 MB inside this. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

export function createLogger(): Logger {
  // Tests run many servers in one process; they stay quiet unless LOG_LEVEL asks otherwise.
  const level = process.env.LOG_LEVEL ?? (process.env.VITEST ? "silent" : "info");
  return pino({ level, base: { service: "intrograph-api" } });
}

/** GraphQL and HTTP metrics, plus the process's own, on a registry of this server's (tests start several). */
export function useMetrics(prisma: PrismaClient): Plugin {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Job queue depth and failures, read from the job table at scrape time (one small grouped query).
  new Gauge({
    name: "intrograph_jobs",
    help: "Background jobs per queue and state (queued, active, failed).",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of await readQueueStats(prisma).catch(() => []))
        for (const state of ["queued", "active", "failed"] as const)
          this.set({ queue: queue.name, state }, queue[state]);
    },
  });
  // Webhook deliveries waiting, retrying or given up (delivered ones are not counted: the log of them only grows).
  new Gauge({
    name: "intrograph_webhook_deliveries",
    help: "Webhook deliveries per state (pending, retrying, failed).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await prisma.webhookDelivery
        .groupBy({ by: ["status"], where: { status: { in: ["PENDING", "RETRYING", "FAILED"] } }, _count: true })
        .catch(() => []);
      for (const state of ["PENDING", "RETRYING", "FAILED"] as const)
        this.set({ state: state.toLowerCase() }, rows.find((row) => row.status === state)?._count ?? 0);
    },
  });
  return usePrometheus({
    endpoint: "/metrics",
    registry,
    metrics: {
      graphql_yoga_http_duration: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_phase_parse: true,
      graphql_envelop_phase_validate: true,
      graphql_envelop_phase_execute: true,
      graphql_envelop_error_result: true,
      graphql_envelop_deprecated_field: true,
    },
  }) as Plugin;
}

/** One log line per HTTP request, and 413 for bodies over the cap. */
export function useRequestLog(logger: Logger): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request, endResponse }) {
      started.set(request, performance.now());
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > MAX_REQUEST_BYTES) {
        endResponse(
          Response.json(
            {
              errors: [
                {
                  message: `request body over ${MAX_REQUEST_BYTES / 1024 / 1024} MB`,
                  extensions: { code: "PAYLOAD_TOO_LARGE" },
                },
              ],
            },
            { status: 413 },
          ),
        );
      }
    },
    onResponse({ request, response }) {
      const url = new URL(request.url);
      logger.info(
        {
          method: request.method,
          path: url.pathname,
          status: response.status,
          durationMs: Math.round((performance.now() - (started.get(request) ?? performance.now())) * 10) / 10,
          requestId: request.headers.get("x-request-id") ?? undefined,
        },
        "request",
      );
    },
  };
}
