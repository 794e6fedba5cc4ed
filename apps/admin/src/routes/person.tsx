// A person: reach (followers × audience quality) beside real influence (connector credit, role), their relationships
// with evidence, the introductions they made and received, and where they work.
import {
  type AdminIntroductionSummaryFragment,
  AdminPersonDocument,
  AdminPersonInsightDocument,
  AdminRelationshipDocument,
  type AdminPersonQuery,
  type CreditModel,
} from "@intrograph/sdk";
import { useState } from "react";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { compactNumber, date, label, money, percent } from "../lib/format.ts";
import { Link } from "../lib/router.tsx";
import { RelationshipCard, StrengthBar, statusTone } from "../components/relationship-card.tsx";
import { Badge, Empty, ErrorBox, Loading, Pager } from "../components/states.tsx";
import { isWriteError, type WriteError, WriteErrorBox } from "../components/write-error.tsx";
import { CREDIT_MODELS } from "../components/chain-graph.tsx";

type PersonData = NonNullable<AdminPersonQuery["person"]>;

export function PersonPage({ id }: { id: string }) {
  const client = useClient();
  const pages = useCursorPages(id);
  const person = useAsync(
    () => client.execute(AdminPersonDocument, { id, relationshipsAfter: pages.after }),
    [client, id, pages.after],
  );
  if (person.error) return <ErrorBox error={person.error} onRetry={person.reload} />;
  if (!person.data) return <Loading what="Loading the person" />;
  const data = person.data.person;
  if (!data) return <Empty>No person with this id.</Empty>;
  const relationships = data.relationships;
  return (
    <section className={person.loading ? "stale" : ""}>
      <header className="page-header">
        <div>
          <h1>{data.displayName}</h1>
          <p className="muted">
            {[data.headline, data.location].filter(Boolean).join(" · ") || "No headline"}
            {data.email && <> · {data.email}</>}
          </p>
          <div>
            {(data.topics ?? []).map((topic) => (
              <Link key={topic} to={`/people?topic=${encodeURIComponent(topic)}`} className="chip">
                {topic}
              </Link>
            ))}
          </div>
        </div>
        <div className="header-actions">
          <Link to={`/chains?person=${encodeURIComponent(data.id)}`} className="button secondary">
            Intro chains
          </Link>
          <Link to={`/people/${encodeURIComponent(data.id)}/statement`} className="button secondary">
            Statement
          </Link>
        </div>
      </header>
      {data.mergedInto && (
        <div className="state conflict">
          This record was merged into{" "}
          <Link to={`/people/${encodeURIComponent(data.mergedInto.id)}`}>{data.mergedInto.displayName}</Link>.
        </div>
      )}
      <ReachVersusInfluence person={data} />
      <PrivacyActions person={data} onChanged={person.reload} />
      <div className="columns">
        <div>
          <h2>
            Relationships <span className="muted">({relationships?.totalCount ?? 0})</span>
          </h2>
          {!relationships || relationships.edges.length === 0 ? (
            <Empty>No relationships recorded.</Empty>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th>With</th>
                    <th>Kind</th>
                    <th>Status</th>
                    <th>Strength</th>
                    <th>Last interaction</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {relationships.edges.map((edge) => (
                    <RelationshipRow key={edge.node?.relationship?.id} side={edge.node} />
                  ))}
                </tbody>
              </table>
              <Pager
                page={pages.page}
                total={relationships.totalCount}
                hasNext={relationships.pageInfo.hasNextPage}
                loading={person.loading}
                onNext={() => pages.next(relationships.pageInfo.endCursor)}
                onPrevious={pages.previous}
              />
            </>
          )}
        </div>
        <aside>
          <h2>Memberships</h2>
          {(data.memberships?.edges.length ?? 0) === 0 ? (
            <Empty>No organizations.</Empty>
          ) : (
            <ul className="plain">
              {data.memberships?.edges.map(({ node }) =>
                node ? (
                  <li key={node.id}>
                    <strong>{node.organization?.name}</strong>{" "}
                    {node.title && <span className="muted">· {node.title}</span>}{" "}
                    {node.isDecisionMaker && <Badge tone="good">decision maker</Badge>}
                    {node.until && <span className="muted small"> (until {date(node.until)})</span>}
                  </li>
                ) : null,
              )}
            </ul>
          )}
          <IntroductionList
            title="Introductions made"
            total={data.introductionsMade?.totalCount}
            introductions={data.introductionsMade?.edges.map((edge) => edge.node)}
          />
          <IntroductionList
            title="Introductions received"
            total={data.introductionsReceived?.totalCount}
            introductions={data.introductionsReceived?.edges.map((edge) => edge.node)}
          />
        </aside>
      </div>
    </section>
  );
}

function RelationshipRow({ side }: { side: NonNullable<PersonData["relationships"]>["edges"][number]["node"] }) {
  const [open, setOpen] = useState(false);
  if (!side) return null;
  return (
    <>
      <tr>
        <td>
          {side.otherPerson && (
            <Link to={`/people/${encodeURIComponent(side.otherPerson.id)}`}>{side.otherPerson.displayName}</Link>
          )}
        </td>
        <td>{label(side.kind ?? "OTHER")}</td>
        <td>
          <Badge tone={statusTone(side.status)}>{label(side.status ?? "UNVERIFIED")}</Badge>
        </td>
        <td>
          <StrengthBar value={side.strength ?? 0} />
        </td>
        <td>{date(side.relationship?.lastInteractionAt)}</td>
        <td>
          <button type="button" className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? "Hide" : "Curate"}
          </button>
        </td>
      </tr>
      {open && side.relationship && (
        <tr className="expanded">
          <td colSpan={6}>
            <RelationshipDetail id={side.relationship.id} />
          </td>
        </tr>
      )}
    </>
  );
}

/** The full relationship (evidence, version) is loaded when the admin opens it, keeping the person query small. */
function RelationshipDetail({ id }: { id: string }) {
  const client = useClient();
  const relationship = useAsync(() => client.execute(AdminRelationshipDocument, { id }), [client, id]);
  if (relationship.error) return <ErrorBox error={relationship.error} onRetry={relationship.reload} />;
  if (!relationship.data) return <Loading what="Loading the evidence" />;
  const node = relationship.data.node;
  if (node?.__typename !== "Relationship") return <Empty>This relationship no longer exists.</Empty>;
  return <RelationshipCard relationship={node} />;
}

function IntroductionList({
  title,
  total,
  introductions,
}: {
  title: string;
  total: number | null | undefined;
  introductions: (AdminIntroductionSummaryFragment | null | undefined)[] | undefined;
}) {
  const rows = (introductions ?? []).filter((intro) => intro != null);
  return (
    <>
      <h2>
        {title} <span className="muted">({total ?? 0})</span>
      </h2>
      {rows.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <ul className="plain intros">
          {rows.map((intro) => (
            <li key={intro.id}>
              <span className="muted small">{date(intro.occurredAt)}</span> <PersonLink person={intro.connector} />{" "}
              introduced <PersonLink person={intro.from} /> to <PersonLink person={intro.to} />
              {intro.organization && <span className="muted"> for {intro.organization.name}</span>}{" "}
              <Badge tone={intro.consented ? "good" : "muted"}>{intro.consented ? "consented" : "no consent"}</Badge>{" "}
              <Badge>{label(intro.status ?? "PROPOSED")}</Badge>
              {(intro.outcomes ?? []).map((outcome) => (
                <div key={outcome.id} className="small">
                  → <Link to={`/chains?outcome=${encodeURIComponent(outcome.id)}`}>{outcome.title}</Link>
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function PersonLink({ person }: { person: { id: string; displayName?: string | null } | null | undefined }) {
  return person ? <Link to={`/people/${encodeURIComponent(person.id)}`}>{person.displayName}</Link> : <span>—</span>;
}

/** The contrast the product is about: audience size (discounted by its quality) next to the credit for opened doors. */
function ReachVersusInfluence({ person }: { person: PersonData }) {
  const client = useClient();
  const [model, setModel] = useState<CreditModel>("SHAPLEY" as CreditModel);
  const insight = useAsync(
    () => client.execute(AdminPersonInsightDocument, { id: person.id, model }),
    [client, person.id, model],
  );
  const accounts = person.socialAccounts ?? [];
  const followers = accounts.reduce((sum, account) => sum + (account.followers ?? 0), 0);
  const qualified = accounts.reduce((sum, account) => sum + (account.qualifiedAudience ?? 0), 0);
  const role = insight.data?.person?.role;
  const credit = insight.data?.person?.credit;
  return (
    <div className="reach-influence" data-testid="reach-influence">
      <div className="panel">
        <h2>Reach</h2>
        {accounts.length === 0 ? (
          <p className="muted">No social accounts.</p>
        ) : (
          <>
            <p className="big">
              {compactNumber(followers)} <span className="muted small">followers</span> → {compactNumber(qualified)}{" "}
              <span className="muted small">real audience</span>
            </p>
            <table className="compact">
              <tbody>
                {accounts.map((account) => (
                  <tr key={account.id}>
                    <td>
                      {label(account.platform ?? "OTHER")} <span className="muted">@{account.handle}</span>
                    </td>
                    <td className="num">
                      {compactNumber(account.followers ?? 0)} × {percent(account.audienceQuality ?? 0)}
                    </td>
                    <td className="num">= {compactNumber(account.qualifiedAudience ?? 0)}</td>
                    <td className="bar-cell">
                      <span className="bar">
                        <span
                          className="bar-fill quality"
                          style={{ width: `${(account.audienceQuality ?? 0) * 100}%` }}
                        />
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
      <div className="panel">
        <h2>
          Influence{" "}
          <select
            aria-label="Credit model"
            value={model}
            onChange={(event) => setModel(event.target.value as CreditModel)}
          >
            {CREDIT_MODELS.map((option) => (
              <option key={option} value={option}>
                {label(option)}
              </option>
            ))}
          </select>
        </h2>
        {insight.error ? (
          <ErrorBox error={insight.error} onRetry={insight.reload} />
        ) : !insight.data ? (
          <Loading what="Computing credit" />
        ) : (
          <>
            <p className="big">
              {(credit?.totals ?? []).length === 0
                ? "No connector credit"
                : credit?.totals?.map((total) => money(total.amount ?? "0", total.currency ?? "USD")).join(" + ")}{" "}
              <span className="muted small">
                over {credit?.outcomeCount ?? 0} outcome{credit?.outcomeCount === 1 ? "" : "s"}
              </span>
            </p>
            {role && (
              <p>
                <Badge
                  tone={
                    role.role === "CONNECTOR" || role.role === "BOTH"
                      ? "good"
                      : role.role === "INFLUENCER"
                        ? "warn"
                        : "muted"
                  }
                >
                  {label(role.role ?? "NEITHER")}
                </Badge>{" "}
                <span className="muted">{role.reason}</span>
              </p>
            )}
          </>
        )}
      </div>
    </div>
  );
}

/**
 * A person's rights: an export of everything stored about them, staying off warm-intro paths, and erasure — which
 * cannot be undone, so the admin types the person's name to confirm it.
 */
function PrivacyActions({ person, onChanged }: { person: PersonData; onChanged: () => void }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<WriteError | null>(null);
  const [confirmation, setConfirmation] = useState<string | null>(null);

  async function act(action: () => Promise<{ __typename?: string } | null | undefined>) {
    setBusy(true);
    setFailure(null);
    try {
      const result = await action();
      if (result && isWriteError(result)) setFailure(result);
      else onChanged();
    } catch (error) {
      setFailure({ __typename: "Error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  async function download() {
    const document = await client.admin.privacy.export(person.id);
    const url = URL.createObjectURL(new Blob([JSON.stringify(document, null, 2)], { type: "application/json" }));
    const link = Object.assign(window.document.createElement("a"), { href: url, download: "person-export.json" });
    link.click();
    URL.revokeObjectURL(url);
  }

  if (person.erasedAt) return <div className="state">This person was erased on {date(person.erasedAt)}.</div>;
  return (
    <section aria-label="Privacy">
      <h2>Privacy</h2>
      <div className="header-actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void download()}>
          Export everything stored
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() =>
            void act(() =>
              client.admin.privacy.setPathsOptOut({
                id: person.id,
                version: person.version ?? 0,
                optOut: !person.pathsOptOut,
              }),
            )
          }
        >
          {person.pathsOptOut ? "Allow on warm-intro paths" : "Keep off warm-intro paths"}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => setConfirmation("")}>
          Erase this person…
        </button>
      </div>
      {confirmation !== null && (
        <div className="state conflict" role="alertdialog" aria-label="Confirm erasure">
          <p>
            Erasure removes this person's name, contacts, profile, social accounts and every note about them,
            everywhere. Their introductions and everyone's credit stay, under a placeholder.{" "}
            <strong>It cannot be undone.</strong> Type <strong>{person.displayName}</strong> to confirm.
          </p>
          <input
            aria-label="Name to confirm"
            value={confirmation}
            onChange={(event) => setConfirmation(event.target.value)}
          />
          <button
            type="button"
            className="danger"
            disabled={busy || confirmation !== person.displayName}
            onClick={() =>
              void act(() =>
                client.admin.privacy.erase({ id: person.id, version: person.version ?? 0, irreversible: true }),
              )
            }
          >
            Erase permanently
          </button>
          <button type="button" className="secondary" onClick={() => setConfirmation(null)}>
            Cancel
          </button>
        </div>
      )}
      {failure && <WriteErrorBox error={failure} onReload={onChanged} />}
    </section>
  );
}
