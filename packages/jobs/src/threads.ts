// Starts a module in a worker thread, so CPU-heavy work (credit models, graph metrics) never runs on the API's event
// loop. TypeScript sources run through tsx's loader inside the thread (as the main process does); built JavaScript
// starts directly.
import { Worker, type WorkerOptions } from "node:worker_threads";

export function startModuleWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith(".ts")) return new Worker(moduleUrl, options);
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import { tsImport } from ${JSON.stringify(tsx)};
await tsImport(${JSON.stringify(moduleUrl.href)}, ${JSON.stringify(import.meta.url)});`;
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
