// A round-robin HTTP load balancer for local clusters: spreads requests over the replicas that answer /readyz, streams
// responses as they come (GraphQL over SSE included) and sends a request that a replica refuses to the next one.
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { ProxyServer } from "http-proxy-3";

export interface BalancerOptions {
  /** The replicas' base URLs (http://host:port). */
  targets: string[];
  /** How often each replica's /readyz is asked. */
  checkIntervalMs?: number;
  log?: (line: string) => void;
}

interface Replica {
  url: string;
  healthy: boolean;
  /** Readiness checks failed in a row: a replica busy enough to answer one late stays in service. */
  failedChecks: number;
}

/** Failed readiness checks in a row that take a replica out of service (a refused request does at once). */
const FAILED_CHECKS_OUT = 3;

/** Errors that mean the replica did not take the request at all, so it can go to another one. */
const NOT_TAKEN = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENOTFOUND"]);

export class Balancer {
  private readonly replicas: Replica[];
  private next = 0;
  private checks: NodeJS.Timeout | null = null;
  // Connections to the replicas are kept open between requests, as a real balancer's are.
  private readonly agent = new Agent({ keepAlive: true });
  private readonly proxy = new ProxyServer({ xfwd: true, agent: this.agent });
  readonly server: Server;
  private readonly log: (line: string) => void;

  constructor(private readonly options: BalancerOptions) {
    this.replicas = options.targets.map((url) => ({ url, healthy: false, failedChecks: 0 }));
    this.log = options.log ?? ((line) => console.log(line));
    this.server = createServer((request, response) => void this.route(request, response));
  }

  /** Checks every replica once, then keeps checking; resolves when the server listens. */
  async listen(port: number, host: string): Promise<void> {
    await this.checkAll();
    this.checks = setInterval(() => void this.checkAll(), this.options.checkIntervalMs ?? 1_000);
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, resolve);
    });
  }

  healthyTargets(): string[] {
    return this.replicas.filter((replica) => replica.healthy).map((replica) => replica.url);
  }

  private async checkAll(): Promise<void> {
    await Promise.all(
      this.replicas.map(async (replica) => {
        const ready = await fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
          (response) => response.ok,
          () => false,
        );
        replica.failedChecks = ready ? 0 : replica.failedChecks + 1;
        if (ready || replica.failedChecks >= FAILED_CHECKS_OUT || !replica.healthy) this.mark(replica, ready);
      }),
    );
  }

  private mark(replica: Replica, healthy: boolean) {
    if (replica.healthy !== healthy) this.log(`${replica.url} is ${healthy ? "in service" : "out of service"}`);
    replica.healthy = healthy;
  }

  /**
   * The healthy replicas in round-robin order, starting after the last one chosen; then, as a last resort, those out of
   * service (one may have come back since its last check, and a refusal costs little).
   */
  private order(): Replica[] {
    const healthy = this.replicas.filter((replica) => replica.healthy);
    const start = healthy.length > 0 ? this.next++ % healthy.length : 0;
    return [
      ...healthy.slice(start),
      ...healthy.slice(0, start),
      ...this.replicas.filter((replica) => !replica.healthy),
    ];
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The body is read once so that it can be sent again to another replica (GraphQL requests are small).
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (const replica of this.order()) {
      const failure = await this.forward(request, response, replica, body);
      if (!failure) return;
      if (!NOT_TAKEN.has(failure.code ?? "") || response.headersSent) {
        if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
        response.end(`balancer: ${replica.url} failed: ${failure.message}\n`);
        return;
      }
      this.mark(replica, false);
    }
    response.writeHead(503, { "content-type": "text/plain", "retry-after": "1" });
    response.end("balancer: every replica refused the request\n");
  }

  /** Proxies the request to one replica; resolves with the error when it failed, or null once the response is sent. */
  private forward(
    request: IncomingMessage,
    response: ServerResponse,
    replica: Replica,
    body: Buffer,
  ): Promise<NodeJS.ErrnoException | null> {
    return new Promise((resolve) => {
      response.once("close", () => resolve(null));
      this.proxy.web(
        request,
        response,
        { target: replica.url, buffer: Readable.from(body.length > 0 ? [body] : []) },
        (error) => resolve(error as NodeJS.ErrnoException),
      );
    });
  }

  async close(): Promise<void> {
    if (this.checks) clearInterval(this.checks);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
    this.proxy.close();
  }
}
