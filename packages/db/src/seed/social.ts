// Social accounts of the demo network: the influencers' big, mostly bought audiences, and ordinary accounts for the
// super-connectors and a sample of regular people. Each account gets a year of monthly follower counts (bought
// audiences arrive in jumps that engagement does not follow), sometimes a follower sample, and its audience quality is
// computed from those signals, as the API computes it on every write.
import { audienceQuality, expectedEngagementRate } from "@intrograph/graph";
import type { SocialPlatform } from "../generated/prisma/enums.ts";
import { INFLUENCER_PROFILES } from "./names.ts";
import { addDays, type Cast, type DemoNetwork, type PersonInfo, uniqueList } from "./network.ts";
import { Random, uuidV7Factory } from "./random.ts";
import type { SocialAccountRow, SocialAccountSnapshotRow } from "./rows.ts";
import { slug } from "./text.ts";

/** What an account's history and sample are generated from. */
interface AccountTruth {
  followers: number;
  following: number;
  engagementRate: number;
  /** The share of the audience that is real (bought accounts) or real and active (ordinary ones). */
  realShare: number;
  bought: boolean;
}

const HISTORY_MONTHS = 12;
// History, samples and opening dates come from a stream of their own (and their ids from a sequence of their own), so
// the main stream's draws, and every row generated after the social accounts, stay what they were.
const SIGNALS_SEED_OFFSET = 0x5ad1e;

export function addSocialAccounts(
  network: DemoNetwork,
  { regulars, superConnectors, influencers }: Cast,
  seed: number,
): { socialAccounts: SocialAccountRow[]; socialAccountSnapshots: SocialAccountSnapshotRow[] } {
  const { random, people, newId } = network;
  const signals = new Random(seed + SIGNALS_SEED_OFFSET);
  const snapshotId = uuidV7Factory(seed + SIGNALS_SEED_OFFSET, network.now);
  const socialAccounts: SocialAccountRow[] = [];
  const socialAccountSnapshots: SocialAccountSnapshotRow[] = [];
  const usedHandles = new Set<string>();
  const handleFor = (platform: SocialPlatform, person: PersonInfo) => {
    const base = slug(`${person.firstName}${person.lastName}`, "");
    let handle = base;
    while (usedHandles.has(`${platform}:${handle}`)) handle = `${base}${random.between(1, 9999)}`;
    usedHandles.add(`${platform}:${handle}`);
    return handle;
  };
  // The id and handle are drawn before the counts, in the order the main stream has always drawn them.
  const addAccount = (person: PersonInfo, platform: SocialPlatform, drawTruth: () => AccountTruth) => {
    const id = newId();
    const handle = handleFor(platform, person);
    const truth = drawTruth();
    const history = historyOf(signals, network.now, truth).map((observation) => ({
      id: snapshotId(),
      socialAccountId: id,
      ...observation,
    }));
    socialAccountSnapshots.push(...history);
    socialAccounts.push(
      scoredAccount(signals, network.now, truth, history, {
        id,
        personId: person.row.id,
        platform,
        handle,
      }),
    );
  };
  for (const index of influencers) {
    const person = people[index]!;
    const profile = INFLUENCER_PROFILES[influencers.indexOf(index)]!;
    const platforms: SocialPlatform[] = uniqueList([
      profile.platform as SocialPlatform,
      random.pick(["X", "INSTAGRAM", "TIKTOK"] as const),
    ]);
    platforms.forEach((platform, n) => {
      addAccount(person, platform, () => {
        const followers = n === 0 ? random.between(800_000, 4_000_000) : random.between(100_000, 600_000);
        const following = random.between(5_000, 7_500);
        const spread = 0.6 + (random.uniform(0.001, 0.006) - 0.001) / 0.005;
        // Bought followers and bots: most of the audience is not real, and only the real part interacts.
        const realShare = random.uniform(0.1, 0.3);
        const real = followers * realShare;
        const engagementRate = round((expectedEngagementRate(real) * spread * real) / followers, 5);
        return { followers, following, engagementRate, realShare, bought: true };
      });
    });
  }
  const socialPeople = uniqueList([...superConnectors, ...random.sample(regulars, network.scaled(320, 10))]);
  for (const index of socialPeople) {
    const person = people[index]!;
    const platforms = random.chance(0.3)
      ? (["LINKEDIN", random.pick(["X", "INSTAGRAM", "YOUTUBE"] as const)] as SocialPlatform[])
      : (["LINKEDIN"] as SocialPlatform[]);
    for (const platform of platforms) {
      addAccount(person, platform, () => {
        const followers = Math.max(
          50,
          Math.round(random.logNormal(person.role === "superConnector" ? 6000 : 1500, 1.1)),
        );
        const following = Math.max(20, Math.round(random.logNormal(400, 0.8)));
        // A real audience engages around the rate expected for its size: 0.6 to 1.6 times it.
        const spread = 0.6 + (random.uniform(0.01, 0.07) - 0.01) / 0.06;
        const engagementRate = round(expectedEngagementRate(followers) * spread, 4);
        return { followers, following, engagementRate, realShare: random.uniform(0.7, 0.97), bought: false };
      });
    }
  }
  return { socialAccounts, socialAccountSnapshots };
}

type Observation = Omit<SocialAccountSnapshotRow, "id" | "socialAccountId">;

/**
 * A year of monthly counts ending at `now` with the current ones. Ordinary audiences grow 0.5–4% a month; a bought
 * audience grows from its real part, and the rest arrives in one to three jumps while interactions stay flat.
 */
function historyOf(random: Random, now: Date, truth: AccountTruth): Observation[] {
  const growth = random.uniform(0.005, 0.04);
  const organic = (month: number, current: number) =>
    Math.round(current / (1 + growth) ** (HISTORY_MONTHS - 1 - month));
  const at = (month: number) => addDays(now, -30 * (HISTORY_MONTHS - 1 - month));
  const interactions = truth.followers * truth.engagementRate;
  if (!truth.bought) {
    return Array.from({ length: HISTORY_MONTHS }, (_, month) => {
      const followers = month === HISTORY_MONTHS - 1 ? truth.followers : organic(month, truth.followers);
      // The rate follows the expected curve as the audience grows.
      const engagementRate = round(truth.engagementRate * (followers / truth.followers) ** -0.25, 4);
      return { followers, following: truth.following, engagementRate, at: at(month) };
    });
  }
  const real = truth.followers * truth.realShare;
  const bought = truth.followers - real;
  const purchaseMonths = random
    .sample(
      Array.from({ length: HISTORY_MONTHS - 2 }, (_, n) => n + 1),
      random.between(1, 3),
    )
    .sort((a, b) => a - b);
  const shares = purchaseMonths.map(() => random.uniform(0.5, 1.5));
  const total = shares.reduce((sum, share) => sum + share, 0);
  return Array.from({ length: HISTORY_MONTHS }, (_, month) => {
    const boughtSoFar = purchaseMonths.reduce(
      (sum, purchase, n) => (purchase <= month ? sum + (bought * shares[n]!) / total : sum),
      0,
    );
    const followers = month === HISTORY_MONTHS - 1 ? truth.followers : Math.round(organic(month, real) + boughtSoFar);
    return {
      followers,
      following: truth.following,
      engagementRate: round(interactions / Math.max(followers, 1), 4),
      at: at(month),
    };
  });
}

/** The account's row, its opening date and follower sample drawn, and its audience quality computed from them all. */
function scoredAccount(
  random: Random,
  now: Date,
  truth: AccountTruth,
  history: Observation[],
  identity: Pick<SocialAccountRow, "id" | "personId" | "platform" | "handle">,
): SocialAccountRow {
  const openedAt = addDays(now, -Math.round(365 * (truth.bought ? random.uniform(1.5, 6) : random.uniform(2, 12))));
  const sampled = random.chance(truth.bought ? 0.5 : 0.3) ? random.between(80, 200) : null;
  let sample: { sampled: number; inactive: number; suspicious: number } | null = null;
  if (sampled) {
    // Checking followers one by one misses some fakes (10–40%) and finds a few among real audiences.
    const fakeShare = truth.bought ? (1 - truth.realShare) * random.uniform(0.6, 0.9) : random.uniform(0, 0.05);
    const suspicious = Math.round(sampled * fakeShare);
    const activeShare = truth.bought ? truth.realShare * random.uniform(0.7, 0.9) : truth.realShare;
    const inactive = Math.max(0, sampled - suspicious - Math.round(sampled * activeShare));
    sample = { sampled, inactive, suspicious };
  }
  const result = audienceQuality({
    followers: truth.followers,
    following: truth.following,
    engagementRate: truth.engagementRate,
    openedAt,
    history,
    followerSample: sample,
    asOf: now,
  });
  return {
    ...identity,
    followers: truth.followers,
    following: truth.following,
    engagementRate: truth.engagementRate,
    openedAt,
    sampledFollowers: sample?.sampled ?? null,
    inactiveFollowers: sample?.inactive ?? null,
    suspiciousFollowers: sample?.suspicious ?? null,
    followerSampleAt: sample ? addDays(now, -random.between(1, 60)) : null,
    audienceQuality: round(result.score, 4),
    audienceQualitySignals: result.signals,
    audienceFlags: result.flags,
    audienceQualityComputedAt: now,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
