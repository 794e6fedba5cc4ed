// Suggested duplicates, then a side-by-side comparison where the admin picks each field's value and merges.
import {
  type AdminDuplicateCandidateFragment,
  AdminDismissDuplicateDocument,
  AdminDuplicateSuggestionDocument,
  AdminDuplicateSuggestionsDocument,
  AdminMergePeopleDocument,
  type MergeChoice,
  type MergeListChoice,
} from "@intrograph/sdk";
import { type ReactNode, useState } from "react";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { date, percent } from "../lib/format.ts";
import { Link, useRouter } from "../lib/router.tsx";
import { ConnectionView } from "../components/connection-view.tsx";
import { Badge, Empty, ErrorBox, Loading } from "../components/states.tsx";
import { isWriteError, type WriteError, WriteErrorBox } from "../components/write-error.tsx";

const PAGE_SIZE = 20;

export function DuplicatesPage() {
  const client = useClient();
  const pages = useCursorPages("duplicates");
  const suggestions = useAsync(
    () => client.execute(AdminDuplicateSuggestionsDocument, { first: PAGE_SIZE, after: pages.after }),
    [client, pages.after],
  );
  const connection = suggestions.data?.duplicateSuggestions;
  return (
    <section>
      <h1>Duplicates</h1>
      <p className="muted">
        People the matcher thinks are the same human, most confident first. Compare them, then merge or dismiss.
      </p>
      <ConnectionView
        request={suggestions}
        connection={connection}
        pages={pages}
        what="Loading suggestions"
        empty="No open duplicate suggestions."
        counted
      >
        {(rows) => (
          <table>
            <thead>
              <tr>
                <th>Score</th>
                <th>Person</th>
                <th>Possible duplicate</th>
                <th>Why</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((suggestion) => (
                <tr key={suggestion.id} data-testid="duplicate-row">
                  <td>
                    <Badge tone={(suggestion.score ?? 0) > 0.9 ? "bad" : "warn"}>
                      {percent(suggestion.score ?? 0)}
                    </Badge>
                  </td>
                  <td>{suggestion.personA?.displayName}</td>
                  <td>{suggestion.personB?.displayName}</td>
                  <td className="muted">{suggestion.reason}</td>
                  <td>
                    <Link to={`/duplicates/${encodeURIComponent(suggestion.id)}`} className="button">
                      Compare
                    </Link>
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

type Side = "A" | "B";
const SCALAR_FIELDS = ["displayName", "headline", "email", "location", "profileUrl"] as const;
type ScalarField = (typeof SCALAR_FIELDS)[number];
const FIELD_LABELS: Record<ScalarField | "topics", string> = {
  displayName: "Name",
  headline: "Headline",
  email: "Email",
  location: "Location",
  profileUrl: "Profile URL",
  topics: "Topics",
};

export function MergePage({ id }: { id: string }) {
  const client = useClient();
  const { navigate } = useRouter();
  const suggestion = useAsync(() => client.execute(AdminDuplicateSuggestionDocument, { id }), [client, id]);
  const [survivorSide, setSurvivorSide] = useState<Side>("A");
  const [picks, setPicks] = useState<Partial<Record<ScalarField, Side>>>({});
  const [topics, setTopics] = useState<"A" | "B" | "UNION">("UNION");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<WriteError | null>(null);

  if (suggestion.error) return <ErrorBox error={suggestion.error} onRetry={suggestion.reload} />;
  if (!suggestion.data) return <Loading what="Loading both records" />;
  const node = suggestion.data.node;
  if (node?.__typename !== "DuplicateSuggestion" || !node.personA || !node.personB)
    return <Empty>No such suggestion.</Empty>;
  const suggestionId = node.id;
  const people: Record<Side, AdminDuplicateCandidateFragment> = { A: node.personA, B: node.personB };
  const survivor = people[survivorSide];
  const merged = people[survivorSide === "A" ? "B" : "A"];
  const settled = node.status !== "OPEN" || survivor.mergedInto != null || merged.mergedInto != null;

  // Default per field: the survivor's value, unless it is empty and the other record has one.
  const pickFor = (field: ScalarField): Side => {
    const chosen = picks[field];
    if (chosen) return chosen;
    const other: Side = survivorSide === "A" ? "B" : "A";
    return !survivor[field] && people[other][field] ? other : survivorSide;
  };
  const choiceFor = (side: Side): MergeChoice => (side === survivorSide ? "SURVIVOR" : "MERGED") as MergeChoice;

  async function merge() {
    const confirmed = window.confirm(
      `Merge “${merged.displayName}” into “${survivor.displayName}”? Relationships, introductions and credit of both ` +
        `end up with ${survivor.displayName}; ${merged.displayName} remains only as a pointer to them.`,
    );
    if (!confirmed) return;
    setBusy(true);
    setFailure(null);
    try {
      const fields = Object.fromEntries(SCALAR_FIELDS.map((field) => [field, choiceFor(pickFor(field))])) as Record<
        ScalarField,
        MergeChoice
      >;
      const { mergePeople: result } = await client.execute(AdminMergePeopleDocument, {
        input: {
          survivorId: survivor.id,
          mergedId: merged.id,
          survivorVersion: survivor.version ?? 0,
          mergedVersion: merged.version ?? 0,
          fields: {
            ...fields,
            topics: (topics === "UNION" ? "UNION" : topics === survivorSide ? "SURVIVOR" : "MERGED") as MergeListChoice,
          },
        },
      });
      if (!result) return;
      if (isWriteError(result)) setFailure(result);
      else if (result.__typename === "MergePeopleSuccess")
        navigate(`/people/${encodeURIComponent(result.survivor.id)}?merged=1`);
    } catch (error) {
      setFailure({ __typename: "Error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  async function dismiss() {
    setBusy(true);
    try {
      const { dismissDuplicateSuggestion: result } = await client.execute(AdminDismissDuplicateDocument, {
        id: suggestionId,
      });
      if (result && isWriteError(result)) setFailure(result);
      else navigate("/duplicates");
    } finally {
      setBusy(false);
    }
  }

  const cell = (side: Side, content: ReactNode, field?: ScalarField) => {
    const chosen = field ? pickFor(field) === side : false;
    return (
      <td className={chosen ? "chosen" : ""}>
        {field ? (
          <label className="pick">
            <input
              type="radio"
              name={field}
              checked={chosen}
              disabled={settled}
              onChange={() => setPicks({ ...picks, [field]: side })}
              aria-label={`${FIELD_LABELS[field]} from ${people[side].displayName}`}
            />
            {content}
          </label>
        ) : (
          content
        )}
      </td>
    );
  };

  return (
    <section>
      <h1>Compare and merge</h1>
      <p className="muted">
        {node.reason} · score {percent(node.score ?? 0)}
      </p>
      {settled && <div className="state conflict">This suggestion is settled ({node.status?.toLowerCase()}).</div>}
      <table className="compare">
        <thead>
          <tr>
            <th />
            {(["A", "B"] as const).map((side) => (
              <th key={side}>
                <label className="pick">
                  <input
                    type="radio"
                    name="survivor"
                    checked={survivorSide === side}
                    disabled={settled}
                    onChange={() => {
                      setSurvivorSide(side);
                      setPicks({});
                    }}
                    aria-label={`Keep ${people[side].displayName}`}
                  />
                  {survivorSide === side ? "Survivor" : "Merged into survivor"}
                </label>
                <div>
                  <Link to={`/people/${encodeURIComponent(people[side].id)}`}>{people[side].displayName}</Link>
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {SCALAR_FIELDS.map((field) => (
            <tr key={field}>
              <th>{FIELD_LABELS[field]}</th>
              {cell("A", people.A[field] || <span className="muted">empty</span>, field)}
              {cell("B", people.B[field] || <span className="muted">empty</span>, field)}
            </tr>
          ))}
          <tr>
            <th>Topics</th>
            {(["A", "B"] as const).map((side) => (
              <td key={side} className={topics === side || topics === "UNION" ? "chosen" : ""}>
                <label className="pick">
                  <input
                    type="radio"
                    name="topics"
                    checked={topics === side}
                    disabled={settled}
                    onChange={() => setTopics(side)}
                  />
                  {(people[side].topics ?? []).join(", ") || <span className="muted">none</span>}
                </label>
              </td>
            ))}
          </tr>
          <tr>
            <th />
            <td colSpan={2}>
              <label className="pick">
                <input
                  type="radio"
                  name="topics"
                  checked={topics === "UNION"}
                  disabled={settled}
                  onChange={() => setTopics("UNION")}
                />
                Keep the topics of both
              </label>
            </td>
          </tr>
          <tr>
            <th>Relationships</th>
            {(["A", "B"] as const).map((side) => (
              <td key={side}>
                <strong>{people[side].relationships?.totalCount ?? 0}</strong>
                <ul className="plain small">
                  {people[side].relationships?.edges.slice(0, 8).map((edge) => (
                    <li key={edge.node?.otherPerson?.id}>{edge.node?.otherPerson?.displayName}</li>
                  ))}
                </ul>
              </td>
            ))}
          </tr>
          <tr>
            <th>Introductions</th>
            {(["A", "B"] as const).map((side) => (
              <td key={side}>
                {people[side].introductionsMade?.totalCount ?? 0} made ·{" "}
                {people[side].introductionsReceived?.totalCount ?? 0} received
              </td>
            ))}
          </tr>
          <tr>
            <th>Organizations</th>
            {(["A", "B"] as const).map((side) => (
              <td key={side}>
                {people[side].memberships?.edges.map((edge) => edge.node?.organization?.name).join(", ") || (
                  <span className="muted">none</span>
                )}
              </td>
            ))}
          </tr>
          <tr>
            <th>Social accounts</th>
            {(["A", "B"] as const).map((side) => (
              <td key={side}>
                {(people[side].socialAccounts ?? []).map((account) => `@${account.handle}`).join(", ") || (
                  <span className="muted">none</span>
                )}
              </td>
            ))}
          </tr>
          <tr>
            <th>Created</th>
            {(["A", "B"] as const).map((side) => (
              <td key={side}>
                {date(people[side].createdAt)} · version {people[side].version}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      <p className="muted small">
        Relationships, introductions, memberships, social accounts and credit of both records end up with the survivor;
        ties both had with the same person become one. The other record stays as a pointer to the survivor.
      </p>
      {failure && <WriteErrorBox error={failure} onReload={suggestion.reload} />}
      <div className="actions">
        <button type="button" onClick={() => void merge()} disabled={busy || settled}>
          Merge {merged.displayName} into {survivor.displayName}
        </button>
        <button type="button" className="secondary" onClick={() => void dismiss()} disabled={busy || settled}>
          Not a duplicate
        </button>
      </div>
    </section>
  );
}
