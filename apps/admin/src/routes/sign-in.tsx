// Sign-in with an admin API key. The key is checked against an admin-only query before it is kept for the session.
import { AdminSignInCheckDocument, createClient } from "@intrograph/sdk";
import { type FormEvent, useState } from "react";
import { graphqlUrl } from "../lib/client.tsx";

export function SignInPage({ onSignedIn }: { onSignedIn(key: string): void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await createClient({ url: graphqlUrl(), apiKey: key.trim() }).execute(AdminSignInCheckDocument, {});
      onSignedIn(key.trim());
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure);
      setError(/admin|forbidden|not authorized/i.test(message) ? "This key is not an admin key." : message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card" aria-label="Sign in">
        <h1>intrograph admin</h1>
        <p className="muted">Sign in with an admin API key. It is kept for this browser tab only.</p>
        <label>
          Admin API key
          <input
            name="apiKey"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            placeholder="ig_…"
            required
            autoFocus
          />
        </label>
        {error && (
          <div className="state error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" disabled={busy || !key.trim()}>
          {busy ? "Checking…" : "Sign in"}
        </button>
        <p className="muted small">
          The start command prints a demo admin key. Keys look like <code>ig_&lt;prefix&gt;_&lt;secret&gt;</code>.
        </p>
      </form>
    </main>
  );
}
