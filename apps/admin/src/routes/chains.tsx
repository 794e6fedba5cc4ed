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
import { date, label, money, percent, plural } from "../lib/format.ts";
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
                <th>Credit</th>
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
                  <td title="After this date only an adjudicated dispute changes the outcome's credit">
                    {outcome.creditLocked ? "final since " : "final from "}
                    {date(outcome.creditLocksAt)}
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

interface OutcomeCredit {
  id: string;
  currency: string;
  value: number;
  byConnector: Map<string, { name: string; amount: number }>;
}

interface ConnectorRow extends ConnectorCredit {
  personId: string;
  name: string;
  amount: number;
}

/** Each connector's credit, per currency, summed over the given outcomes; share of those outcomes' value. */
function creditAmong(outcomes: OutcomeCredit[], ids: ReadonlySet<string>): ConnectorRow[] {
  const rows = new Map<string, ConnectorRow>();
  const valueByCurrency = new Map<string, number>();
  for (const outcome of outcomes) {
    if (!ids.has(outcome.id)) continue;
    valueByCurrency.set(outcome.currency, (valueByCurrency.get(outcome.currency) ?? 0) + outcome.value);
    for (const [personId, { name, amount }] of outcome.byConnector) {
      const key = `${personId} ${outcome.currency}`;
      const row = rows.get(key) ?? { personId, name, amount: 0, currency: outcome.currency, share: 0 };
      row.amount += amount;
      rows.set(key, row);
    }
  }
  for (const row of rows.values()) {
    const total = valueByCurrency.get(row.currency) ?? 0;
    row.share = total > 0 ? row.amount / total : 0;
  }
  return [...rows.values()];
}

/** For every introduction, the outcomes it led to: its own, and those of every later introduction it grew into. */
function outcomesDownstream(dag: Dag): Map<string, Set<string>> {
  const later = new Map<string, string[]>();
  for (const link of dag.links) later.set(link.earlierId, [...(later.get(link.earlierId) ?? []), link.laterId]);
  const own = new Map(dag.introductions.map((intro) => [intro.id, intro.outcomeIds]));
  const shown = new Set(dag.outcomes.map((outcome) => outcome.id));
  const result = new Map<string, Set<string>>();
  for (const intro of dag.introductions) {
    const reached = new Set<string>();
    const seen = new Set<string>();
    const stack = [intro.id];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const outcomeId of own.get(id) ?? []) if (shown.has(outcomeId)) reached.add(outcomeId);
      stack.push(...(later.get(id) ?? []));
    }
    result.set(intro.id, reached);
  }
  return result;
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

  const { creditOf, rows, summaries } = useMemo(() => {
    const outcomesCredit: OutcomeCredit[] = [];
    const summaryList: string[] = [];
    for (const node of credit.data?.nodes ?? []) {
      if (node?.__typename !== "Outcome") continue;
      if (node.creditSummary) summaryList.push(node.creditSummary);
      const currency = (node.currency ?? "").trim();
      const byConnector = new Map<string, { name: string; amount: number }>();
      for (const allocation of node.credit ?? [])
        if (allocation.person)
          byConnector.set(allocation.person.id, {
            name: allocation.person.displayName ?? "",
            amount: Number(allocation.amount ?? 0),
          });
      outcomesCredit.push({ id: node.id, currency, value: Number(node.value ?? 0), byConnector });
    }
    const reachable = dag.data ? outcomesDownstream(dag.data) : new Map<string, Set<string>>();
    const all = new Set(outcomesCredit.map((outcome) => outcome.id));
    // The table sums each connector's credit per currency over every outcome shown; an introduction's node shows its
    // connector's credit for the outcomes that introduction led to, not the connector's total.
    const table = [...creditAmong(outcomesCredit, all)].sort((a, b) => b.amount - a.amount);
    return {
      creditOf: (intro: ChainIntroduction): ConnectorCredit | undefined => {
        if (!intro.connector) return undefined;
        const credits = creditAmong(outcomesCredit, reachable.get(intro.id) ?? new Set()).filter(
          (entry) => entry.personId === intro.connector?.id,
        );
        return credits.length === 1 ? credits[0] : undefined;
      },
      rows: table,
      summaries: summaryList,
    };
  }, [credit.data, dag.data]);

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
            {plural(graph.introductions.length, "introduction")} · {plural(graph.outcomes.length, "outcome")}
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
          creditOf={creditOf}
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
            {rows.map((entry) => (
              <tr key={`${entry.personId} ${entry.currency}`}>
                <td>
                  <Link to={`/people/${encodeURIComponent(entry.personId)}`}>{entry.name}</Link>
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
