// Webhooks: register an endpoint and its event types (the signing secret is shown once, here), see each endpoint's
// state (why it was disabled), its delivery log, and redeliver; enable, disable or delete it.
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  UpdateWebhookEndpointDocument,
  WebhookDeliveriesDocument,
  type WebhookEndpointFieldsFragment,
  WebhookEndpointsDocument,
  WebhookEventTypesDocument,
} from "@intrograph/sdk";
import { type FormEvent, useState } from "react";
import { useAsync } from "../lib/async.ts";
import { useClient } from "../lib/client.tsx";
import { dateTime } from "../lib/format.ts";
import { Badge, Empty, ErrorBox, Loading } from "../components/states.tsx";
import { isWriteError, type WriteError, WriteErrorBox } from "../components/write-error.tsx";

const failed = (error: unknown): WriteError => ({
  __typename: "Error",
  message: error instanceof Error ? error.message : String(error),
});

function Deliveries({ endpointId }: { endpointId: string }) {
  const client = useClient();
  const deliveries = useAsync(
    () => client.execute(WebhookDeliveriesDocument, { endpointId, first: 20 }),
    [client, endpointId],
  );
  const [failure, setFailure] = useState<WriteError | null>(null);

  async function redeliver(id: string) {
    setFailure(null);
    try {
      const { redeliverWebhook: result } = await client.execute(RedeliverWebhookDocument, { id });
      if (result && isWriteError(result)) setFailure(result);
      else deliveries.reload();
    } catch (error) {
      setFailure(failed(error));
    }
  }

  if (deliveries.error) return <ErrorBox error={deliveries.error} onRetry={deliveries.reload} />;
  if (!deliveries.data) return <Loading what="Loading deliveries" />;
  const rows =
    deliveries.data.webhookEndpoint?.deliveries?.edges.map((edge) => edge.node).filter((node) => node != null) ?? [];
  return (
    <div className="deliveries">
      {failure && <WriteErrorBox error={failure} />}
      <button type="button" className="link" onClick={deliveries.reload}>
        Refresh
      </button>
      {rows.length === 0 ? (
        <Empty>No deliveries yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Event</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Response</th>
              <th>Last attempt</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((delivery) => (
              <tr key={delivery.id} data-testid="webhook-delivery" data-status={delivery.status}>
                <td>
                  <code>{delivery.eventType}</code> <span className="muted">{delivery.eventId}</span>
                </td>
                <td>
                  <Badge
                    tone={delivery.status === "DELIVERED" ? "good" : delivery.status === "FAILED" ? "bad" : "muted"}
                  >
                    {delivery.status?.toLowerCase()}
                  </Badge>
                </td>
                <td>{delivery.attempts}</td>
                <td>{delivery.responseStatus ?? delivery.lastError ?? "—"}</td>
                <td>{dateTime(delivery.lastAttemptAt)}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => void redeliver(delivery.id!)}>
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function EndpointRow({ endpoint, onChanged }: { endpoint: WebhookEndpointFieldsFragment; onChanged(): void }) {
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<WriteError | null>(null);

  async function setEnabled(enabled: boolean) {
    setFailure(null);
    try {
      const { updateWebhookEndpoint: result } = await client.execute(UpdateWebhookEndpointDocument, {
        input: { id: endpoint.id!, enabled },
      });
      if (result && isWriteError(result)) setFailure(result);
      else onChanged();
    } catch (error) {
      setFailure(failed(error));
    }
  }

  async function remove() {
    if (!window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) return;
    try {
      const { deleteWebhookEndpoint: result } = await client.execute(DeleteWebhookEndpointDocument, {
        id: endpoint.id!,
      });
      if (result && isWriteError(result)) setFailure(result);
      else onChanged();
    } catch (error) {
      setFailure(failed(error));
    }
  }

  return (
    <li className="card" data-testid="webhook-endpoint" data-enabled={String(endpoint.enabled)}>
      <div>
        <code>{endpoint.url}</code>{" "}
        {endpoint.enabled ? <Badge tone="good">enabled</Badge> : <Badge tone="bad">disabled</Badge>}
      </div>
      <div className="muted">
        {(endpoint.eventTypes ?? []).join(", ")} · created {dateTime(endpoint.createdAt)} by {endpoint.createdBy}
      </div>
      {!endpoint.enabled && endpoint.disabledReason && (
        <div className="state error" data-testid="disabled-reason">
          Disabled {dateTime(endpoint.disabledAt)}: {endpoint.disabledReason}
        </div>
      )}
      {failure && <WriteErrorBox error={failure} />}
      <div className="toolbar">
        <button type="button" className="secondary" onClick={() => setOpen(!open)}>
          {open ? "Hide deliveries" : "Deliveries"}
        </button>
        <button type="button" className="secondary" onClick={() => void setEnabled(!endpoint.enabled)}>
          {endpoint.enabled ? "Disable" : "Enable"}
        </button>
        <button type="button" className="danger" onClick={() => void remove()}>
          Delete
        </button>
      </div>
      {open && <Deliveries endpointId={endpoint.id!} />}
    </li>
  );
}

export function WebhooksPage() {
  const client = useClient();
  const endpoints = useAsync(() => client.execute(WebhookEndpointsDocument, { first: 50 }), [client]);
  const types = useAsync(() => client.execute(WebhookEventTypesDocument, {}), [client]);
  const [url, setUrl] = useState("");
  const [chosen, setChosen] = useState<string[]>(["credit.changed"]);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [failure, setFailure] = useState<WriteError | null>(null);
  const [busy, setBusy] = useState(false);

  async function register(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setSecret(null);
    try {
      const { createWebhookEndpoint: result } = await client.execute(CreateWebhookEndpointDocument, {
        input: { url, eventTypes: chosen },
      });
      if (!result) return;
      if (isWriteError(result)) setFailure(result);
      else if (result.__typename === "RegisteredWebhookEndpoint") {
        setSecret({ url, secret: result.secret ?? "" });
        setUrl("");
        endpoints.reload();
      }
    } catch (error) {
      setFailure(failed(error));
    } finally {
      setBusy(false);
    }
  }

  const list = endpoints.data?.webhookEndpoints?.edges.map((edge) => edge.node).filter((node) => node != null) ?? [];
  return (
    <section>
      <h1>Webhooks</h1>
      <form onSubmit={register} aria-label="Register a webhook endpoint">
        <div className="toolbar">
          <label>
            Endpoint URL
            <input
              name="webhookUrl"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              required
              placeholder="https://example.com/intrograph"
            />
          </label>
          <button type="submit" disabled={busy || chosen.length === 0}>
            Register
          </button>
        </div>
        <fieldset className="event-types">
          <legend>Event types</legend>
          {(types.data?.webhookEventTypes ?? []).map((type) => (
            <label key={type.type} className="pick" title={type.description ?? ""}>
              <input
                type="checkbox"
                checked={chosen.includes(type.type!)}
                onChange={(event) =>
                  setChosen((current) =>
                    event.target.checked ? [...current, type.type!] : current.filter((item) => item !== type.type),
                  )
                }
              />{" "}
              {type.type}
            </label>
          ))}
        </fieldset>
      </form>
      {secret && (
        <div className="state secret" role="status" data-testid="webhook-secret">
          <strong>Endpoint {secret.url} registered.</strong> Copy its signing secret now: it is shown only once.
          <code>{secret.secret}</code>
          <button type="button" className="link" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      {failure && <WriteErrorBox error={failure} />}
      {endpoints.error ? (
        <ErrorBox error={endpoints.error} onRetry={endpoints.reload} />
      ) : !endpoints.data ? (
        <Loading what="Loading endpoints" />
      ) : list.length === 0 ? (
        <Empty>No webhook endpoints.</Empty>
      ) : (
        <ul className="webhook-endpoints">
          {list.map((endpoint) => (
            <EndpointRow key={endpoint.id} endpoint={endpoint} onChanged={endpoints.reload} />
          ))}
        </ul>
      )}
    </section>
  );
}
