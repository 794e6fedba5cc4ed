// Graceful shutdown of a long-running process (the API, the worker): on SIGTERM or SIGINT its stop steps run once and the
// process exits 0. A second signal, a failing step or the deadline (INTROGRAPH_SHUTDOWN_TIMEOUT_SECONDS, default 30)
// exits 1 at once, so an orchestrator's own kill deadline is never the only way out.
import type { Server } from "node:http";

export interface ShutdownLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ShutdownOptions {
  /** Stops the process's work in order (servers, jobs, threads, then the database); resolves when all is done. */
  stop: () => Promise<void>;
  logger: ShutdownLogger;
  /** How long `stop` may take before the process exits anyway; default from the environment. */
  timeoutMs?: number;
}

/** INTROGRAPH_SHUTDOWN_TIMEOUT_SECONDS (default 30), in ms. */
export function shutdownTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.INTROGRAPH_SHUTDOWN_TIMEOUT_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 30) * 1000;
}

export function stopOnSignals({ stop, logger, timeoutMs = shutdownTimeoutFromEnv() }: ShutdownOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.error({ signal }, "second signal while stopping: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutMs }, "stopping: finishing work in flight");
    setTimeout(() => {
      logger.error({ timeoutMs }, "stopping took too long: exiting now");
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => {
        logger.info({}, "stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, "stopping failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/**
 * Stops accepting connections and resolves once every request in flight is answered (streams included: end them
 * first or alongside). Keep-alive sockets are closed as soon as they are idle, also those whose request finishes later:
 * Node's close() closes only the sockets idle at that moment.
 */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close((error) => {
      clearInterval(sweep);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
