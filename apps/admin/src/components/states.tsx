// Loading, error and empty states, the same on every page.
import type { ReactNode } from "react";

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden /> {what}…
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return (
    <div className="state error" role="alert">
      <strong>Something went wrong.</strong> {error.message}
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

export function Pager({
  page,
  hasNext,
  onNext,
  onPrevious,
  total,
  loading,
}: {
  page: number;
  hasNext: boolean;
  onNext(): void;
  onPrevious(): void;
  total?: number | null | undefined;
  loading?: boolean;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={onPrevious} disabled={page <= 1 || loading}>
        ← Previous
      </button>
      <span>
        Page {page}
        {total != null && ` · ${total.toLocaleString("en")} in all`}
      </span>
      <button type="button" onClick={onNext} disabled={!hasNext || loading}>
        Next →
      </button>
    </nav>
  );
}

export function Badge({ tone, children }: { tone?: "good" | "bad" | "warn" | "muted"; children: ReactNode }) {
  return <span className={`badge ${tone ?? ""}`}>{children}</span>;
}
