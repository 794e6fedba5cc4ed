// Starts intrograph: opens the database (embedded PGlite unless DATABASE_URL is set), loads the demo network into an
// empty database, and serves the API with GraphiQL.
import { createServer } from "node:http";
import { openDatabase } from "@intrograph/db";
import { createApi } from "./server.ts";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";

const database = await openDatabase();
console.log(`database: ${database.kind} at ${database.location}`);

const { yoga } = createApi({ database });
const server = createServer(yoga);
server.listen(port, host, () => {
  console.log(`intrograph is up: GraphiQL at http://${host}:${port}/graphql`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void database.close().then(() => process.exit(0));
  });
}
