// The local cluster's load balancer as its own process (started by `pnpm cluster`): PORT and HOST to listen on,
// INTROGRAPH_BALANCER_TARGETS the replicas' base URLs, comma-separated.
import { Balancer } from "./cluster/balancer.ts";

const targets = (process.env.INTROGRAPH_BALANCER_TARGETS ?? "").split(",").filter(Boolean);
if (targets.length === 0) throw new Error("INTROGRAPH_BALANCER_TARGETS names no replica");
const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";

const balancer = new Balancer({ targets });
await balancer.listen(port, host);
console.log(`balancer listening on http://${host}:${port}, round-robin over ${targets.join(", ")}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void balancer.close().then(() => process.exit(0));
  });
