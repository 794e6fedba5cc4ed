// Intro chains: pick an outcome (or come from a person), see the chain DAG that led to it, and switch credit models to
// see how each model splits the outcome's value among the connectors.
import {
  type AdminChainFragment,
  AdminOutcomeChainDocument,
  AdminOutcomesCreditDocument,
  AdminOutcomesDocument,
  AdminPersonChainsDocument,
  type CreditModel,
} from "@intrograph/sdk";
import { useMemo } from "react";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { date, label, money, percent } from "../lib/format.ts";
import { Link, useRouter } from "../lib/router.tsx";
import {
  ChainGraph,
  type ChainIntroduction,
  type ChainOutcome,
  type ConnectorCredit,
  CREDIT_MODELS,
} from "../components/chain-graph.tsx";
import { ConnectionView } from "../components/connection-view.tsx";
import { Empty, ErrorBox, Loading } from "../components/states.tsx";

export function ChainsPage() {
  const { location } = useRouter();
  const outcomeId = location.search.get("outcome");
  const personId = location.search.get("person");
  if (outcomeId) return <ChainView source={{ kind: "outcome", id: outcomeId }} />;
  if (personId) return <ChainView source={{ kind: "person", id: personId }} />;
  return <OutcomeList />;
}

function OutcomeList() {
  const client = useClient();
  const pages = useCursorPages("outcomes");
  const outcomes = useAsync(
    () => client.execute(AdminOutcomesDocument, { first: 20, after: pages.after }),
    [client, pages.after],
  );
  const connection = outcomes.data?.outcomes;
  return (
    <section>
      <h1>Intro chains</h1>
      <p className="muted">Pick an outcome to see the introductions that led to it and who earns credit for it.</p>
      <ConnectionView
        request={outcomes}
        connection={connection}
        pages={pages}
        what="Loading outcomes"
        empty="No outcomes recorded."
      >
        {(rows, stale) => (
          <table className={stale ? "stale" : ""}>
            <thead>
              <tr>
                <th>Outcome</th>
                <th>Kind</th>
                <th>Value</th>
                <th>Organization</th>
                <th>Date</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((outcome) => (
                <tr key={outcome.id}>
                  <td>
                    <Link to={`/chains?outcome=${encodeURIComponent(outcome.id)}`}>{outcome.title}</Link>
                  </td>
                  <td>{label(outcome.kind ?? "DEAL")}</td>
                  <td className="num">{money(String(outcome.value ?? 0), outcome.currency ?? "USD")}</td>
                  <td>{outcome.organization?.name ?? "—"}</td>
                  <td>{date(outcome.occurredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ConnectionView>
    </section>
  );
}

interface Dag {
  title: string;
  introductions: ChainIntroduction[];
  links: { earlierId: string; laterId: string }[];
  outcomes: ChainOutcome[];
}

/** Unions several chains (they overlap) into one DAG. */
function unionOf(title: string, chains: (AdminChainFragment | null | undefined)[]): Dag {
  const introductions = new Map<string, ChainIntroduction>();
  const links = new Map<string, { earlierId: string; laterId: string }>();
  const outcomes = new Map<string, ChainOutcome>();
  for (const chain of chains) {
    if (!chain) continue;
    for (const node of chain.nodes ?? []) {
      introductions.set(node.id, { ...node, outcomeIds: (node.outcomes ?? []).map((outcome) => outcome.id) });
    }
    for (const link of chain.edges ?? []) {
      if (link.earlierId && link.laterId)
        links.set(`${link.earlierId}>${link.laterId}`, { earlierId: link.earlierId, laterId: link.laterId });
    }
    for (const outcome of chain.outcomes ?? [])
      outcomes.set(outcome.id, { ...outcome, value: outcome.value == null ? null : String(outcome.value) });
  }
  return {
    title,
    introductions: [...introductions.values()],
    links: [...links.values()],
    outcomes: [...outcomes.values()],
  };
}

function ChainView({ source }: { source: { kind: "outcome" | "person"; id: string } }) {
  const client = useClient();
  const { location, navigate } = useRouter();
  const model = (CREDIT_MODELS.find((option) => option === location.search.get("model")) ?? "SHAPLEY") as CreditModel;

  const dag = useAsync(async (): Promise<Dag | null> => {
    if (source.kind === "outcome") {
      const { node } = await client.execute(AdminOutcomeChainDocument, { id: source.id });
      if (node?.__typename !== "Outcome") return null;
      const dagOf = unionOf(
        node.title ?? "Outcome",
        (node.introductions ?? []).map((intro) => intro.chain),
      );
      // Only this outcome: the chains may also reach other outcomes, which would muddle its credit.
      return { ...dagOf, outcomes: dagOf.outcomes.filter((outcome) => outcome.id === node.id) };
    }
    const { person } = await client.execute(AdminPersonChainsDocument, { id: source.id });
    if (!person) return null;
    return unionOf(
      `Chains through ${person.displayName}`,
      (person.introductionsMade?.edges ?? []).map((edge) => edge.node?.chain),
    );
  }, [client, source.kind, source.id]);

  const outcomeIds = useMemo(() => dag.data?.outcomes.map((outcome) => outcome.id) ?? [], [dag.data]);
  const credit = useAsync(
    async () => (outcomeIds.length ? client.execute(AdminOutcomesCreditDocument, { ids: outcomeIds, model }) : null),
    [client, outcomeIds.join(","), model],
  );

  const { creditByConnector, rows, summaries } = useMemo(() => {
    const byConnector = new Map<string, ConnectorCredit & { name: string }>();
    const summaryList: string[] = [];
    const valueByCurrency = new Map<string, number>();
    for (const node of credit.data?.nodes ?? []) {
      if (node?.__typename !== "Outcome") continue;
      if (node.creditSummary) summaryList.push(node.creditSummary);
      const currency = (node.currency ?? "").trim();
      valueByCurrency.set(currency, (valueByCurrency.get(currency) ?? 0) + Number(node.value ?? 0));
      for (const allocation of node.credit ?? []) {
        if (!allocation.person) continue;
        const current = byConnector.get(allocation.person.id);
        const amount = (current ? Number(current.amount) : 0) + Number(allocation.amount ?? 0);
        byConnector.set(allocation.person.id, {
          name: allocation.person.displayName ?? "",
          amount: String(amount),
          currency: (allocation.currency ?? currency).trim(),
          share: 0,
        });
      }
    }
    for (const entry of byConnector.values()) {
      const total = valueByCurrency.get(entry.currency) ?? 0;
      entry.share = total > 0 ? Number(entry.amount) / total : 0;
    }
    const sorted = [...byConnector.entries()].sort((a, b) => Number(b[1].amount) - Number(a[1].amount));
    return { creditByConnector: byConnector as Map<string, ConnectorCredit>, rows: sorted, summaries: summaryList };
  }, [credit.data]);

  function chooseModel(next: string) {
    const params = new URLSearchParams(location.search);
    params.set("model", next);
    navigate(`/chains?${params.toString()}`, { replace: true });
  }

  if (dag.error) return <ErrorBox error={dag.error} onRetry={dag.reload} />;
  if (!dag.data && dag.loading) return <Loading what="Loading the intro chains" />;
  if (!dag.data) return <Empty>Nothing found for this id.</Empty>;
  const graph = dag.data;

  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{graph.title}</h1>
          <p className="muted">
            {graph.introductions.length} introductions · {graph.outcomes.length} outcome
            {graph.outcomes.length === 1 ? "" : "s"}
            {source.kind === "person" && (
              <>
                {" "}
                · <Link to={`/people/${encodeURIComponent(source.id)}`}>back to the person</Link>
              </>
            )}
          </p>
        </div>
        <label className="model-picker">
          Credit model
          <select name="model" value={model} onChange={(event) => chooseModel(event.target.value)}>
            {CREDIT_MODELS.map((option) => (
              <option key={option} value={option}>
                {label(option)}
              </option>
            ))}
          </select>
        </label>
      </header>
      {graph.introductions.length === 0 ? (
        <Empty>No introductions on record.</Empty>
      ) : (
        <ChainGraph
          introductions={graph.introductions}
          links={graph.links}
          outcomes={graph.outcomes}
          creditByConnector={creditByConnector}
          highlightPersonId={source.kind === "person" ? source.id : undefined}
        />
      )}
      <h2>Credit under {label(model)}</h2>
      {credit.error ? (
        <ErrorBox error={credit.error} onRetry={credit.reload} />
      ) : credit.loading && !credit.data ? (
        <Loading what="Computing credit" />
      ) : rows.length === 0 ? (
        <Empty>{summaries[0] ?? "No credit: no outcome on these chains."}</Empty>
      ) : (
        <table className={credit.loading ? "compact stale" : "compact"} data-testid="credit-table" data-model={model}>
          <thead>
            <tr>
              <th>Connector</th>
              <th className="num">Credit</th>
              <th className="num">Share</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([personId, entry]) => (
              <tr key={personId}>
                <td>
                  <Link to={`/people/${encodeURIComponent(personId)}`}>{entry.name}</Link>
                </td>
                <td className="num">{money(entry.amount, entry.currency)}</td>
                <td className="num">{percent(entry.share, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {summaries.length > 0 && (
        <details>
          <summary>How the value was split</summary>
          {summaries.map((summary) => (
            <pre key={summary} className="summary">
              {summary}
            </pre>
          ))}
        </details>
      )}
    </section>
  );
}
