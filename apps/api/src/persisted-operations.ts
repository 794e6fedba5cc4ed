// Persisted operations: a request may name an SDK operation by the sha256 of its text (Apollo's
// `extensions.persistedQuery.sha256Hash`, or `documentId`) instead of sending it. Optionally, partner keys may run only
// those operations (INTROGRAPH_PARTNERS_PERSISTED_ONLY=1); GraphiQL and admins keep sending any document.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { defaultExtractPersistedOperationId, usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import type { Viewer } from "./context.ts";

/**
 * `{ [sha256 hex]: document }`, generated with the SDK (packages/sdk/codegen.ts). Read by path rather than imported from
 * @intrograph/sdk: the SDK's generate step needs the API's schema first, so the API cannot depend on the SDK package.
 */
export const persistedOperationsFile = new URL(
  "../../../packages/sdk/src/generated/persisted-operations.json",
  import.meta.url,
);

export function loadPersistedOperations(file: URL = persistedOperationsFile): ReadonlyMap<string, string> {
  return new Map(Object.entries(JSON.parse(readFileSync(file, "utf8")) as Record<string, string>));
}

/** INTROGRAPH_PARTNERS_PERSISTED_ONLY=1 (or `true`): partner keys may run only persisted operations. */
export function partnersPersistedOnlyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.INTROGRAPH_PARTNERS_PERSISTED_ONLY === "1" || env.INTROGRAPH_PARTNERS_PERSISTED_ONLY === "true";
}

export interface PersistedOperationsOptions {
  operations: ReadonlyMap<string, string>;
  /** Refuse documents that are not persisted operations from partner keys. */
  partnersOnly: boolean;
  viewerFor(request: Request): Promise<Viewer>;
}

export const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

/** Besides Apollo's extension, the request body may carry the hash as `documentId` (GraphQL over HTTP's draft). */
export const PERSISTED_OPERATION_PARAMS = ["documentId"];

export function usePartnerPersistedOperations({
  operations,
  partnersOnly,
  viewerFor,
}: PersistedOperationsOptions): Plugin[] {
  // A partner may still send the full text of a persisted operation (the SDK does for subscriptions over SSE): what is
  // refused is a document the API does not know.
  const refuseAdHocPartnerDocuments: Plugin = {
    onParams({ params, request }) {
      if (!partnersOnly || !params.query || operations.has(sha256Hex(params.query))) return;
      return viewerFor(request).then((viewer) => {
        if (viewer.kind !== "partner") return;
        throw createGraphQLError(
          "partner keys may run only persisted operations: send `extensions.persistedQuery` ({ version: 1, sha256Hash }) or `documentId` with the hash of an operation from @intrograph/sdk (src/generated/persisted-operations.json)",
          { extensions: { code: "PERSISTED_QUERY_ONLY", http: { status: 400 } } },
        );
      });
    },
  };
  return [
    refuseAdHocPartnerDocuments,
    usePersistedOperations({
      allowArbitraryOperations: true,
      extractPersistedOperationId: (params, request, context) => {
        const { documentId } = params as { documentId?: unknown };
        return typeof documentId === "string"
          ? documentId
          : defaultExtractPersistedOperationId(params, request, context);
      },
      getPersistedOperation: (hash) => operations.get(hash) ?? null,
      customErrors: {
        // Apollo clients (and the SDK) resend the full document on this code.
        notFound: {
          message: "PersistedQueryNotFound: no persisted operation has this hash; send the document in `query` instead",
          extensions: { code: "PERSISTED_QUERY_NOT_FOUND" },
        },
        keyNotFound: {
          message:
            "Must provide a query string, or a persisted operation's hash in `extensions.persistedQuery.sha256Hash` or `documentId`.",
          extensions: { code: "BAD_REQUEST", http: { status: 400 } },
        },
      },
    }),
  ];
}
