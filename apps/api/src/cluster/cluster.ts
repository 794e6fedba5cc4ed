// A local cluster: N API replicas (queuing jobs only), one worker and a load balancer in front, on one PostgreSQL
// database and one Redis. Used by `pnpm cluster` and by bench:replicas.
import { createServer } from "node:net";
import { type PreparedDatabase, checkRedis, prepareDatabase } from "./prepare.ts";
import { ClusterProcess, describeExit, type Exit, launches, type OutputTarget, type Role } from "./processes.ts";

export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/intrograph_cluster";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export interface ClusterOptions {
  replicas: number;
  /** Worker processes (jobs and webhook deliveries), 1 by default; several share the work. */
  workers?: number;
  /** The balancer's port; replica i (from 1) listens on port + i. */
  port: number;
  host?: string;
  databaseUrl: string;
  redisUrl: string;
  /** Load the demo network (and issue its keys) before the replicas start. */
  demoData: boolean;
  /** Added to every process's environment. */
  env?: NodeJS.ProcessEnv;
  output: OutputTarget;
  log: (line: string) => void;
  /** How long a replica may take to answer /readyz (it builds the graph snapshot first). */
  readyTimeoutMs?: number;
  /** Called when a process exits without being asked to; the rest keeps running. */
  onUnexpectedExit?: (process: ClusterProcess, exit: Exit) => void;
}

export interface Cluster {
  /** The balancer's base URL. */
  url: string;
  replicaUrls: string[];
  processes: ClusterProcess[];
  demoKeys: PreparedDatabase["demoKeys"];
  /** SIGTERM to every process (the balancer first, so no request reaches a stopping replica), then waits. */
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log;
  await checkRedis(options.redisUrl);
  log(`redis: ${options.redisUrl} answers`);
  const { demoKeys } = await prepareDatabase(options.databaseUrl, options.demoData, log);

  const processes: ClusterProcess[] = [];
  // Children run in their own process groups (see ClusterProcess.start): if this process ends without stopping them,
  // they are killed rather than left behind.
  const killLeftovers = () => {
    for (const child of processes) child.signal("SIGKILL");
  };
  process.once("exit", killLeftovers);
  const start = (role: Role, index: number | null, env: NodeJS.ProcessEnv) =>
    launches[role].map((launch) => {
      const name = [role, index, launch.part].filter((part) => part !== null && part !== "").join("-");
      const child = ClusterProcess.start(name, role, launch, { ...options.env, ...env }, options.output);
      processes.push(child);
      void child.exited.then((exit) => {
        if (!child.stopping) options.onUnexpectedExit?.(child, exit);
      });
      return child;
    });

  const stop = async () => {
    process.removeListener("exit", killLeftovers);
    const balancers = processes.filter((child) => child.role === "balancer");
    await Promise.all(balancers.map((child) => child.stop()));
    await Promise.all(processes.filter((child) => child.role !== "balancer").map((child) => child.stop()));
  };

  try {
    const shared = { DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl };
    const workerCount = options.workers ?? 1;
    const workers = Array.from({ length: workerCount }, (_, index) =>
      start("worker", workerCount > 1 ? index + 1 : null, shared),
    ).flat();
    const replicaUrls: string[] = [];
    const replicas: ClusterProcess[] = [];
    for (let index = 1; index <= options.replicas; index++) {
      const port = options.port + index;
      replicaUrls.push(`http://${host}:${port}`);
      replicas.push(
        ...start("api", index, {
          ...shared,
          PORT: String(port),
          HOST: host,
          INTROGRAPH_DEMO_DATA: "off",
          INTROGRAPH_WORKER: "off",
          // The balancer runs on this machine: its X-Forwarded-For names the client (per-client anonymous limits).
          INTROGRAPH_TRUSTED_PROXIES: "loopback",
          INTROGRAPH_REPLICA_NAME: `api-${index}`,
        }),
      );
    }
    const timeoutMs = options.readyTimeoutMs ?? 5 * 60_000;
    await Promise.all([
      ...workers.map((worker) => worker.waitForLine(worker.launch.readyLine!, timeoutMs)),
      ...replicas.map((replica, index) => waitForReady(replica, replicaUrls[index]!, timeoutMs)),
    ]);
    log(`${options.replicas} replica(s) and the worker are ready`);
    const [balancer] = start("balancer", null, {
      PORT: String(options.port),
      HOST: host,
      INTROGRAPH_BALANCER_TARGETS: replicaUrls.join(","),
    });
    await balancer!.waitForLine(balancer!.launch.readyLine!, 30_000);
    return { url: `http://${host}:${options.port}`, replicaUrls, processes, demoKeys, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForReady(replica: ClusterProcess, url: string, timeoutMs: number): Promise<void> {
  let exit: Exit | null = null;
  void replica.exited.then((value) => {
    exit = value;
  });
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (exit) throw new Error(`${replica.name} exited (${describeExit(exit)}) before it was ready${replica.seeLog()}`);
    if (performance.now() > deadline)
      throw new Error(`${replica.name} was not ready after ${timeoutMs / 1000} s${replica.seeLog()}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port for the balancer with the `replicas` ports after it free too (for tests and benchmarks). */
export async function freeClusterPort(replicas: number, host = "127.0.0.1"): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const ports = Array.from({ length: replicas + 1 }, (_, index) => base + index);
    if ((await Promise.all(ports.map((port) => portFree(port, host)))).every(Boolean)) return base;
  }
}
