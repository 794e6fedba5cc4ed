// One page of a connection in a list: the error, a spinner until the first page arrives, an empty note, or the rows
// (dimmed while another page loads) followed by the pager. Every list page shows its connection this way.
import type { ReactNode } from "react";
import type { AsyncState, CursorPages } from "../lib/async.ts";
import { Empty, ErrorBox, Loading, Pager } from "./states.tsx";

/** The part of a Relay connection a list page reads. */
export interface Connection<Node> {
  edges: { node: Node | null }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount?: number;
}

export function ConnectionView<Node>({
  request,
  connection,
  pages,
  what,
  empty,
  counted = false,
  children,
}: {
  request: AsyncState<unknown>;
  connection: Connection<Node> | null | undefined;
  pages: CursorPages;
  /** The loading text, e.g. "Loading people". */
  what: string;
  empty: ReactNode;
  /** Show the connection's total count in the pager. */
  counted?: boolean;
  /** Renders the rows; `stale` is true while a newer page or a reload is on its way. */
  children(rows: Node[], stale: boolean): ReactNode;
}) {
  if (request.error) return <ErrorBox error={request.error} onRetry={request.reload} />;
  if (!connection) return <Loading what={what} />;
  const rows = connection.edges.map((edge) => edge.node).filter((node): node is Node => node != null);
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      {children(rows, request.loading)}
      <Pager
        page={pages.page}
        total={counted ? connection.totalCount : undefined}
        hasNext={connection.pageInfo.hasNextPage}
        loading={request.loading}
        onNext={() => pages.next(connection.pageInfo.endCursor)}
        onPrevious={pages.previous}
      />
    </>
  );
}
