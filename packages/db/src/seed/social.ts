// Social accounts of the demo network: the influencers' big, mostly bought audiences, and ordinary accounts for the
// super-connectors and a sample of regular people.
import type { SocialPlatform } from "../generated/prisma/enums.ts";
import { INFLUENCER_PROFILES } from "./names.ts";
import { type Cast, type DemoNetwork, type PersonInfo, uniqueList } from "./network.ts";
import type { SocialAccountRow } from "./rows.ts";
import { slug } from "./text.ts";

export function addSocialAccounts(
  network: DemoNetwork,
  { regulars, superConnectors, influencers }: Cast,
): SocialAccountRow[] {
  const { random, people, newId } = network;
  const socialAccounts: SocialAccountRow[] = [];
  const usedHandles = new Set<string>();
  const handleFor = (platform: SocialPlatform, person: PersonInfo) => {
    const base = slug(`${person.firstName}${person.lastName}`, "");
    let handle = base;
    while (usedHandles.has(`${platform}:${handle}`)) handle = `${base}${random.between(1, 9999)}`;
    usedHandles.add(`${platform}:${handle}`);
    return handle;
  };
  for (const index of influencers) {
    const person = people[index]!;
    const profile = INFLUENCER_PROFILES[influencers.indexOf(index)]!;
    const platforms: SocialPlatform[] = uniqueList([
      profile.platform as SocialPlatform,
      random.pick(["X", "INSTAGRAM", "TIKTOK"] as const),
    ]);
    platforms.forEach((platform, n) => {
      socialAccounts.push({
        id: newId(),
        personId: person.row.id,
        platform,
        handle: handleFor(platform, person),
        followers: n === 0 ? random.between(800_000, 4_000_000) : random.between(100_000, 600_000),
        following: random.between(5_000, 7_500),
        engagementRate: round(random.uniform(0.001, 0.006), 4),
        // Bought followers and bots: most of the audience is not real.
        audienceQuality: round(random.uniform(0.1, 0.3), 3),
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
      socialAccounts.push({
        id: newId(),
        personId: person.row.id,
        platform,
        handle: handleFor(platform, person),
        followers: Math.max(50, Math.round(random.logNormal(person.role === "superConnector" ? 6000 : 1500, 1.1))),
        following: Math.max(20, Math.round(random.logNormal(400, 0.8))),
        engagementRate: round(random.uniform(0.01, 0.07), 4),
        audienceQuality: round(random.uniform(0.7, 0.97), 3),
      });
    }
  }
  return socialAccounts;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
