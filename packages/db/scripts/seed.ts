// Loads the demo network: `pnpm --filter @intrograph/db seed [--seed N] [--scale X] [--force]`.
// Uses DATABASE_URL when set, the embedded PGlite under .data/ otherwise. Without --force an already seeded database is
// left alone; --force erases every table (API keys and audit log included) and loads afresh.
import { parseArgs } from "node:util";
import { openDatabase } from "../src/client.ts";
import { ensureDemoData, loadDemoData } from "../src/seed/index.ts";

const argv = process.argv.slice(2);
const { values } = parseArgs({
  // `pnpm seed -- --force` passes the "--" through; accept it as well as `pnpm seed --force`.
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    seed: { type: "string" },
    scale: { type: "string" },
    force: { type: "boolean", default: false },
  },
});

const seed = values.seed === undefined ? undefined : Number(values.seed);
const scale = values.scale === undefined ? undefined : Number(values.scale);
if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
if (scale !== undefined && !(scale > 0)) throw new Error(`--scale must be a positive number, got ${values.scale}`);

const database = await openDatabase();
try {
  const result = values.force
    ? await loadDemoData(database.prisma, { seed, scale, replaceExisting: true })
    : await ensureDemoData(database.prisma, { seed, scale });
  if (result.loaded) {
    console.log(
      `Loaded demo data (seed ${result.seed}, scale ${result.scale}) into ${database.kind} at ${database.location} in ${result.durationMs} ms:`,
    );
    for (const [table, count] of Object.entries(result.counts)) console.log(`  ${table.padEnd(22)} ${count}`);
  } else {
    console.log(`${database.location} already has people; nothing loaded (pass --force to erase and reload).`);
  }
} finally {
  await database.close();
}
