// Durable background jobs and worker threads: see runner.ts (the queue and the event-log follower), markov.ts.
export { CREDIT_EVENT_TYPES, type MarkovRun, markovCreditIsStale, recomputeMarkovCredit } from "./markov.ts";
export {
  type JobLogger,
  type JobRunner,
  type JobRunnerOptions,
  QUEUES,
  type QueueStats,
  startJobRunner,
} from "./runner.ts";
export { runInThread, startModuleWorker } from "./threads.ts";
