// A labelled synthetic population of social accounts for the audience-quality benchmark. No public labelled set is
// reachable here, so the population is generated, and every distribution it draws from is written down below (and in
// the README's "Audience quality" section). Seeded: the same seed gives the same population on every machine.
//
// Three kinds of account (shares of the population):
//
// real (70%) — an audience that grew by itself.
//   followers F ~ logNormal(median 3,000, σ 1.5), clamped to [50, 5M]
//   following ~ logNormal(median 400, σ 0.9); 8% are "networkers" who follow F × U(2, 10) (at least 1,000)
//   engagement = e(F) × logNormal(1, σ 0.45), where e(F) = 0.08 × (F / 1000)^−0.25 (the scorer's curve)
//   account age ~ U(0.5, 12) years; 2% are viral newcomers: age U(0.2, 1) years, F ~ U(50k, 500k), engagement × 1.5
//   history: 12 monthly counts growing U(0, 5%) a month; 6% had a viral month (followers × U(1.5, 3)) in which
//     interactions rose with the audience (the rate follows e(F))
//   inactive share of the real audience ~ U(5%, 35%)
// bought (15%) — most of the audience was purchased.
//   real audience R ~ logNormal(median 5,000, σ 1.3); purchased B = R × U(1, 30), so 50%–97% of F = R + B is bought
//   following: 40% mass-follow, min(7,500, F × U(0.3, 1.2)); the rest logNormal(500, σ 0.9)
//   engagement: only the real part interacts, e(R) × R × logNormal(1, σ 0.45) / F; 30% also bought likes (× U(1.5, 3))
//   history: 70% received the purchase in 1–3 jumps within a month each; 30% were drip-fed evenly over U(4, 11) months
//   account age: 30% young, U(0.3, 1.5) years; the rest U(1.5, 10)
// mixed (15%) — a real account that bought some followers.
//   real audience R ~ logNormal(median 8,000, σ 1.3); purchased B = R × U(0.1, 0.8) (9%–44% of F bought)
//   history: 60% in one jump, 40% drip-fed; everything else as for real accounts (engagement from the real part)
//
// The label: an account "has bought followers" when at least 30% of its followers were purchased (all bought accounts,
// and the mixed ones that bought ≥ 43% of their real audience). Its true audience quality is the real, active share:
// R / F × (1 − inactive share of the real audience).
//
// A follower sample (checked one by one) is present for 40% of accounts of every kind, n ~ U(50, 300) followers:
//   fakes are recognised as suspicious with probability U(0.5, 0.9) (Cresci's rules miss the better fakes); the fakes
//   missed look inactive; real followers are inactive at the account's inactive share and look suspicious 0–6% of the
//   time. Counts are binomial draws.
import { type AudienceObservation, expectedEngagementRate, type FollowerSample, seededRandom } from "@intrograph/graph";

export type AccountKind = "real" | "bought" | "mixed";

export interface LabelledAccount {
  kind: AccountKind;
  /** Ground truth: at least 30% of the followers were purchased. */
  hasBoughtFollowers: boolean;
  /** Ground truth: the share of the audience that is real and active. */
  trueQuality: number;
  /** Purchased followers arrived gradually (the hard case for spike detection). */
  dripFed: boolean;
  followers: number;
  following: number;
  engagementRate: number;
  openedAt: Date;
  history: AudienceObservation[];
  followerSample: FollowerSample | null;
}

export const POPULATION_NOW = new Date("2026-11-01T00:00:00Z");
const DAY_MS = 86_400_000;
const MONTHS = 12;
export const BOUGHT_LABEL_SHARE = 0.3;

class Draw {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  int(min: number, max: number): number {
    return Math.floor(this.uniform(min, max + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  binomial(n: number, p: number): number {
    let hits = 0;
    for (let i = 0; i < n; i += 1) if (this.next() < p) hits += 1;
    return hits;
  }
}

const monthAt = (month: number) => new Date(POPULATION_NOW.getTime() - 30 * DAY_MS * (MONTHS - 1 - month));
const yearsAgo = (years: number) => new Date(POPULATION_NOW.getTime() - years * 365 * DAY_MS);

interface Purchase {
  /** Followers bought in total. */
  amount: number;
  /** Month index → followers bought that month. */
  byMonth: number[];
}

function purchasePlan(draw: Draw, amount: number, dripFed: boolean, jumps: number): Purchase {
  const byMonth = new Array<number>(MONTHS).fill(0);
  if (dripFed) {
    const span = draw.int(4, 11);
    const start = MONTHS - span;
    for (let month = start; month < MONTHS; month += 1) byMonth[month] = amount / span;
  } else {
    const weights = Array.from({ length: jumps }, () => draw.uniform(0.5, 1.5));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    weights.forEach((weight) => {
      const month = draw.int(1, MONTHS - 1);
      byMonth[month] = (byMonth[month] ?? 0) + (amount * weight) / total;
    });
  }
  return { amount, byMonth };
}

/**
 * Monthly counts ending with the current ones: the real audience grows organically (with an optional viral month in
 * which interactions follow), bought followers arrive as planned, and interactions come from the real audience only.
 */
function historyOf(
  draw: Draw,
  real: number,
  following: number,
  realRate: (realAudience: number) => number,
  purchase: Purchase | null,
  viral: boolean,
  boughtLikes: number,
): AudienceObservation[] {
  const growth = draw.uniform(0, 0.05);
  const viralMonth = viral ? draw.int(1, MONTHS - 1) : -1;
  const viralFactor = viral ? draw.uniform(1.5, 3) : 1;
  const realAt = (month: number) => {
    let audience = real / (1 + growth) ** (MONTHS - 1 - month);
    if (viral && month < viralMonth) audience /= viralFactor;
    return Math.max(1, audience);
  };
  let boughtSoFar = purchase ? purchase.amount - purchase.byMonth.reduce((sum, amount) => sum + amount, 0) : 0;
  return Array.from({ length: MONTHS }, (_, month) => {
    boughtSoFar += purchase?.byMonth[month] ?? 0;
    const realAudience = realAt(month);
    const followers = Math.round(realAudience + boughtSoFar);
    const interactions = realAudience * realRate(realAudience) * boughtLikes;
    return {
      at: monthAt(month),
      followers,
      following,
      engagementRate: Math.min(1, interactions / Math.max(followers, 1)),
    };
  });
}

function sampleOf(draw: Draw, boughtShare: number, inactiveShare: number): FollowerSample | null {
  if (!draw.chance(0.4)) return null;
  const sampled = draw.int(50, 300);
  const fakes = draw.binomial(sampled, boughtShare);
  const caught = draw.binomial(fakes, draw.uniform(0.5, 0.9));
  const reals = sampled - fakes;
  const realSuspicious = draw.binomial(reals, draw.uniform(0, 0.06));
  const realInactive = draw.binomial(reals - realSuspicious, inactiveShare);
  return { sampled, suspicious: caught + realSuspicious, inactive: fakes - caught + realInactive };
}

function account(draw: Draw, kind: AccountKind): LabelledAccount {
  const inactiveShare = draw.uniform(0.05, 0.35);
  const spread = draw.logNormal(1, 0.45);
  let real: number;
  let bought = 0;
  let following: number;
  let age: number;
  let dripFed = false;
  let jumps = 1;
  let boughtLikes = 1;
  let viral = false;
  let rateBoost = 1;
  if (kind === "real") {
    const newcomer = draw.chance(0.02);
    real = newcomer ? draw.uniform(50_000, 500_000) : Math.min(5_000_000, Math.max(50, draw.logNormal(3000, 1.5)));
    age = newcomer ? draw.uniform(0.2, 1) : draw.uniform(0.5, 12);
    rateBoost = newcomer ? 1.5 : 1;
    following = draw.chance(0.08) ? Math.max(1000, real * draw.uniform(2, 10)) : draw.logNormal(400, 0.9);
    viral = draw.chance(0.06);
  } else if (kind === "bought") {
    real = Math.max(50, draw.logNormal(5000, 1.3));
    bought = real * draw.uniform(1, 30);
    following = draw.chance(0.4) ? Math.min(7500, (real + bought) * draw.uniform(0.3, 1.2)) : draw.logNormal(500, 0.9);
    age = draw.chance(0.3) ? draw.uniform(0.3, 1.5) : draw.uniform(1.5, 10);
    dripFed = draw.chance(0.3);
    jumps = draw.int(1, 3);
    boughtLikes = draw.chance(0.3) ? draw.uniform(1.5, 3) : 1;
  } else {
    real = Math.max(50, draw.logNormal(8000, 1.3));
    bought = real * draw.uniform(0.1, 0.8);
    following = draw.logNormal(400, 0.9);
    age = draw.uniform(1, 12);
    dripFed = draw.chance(0.4);
  }
  following = Math.round(following);
  const realRate = (audience: number) => expectedEngagementRate(audience) * spread * rateBoost;
  const purchase = bought > 0 ? purchasePlan(draw, bought, dripFed, jumps) : null;
  const history = historyOf(draw, real, following, realRate, purchase, viral, boughtLikes);
  const current = history[history.length - 1]!;
  const boughtShare = bought / (real + bought);
  return {
    kind,
    hasBoughtFollowers: boughtShare >= BOUGHT_LABEL_SHARE,
    trueQuality: (1 - boughtShare) * (1 - inactiveShare),
    dripFed: bought > 0 && dripFed,
    followers: current.followers,
    following: current.following,
    engagementRate: current.engagementRate,
    openedAt: yearsAgo(age),
    history,
    followerSample: sampleOf(draw, boughtShare, inactiveShare),
  };
}

/** `size` accounts: 70% real, 15% bought, 15% mixed, in a seeded order. */
export function labelledPopulation(size: number, seed: number): LabelledAccount[] {
  const draw = new Draw(seed);
  return Array.from({ length: size }, () => {
    const roll = draw.uniform(0, 1);
    return account(draw, roll < 0.7 ? "real" : roll < 0.85 ? "bought" : "mixed");
  });
}
