// Starts a module in a worker thread, so CPU-heavy work (credit models, graph metrics) never runs on the API's event
// loop. TypeScript sources run through tsx's loader inside the thread (as the main process does); built JavaScript
// starts directly, and with the main process's flags (`--conditions=intrograph-compiled` included).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * The file a thread runs. Callers name their thread module as `new URL("./x.thread.ts", import.meta.url)`; compiled
 * (dist/, where tsc rewrote import specifiers but not URL strings) only `./x.thread.js` sits next to the caller.
 */
export function threadModuleUrl(moduleUrl: URL): URL {
  if (!moduleUrl.pathname.endsWith(".ts") || existsSync(fileURLToPath(moduleUrl))) return moduleUrl;
  const compiled = new URL(moduleUrl.href.replace(/\.ts$/, ".js"));
  return existsSync(fileURLToPath(compiled)) ? compiled : moduleUrl;
}

export function startModuleWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const url = threadModuleUrl(moduleUrl);
  if (!url.pathname.endsWith(".ts")) return new Worker(url, options);
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import { tsImport } from ${JSON.stringify(tsx)};
await tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}

/** Runs one task in a fresh thread: posts `input`, resolves with the thread's first message. */
export function runInThread<Input, Output>(moduleUrl: URL, input: Input): Promise<Output> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(moduleUrl, { workerData: input });
    worker.once("message", (output: Output) => {
      resolve(output);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`worker thread ${moduleUrl.pathname} exited with code ${code}`));
    });
  });
}
