// The audit log: every admin and partner write, filterable by actor, entity and time, with before/after snapshots.
import { AuditEventsDocument } from "@intrograph/sdk";
import { type FormEvent, useState } from "react";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { dateTime } from "../lib/format.ts";
import { useRouter } from "../lib/router.tsx";
import { ConnectionView } from "../components/connection-view.tsx";

const FILTER_KEYS = ["actor", "entityType", "entityId", "action", "after", "before"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

export function AuditPage() {
  const client = useClient();
  const { location, navigate } = useRouter();
  const applied = Object.fromEntries(FILTER_KEYS.map((key) => [key, location.search.get(key) ?? ""])) as Record<
    FilterKey,
    string
  >;
  const [draft, setDraft] = useState(applied);
  const pages = useCursorPages(location.search.toString());
  const events = useAsync(
    () =>
      client.execute(AuditEventsDocument, {
        filter: {
          actorId: applied.actor || null,
          entityType: applied.entityType || null,
          entityId: applied.entityId || null,
          action: applied.action || null,
          after: applied.after ? new Date(applied.after).toISOString() : null,
          before: applied.before ? new Date(applied.before).toISOString() : null,
        },
        first: 25,
        after: pages.after,
      }),
    [client, location.search.toString(), pages.after],
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) if (draft[key].trim()) params.set(key, draft[key].trim());
    navigate(`/audit?${params.toString()}`);
  }

  const field = (key: FilterKey, title: string, props: { type?: string; placeholder?: string } = {}) => (
    <label>
      {title}
      <input
        name={key}
        value={draft[key]}
        onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
        {...props}
      />
    </label>
  );

  const connection = events.data?.auditEvents;
  return (
    <section>
      <h1>Audit log</h1>
      <form className="toolbar" onSubmit={submit} aria-label="Filter the audit log">
        {field("actor", "Actor", { placeholder: "key:abc123…" })}
        {field("entityType", "Entity type", { placeholder: "Person" })}
        {field("entityId", "Entity id", { placeholder: "global or database id" })}
        {field("action", "Action", { placeholder: "person.merge" })}
        {field("after", "From", { type: "datetime-local" })}
        {field("before", "Until", { type: "datetime-local" })}
        <button type="submit">Filter</button>
      </form>
      <ConnectionView
        request={events}
        connection={connection}
        pages={pages}
        what="Loading the audit log"
        empty="No events match."
      >
        {(rows, stale) => (
          <table className={stale ? "stale" : ""}>
            <thead>
              <tr>
                <th>When</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Entity</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">{dateTime(event.occurredAt)}</td>
                  <td>
                    {event.actorId} <span className="muted small">({event.actorKind?.toLowerCase()})</span>
                  </td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>
                    {event.entityType} <div className="muted small mono">{event.entityId}</div>
                  </td>
                  <td>
                    <details>
                      <summary>before / after</summary>
                      <div className="diff">
                        <pre>{JSON.stringify(event.before ?? null, null, 2)}</pre>
                        <pre>{JSON.stringify(event.after ?? null, null, 2)}</pre>
                      </div>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ConnectionView>
    </section>
  );
}
