// Expected failures, returned as typed members of a mutation's result union rather than thrown as GraphQL errors.

export interface ValidationIssue {
  path: string[];
  message: string;
}

export class ValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(
      issues
        .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
        .join("; "),
    );
    this.name = "ValidationError";
  }

  static of(path: string | string[], message: string): ValidationError {
    return new ValidationError([{ path: typeof path === "string" ? [path] : path, message }]);
  }
}

export class NotFoundError extends Error {
  constructor(
    readonly entityType: string,
    readonly entityId: string,
  ) {
    super(`${entityType} ${entityId} was not found`);
    this.name = "NotFoundError";
  }
}

/**
 * A write based on a stale `version` (someone else changed the record first), or one whose unique value another record
 * holds already; nothing was written.
 */
export class ConflictError extends Error {
  constructor(
    readonly entityType: string,
    /** The record in the way; null when a unique value is taken and the caller is not told by which record. */
    readonly entityId: string | null,
    readonly currentVersion: number | null,
    message?: string,
    /** For a taken unique value: the fields that make it up (["profileUrl"], ["personId", "organizationId"]). */
    readonly fields: string[] = [],
  ) {
    super(
      message ??
        `${entityType} ${entityId} was changed by someone else (now at version ${currentVersion}); reload it and apply your change again`,
    );
    this.name = "ConflictError";
  }

  /** A unique value (of `fields`) that another record holds already, as a concurrent write found at commit. */
  static uniqueValueTaken(entityType: string, fields: string[]): ConflictError {
    const what = fields.length ? fields.join(" and ") : "a unique value";
    return new ConflictError(
      entityType,
      null,
      null,
      `another ${entityType} has the same ${what} already; nothing was written`,
      fields,
    );
  }
}

/** The database could not give this request a connection or a transaction in time: retry after `retryAfterSeconds`. */
export class UnavailableError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    message = "the database is busy: nothing was written, try again in a moment",
  ) {
    super(message);
    this.name = "UnavailableError";
  }
}

export class ForbiddenError extends Error {
  constructor(message = "this API key is not allowed to do that") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** A change to an outcome whose credit has locked: only an adjudicated dispute changes its credit now. */
export class CreditLockedError extends Error {
  constructor(
    /** The outcome's global id. */
    readonly outcomeId: string,
    readonly lockedAt: Date,
  ) {
    super(
      `the credit of outcome ${outcomeId} locked at ${lockedAt.toISOString()}: its value, currency, date and chains can no longer change; open a credit dispute to change its credit`,
    );
    this.name = "CreditLockedError";
  }
}

export const writeErrors = [ValidationError, NotFoundError, ConflictError, ForbiddenError];
