// One relationship with its evidence and the curation actions: verify, dispute with a reason, change kind, add
// evidence. Every write sends the version the admin saw; a ConflictError shows the newer state instead of overwriting.
import {
  AdminAddInteractionDocument,
  type AdminRelationshipFragment,
  AdminRelationshipDocument,
  AdminUpdateRelationshipDocument,
  type InteractionKind,
  type RelationshipKind,
} from "@intrograph/sdk";
import { type FormEvent, useState } from "react";
import { useClient } from "../lib/client.tsx";
import { date, label, percent, plural } from "../lib/format.ts";
import { Link } from "../lib/router.tsx";
import { Badge } from "./states.tsx";
import { isWriteError, type WriteError, WriteErrorBox } from "./write-error.tsx";

const KINDS: RelationshipKind[] = [
  "COLLEAGUE",
  "CLIENT",
  "ADVISOR",
  "INVESTOR",
  "FRIEND",
  "FAMILY",
  "COMMUNITY",
  "OTHER",
] as RelationshipKind[];
const INTERACTION_KINDS: InteractionKind[] = [
  "MEETING",
  "CALL",
  "MESSAGE",
  "EMAIL",
  "EVENT",
  "COLLABORATION",
  "OTHER",
] as InteractionKind[];

export function statusTone(status: string | null | undefined) {
  return status === "VERIFIED" ? "good" : status === "DISPUTED" ? "bad" : "warn";
}

export function StrengthBar({ value }: { value: number }) {
  return (
    <span className="strength" title={`strength ${value.toFixed(3)}`}>
      <span className="strength-fill" style={{ width: `${Math.max(2, value * 100)}%` }} />
      <span className="strength-label">{value.toFixed(2)}</span>
    </span>
  );
}

type Mode = "idle" | "dispute" | "evidence";

export function RelationshipCard({
  relationship: initial,
  onChanged,
}: {
  relationship: AdminRelationshipFragment;
  onChanged?: (relationship: AdminRelationshipFragment) => void;
}) {
  const client = useClient();
  const [relationship, setRelationship] = useState(initial);
  const [mode, setMode] = useState<Mode>("idle");
  const [reason, setReason] = useState("");
  const [evidence, setEvidence] = useState({
    kind: "MEETING" as InteractionKind,
    occurredAt: new Date().toISOString().slice(0, 10),
    note: "",
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<WriteError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [showEvidence, setShowEvidence] = useState(false);

  function applied(next: AdminRelationshipFragment, message: string) {
    setRelationship(next);
    setFailure(null);
    setNotice(message);
    setMode("idle");
    onChanged?.(next);
  }

  async function update(
    change: { status?: "VERIFIED" | "DISPUTED" | "UNVERIFIED"; kind?: RelationshipKind; disputeReason?: string },
    message: string,
  ) {
    setBusy(true);
    setNotice(null);
    try {
      const { updateRelationship: result } = await client.execute(AdminUpdateRelationshipDocument, {
        input: { id: relationship.id, version: relationship.version ?? 0, ...change },
      });
      if (!result) return;
      if (isWriteError(result)) setFailure(result);
      else if (result.__typename === "UpdateRelationshipSuccess") applied(result.relationship, message);
    } catch (error) {
      setFailure({ __typename: "Error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  async function addEvidence(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setNotice(null);
    try {
      const { addInteraction: result } = await client.execute(AdminAddInteractionDocument, {
        input: {
          relationshipId: relationship.id,
          interaction: {
            kind: evidence.kind,
            occurredAt: new Date(`${evidence.occurredAt}T12:00:00Z`).toISOString(),
            note: evidence.note || null,
          },
        },
      });
      if (!result) return;
      if (isWriteError(result)) setFailure(result);
      else if (result.__typename === "AddInteractionSuccess")
        applied(result.relationship, "Evidence added; strength recomputed.");
    } catch (error) {
      setFailure({ __typename: "Error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  async function reloadCurrent() {
    setBusy(true);
    try {
      const { node } = await client.execute(AdminRelationshipDocument, { id: relationship.id });
      if (node && node.__typename === "Relationship") {
        setRelationship(node);
        setFailure(null);
        setNotice("Showing the current version. Apply your change again if it still makes sense.");
        onChanged?.(node);
      }
    } finally {
      setBusy(false);
    }
  }

  const interactions = relationship.interactions?.edges.map((edge) => edge.node).filter((node) => node != null) ?? [];
  const evidenceTerms = (relationship.strengthEvidence ?? {}) as Record<string, unknown>;

  return (
    <article className="card relationship" data-testid="relationship-card" data-relationship-id={relationship.id}>
      <header>
        <div className="pair">
          <PersonName person={relationship.personA} /> <span className="muted">—</span>{" "}
          <PersonName person={relationship.personB} />
        </div>
        <Badge tone={statusTone(relationship.status)}>{label(relationship.status ?? "UNVERIFIED")}</Badge>
      </header>
      <dl className="facts">
        <div>
          <dt>Kind</dt>
          <dd>
            <select
              aria-label="Kind"
              value={relationship.kind ?? "OTHER"}
              disabled={busy}
              onChange={(event) => void update({ kind: event.target.value as RelationshipKind }, "Kind changed.")}
            >
              {KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {label(kind)}
                </option>
              ))}
            </select>
          </dd>
        </div>
        <div>
          <dt>Strength</dt>
          <dd>
            <StrengthBar value={relationship.strength ?? 0} />
          </dd>
        </div>
        <div>
          <dt>Evidence</dt>
          <dd>
            <button type="button" className="link" onClick={() => setShowEvidence(!showEvidence)}>
              {plural(relationship.interactions?.totalCount ?? 0, "interaction")}
            </button>
          </dd>
        </div>
        <div>
          <dt>Last interaction</dt>
          <dd>{date(relationship.lastInteractionAt)}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{label(relationship.source ?? "ADMIN")}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{relationship.version}</dd>
        </div>
      </dl>
      {relationship.disputeReason && <p className="dispute-reason">Disputed: {relationship.disputeReason}</p>}
      {showEvidence && (
        <div className="evidence">
          <ul>
            {interactions.map((interaction) => (
              <li key={interaction.id}>
                {date(interaction.occurredAt)} · {label(interaction.kind ?? "OTHER")} · weight {interaction.weight}
                {interaction.note && <span className="muted"> — {interaction.note}</span>}
              </li>
            ))}
          </ul>
          <p className="muted small">
            Strength terms:{" "}
            {Object.entries(evidenceTerms)
              .filter(([, value]) => typeof value === "number")
              .map(
                ([key, value]) =>
                  `${key} ${Number(value) < 1 && Number(value) > 0 ? percent(Number(value), 1) : String(value)}`,
              )
              .join(" · ") || "none"}
          </p>
        </div>
      )}
      {failure && <WriteErrorBox error={failure} onReload={reloadCurrent} />}
      {notice && !failure && <p className="notice">{notice}</p>}
      {mode === "dispute" && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void update({ status: "DISPUTED", disputeReason: reason }, "Marked as disputed.");
          }}
        >
          <label>
            Why is this relationship disputed?
            <input
              name="disputeReason"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              required
              minLength={3}
              autoFocus
            />
          </label>
          <button type="submit" disabled={busy}>
            Dispute
          </button>
          <button type="button" className="secondary" onClick={() => setMode("idle")}>
            Cancel
          </button>
        </form>
      )}
      {mode === "evidence" && (
        <form className="inline-form" onSubmit={addEvidence}>
          <label>
            Kind
            <select
              value={evidence.kind}
              onChange={(event) => setEvidence({ ...evidence, kind: event.target.value as InteractionKind })}
            >
              {INTERACTION_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {label(kind)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Date
            <input
              type="date"
              value={evidence.occurredAt}
              onChange={(event) => setEvidence({ ...evidence, occurredAt: event.target.value })}
              required
            />
          </label>
          <label>
            Note
            <input
              value={evidence.note}
              onChange={(event) => setEvidence({ ...evidence, note: event.target.value })}
              placeholder="optional"
            />
          </label>
          <button type="submit" disabled={busy}>
            Add evidence
          </button>
          <button type="button" className="secondary" onClick={() => setMode("idle")}>
            Cancel
          </button>
        </form>
      )}
      {mode === "idle" && (
        <footer className="actions">
          {relationship.status !== "VERIFIED" && (
            <button type="button" disabled={busy} onClick={() => void update({ status: "VERIFIED" }, "Verified.")}>
              Verify
            </button>
          )}
          {relationship.status !== "DISPUTED" && (
            <button type="button" className="secondary" disabled={busy} onClick={() => setMode("dispute")}>
              Dispute…
            </button>
          )}
          <button type="button" className="secondary" disabled={busy} onClick={() => setMode("evidence")}>
            Add evidence…
          </button>
        </footer>
      )}
    </article>
  );
}

function PersonName({
  person,
}: {
  person: { id: string; displayName?: string | null; headline?: string | null } | null | undefined;
}) {
  if (!person) return <span>—</span>;
  return (
    <span>
      <Link to={`/people/${encodeURIComponent(person.id)}`}>{person.displayName}</Link>
      {person.headline && <span className="muted small"> · {person.headline}</span>}
    </span>
  );
}
