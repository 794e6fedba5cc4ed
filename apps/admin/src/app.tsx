// The admin app shell: sign-in gate, navigation, and the page for the current URL.
import { useState } from "react";
import { ClientProvider } from "./lib/client.tsx";
import { Link, matchPath, useRouter } from "./lib/router.tsx";
import { forgetAdminKey, storeAdminKey, storedAdminKey } from "./lib/session.ts";
import { ApiKeysPage } from "./routes/api-keys.tsx";
import { AuditPage } from "./routes/audit.tsx";
import { ChainsPage } from "./routes/chains.tsx";
import { CurationPage } from "./routes/curation.tsx";
import { DiscoverPage } from "./routes/discover.tsx";
import { DisputesPage } from "./routes/disputes.tsx";
import { IntegrityPage } from "./routes/integrity.tsx";
import { DuplicatesPage, MergePage } from "./routes/duplicates.tsx";
import { PeoplePage } from "./routes/people.tsx";
import { PersonPage } from "./routes/person.tsx";
import { SignInPage } from "./routes/sign-in.tsx";
import { StatementPage } from "./routes/statement.tsx";
import { WebhooksPage } from "./routes/webhooks.tsx";
import { Empty } from "./components/states.tsx";

const NAVIGATION = [
  { to: "/people", title: "People" },
  { to: "/discover", title: "Discover" },
  { to: "/curation", title: "Curation" },
  { to: "/duplicates", title: "Duplicates" },
  { to: "/chains", title: "Intro chains" },
  { to: "/disputes", title: "Disputes" },
  { to: "/integrity", title: "Integrity" },
  { to: "/keys", title: "API keys" },
  { to: "/webhooks", title: "Webhooks" },
  { to: "/audit", title: "Audit log" },
];

function CurrentPage() {
  const { location } = useRouter();
  const path = location.path;
  if (path === "/" || path === "/people") return <PeoplePage />;
  const statement = matchPath("/people/:id/statement", path);
  if (statement) return <StatementPage key={statement.id} id={statement.id!} />;
  const person = matchPath("/people/:id", path);
  if (person) return <PersonPage key={person.id} id={person.id!} />;
  if (path === "/discover") return <DiscoverPage />;
  if (path === "/curation") return <CurationPage />;
  if (path === "/duplicates") return <DuplicatesPage />;
  const suggestion = matchPath("/duplicates/:id", path);
  if (suggestion) return <MergePage key={suggestion.id} id={suggestion.id!} />;
  if (path === "/chains") return <ChainsPage key={location.search.toString().replace(/&?model=[^&]*/, "")} />;
  if (path === "/disputes") return <DisputesPage />;
  if (path === "/integrity") return <IntegrityPage />;
  if (path === "/keys") return <ApiKeysPage />;
  if (path === "/webhooks") return <WebhooksPage />;
  if (path === "/audit") return <AuditPage />;
  return <Empty>There is no page at {path}.</Empty>;
}

export function App() {
  const [apiKey, setApiKey] = useState(storedAdminKey);
  const { location, navigate } = useRouter();

  if (!apiKey) {
    return (
      <SignInPage
        onSignedIn={(key) => {
          storeAdminKey(key);
          setApiKey(key);
        }}
      />
    );
  }

  function signOut() {
    forgetAdminKey();
    setApiKey(null);
    navigate("/", { replace: true });
  }

  const section = `/${location.path.split("/")[1] ?? ""}`;
  return (
    <ClientProvider apiKey={apiKey}>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">intrograph</div>
          {NAVIGATION.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              className={section === item.to || (section === "/" && item.to === "/people") ? "active" : ""}
            >
              {item.title}
            </Link>
          ))}
          <button type="button" className="sign-out" onClick={signOut}>
            Sign out
          </button>
        </nav>
        <main className="content">
          <CurrentPage />
        </main>
      </div>
    </ClientProvider>
  );
}
