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

/** A write based on a stale `version`: someone else changed the record first; nothing was written. */
export class ConflictError extends Error {
  constructor(
    readonly entityType: string,
    readonly entityId: string,
    readonly currentVersion: number | null,
    message?: string,
  ) {
    super(
      message ??
        `${entityType} ${entityId} was changed by someone else (now at version ${currentVersion}); reload it and apply your change again`,
    );
    this.name = "ConflictError";
  }
}

export class ForbiddenError extends Error {
  constructor(message = "this API key is not allowed to do that") {
    super(message);
    this.name = "ForbiddenError";
  }
}

export const writeErrors = [ValidationError, NotFoundError, ConflictError, ForbiddenError];
