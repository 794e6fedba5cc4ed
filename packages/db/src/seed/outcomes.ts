// Outcomes of the demo network (deals, hires, investments…) and the introductions that led to them, with values in the
// ranges each kind usually has.
import type { OrganizationKind, OutcomeKind } from "../generated/prisma/enums.ts";
import { addDays, type DemoNetwork, minDate, type OrgInfo, type PersonInfo } from "./network.ts";
import type { Random } from "./random.ts";
import type { IntroductionRow, OutcomeRow } from "./rows.ts";

const EUROPEAN_CITY = /, (UK|DE|FR|NL|SE|DK|ES|PT|CH|PL)$/;

/** A standalone introduction after which the two met: it may have led straight to an outcome. */
export interface DirectOutcomeCandidate {
  intro: IntroductionRow;
  from: number;
  partnerIndex: number | null;
}

export function outcomesTarget(network: DemoNetwork): number {
  return network.scaled(150, 5);
}

/** The rest of the outcomes came straight from a single introduction. */
export function addDirectOutcomes(network: DemoNetwork, candidates: DirectOutcomeCandidate[]): void {
  const count = outcomesTarget(network) - network.outcomes.length;
  for (const { intro, from, partnerIndex } of network.random.sample(candidates, count)) {
    recordOutcome(network, [intro], from, partnerIndex);
  }
}

/** The outcome the seeker reached through `lastIntros` (the last introductions of one or two chains). */
export function recordOutcome(
  network: DemoNetwork,
  lastIntros: IntroductionRow[],
  seeker: number,
  partnerIndex: number | null,
): void {
  const { random, people, partners } = network;
  const lastIntro = lastIntros[0]!;
  const target = people[network.personIndex(lastIntro.toId)]!;
  const targetOrg = network.organizationOf(target.index);
  const seekerOrg = network.organizationOf(seeker);
  const kind = outcomeKind(random, targetOrg?.row.kind ?? "OTHER");
  const latest = Math.max(...lastIntros.map((intro) => intro.occurredAt.getTime()));
  const occurredAt = minDate(addDays(new Date(latest), random.between(20, 150)), addDays(network.now, -1));
  const outcome: OutcomeRow = {
    id: network.newId(),
    kind,
    title: outcomeTitle(kind, people[seeker]!, seekerOrg, targetOrg),
    description: random.chance(0.6)
      ? `Reached through ${lastIntros.length > 1 ? "two routes" : "an intro chain"} ending with ${people[network.personIndex(lastIntro.connectorId)]!.row.displayName}.`
      : null,
    value: outcomeValue(random, kind),
    currency:
      targetOrg && EUROPEAN_CITY.test(targetOrg.city) && random.chance(0.4)
        ? "EUR"
        : random.chance(0.03)
          ? "EUR"
          : "USD",
    occurredAt,
    organizationId: targetOrg?.row.id ?? null,
    source: partnerIndex !== null ? "PARTNER" : random.chance(0.8) ? "ADMIN" : "IMPORT",
    reportedByPartnerId: partnerIndex !== null ? partners[partnerIndex]!.id : null,
    externalId: partnerIndex !== null ? network.nextExternalId(partnerIndex, "outcome") : null,
  };
  network.outcomes.push(outcome);
  for (const intro of lastIntros)
    network.outcomeIntroductions.push({ outcomeId: outcome.id, introductionId: intro.id });
}

function outcomeKind(random: Random, targetOrgKind: OrganizationKind): OutcomeKind {
  switch (targetOrgKind) {
    case "INVESTOR":
      return "INVESTMENT";
    case "PARTNER_PLATFORM":
      return "PARTNERSHIP";
    case "VENDOR":
      return "PURCHASE";
    case "COMMUNITY":
      return random.pick(["PARTNERSHIP", "DEAL"] as const);
    default:
      return random.weighted([
        ["DEAL", 45],
        ["HIRE", 20],
        ["PARTNERSHIP", 15],
        ["PURCHASE", 12],
        ["ACQUISITION", 8],
      ] as const);
  }
}

/** Values in the ranges each kind of outcome usually has, rounded the way people quote them. */
function outcomeValue(random: Random, kind: OutcomeKind): string {
  const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
  const roundTo = (value: number, step: number) => Math.round(value / step) * step;
  switch (kind) {
    case "DEAL":
      return clamp(roundTo(random.logNormal(60_000, 1), 50), 5_000, 3_000_000).toFixed(2);
    case "HIRE":
      return roundTo(random.between(90_000, 320_000), 1_000).toFixed(2);
    case "INVESTMENT":
      return clamp(roundTo(random.logNormal(1_500_000, 1), 10_000), 100_000, 40_000_000).toFixed(2);
    case "ACQUISITION":
      return clamp(roundTo(random.logNormal(25_000_000, 1.2), 100_000), 2_000_000, 900_000_000).toFixed(2);
    case "PARTNERSHIP":
      return clamp(roundTo(random.logNormal(80_000, 1), 1_000), 0, 2_000_000).toFixed(2);
    case "PURCHASE":
      return clamp(random.logNormal(20_000, 1), 1_000, 500_000).toFixed(2);
  }
}

function outcomeTitle(
  kind: OutcomeKind,
  seeker: PersonInfo,
  seekerOrg: OrgInfo | null,
  targetOrg: OrgInfo | null,
): string {
  const from = seekerOrg?.row.name ?? seeker.row.displayName;
  const to = targetOrg?.row.name ?? "a new partner";
  switch (kind) {
    case "DEAL":
      return `${from} closed a deal with ${to}`;
    case "HIRE":
      return `${to} hired ${seeker.row.displayName}`;
    case "INVESTMENT":
      return `${to} invested in ${from}`;
    case "ACQUISITION":
      return `${to} acquired ${from}`;
    case "PARTNERSHIP":
      return `${from} × ${to} partnership`;
    case "PURCHASE":
      return `${from} bought from ${to}`;
  }
}
