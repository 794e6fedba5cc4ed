// Introductions of the demo network: chains in which a seeker is passed on from connector to connector (most of them
// ending in an outcome), then standalone introductions, mostly by people with many ties.
import type { IntroductionChannel, IntroductionStatus } from "../generated/prisma/enums.ts";
import { addDays, type Cast, date, type DemoNetwork } from "./network.ts";
import { type DirectOutcomeCandidate, outcomesTarget, recordOutcome } from "./outcomes.ts";
import type { IntroductionRow } from "./rows.ts";

const CHANNELS: readonly (readonly [IntroductionChannel, number])[] = [
  ["EMAIL", 45],
  ["MESSAGE", 15],
  ["CALL", 10],
  ["IN_PERSON", 10],
  ["EVENT", 10],
  ["PLATFORM", 5],
  ["OTHER", 5],
];

/** Intro chains from regular people; most of the outcomes come from these, sometimes through two chains at once. */
export function walkIntroductionChains(network: DemoNetwork, { regulars }: Cast): void {
  const { random, people } = network;
  const seekers = regulars.filter((i) => people[i]!.role === "regular");
  const chainsTarget = network.scaled(330, 4);
  const chainOutcomes = Math.round(outcomesTarget(network) * 0.85);
  let chainsMade = 0;
  for (let attempts = 0; chainsMade < chainsTarget && attempts < chainsTarget * 10; attempts += 1) {
    const seeker = random.pick(seekers);
    const length = random.weighted([
      [2, 45],
      [3, 35],
      [4, 20],
    ] as const);
    const withOutcome = chainsMade < chainOutcomes;
    const partnerIndex = random.chance(0.12) ? random.int(network.partners.length) : null;
    const start = random.dateBetween(date("2023-01-01"), date("2026-03-01"));
    const endStatus: IntroductionStatus = withOutcome
      ? random.chance(0.9)
        ? "MET"
        : "ACCEPTED"
      : random.weighted([
          ["MET", 55],
          ["ACCEPTED", 15],
          ["PROPOSED", 15],
          ["DECLINED", 15],
        ] as const);
    const walked = walkChain(network, seeker, length, start, partnerIndex, endStatus, withOutcome ? 0.92 : 0.85);
    // A walk that stalled after one step leaves a standalone introduction, not a chain.
    if (!walked || walked.steps < 2) continue;
    chainsMade += 1;
    if (!withOutcome) continue;
    const lastIntros = [...walked.last];
    // Sometimes the seeker got there a second way too: the outcome then has two chains into it.
    if (random.chance(0.1)) {
      const second = walkChain(network, seeker, 2, addDays(start, random.between(3, 20)), partnerIndex, "MET", 0.92);
      if (second && second.steps >= 2) lastIntros.push(...second.last);
    }
    recordOutcome(network, lastIntros, seeker, partnerIndex);
  }
}

/**
 * Standalone introductions, mostly by people with many ties (super-connectors make the most), up to the target count.
 * Returns the early ones where the two met: the candidates for outcomes that came straight from one introduction.
 */
export function addStandaloneIntroductions(network: DemoNetwork): DirectOutcomeCandidate[] {
  const { random, people, edgeList, introductions } = network;
  const introsTarget = network.scaled(1500, 20);
  const eligible = (i: number) => network.isRegular(i);
  const directOutcomeCandidates: DirectOutcomeCandidate[] = [];
  for (let attempts = 0; introductions.length < introsTarget && attempts < introsTarget * 20; attempts += 1) {
    const edge = random.pick(edgeList);
    const connector = people[edge.a]!.role === "superConnector" || random.chance(0.5) ? edge.a : edge.b;
    if (!eligible(connector)) continue;
    const known = network.neighborsOf(connector).filter(eligible);
    if (known.length < 2) continue;
    const [from, to] = random.sample(known, 2) as [number, number];
    if (network.adjacent(from, to)) continue;
    const status = random.weighted([
      ["MET", 45],
      ["ACCEPTED", 25],
      ["PROPOSED", 15],
      ["DECLINED", 15],
    ] as const);
    const partnerIndex = random.chance(0.1) ? random.int(network.partners.length) : null;
    const intro = introduce(
      network,
      connector,
      from,
      to,
      random.dateBetween(date("2022-06-01"), date("2026-10-15")),
      status,
      partnerIndex,
      0.88,
    );
    if (status === "MET" && intro.occurredAt < date("2026-09-01"))
      directOutcomeCandidates.push({ intro, from, partnerIndex });
  }
  return directOutcomeCandidates;
}

/**
 * A seeker travels the network: a connector introduces them to someone, who introduces them onward, and so on.
 * Returns the chain's last introductions (two when a step had a redundant parallel intro feeding the next one).
 */
function walkChain(
  network: DemoNetwork,
  seeker: number,
  length: number,
  start: Date,
  partnerIndex: number | null,
  endStatus: IntroductionStatus,
  consentShare: number,
) {
  const { random, people } = network;
  const eligible = (i: number) => network.isRegular(i);
  const firstHops = network.neighborsOf(seeker).filter(eligible);
  if (firstHops.length === 0) return null;
  const superFirst = firstHops.filter((i) => people[i]!.role === "superConnector");
  let connector = superFirst.length > 0 && random.chance(0.5) ? random.pick(superFirst) : random.pick(firstHops);
  const visited = new Set([seeker, connector]);
  let previous: IntroductionRow[] = [];
  const chain: IntroductionRow[] = [];
  let steps = 0;
  let at = start;
  for (let step = 0; step < length; step += 1) {
    const last = step === length - 1;
    const candidates = network
      .neighborsOf(connector)
      .filter((t) => !visited.has(t) && eligible(t) && !network.adjacent(seeker, t));
    if (candidates.length === 0) break;
    const deciders = candidates.filter((t) => people[t]!.isDecisionMaker);
    const target = last && deciders.length > 0 ? random.pick(deciders) : random.pick(candidates);
    const intro = introduce(
      network,
      connector,
      seeker,
      target,
      at,
      last ? endStatus : "MET",
      partnerIndex,
      consentShare,
    );
    const current = [intro];
    // Now and then a second connector who knows both makes the same introduction: redundant paths for credit.
    if (!last && random.chance(0.12)) {
      const common = network
        .neighborsOf(target)
        .filter((c) => c !== connector && c !== seeker && eligible(c) && network.adjacent(c, seeker));
      if (common.length > 0) {
        current.push(
          introduce(
            network,
            random.pick(common),
            seeker,
            target,
            addDays(at, random.uniform(0.5, 3)),
            "MET",
            partnerIndex,
            consentShare,
          ),
        );
      }
    }
    for (const earlier of previous)
      for (const later of current) network.introductionLinks.push({ earlierId: earlier.id, laterId: later.id });
    chain.push(...current);
    previous = current;
    steps += 1;
    visited.add(target);
    connector = target;
    at = addDays(at, random.between(7, 60));
  }
  return steps === 0 ? null : { chain, steps, last: previous };
}

/** Records one introduction with its consent, channel and note; people who met are tied from then on. */
function introduce(
  network: DemoNetwork,
  connector: number,
  from: number,
  to: number,
  occurredAt: Date,
  status: IntroductionStatus,
  partnerIndex: number | null,
  consentShare: number,
): IntroductionRow {
  const { random, people, partners } = network;
  const consented = status === "MET" || status === "ACCEPTED" ? random.chance(consentShare) : false;
  const fromConsentedAt =
    consented || random.chance(status === "DECLINED" ? 0.9 : 0.5) ? addDays(occurredAt, -random.uniform(0.1, 4)) : null;
  const toConsentedAt = consented ? addDays(occurredAt, -random.uniform(0.05, 2)) : null;
  const target = network.organizationOf(to);
  const intro: IntroductionRow = {
    id: network.newId(),
    connectorId: people[connector]!.row.id,
    fromId: people[from]!.row.id,
    toId: people[to]!.row.id,
    organizationId: target && (people[to]!.isDecisionMaker || random.chance(0.5)) ? target.row.id : null,
    channel: partnerIndex !== null && random.chance(0.6) ? "PLATFORM" : random.weighted(CHANNELS),
    status,
    occurredAt,
    fromConsentedAt,
    toConsentedAt,
    consentNote:
      fromConsentedAt && toConsentedAt
        ? random.pick(["Double opt-in by email", "Both agreed on a call", "Opt-in recorded on the platform"])
        : null,
    note:
      status === "DECLINED"
        ? random.pick([
            "Not a priority right now.",
            "Timing is wrong; maybe next quarter.",
            "Already working with someone.",
          ])
        : random.chance(0.5)
          ? `${people[connector]!.firstName} introduced ${people[from]!.firstName} to ${people[to]!.firstName} about ${random.pick(people[to]!.topics.length > 0 ? people[to]!.topics : ["a project"])}.`
          : null,
    source: partnerIndex !== null ? "PARTNER" : random.chance(0.75) ? "ADMIN" : "IMPORT",
    reportedByPartnerId: partnerIndex !== null ? partners[partnerIndex]!.id : null,
    externalId: partnerIndex !== null ? network.nextExternalId(partnerIndex, "intro") : null,
  };
  network.introductions.push(intro);
  // People who met now know each other: the tie starts with the introduction.
  if (status === "MET") {
    const kind =
      target?.row.kind === "INVESTOR"
        ? "INVESTOR"
        : target?.row.kind === "VENDOR"
          ? "CLIENT"
          : random.pick(["CLIENT", "OTHER", "ADVISOR"] as const);
    network.addEdge(from, to, kind, { startedAt: occurredAt, partnerIndex, profile: "active" });
  }
  return intro;
}
