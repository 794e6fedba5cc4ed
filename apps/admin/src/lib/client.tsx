// The signed-in admin's SDK client, shared by every page. All data goes through @intrograph/sdk.
import { createClient } from "@intrograph/sdk";
import { createContext, type ReactNode, useContext, useMemo } from "react";

export type AdminClient = ReturnType<typeof createClient>;

const ClientContext = createContext<AdminClient | null>(null);

/** The API serves the app, so GraphQL is on the same origin. */
export function graphqlUrl(): string {
  return new URL("/graphql", window.location.origin).toString();
}

export function ClientProvider({ apiKey, children }: { apiKey: string; children: ReactNode }) {
  const client = useMemo(() => createClient({ url: graphqlUrl(), apiKey }), [apiKey]);
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): AdminClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useClient outside <ClientProvider>");
  return client;
}
