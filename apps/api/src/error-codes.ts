// Every refusal leaves the API with an `extensions.code`. Expected failures that reach Yoga instead of a result union
// (a query's arguments, node(id), limits, pagination, a race lost outside a union) keep their message and get a code
// here; anything unexpected stays masked as INTERNAL_SERVER_ERROR.
import { PothosValidationError } from "@pothos/core";
import { GraphQLError, type GraphQLErrorOptions } from "graphql";
import { createGraphQLError, maskError as maskUnexpectedError } from "graphql-yoga";
import { toApiError } from "./database-errors.ts";
import {
  ConflictError,
  CreditLockedError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from "./errors.ts";

/** The innermost cause of a located GraphQL error: what the resolver (or scalar, or plugin) threw. */
function originalOf(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

function coded(error: unknown, message: string, extensions: GraphQLErrorOptions["extensions"]): GraphQLError {
  const location =
    error instanceof GraphQLError
      ? { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path }
      : {};
  return createGraphQLError(message, { ...location, extensions });
}

export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = toApiError(originalOf(error));
  if (original instanceof ValidationError) {
    const argument = original.issues.find((issue) => issue.path.length)?.path.join(".");
    return coded(error, original.message, {
      code: "BAD_USER_INPUT",
      ...(argument ? { argument } : {}),
      issues: original.issues,
    });
  }
  if (original instanceof ConflictError) {
    return coded(error, original.message, {
      code: "CONFLICT",
      entityType: original.entityType,
      ...(original.fields.length ? { fields: original.fields } : {}),
    });
  }
  if (original instanceof UnavailableError) {
    const retryAfter = String(original.retryAfterSeconds);
    return coded(error, original.message, {
      code: "UNAVAILABLE",
      retryAfter: original.retryAfterSeconds,
      http: { status: 503, headers: { "Retry-After": retryAfter } },
    });
  }
  if (original instanceof NotFoundError) return coded(error, original.message, { code: "NOT_FOUND" });
  if (original instanceof ForbiddenError) return coded(error, original.message, { code: "FORBIDDEN" });
  if (original instanceof CreditLockedError) return coded(error, original.message, { code: "CREDIT_LOCKED" });
  // Pothos refuses bad cursors, malformed global ids and impossible page arguments with this error.
  if (original instanceof PothosValidationError) {
    return coded(error, original.message, { ...original.extensions, code: "BAD_USER_INPUT" });
  }
  // A GraphQL error without a path, a code or a non-GraphQL cause is a request error of the operation's variables (a
  // value its type cannot represent): the caller's input.
  if (
    error instanceof GraphQLError &&
    !error.path &&
    !error.extensions.code &&
    (!error.originalError || error.originalError instanceof GraphQLError)
  ) {
    return coded(error, error.message, { ...error.extensions, code: "BAD_USER_INPUT" });
  }
  return maskUnexpectedError(error, message, isDev);
}
