// Discovery: the people who matter for a topic (and a target organization), ranked by what they did and can do, with
// each score explained; the admin picks a shortlist and takes it away as CSV.
import { DiscoverConnectorsDocument } from "@intrograph/sdk";
import { useState } from "react";
import { useAsync } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { compactNumber, label, percent } from "../lib/format.ts";
import { Link } from "../lib/router.tsx";
import { Empty, ErrorBox, Loading } from "../components/states.tsx";

interface Shortlisted {
  id: string;
  name: string;
  score: number;
}

export function DiscoverPage() {
  const client = useClient();
  const [topics, setTopics] = useState("fintech");
  const [organization, setOrganization] = useState("");
  const [search, setSearch] = useState<{ topics: string[]; toOrganization?: string } | null>(null);
  const [shortlist, setShortlist] = useState<Shortlisted[]>([]);
  const results = useAsync(
    async () => (search ? client.execute(DiscoverConnectorsDocument, { ...search, first: 25 }) : null),
    [client, search],
  );

  function toggle(entry: Shortlisted) {
    setShortlist((list) =>
      list.some((item) => item.id === entry.id) ? list.filter((item) => item.id !== entry.id) : [...list, entry],
    );
  }

  function download() {
    const rows = [
      ["rank", "name", "score", "id"],
      ...shortlist.map((item, index) => [index + 1, item.name, item.score, item.id]),
    ];
    const csv = rows.map((row) => row.map((cell) => `"${String(cell).replace(/"/g, '""')}"`).join(",")).join("\n");
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    Object.assign(document.createElement("a"), { href: url, download: "shortlist.csv" }).click();
    URL.revokeObjectURL(url);
  }

  const edges = results.data?.discoverConnectors?.edges ?? [];
  return (
    <section>
      <h1>Discover connectors</h1>
      <p className="muted">
        Who matters for a topic: credit on its outcomes, brokerage in its community, reach into decision makers.
        Audience is shown, never counted.
      </p>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const list = topics
            .split(",")
            .map((topic) => topic.trim())
            .filter(Boolean);
          setSearch({ topics: list, ...(organization.trim() ? { toOrganization: organization.trim() } : {}) });
        }}
      >
        <label>
          Topics <input value={topics} onChange={(event) => setTopics(event.target.value)} placeholder="fintech, AI" />
        </label>
        <label>
          Target organization id{" "}
          <input
            value={organization}
            onChange={(event) => setOrganization(event.target.value)}
            placeholder="optional"
          />
        </label>
        <button type="submit">Search</button>
      </form>
      {results.error && <ErrorBox error={results.error} onRetry={results.reload} />}
      {search && !results.data && !results.error && <Loading what="Ranking connectors" />}
      {results.data && edges.length === 0 && <Empty>No one carries these topics or earned credit on them.</Empty>}
      {edges.length > 0 && (
        <table className={results.loading ? "stale" : ""} aria-label="Connectors">
          <thead>
            <tr>
              <th>Shortlist</th>
              <th>#</th>
              <th>Person</th>
              <th className="num">Score</th>
              <th>Why</th>
              <th className="num">Qualified audience</th>
            </tr>
          </thead>
          <tbody>
            {edges.map(({ node }) =>
              node?.person ? (
                <tr key={node.person.id} data-testid="discovery-row">
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Shortlist ${node.person.displayName}`}
                      checked={shortlist.some((item) => item.id === node.person!.id)}
                      onChange={() =>
                        toggle({ id: node.person!.id, name: node.person!.displayName ?? "", score: node.score ?? 0 })
                      }
                    />
                  </td>
                  <td>{node.rank}</td>
                  <td>
                    <Link to={`/people/${encodeURIComponent(node.person.id)}`}>{node.person.displayName}</Link>
                    <div className="muted">{node.person.headline}</div>
                  </td>
                  <td className="num">{percent(node.score ?? 0, 1)}</td>
                  <td>
                    <ul className="plain">
                      {(node.components ?? []).map((part) => (
                        <li key={part.name}>
                          <strong>{label(part.name ?? "")}</strong> {percent(part.contribution ?? 0, 1)}:{" "}
                          {part.explanation}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="num">{compactNumber(node.qualifiedAudience ?? 0)}</td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      )}
      <h2>Shortlist ({shortlist.length})</h2>
      {shortlist.length === 0 ? (
        <p className="muted">Tick people above to build a shortlist.</p>
      ) : (
        <>
          <ol data-testid="shortlist">
            {shortlist.map((item) => (
              <li key={item.id}>
                {item.name} <span className="muted">{percent(item.score, 1)}</span>
              </li>
            ))}
          </ol>
          <button type="button" onClick={download}>
            Download CSV
          </button>
        </>
      )}
    </section>
  );
}
