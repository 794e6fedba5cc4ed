// A connector's statement, printable: every outcome their introductions led to in a period, the introductions of theirs
// on its chains, their credit under each model with the reason, and open disputes — what they can be shown and sign.
import { ConnectorStatementDocument, type CreditModel } from "@intrograph/sdk";
import { useState } from "react";
import { useAsync } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { date, label, money } from "../lib/format.ts";
import { Link } from "../lib/router.tsx";
import { Empty, ErrorBox, Loading } from "../components/states.tsx";
import { CREDIT_MODELS } from "../components/chain-graph.tsx";

export function StatementPage({ id }: { id: string }) {
  const client = useClient();
  // All time until the admin narrows it.
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [model, setModel] = useState<CreditModel>("SHAPLEY");
  const statement = useAsync(
    () =>
      client.execute(ConnectorStatementDocument, {
        personId: id,
        period: { ...(from ? { from: `${from}T00:00:00Z` } : {}), ...(to ? { to: `${to}T00:00:00Z` } : {}) },
      }),
    [client, id, from, to],
  );
  if (statement.error) return <ErrorBox error={statement.error} onRetry={statement.reload} />;
  if (!statement.data) return <Loading what="Loading the statement" />;
  const person = statement.data.person;
  if (!person?.statement) return <Empty>No person with this id.</Empty>;
  const { lines, totals, openDisputes } = person.statement;
  return (
    <section className={`statement ${statement.loading ? "stale" : ""}`}>
      <header className="page-header">
        <div>
          <h1>Statement: {person.displayName}</h1>
          <p className="muted">
            Outcomes their introductions led to{from && <> from {date(`${from}T00:00:00Z`)}</>}
            {to && <> until {date(`${to}T00:00:00Z`)}</>}, and the credit they earned.
          </p>
        </div>
        <div className="header-actions no-print">
          <label>
            From <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
          </label>
          <label>
            Until <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
          </label>
          <label>
            Model{" "}
            <select value={model} onChange={(event) => setModel(event.target.value as CreditModel)}>
              {CREDIT_MODELS.map((name) => (
                <option key={name} value={name}>
                  {label(name)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => window.print()}>
            Print
          </button>
          <Link to={`/people/${encodeURIComponent(id)}`} className="button secondary">
            Back to the person
          </Link>
        </div>
      </header>
      <h2>Totals</h2>
      <table aria-label="Totals">
        <thead>
          <tr>
            <th>Model</th>
            <th>Currency</th>
            <th className="num">Credit</th>
            <th className="num">Outcomes</th>
          </tr>
        </thead>
        <tbody>
          {(totals ?? []).map((total) => (
            <tr key={`${total.model}-${total.currency}`} className={total.model === model ? "selected" : ""}>
              <td>{label(total.model ?? "")}</td>
              <td>{total.currency}</td>
              <td className="num">{money(total.amount ?? "0", total.currency ?? "USD")}</td>
              <td className="num">{total.outcomes}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Outcomes ({lines?.length ?? 0})</h2>
      {!lines?.length ? (
        <Empty>No outcome in this period credits this person.</Empty>
      ) : (
        lines.map((line) => {
          const credit = line.credit?.find((row) => row.model === model);
          return (
            <article key={line.outcome?.id} className="card" data-testid="statement-line">
              <header>
                <strong>{line.outcome?.title}</strong>{" "}
                <span className="muted">
                  {label(line.outcome?.kind ?? "DEAL")} ·{" "}
                  {money(line.outcome?.value ?? "0", line.outcome?.currency ?? "USD")} ·{" "}
                  {date(line.outcome?.occurredAt)} ·{" "}
                  {line.outcome?.creditLocked ? "final" : `final from ${date(line.outcome?.creditLocksAt)}`}
                </span>
              </header>
              <p>
                Introductions:{" "}
                {(line.introductions ?? [])
                  .map((intro) => `${intro.from?.displayName} → ${intro.to?.displayName} (${date(intro.occurredAt)})`)
                  .join("; ") || "—"}
                {line.privateIntroductions ? ` and ${line.privateIntroductions} reported privately` : ""}
              </p>
              <p>
                <strong>{credit ? money(credit.amount ?? "0", credit.currency ?? "USD") : "No credit"}</strong> under{" "}
                {label(model)}
                {credit?.summary && <>: {credit.summary}</>}
              </p>
            </article>
          );
        })
      )}
      <h2>Open disputes ({openDisputes?.length ?? 0})</h2>
      {!openDisputes?.length ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {openDisputes.map((dispute) => (
            <li key={dispute.id}>
              {date(dispute.createdAt)}: {dispute.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
