// `pnpm cluster [--replicas N] [--port P]`: intrograph as a local cluster: N API replicas on ports P+1…P+N, one worker
// (jobs and webhooks), and a round-robin load balancer on port P, on one PostgreSQL database (DATABASE_URL, or
// intrograph_cluster on the local server) and Redis (REDIS_URL). Ctrl-C stops everything.
import { parseArgs } from "node:util";
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, startCluster } from "./cluster/cluster.ts";
import { describeExit } from "./cluster/processes.ts";
import { describeDemoKeys } from "./demo-keys.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    replicas: { type: "string", default: "2" },
    port: { type: "string", default: "4000" },
    host: { type: "string", default: "127.0.0.1" },
  },
});
const replicas = Number(values.replicas);
const port = Number(values.port);
if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`--replicas must be a positive integer`);
if (!Number.isInteger(port) || port < 1 || port + replicas > 65_535) throw new Error(`--port must be a port number`);

const log = (line: string) => console.log(`[cluster] ${line}`);
const loud = (line: string) =>
  console.error(process.stderr.isTTY ? `\x1b[1;41m[cluster] ${line}\x1b[0m` : `[cluster] !!! ${line}`);

let stopCluster: (() => Promise<void>) | null = null;
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    // Still starting: exiting kills the children started so far (see startCluster).
    if (!stopCluster || stopping) process.exit(130);
    stopping = true;
    log(`${signal}: stopping every process…`);
    void stopCluster().then(() => {
      log("stopped");
      process.exit(0);
    });
  });

const cluster = await startCluster({
  replicas,
  port,
  host: values.host,
  databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
  redisUrl: process.env.REDIS_URL || DEFAULT_REDIS_URL,
  demoData: process.env.INTROGRAPH_DEMO_DATA !== "off",
  output: { kind: "console" },
  log,
  onUnexpectedExit: (child, exit) => {
    const consequence =
      child.role === "api"
        ? "the balancer skips it; the other replicas keep serving"
        : child.role === "worker"
          ? "jobs or webhooks wait until the cluster is started again"
          : `nothing answers on port ${port} any more; the replicas still answer on their own ports`;
    loud(`${child.name} (pid ${child.pid}) exited unexpectedly (${describeExit(exit)}): ${consequence}`);
  },
}).catch((error: unknown) => {
  console.error(`[cluster] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
stopCluster = cluster.stop;

const replicaList = cluster.processes
  .filter((child) => child.role === "api")
  .map((child, index) => `  ${child.name.padEnd(16)} pid ${String(child.pid).padEnd(7)} ${cluster.replicaUrls[index]}`);
console.log(
  [
    "",
    `intrograph cluster is up: ${replicas} replica(s) behind ${cluster.url}`,
    `  admin     ${cluster.url}/admin/`,
    `  GraphiQL  ${cluster.url}/graphql`,
    ...replicaList,
    ...cluster.processes
      .filter((child) => child.role !== "api")
      .map((child) => `  ${child.name.padEnd(16)} pid ${child.pid}`),
    `Try: kill ${cluster.processes.find((child) => child.role === "api")?.pid} (a replica); the balancer sends requests to the others.`,
    ...(cluster.demoKeys ? ["", describeDemoKeys(cluster.demoKeys)] : []),
    "",
  ].join("\n"),
);
