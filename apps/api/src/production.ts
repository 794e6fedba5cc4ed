// The production profile (NODE_ENV=production): what an API on the open internet must not give away. No field
// suggestions (they spell out the schema to anyone who guesses), no parser internals in answers, CORS only for the
// origins listed, /metrics only with its token. Development keeps the helpful defaults, except that CORS never sends
// credentials (keys travel in a header, not cookies) and /metrics asks for the token whenever one is set.
import { timingSafeEqual } from "node:crypto";
import { blockFieldSuggestionsPlugin } from "@escape.tech/graphql-armor-block-field-suggestions";
import type { Plugin, YogaServerOptions } from "graphql-yoga";

export interface SecurityProfile {
  production: boolean;
  /** Origins allowed to call the API from a browser on another site; null: any (development) or none (production). */
  corsOrigins: string[] | null;
  /** The bearer token /metrics requires; null: open in development, refused in production. */
  metricsToken: string | null;
}

/**
 * From the environment: NODE_ENV=production, INTROGRAPH_CORS_ORIGINS (comma-separated origins),
 * INTROGRAPH_METRICS_TOKEN.
 */
export function securityProfileFromEnv(env: NodeJS.ProcessEnv = process.env): SecurityProfile {
  const origins = (env.INTROGRAPH_CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  return {
    production: env.NODE_ENV === "production",
    corsOrigins: origins.length ? origins : null,
    metricsToken: env.INTROGRAPH_METRICS_TOKEN?.trim() || null,
  };
}

export const DEVELOPMENT_PROFILE: SecurityProfile = { production: false, corsOrigins: null, metricsToken: null };

/** Yoga's CORS option: the listed origins only; any origin in development; none in production without a list. */
export function corsFor(profile: SecurityProfile): YogaServerOptions<object, object>["cors"] {
  if (profile.corsOrigins) return { origin: profile.corsOrigins, credentials: false };
  return profile.production ? false : { origin: "*", credentials: false };
}

const refusal = (status: number, code: string, message: string) =>
  Response.json({ errors: [{ message, extensions: { code } }] }, { status, headers: { "WWW-Authenticate": "Bearer" } });

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Guards /metrics: with a token set, only `Authorization: Bearer <token>`; in production without one, nobody. */
export function useMetricsGuard(profile: SecurityProfile): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== "/metrics") return;
      if (profile.metricsToken) {
        const given = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
        if (!sameSecret(given, profile.metricsToken))
          endResponse(
            refusal(401, "UNAUTHENTICATED", "/metrics needs `Authorization: Bearer <INTROGRAPH_METRICS_TOKEN>`"),
          );
      } else if (profile.production) {
        endResponse(refusal(403, "FORBIDDEN", "/metrics is off: set INTROGRAPH_METRICS_TOKEN to scrape it"));
      }
    },
  };
}

/** Drops `originalError` (a parser's or driver's own message) from every error an answer carries. */
function useNoInternals(): Plugin {
  return {
    onResultProcess({ result }) {
      if (Array.isArray(result) || !("errors" in result)) return;
      // Kept but made non-enumerable, so JSON leaves it out: Yoga still reads it to choose the HTTP status (a request
      // it could not parse stays a 400).
      for (const error of result.errors ?? []) {
        const extensions = error.extensions as Record<string, unknown> | undefined;
        if (extensions && Object.hasOwn(extensions, "originalError"))
          Object.defineProperty(extensions, "originalError", { enumerable: false });
      }
    },
  };
}

/** The plugins only production runs. */
export function productionPlugins(profile: SecurityProfile): Plugin[] {
  return profile.production ? [blockFieldSuggestionsPlugin() as Plugin, useNoInternals()] : [];
}
