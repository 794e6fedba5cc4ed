// The curation queue: unverified and disputed relationships, oldest first, each with its evidence and actions.
import { AdminCurationQueueDocument, type RelationshipStatus } from "@intrograph/sdk";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { useRouter } from "../lib/router.tsx";
import { ConnectionView } from "../components/connection-view.tsx";
import { RelationshipCard } from "../components/relationship-card.tsx";
import { Tabs } from "../components/tabs.tsx";
import { plural } from "../lib/format.ts";

const PAGE_SIZE = 10;
const QUEUES = [
  { status: "UNVERIFIED", title: "Unverified" },
  { status: "DISPUTED", title: "Disputed" },
] as const;

export function CurationPage() {
  const client = useClient();
  const { location } = useRouter();
  const status = (location.search.get("status") === "DISPUTED" ? "DISPUTED" : "UNVERIFIED") as RelationshipStatus;
  const pages = useCursorPages(status);
  const queue = useAsync(
    () => client.execute(AdminCurationQueueDocument, { status, first: PAGE_SIZE, after: pages.after }),
    [client, status, pages.after],
  );
  const connection = queue.data?.relationships;

  return (
    <section>
      <h1>Curation queue</h1>
      <Tabs
        tabs={QUEUES.map((tab) => ({ value: tab.status, title: tab.title, to: `/curation?status=${tab.status}` }))}
        current={status}
      />
      <p className="muted">
        Verify ties you can confirm, dispute the ones that look wrong (say why), fix the kind, or add the evidence you
        have. Items stay listed here until the page is reloaded, so you can see what you changed.
      </p>
      <ConnectionView
        request={queue}
        connection={connection}
        pages={pages}
        what="Loading the queue"
        empty="Nothing to curate here."
      >
        {(rows, stale) => (
          <>
            <p className="muted small">{plural(connection?.totalCount ?? 0, "relationship")} in this queue.</p>
            <div className={stale ? "stack stale" : "stack"}>
              {rows.map((relationship) => (
                <RelationshipCard key={`${relationship.id}:${relationship.version}`} relationship={relationship} />
              ))}
            </div>
          </>
        )}
      </ConnectionView>
    </section>
  );
}
