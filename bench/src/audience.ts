// Benchmark for the audience-quality score and its BOUGHT_FOLLOWERS_SUSPECTED flag on a labelled synthetic population
// (see ./audience/population.ts for every distribution): precision, recall and F1 of the flag, beside the
// followers-only baselines (flag every account above a follower count), the score's error against the true real,
// active share, and how well the score and the follower count rank accounts with bought followers.
//
// Run: pnpm bench:audience (from bench/); AUDIENCE_SIZE=n accounts (default 20,000), AUDIENCE_SEED=n (default 15).
import { audienceQuality } from "@intrograph/graph";
import { type LabelledAccount, labelledPopulation, POPULATION_NOW } from "./audience/population.ts";

const SIZE = Number(process.env.AUDIENCE_SIZE ?? 20_000);
const SEED = Number(process.env.AUDIENCE_SEED ?? 15);

interface Confusion {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

function confusion(
  accounts: readonly LabelledAccount[],
  flagged: (account: LabelledAccount, index: number) => boolean,
) {
  const counts: Confusion = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  accounts.forEach((account, index) => {
    const flag = flagged(account, index);
    if (flag && account.hasBoughtFollowers) counts.truePositives += 1;
    else if (flag) counts.falsePositives += 1;
    else if (account.hasBoughtFollowers) counts.falseNegatives += 1;
  });
  const precision = counts.truePositives / Math.max(1, counts.truePositives + counts.falsePositives);
  const recall = counts.truePositives / Math.max(1, counts.truePositives + counts.falseNegatives);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Area under the ROC curve of `score` (higher = more likely bought), by the rank-sum formula. */
function rocAuc(accounts: readonly LabelledAccount[], score: (account: LabelledAccount, index: number) => number) {
  const ranked = accounts.map((account, index) => ({
    positive: account.hasBoughtFollowers,
    score: score(account, index),
  }));
  ranked.sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  let start = 0;
  while (start < ranked.length) {
    let end = start;
    while (end + 1 < ranked.length && ranked[end + 1]!.score === ranked[start]!.score) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i += 1) {
      if (ranked[i]!.positive) {
        rankSum += averageRank;
        positives += 1;
      }
    }
    start = end + 1;
  }
  const negatives = ranked.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const row = (name: string, metrics: { precision: number; recall: number; f1: number }) =>
  `${name.padEnd(44)} precision ${metrics.precision.toFixed(3)}  recall ${metrics.recall.toFixed(3)}  F1 ${metrics.f1.toFixed(3)}`;

const started = performance.now();
const accounts = labelledPopulation(SIZE, SEED);
const generatedMs = performance.now() - started;
const scoringStarted = performance.now();
const results = accounts.map((account) =>
  audienceQuality({
    followers: account.followers,
    following: account.following,
    engagementRate: account.engagementRate,
    openedAt: account.openedAt,
    history: account.history,
    followerSample: account.followerSample,
    asOf: POPULATION_NOW,
  }),
);
const scoringMs = performance.now() - scoringStarted;
const flagged = (_account: LabelledAccount, index: number) =>
  results[index]!.flags.some((flag) => flag.kind === "BOUGHT_FOLLOWERS_SUSPECTED");

const kinds = ["real", "bought", "mixed"] as const;
const positives = accounts.filter((account) => account.hasBoughtFollowers).length;
console.log(
  `labelled population (seed ${SEED}): ${SIZE} accounts — ${kinds
    .map((kind) => `${accounts.filter((account) => account.kind === kind).length} ${kind}`)
    .join(", ")}; ${positives} have bought followers (≥ 30% purchased)`,
);
console.log(
  `generated in ${generatedMs.toFixed(0)} ms; scored in ${scoringMs.toFixed(0)} ms (${((scoringMs / SIZE) * 1000).toFixed(1)} µs an account)`,
);
console.log("");
console.log("flag BOUGHT_FOLLOWERS_SUSPECTED against the label:");
const flagMetrics = confusion(accounts, flagged);
console.log(row("audience quality flag", flagMetrics));
for (const threshold of [10_000, 100_000, 1_000_000])
  console.log(
    row(
      `baseline: followers ≥ ${threshold.toLocaleString("en-US")}`,
      confusion(accounts, (a) => a.followers >= threshold),
    ),
  );
// The follower threshold with the best F1 on this very population: a baseline tuned with hindsight, to be generous.
let best = { threshold: 0, metrics: { precision: 0, recall: 0, f1: 0 } };
for (const threshold of [...new Set(accounts.map((account) => account.followers))]
  .sort((a, b) => a - b)
  .filter((_, i) => i % 25 === 0)) {
  const metrics = confusion(accounts, (account) => account.followers >= threshold);
  if (metrics.f1 > best.metrics.f1) best = { threshold, metrics };
}
console.log(row(`baseline: followers ≥ ${best.threshold.toLocaleString("en-US")} (best F1, hindsight)`, best.metrics));
console.log("");
console.log("flag rate by kind:");
for (const kind of kinds) {
  const group = accounts.map((account, index) => ({ account, index })).filter(({ account }) => account.kind === kind);
  const rate = group.filter(({ account, index }) => flagged(account, index)).length / Math.max(1, group.length);
  console.log(`  ${kind.padEnd(7)} ${(rate * 100).toFixed(1)}% of ${group.length}`);
}
const drip = accounts
  .map((account, index) => ({ account, index }))
  .filter(({ account }) => account.dripFed && account.hasBoughtFollowers);
const jumped = accounts
  .map((account, index) => ({ account, index }))
  .filter(({ account }) => !account.dripFed && account.hasBoughtFollowers);
const recallOf = (group: typeof drip) =>
  group.filter(({ account, index }) => flagged(account, index)).length / Math.max(1, group.length);
console.log(
  `  recall on purchases in jumps ${(recallOf(jumped) * 100).toFixed(1)}% (${jumped.length}), drip-fed ${(recallOf(drip) * 100).toFixed(1)}% (${drip.length})`,
);
console.log("");
const errors = accounts.map((account, index) => Math.abs(results[index]!.score - account.trueQuality));
const meanError = errors.reduce((sum, error) => sum + error, 0) / errors.length;
const naiveError = accounts.reduce((sum, account) => sum + Math.abs(1 - account.trueQuality), 0) / accounts.length;
console.log(
  `score vs true real, active share: mean absolute error ${meanError.toFixed(3)} (a constant 1, i.e. trusting follower counts: ${naiveError.toFixed(3)})`,
);
console.log(
  `ranking accounts with bought followers: ROC AUC by score ${rocAuc(accounts, (_a, index) => -results[index]!.score).toFixed(3)}, by followers ${rocAuc(accounts, (account) => account.followers).toFixed(3)}`,
);
console.log("");
console.log(
  `summary: flag precision ${flagMetrics.precision.toFixed(3)} recall ${flagMetrics.recall.toFixed(3)} F1 ${flagMetrics.f1.toFixed(3)}; best followers-only baseline F1 ${best.metrics.f1.toFixed(3)}`,
);
