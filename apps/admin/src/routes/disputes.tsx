// Credit disputes: read the reason and evidence, then uphold (the introduction stops earning credit) or reject.
import {
  AdminAdjudicateCreditDisputeDocument,
  AdminCreditDisputesDocument,
  type AdminCreditDisputesQuery,
  type CreditDisputeStatus,
  type CreditDisputeVerdict,
} from "@intrograph/sdk";
import { useState } from "react";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { date, dateTime, label, money } from "../lib/format.ts";
import { Link, useRouter } from "../lib/router.tsx";
import { ConnectionView } from "../components/connection-view.tsx";
import { Badge } from "../components/states.tsx";
import { Tabs } from "../components/tabs.tsx";
import { isWriteError, type WriteError, WriteErrorBox } from "../components/write-error.tsx";

const STATUSES = ["OPEN", "UPHELD", "REJECTED"] as const;

export function DisputesPage() {
  const client = useClient();
  const { location } = useRouter();
  const status = (STATUSES.find((value) => value === location.search.get("status")) ?? "OPEN") as CreditDisputeStatus;
  const pages = useCursorPages(status);
  const disputes = useAsync(
    () => client.execute(AdminCreditDisputesDocument, { status, first: 10, after: pages.after }),
    [client, status, pages.after],
  );
  const connection = disputes.data?.creditDisputes;
  return (
    <section>
      <h1>Credit disputes</h1>
      <Tabs
        tabs={STATUSES.map((value) => ({ value, title: label(value), to: `/disputes?status=${value}` }))}
        current={status}
      />
      <ConnectionView
        request={disputes}
        connection={connection}
        pages={pages}
        what="Loading disputes"
        empty={`No ${label(status).toLowerCase()} disputes.`}
      >
        {(rows, stale) => (
          <div className={stale ? "stack stale" : "stack"}>
            {rows.map((dispute) => (
              <DisputeCard key={`${dispute.id}:${dispute.version}`} dispute={dispute} />
            ))}
          </div>
        )}
      </ConnectionView>
    </section>
  );
}

type Dispute = NonNullable<NonNullable<AdminCreditDisputesQuery["creditDisputes"]>["edges"][number]["node"]>;

function DisputeCard({ dispute: initial }: { dispute: Dispute }) {
  const client = useClient();
  const [dispute, setDispute] = useState(initial);
  const [resolution, setResolution] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<WriteError | null>(null);

  async function adjudicate(verdict: CreditDisputeVerdict) {
    setBusy(true);
    setFailure(null);
    try {
      const { adjudicateCreditDispute: result } = await client.execute(AdminAdjudicateCreditDisputeDocument, {
        input: { id: dispute.id, version: dispute.version ?? 0, verdict, resolution },
      });
      if (!result) return;
      if (isWriteError(result)) setFailure(result);
      else if (result.__typename === "AdjudicateCreditDisputeSuccess") setDispute({ ...dispute, ...result.dispute });
    } catch (error) {
      setFailure({ __typename: "Error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  const intro = dispute.introduction;
  return (
    <article className="card" data-testid="dispute-card">
      <header>
        <div>
          <Link to={`/chains?outcome=${encodeURIComponent(dispute.outcome?.id ?? "")}`}>{dispute.outcome?.title}</Link>{" "}
          <span className="muted">
            {dispute.outcome?.value && dispute.outcome.currency
              ? money(String(dispute.outcome.value), dispute.outcome.currency)
              : ""}
          </span>
        </div>
        <Badge tone={dispute.status === "OPEN" ? "warn" : dispute.status === "UPHELD" ? "bad" : "muted"}>
          {label(dispute.status ?? "OPEN")}
        </Badge>
      </header>
      <p>
        <strong>Contests:</strong>{" "}
        {intro ? (
          <>
            {intro.connector?.displayName}’s introduction of {intro.from?.displayName} to {intro.to?.displayName} (
            {date(intro.occurredAt)})
          </>
        ) : (
          "the credit of the whole outcome"
        )}
      </p>
      <p>
        <strong>Reason:</strong> {dispute.reason}
      </p>
      <div>
        <strong>Evidence:</strong>
        {(dispute.evidence ?? []).length === 0 ? (
          <span className="muted"> none given</span>
        ) : (
          <ul>
            {(dispute.evidence ?? []).map((item) => (
              <li key={item}>
                {/^https?:\/\//.test(item) ? (
                  <a href={item} target="_blank" rel="noreferrer">
                    {item}
                  </a>
                ) : (
                  item
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <p className="muted small">Opened {dateTime(dispute.createdAt)}</p>
      {dispute.status !== "OPEN" ? (
        <p className="notice">
          {label(dispute.status ?? "")} by {dispute.resolvedBy} on {dateTime(dispute.resolvedAt)}: {dispute.resolution}
        </p>
      ) : (
        <form className="inline-form" onSubmit={(event) => event.preventDefault()}>
          <label>
            Resolution
            <input
              value={resolution}
              onChange={(event) => setResolution(event.target.value)}
              placeholder="Why this verdict"
              minLength={3}
              required
            />
          </label>
          <button
            type="button"
            disabled={busy || resolution.trim().length < 3}
            onClick={() => void adjudicate("UPHOLD" as CreditDisputeVerdict)}
          >
            Uphold
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy || resolution.trim().length < 3}
            onClick={() => void adjudicate("REJECT" as CreditDisputeVerdict)}
          >
            Reject
          </button>
        </form>
      )}
      {failure && <WriteErrorBox error={failure} />}
    </article>
  );
}
