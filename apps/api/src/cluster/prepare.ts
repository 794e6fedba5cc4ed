// What a local cluster needs before its processes start: the database migrated, with the demo network and its keys
// loaded once (replicas starting side by side would race to load them), and Redis answering.
import { openDatabase } from "@intrograph/db";
import { ensureDemoData } from "@intrograph/db/seed";
import { computeMissingCredit } from "@intrograph/ledger";
import { type DemoKeysFile, ensureDemoKeys } from "../demo-keys.ts";
import { connectRedis } from "../redis.ts";

export interface PreparedDatabase {
  /** Null when demo data was not asked for. */
  demoKeys: DemoKeysFile | null;
}

/** Creates and migrates the database (openDatabase does both); loads the demo network and computes its credit. */
export async function prepareDatabase(
  databaseUrl: string,
  demoData: boolean,
  log: (line: string) => void,
): Promise<PreparedDatabase> {
  const database = await openDatabase({ databaseUrl });
  try {
    log(`database: ${database.location} (migrated)`);
    if (!demoData) return { demoKeys: null };
    const demo = await ensureDemoData(database.prisma);
    log(
      demo.loaded
        ? `loaded the demo network in ${(demo.durationMs / 1000).toFixed(1)} s`
        : "demo data already present: reusing it",
    );
    // Each API process would otherwise compute the missing credit at start, all of them at once.
    const credit = await computeMissingCredit(database.prisma);
    if (credit.outcomes > 0) log(`computed credit for ${credit.outcomes} outcomes`);
    return { demoKeys: await ensureDemoKeys(database) };
  } finally {
    await database.close();
  }
}

export class RedisUnavailableError extends Error {}

/** Fails with a message saying what to do when Redis cannot be reached at `url` (the replicas' own check, with a hint). */
export async function checkRedis(url: string): Promise<void> {
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  try {
    redis = await connectRedis(url);
  } catch (error) {
    throw new RedisUnavailableError(
      `${(error as Error).message}: start it (e.g. \`redis-server --daemonize yes\`) or set REDIS_URL`,
    );
  }
  await redis?.quit();
}
