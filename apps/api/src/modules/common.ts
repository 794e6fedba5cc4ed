// Shared GraphQL pieces: the Error interface and the error types of mutation results, sort direction, page args.
import { builder } from "../builder.ts";
import {
  ConflictError,
  CreditLockedError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from "../errors.ts";

export const ErrorInterface = builder.interfaceRef<Error>("Error").implement({
  description: "Every expected failure has a message a person can read.",
  fields: (t) => ({ message: t.exposeString("message") }),
});

const ValidationIssueRef = builder.objectRef<ValidationIssue>("ValidationIssue").implement({
  fields: (t) => ({
    path: t.exposeStringList("path", { description: 'Where in the input, e.g. ["input", "email"].' }),
    message: t.exposeString("message"),
  }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "The input was rejected; nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [ValidationIssueRef], resolve: (error) => error.issues }) }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ entityType: t.exposeString("entityType"), entityId: t.exposeString("entityId") }),
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  description: "The write was based on a stale `version` (or clashes with existing data); nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entityType: t.exposeString("entityType"),
    entityId: t.exposeString("entityId", {
      nullable: true,
      description:
        "The record in the way; null when a unique value is taken and the caller is not told by which record.",
    }),
    currentVersion: t.exposeInt("currentVersion", { nullable: true }),
    fields: t.exposeStringList("fields", {
      description: 'For a taken unique value, the fields it is made of (["profileUrl"]); empty for a stale version.',
    }),
  }),
});

builder.objectType(ForbiddenError, {
  name: "ForbiddenError",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(CreditLockedError, {
  name: "CreditLockedError",
  description: "The outcome's credit has locked (see `Outcome.creditLocksAt`); nothing was written.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    outcomeId: t.exposeID("outcomeId"),
    lockedAt: t.expose("lockedAt", { type: "DateTime" }),
  }),
});

export const SortDirection = builder.enumType("SortDirection", { values: ["ASC", "DESC"] as const });

export function direction(value: "ASC" | "DESC" | null | undefined): "asc" | "desc" {
  return value === "DESC" ? "desc" : "asc";
}

/** An `occurredAt` condition for the half-open range [after, before); nothing when both ends are open. */
export function occurredWithin(
  after: Date | null | undefined,
  before: Date | null | undefined,
): { occurredAt?: { gte?: Date; lt?: Date } } {
  if (!after && !before) return {};
  return { occurredAt: { ...(after ? { gte: after } : {}), ...(before ? { lt: before } : {}) } };
}

/** Prisma's `contains` is a LIKE pattern: a search's own `%`, `_` and `\\` are escaped so they match literally. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
