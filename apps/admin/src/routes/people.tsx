// People search: by name or headline, topic, and organization; results page through the people connection.
import { AdminOrganizationsDocument, AdminPeopleDocument } from "@intrograph/sdk";
import { type FormEvent, useState } from "react";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { Link, useRouter } from "../lib/router.tsx";
import { ConnectionView } from "../components/connection-view.tsx";
import { Badge } from "../components/states.tsx";

const PAGE_SIZE = 20;

export function PeoplePage() {
  const client = useClient();
  const { location, navigate } = useRouter();
  const search = location.search.get("q") ?? "";
  const topic = location.search.get("topic") ?? "";
  const organizationId = location.search.get("org") ?? "";
  const organizationName = location.search.get("orgName") ?? "";
  const [draft, setDraft] = useState({ search, topic, organization: organizationName });
  const pages = useCursorPages(`${search}|${topic}|${organizationId}`);

  const people = useAsync(
    () =>
      client.execute(AdminPeopleDocument, {
        filter: { search: search || null, topic: topic || null, organizationId: organizationId || null },
        first: PAGE_SIZE,
        after: pages.after,
      }),
    [client, search, topic, organizationId, pages.after],
  );

  const [orgMatches, setOrgMatches] = useState<{ id: string; name: string }[] | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const params = new URLSearchParams();
    if (draft.search.trim()) params.set("q", draft.search.trim());
    if (draft.topic.trim()) params.set("topic", draft.topic.trim().toLowerCase());
    let org = draft.organization.trim() === organizationName ? { id: organizationId, name: organizationName } : null;
    if (draft.organization.trim() && !org) {
      const found = await client.execute(AdminOrganizationsDocument, { search: draft.organization.trim(), first: 8 });
      const matches = found.organizations?.edges.map((edge) => edge.node).filter((node) => node != null) ?? [];
      if (matches.length !== 1) {
        setOrgMatches(matches.map((match) => ({ id: match.id, name: match.name ?? "" })));
        return;
      }
      org = { id: matches[0]!.id, name: matches[0]!.name ?? "" };
    }
    setOrgMatches(null);
    if (org?.id) {
      params.set("org", org.id);
      params.set("orgName", org.name);
    }
    const query = params.toString();
    navigate(`/people${query ? `?${query}` : ""}`);
  }

  function chooseOrganization(org: { id: string; name: string }) {
    setDraft((current) => ({ ...current, organization: org.name }));
    setOrgMatches(null);
    const params = new URLSearchParams(location.search);
    params.set("org", org.id);
    params.set("orgName", org.name);
    navigate(`/people?${params.toString()}`);
  }

  const connection = people.data?.people;

  return (
    <section>
      <h1>People</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet in every browser admins use; the role says the same */}
      <form className="toolbar" onSubmit={submit} role="search">
        <label>
          Name or headline
          <input
            name="q"
            value={draft.search}
            onChange={(event) => setDraft({ ...draft, search: event.target.value })}
            placeholder="e.g. Ada"
          />
        </label>
        <label>
          Topic
          <input
            name="topic"
            value={draft.topic}
            onChange={(event) => setDraft({ ...draft, topic: event.target.value })}
            placeholder="e.g. fintech"
          />
        </label>
        <label>
          Organization
          <input
            name="organization"
            value={draft.organization}
            onChange={(event) => setDraft({ ...draft, organization: event.target.value })}
            placeholder="e.g. Northwind"
          />
        </label>
        <button type="submit">Search</button>
      </form>
      {orgMatches && (
        <div className="state empty">
          {orgMatches.length === 0 ? (
            <>No organization matches “{draft.organization}”.</>
          ) : (
            <>
              Which organization?{" "}
              {orgMatches.map((org) => (
                <button key={org.id} type="button" className="chip" onClick={() => chooseOrganization(org)}>
                  {org.name}
                </button>
              ))}
            </>
          )}
        </div>
      )}
      <ConnectionView
        request={people}
        connection={connection}
        pages={pages}
        what="Loading people"
        empty="No one matches these filters."
        counted
      >
        {(rows, stale) => (
          <table className={stale ? "stale" : ""}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Organization</th>
                <th>Topics</th>
                <th>Location</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((person) => {
                const membership = person.memberships?.edges[0]?.node;
                return (
                  <tr key={person.id}>
                    <td>
                      <Link to={`/people/${encodeURIComponent(person.id)}`}>{person.displayName}</Link>
                      {person.headline && <div className="muted small">{person.headline}</div>}
                    </td>
                    <td>
                      {membership?.organization?.name ?? "—"}
                      {membership?.isDecisionMaker && <Badge tone="good">decides</Badge>}
                    </td>
                    <td>
                      {(person.topics ?? []).slice(0, 4).map((item) => (
                        <span key={item} className="chip">
                          {item}
                        </span>
                      ))}
                    </td>
                    <td>{person.location ?? "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </ConnectionView>
    </section>
  );
}
