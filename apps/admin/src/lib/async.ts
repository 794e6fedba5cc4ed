// Loading state for one request: data, error, loading, and reload() for after a write or a conflict.
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface AsyncState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  // The caller names what `load` depends on (like useEffect's own list); a reload bumps the generation.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the dependencies are the caller's, passed in `deps`
  useEffect(() => {
    const request = ++latest.current;
    setState((previous) => ({ data: previous.data, loading: true }));
    load().then(
      (data) => request === latest.current && setState({ data, loading: false }),
      (error: unknown) =>
        request === latest.current &&
        setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false }),
    );
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface CursorPages {
  after: string | null;
  page: number;
  next(endCursor: string | null | undefined): void;
  previous(): void;
}

/** Cursor pagination over a connection: a stack of `after` cursors, so "previous" needs no backwards paging. */
export function useCursorPages(resetKey: string): CursorPages {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [key, setKey] = useState(resetKey);
  if (key !== resetKey) {
    setKey(resetKey);
    setCursors([null]);
  }
  const after = cursors[cursors.length - 1] ?? null;
  return {
    after,
    page: cursors.length,
    next: (endCursor: string | null | undefined) => endCursor && setCursors((stack) => [...stack, endCursor]),
    previous: () => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)),
  };
}
