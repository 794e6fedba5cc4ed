// API keys: issue one (its secret is shown once, here), list them with prefix and last use, revoke.
import {
  type ApiKeyFieldsFragment,
  ApiKeysDocument,
  type ApiKeyScope,
  CreateApiKeyDocument,
  PartnersDocument,
  RevokeApiKeyDocument,
} from "@intrograph/sdk";
import { type FormEvent, useState } from "react";
import { useAsync, useCursorPages } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { dateTime } from "../lib/format.ts";
import { ConnectionView } from "../components/connection-view.tsx";
import { Badge } from "../components/states.tsx";
import { isWriteError, type WriteError, WriteErrorBox } from "../components/write-error.tsx";

export function ApiKeysPage() {
  const client = useClient();
  const pages = useCursorPages("keys");
  const keys = useAsync(
    () => client.execute(ApiKeysDocument, { first: 20, after: pages.after }),
    [client, pages.after],
  );
  const partners = useAsync(() => client.execute(PartnersDocument, { first: 100 }), [client]);
  const [draft, setDraft] = useState({ name: "", scope: "PARTNER" as ApiKeyScope, partnerId: "" });
  const [issued, setIssued] = useState<{ key: string; name: string } | null>(null);
  const [failure, setFailure] = useState<WriteError | null>(null);
  const [busy, setBusy] = useState(false);
  const [revoked, setRevoked] = useState<Record<string, ApiKeyFieldsFragment>>({});

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setIssued(null);
    try {
      const { createApiKey: result } = await client.execute(CreateApiKeyDocument, {
        input: {
          name: draft.name,
          scope: draft.scope,
          partnerId: draft.scope === "PARTNER" ? draft.partnerId || null : null,
        },
      });
      if (!result) return;
      if (isWriteError(result)) setFailure(result);
      else if (result.__typename === "IssuedApiKey") {
        setIssued({ key: result.key ?? "", name: draft.name });
        setDraft({ ...draft, name: "" });
        keys.reload();
      }
    } catch (error) {
      setFailure({ __typename: "Error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKeyFieldsFragment) {
    if (!window.confirm(`Revoke “${key.name}” (ig_${key.prefix}_…)? Anything using it stops working.`)) return;
    setFailure(null);
    try {
      const { revokeApiKey: result } = await client.execute(RevokeApiKeyDocument, { id: key.id });
      if (!result) return;
      if (isWriteError(result)) setFailure(result);
      else if (result.__typename === "RevokeApiKeySuccess")
        setRevoked((current) => ({ ...current, [key.id]: result.apiKey }));
    } catch (error) {
      setFailure({ __typename: "Error", message: error instanceof Error ? error.message : String(error) });
    }
  }

  const partnerList = partners.data?.partners?.edges.map((edge) => edge.node).filter((node) => node != null) ?? [];
  const connection = keys.data?.apiKeys;

  return (
    <section>
      <h1>API keys</h1>
      <form className="toolbar" onSubmit={create} aria-label="Create an API key">
        <label>
          Name
          <input
            name="keyName"
            value={draft.name}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
            required
            placeholder="e.g. Acme CRM sync"
          />
        </label>
        <label>
          Scope
          <select
            name="scope"
            value={draft.scope}
            onChange={(event) => setDraft({ ...draft, scope: event.target.value as ApiKeyScope })}
          >
            <option value="PARTNER">Partner</option>
            <option value="ADMIN">Admin</option>
          </select>
        </label>
        {draft.scope === "PARTNER" && (
          <label>
            Partner
            <select
              name="partner"
              value={draft.partnerId}
              onChange={(event) => setDraft({ ...draft, partnerId: event.target.value })}
              required
            >
              <option value="">Choose…</option>
              {partnerList.map((partner) => (
                <option key={partner.id} value={partner.id}>
                  {partner.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" disabled={busy}>
          Create key
        </button>
      </form>
      {issued && (
        <div className="state secret" role="status" data-testid="issued-key">
          <strong>Key “{issued.name}” created.</strong> Copy it now: it is shown only once.
          <code>{issued.key}</code>
          <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(issued.key)}>
            Copy
          </button>
          <button type="button" className="link" onClick={() => setIssued(null)}>
            Done
          </button>
        </div>
      )}
      {failure && <WriteErrorBox error={failure} />}
      <ConnectionView request={keys} connection={connection} pages={pages} what="Loading keys" empty="No API keys.">
        {(rows, stale) => (
          <table className={stale ? "stale" : ""}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Scope</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows
                .map((listed) => revoked[listed.id] ?? listed)
                .map((key) => (
                  <tr key={key.id} data-testid="api-key-row" data-prefix={key.prefix}>
                    <td>{key.name}</td>
                    <td>
                      <code>ig_{key.prefix}_…</code>
                    </td>
                    <td>
                      {(key.scopes ?? []).join(", ").toLowerCase()}
                      {key.partner && <span className="muted"> · {key.partner.name}</span>}
                    </td>
                    <td>{dateTime(key.createdAt)}</td>
                    <td>{dateTime(key.lastUsedAt)}</td>
                    <td>
                      {key.active ? (
                        <Badge tone="good">active</Badge>
                      ) : (
                        <Badge tone="muted">{key.revokedAt ? "revoked" : "expired"}</Badge>
                      )}
                    </td>
                    <td>
                      {key.active && (
                        <button type="button" className="danger" onClick={() => void revoke(key)}>
                          Revoke
                        </button>
                      )}
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
