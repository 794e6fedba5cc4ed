// The integrity review queue: patterns that may mean gamed credit. A scan adds what it finds; the admin dismisses a
// flag (explained) or turns it into a credit dispute in one step. Flags never change credit by themselves.
import {
  AdminDismissIntegrityFlagDocument,
  AdminDisputeIntegrityFlagDocument,
  AdminIntegrityFlagsDocument,
  type AdminIntegrityFlagsQuery,
  AdminScanIntegrityDocument,
  type IntegrityFlagStatus,
} from "@intrograph/sdk";
import { useState } from "react";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { dateTime, label } from "../lib/format.ts";
import { Link, useRouter } from "../lib/router.tsx";
import { ConnectionView } from "../components/connection-view.tsx";
import { Badge } from "../components/states.tsx";
import { Tabs } from "../components/tabs.tsx";
import { isWriteError, type WriteError, WriteErrorBox } from "../components/write-error.tsx";

const STATUSES = ["OPEN", "DISPUTED", "DISMISSED"] as const;

type Flag = NonNullable<NonNullable<AdminIntegrityFlagsQuery["integrityFlags"]>["edges"][number]["node"]>;

export function IntegrityPage() {
  const client = useClient();
  const { location } = useRouter();
  const status = (STATUSES.find((value) => value === location.search.get("status")) ?? "OPEN") as IntegrityFlagStatus;
  const pages = useCursorPages(status);
  const [scanned, setScanned] = useState<string | null>(null);
  const flags = useAsync(
    () => client.execute(AdminIntegrityFlagsDocument, { status, first: 20, after: pages.after }),
    [client, status, pages.after],
  );

  async function scan() {
    const { scanIntegrity } = await client.execute(AdminScanIntegrityDocument, {});
    setScanned(`Found ${scanIntegrity?.found ?? 0}; ${scanIntegrity?.added ?? 0} new.`);
    flags.reload();
  }

  return (
    <section>
      <header className="page-header">
        <div>
          <h1>Integrity</h1>
          <p className="muted">
            Self-dealing, reciprocal rings, introductions after their outcome, contested claims, reporter bursts. Flags
            never change credit: dismiss one, or open a dispute from it.
          </p>
        </div>
        <div className="header-actions">
          <button type="button" onClick={() => void scan()}>
            Scan the ledger
          </button>
          {scanned && <span role="status">{scanned}</span>}
        </div>
      </header>
      <Tabs
        tabs={STATUSES.map((value) => ({ value, title: label(value), to: `/integrity?status=${value}` }))}
        current={status}
      />
      <ConnectionView
        request={flags}
        connection={flags.data?.integrityFlags}
        pages={pages}
        what="Loading flags"
        empty={`No ${label(status).toLowerCase()} flags.`}
      >
        {(rows, stale) => (
          <div className={stale ? "stack stale" : "stack"}>
            {rows.map((flag) => (
              <FlagCard key={`${flag.id}:${flag.version}`} flag={flag} onChanged={flags.reload} />
            ))}
          </div>
        )}
      </ConnectionView>
    </section>
  );
}

function FlagCard({ flag, onChanged }: { flag: Flag; onChanged: () => void }) {
  const client = useClient();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<WriteError | null>(null);

  async function resolve(verdict: "dispute" | "dismiss") {
    setBusy(true);
    setFailure(null);
    try {
      const input = { id: flag.id, version: flag.version ?? 1, ...(note.trim() ? { note } : {}) };
      const result =
        verdict === "dispute"
          ? (await client.execute(AdminDisputeIntegrityFlagDocument, { input })).disputeIntegrityFlag
          : (await client.execute(AdminDismissIntegrityFlagDocument, { input })).dismissIntegrityFlag;
      if (result && isWriteError(result)) setFailure(result);
      else onChanged();
    } catch (error) {
      setFailure({ __typename: "Error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card" data-testid="integrity-flag">
      <header>
        <Badge tone="warn">{label(flag.kind ?? "")}</Badge>{" "}
        {flag.outcome && (
          <Link to={`/chains?outcome=${encodeURIComponent(flag.outcome.id)}`}>{flag.outcome.title}</Link>
        )}{" "}
        {flag.person && <Link to={`/people/${encodeURIComponent(flag.person.id)}`}>{flag.person.displayName}</Link>}{" "}
        <span className="muted">{dateTime(flag.detectedAt)}</span>
      </header>
      <p>{flag.reason}</p>
      {flag.dispute && (
        <p>
          Dispute opened: <Link to="/disputes">{label(flag.dispute.status ?? "OPEN")}</Link>
        </p>
      )}
      {flag.status === "OPEN" && (
        <div className="toolbar">
          <input
            aria-label="Note"
            placeholder="Note (optional)"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <button type="button" disabled={busy || !flag.outcome} onClick={() => void resolve("dispute")}>
            Open a dispute
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => void resolve("dismiss")}>
            Dismiss
          </button>
        </div>
      )}
      {failure && <WriteErrorBox error={failure} />}
    </article>
  );
}
