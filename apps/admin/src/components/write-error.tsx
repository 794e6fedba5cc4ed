// Shows why a write did not happen. A conflict is never resolved silently: the admin sees that someone else changed the
// record, gets the current state, and decides again.
export interface WriteError {
  __typename: string;
  message?: string | null;
  issues?: { path: string[]; message: string }[] | null;
  currentVersion?: number | null;
  /** Set when the conflict is a unique value another record holds (not a stale version). */
  fields?: string[] | null;
}

export function WriteErrorBox({ error, onReload }: { error: WriteError; onReload?: () => void }) {
  if (error.__typename === "ConflictError" && error.fields?.length) {
    return (
      <div className="state conflict" role="alert">
        <strong>Not saved:</strong> {error.message}
      </div>
    );
  }
  if (error.__typename === "ConflictError") {
    return (
      <div className="state conflict" role="alert">
        <strong>Someone else changed this meanwhile</strong> (now at version {error.currentVersion ?? "?"}). Nothing was
        saved. Review the current state, then apply your change again.
        {onReload && (
          <button type="button" onClick={onReload}>
            Load the current version
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="state error" role="alert">
      <strong>{error.__typename === "ValidationError" ? "Not saved:" : "Failed:"}</strong> {error.message}
      {error.issues && error.issues.length > 0 && (
        <ul>
          {error.issues.map((issue) => (
            <li key={issue.path.join(".") + issue.message}>
              {issue.path.join(".")}: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const ERROR_TYPES = new Set(["ValidationError", "NotFoundError", "ConflictError", "ForbiddenError"]);

/** Narrows a mutation's result union: the success member, or the error to show. */
export function isWriteError(result: { __typename?: string }): result is WriteError {
  return typeof result.__typename === "string" && ERROR_TYPES.has(result.__typename);
}
