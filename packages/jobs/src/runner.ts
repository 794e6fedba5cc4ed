// The job runner: pg-boss on the same database as the data (PostgreSQL, or the embedded PGlite through pg-boss's
// `db.executeSql` hook), so jobs are durable, retried with backoff and visible as rows. It also follows the event log
// and queues the work a write implies (MARKOV credit), so writes never wait for global recomputation.
import type { Database, PrismaClient } from "@intrograph/db";
import PgBoss from "pg-boss";
import { markovCreditIsStale, recomputeMarkovCredit } from "./markov.ts";

export const QUEUES = {
  /** MARKOV credit over the whole ledger; "stately": one queued and one running at most, so bursts coalesce. */
  markovCredit: "credit-markov",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface JobRunnerOptions {
  /** Run job handlers here (the default); false only queues (an API replica next to a separate worker process). */
  work?: boolean;
  /** How often the event log is checked for work that writes imply, in ms. */
  followIntervalMs?: number;
  /** A job whose worker died (kill -9) is retried after this long. */
  expireInSeconds?: number;
  /** How often pg-boss's maintenance runs (it fails expired jobs so they are retried); pg-boss's default is 120 s. */
  maintenanceIntervalSeconds?: number;
  logger?: JobLogger;
}

export interface QueueStats {
  name: string;
  queued: number;
  active: number;
  failed: number;
}

export interface JobRunner {
  boss: PgBoss;
  queueStats(): Promise<QueueStats[]>;
  /** Checks the event log now and queues what it implies (the follower does this every followIntervalMs). */
  follow(): Promise<void>;
  /** Resolves once no work is queued, running or implied by the event log (tests, benchmarks, shutdown). */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Queued, running and failed jobs per queue, read from pg-boss's table (empty before the runner first started). */
export async function readQueueStats(prisma: PrismaClient): Promise<QueueStats[]> {
  const [{ exists }] = await prisma.$queryRaw<
    [{ exists: boolean }]
  >`SELECT to_regclass('pgboss.job') IS NOT NULL AS exists`;
  const rows = exists
    ? await prisma.$queryRaw<{ name: string; state: string; jobs: number }[]>`
        SELECT name, state::text AS state, count(*)::int AS jobs FROM pgboss.job GROUP BY name, state`
    : [];
  const count = (name: string, states: string[]) =>
    rows.filter((row) => row.name === name && states.includes(row.state)).reduce((sum, row) => sum + row.jobs, 0);
  return Object.values(QUEUES).map((name) => ({
    name,
    queued: count(name, ["created", "retry"]),
    active: count(name, ["active"]),
    failed: count(name, ["failed"]),
  }));
}

const silent: JobLogger = { info() {}, error() {} };

/** The schema pg-boss keeps its jobs in (their data holds ids only; erasure scans it all the same). */
export const JOB_SCHEMA = "pgboss";

function bossFor(database: Database, maintenanceIntervalSeconds: number | undefined): PgBoss {
  const common = {
    schema: JOB_SCHEMA,
    application_name: "intrograph-jobs",
    monitorStateIntervalSeconds: 10,
    ...(maintenanceIntervalSeconds ? { maintenanceIntervalSeconds } : {}),
  };
  if (database.connection.kind === "postgres")
    return new PgBoss({ ...common, connectionString: database.connection.url, max: 4 });
  const { pglite } = database.connection;
  // PGlite has one session: statements without parameters may hold several commands (pg-boss's migrations), so they
  // go through exec; parameterized ones through query.
  return new PgBoss({
    ...common,
    db: {
      executeSql: async (text: string, values: unknown[] = []) => {
        if (values.length > 0) return { rows: (await pglite.query(text, values)).rows };
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
    },
  });
}

const DEADLOCK_DETECTED = "40P01";

export async function startJobRunner(database: Database, options: JobRunnerOptions = {}): Promise<JobRunner> {
  const logger = options.logger ?? silent;
  const expireInSeconds = options.expireInSeconds ?? Number(process.env.INTROGRAPH_JOB_EXPIRE_SECONDS ?? 300);
  const maintenance = options.maintenanceIntervalSeconds ?? Number(process.env.INTROGRAPH_JOB_MAINTENANCE_SECONDS ?? 0);
  const boss = bossFor(database, maintenance || undefined);
  boss.on("error", (error) => logger.error({ err: error }, "job runner error"));
  await boss.start();
  // Processes starting side by side (API replicas and workers) may all find the queue missing: pg-boss's create_queue
  // then deadlocks one against another (each holds a lock the other's partition needs). The loser tries again and
  // finds the queue made.
  for (let attempt = 1; !(await boss.getQueue(QUEUES.markovCredit)); attempt++) {
    try {
      await boss.createQueue(QUEUES.markovCredit, {
        name: QUEUES.markovCredit,
        policy: "stately",
        retryLimit: 20,
        retryDelay: 1,
        retryBackoff: true,
        expireInSeconds,
      });
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }

  const { prisma } = database;
  if (options.work !== false)
    await boss.work(QUEUES.markovCredit, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      // Queued while the previous run was active, it may find that run already read every write: then nothing to do.
      if (!(await markovCreditIsStale(prisma))) return;
      const run = await recomputeMarkovCredit(prisma);
      logger.info({ job: job?.id, queue: QUEUES.markovCredit, ...run, through: undefined }, "MARKOV credit computed");
    });

  let following: Promise<void> | null = null;
  const follow = async () => {
    if (await markovCreditIsStale(prisma)) await boss.send(QUEUES.markovCredit, {});
  };
  const followOnce = () => {
    following ??= follow()
      .catch((error: unknown) => logger.error({ err: error }, "event log follower failed"))
      .finally(() => {
        following = null;
      });
    return following;
  };
  const timer = setInterval(followOnce, options.followIntervalMs ?? 500);
  timer.unref();

  return {
    boss,
    queueStats: () => readQueueStats(prisma),
    follow: followOnce,
    async settled(timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await followOnce();
        const busy = (await boss.getQueueSize(QUEUES.markovCredit, { before: "completed" })) > 0;
        if (!busy && !(await markovCreditIsStale(prisma))) return;
        if (Date.now() > deadline) throw new Error("jobs did not settle in time");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      clearInterval(timer);
      await following;
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
