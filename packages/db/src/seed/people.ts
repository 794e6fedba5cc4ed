// People of the demo network and their memberships: regular people clustered by organization, topic and city; the
// super-connectors among them; and a few influencers with big audiences and almost no real ties.
import {
  CITIES,
  CONNECTOR_HEADLINES,
  FIRST_NAMES,
  HEADLINE_PATTERNS,
  INFLUENCER_PROFILES,
  LAST_NAMES,
  TOPICS,
} from "./names.ts";
import { addDays, type Cast, date, type DemoNetwork, uniqueList } from "./network.ts";
import { cityName, fill, slug } from "./text.ts";

/** Regular people, each with a job (and sometimes a previous one and a community); every work org gets a first member. */
export function addRegularPeople(network: DemoNetwork): void {
  const { random, organizations: orgs, newId } = network;
  const usedNames = new Set<string>();
  const workOrgs = orgs.filter((org) => org.row.kind !== "COMMUNITY");
  const communityOrgs = orgs.filter((org) => org.row.kind === "COMMUNITY");
  // Heavy-tailed team sizes: a few large employers, many small startups.
  const pickWorkOrg = random.weightedTable(
    workOrgs.map((org) => [org.index, random.logNormal(org.row.kind === "COMPANY" ? 6 : 4, 0.8)] as const),
  );

  const regularCount = network.scaled(2000, 60);
  for (let i = 0; i < regularCount; i += 1) {
    let first: string = random.pick(FIRST_NAMES);
    let last: string = random.pick(LAST_NAMES);
    // Distinct names among regular people, so the duplicates view shows only the planted duplicates.
    for (let attempt = 0; usedNames.has(`${first} ${last}`) && attempt < 100; attempt += 1) {
      first = random.pick(FIRST_NAMES);
      last = random.pick(LAST_NAMES);
    }
    const displayName = usedNames.has(`${first} ${last}`)
      ? `${first} ${String.fromCharCode(65 + random.int(26))}. ${last}`
      : `${first} ${last}`;
    usedNames.add(displayName);
    // Every work organization gets a first member (its CEO or equivalent); the rest join by weight.
    const orgIndex = i < workOrgs.length ? workOrgs[i]!.index : pickWorkOrg();
    const org = orgs[orgIndex]!;
    const memberRank = org.members.length;
    const isDecisionMaker = memberRank === 0 || (memberRank <= 3 && random.chance(0.45));
    const city = random.chance(0.8) ? org.city : random.pick(CITIES);
    const topics = uniqueList([org.topic, ...random.sample(TOPICS, random.between(1, 2))]);
    const person = network.addPerson({
      row: {
        id: newId(),
        displayName,
        headline: null,
        topics,
        location: city,
        email: random.chance(0.85)
          ? `${slug(first, "")}.${slug(last, "")}@${random.chance(0.75) ? org.row.domain : random.pick(["gmail.com", "outlook.com", "proton.me"])}`
          : null,
        profileUrl: random.chance(0.9) ? network.profileUrlFor(first, last) : null,
      },
      firstName: first,
      lastName: last,
      primaryOrg: orgIndex,
      isDecisionMaker,
      topics,
      city,
      role: "regular",
    });
    const since = random.dateBetween(date("2014-01-01"), date("2026-06-01"));
    const title = network.addMembership(person, org, since, null, isDecisionMaker);
    person.row.headline = fill(random.pick(HEADLINE_PATTERNS), {
      title,
      org: org.row.name,
      topic: topics[0] ?? org.topic,
      topic2: topics[1] ?? org.topic,
    });
    // A previous job in the same industry: former colleagues are a classic source of warm intros.
    if (random.chance(0.25)) {
      const sameIndustry = workOrgs.filter((candidate) => candidate.topic === org.topic && candidate !== org);
      const previous = random.pick(sameIndustry.length > 0 ? sameIndustry : workOrgs);
      if (previous !== org) {
        network.addMembership(
          person,
          previous,
          addDays(since, -random.between(400, 2500)),
          addDays(since, -random.between(15, 90)),
          false,
        );
      }
    }
    if (communityOrgs.length > 0 && random.chance(0.12)) {
      const community = random.pick(communityOrgs);
      network.addMembership(
        person,
        community,
        random.dateBetween(date("2018-01-01"), date("2026-01-01")),
        null,
        community.members.length === 0,
      );
    }
  }
}

/** Super-connectors: mostly investors and community organisers, who meet everyone. Returns them in the order drawn. */
export function chooseSuperConnectors(network: DemoNetwork): number[] {
  const { random, organizations: orgs, people } = network;
  const communityOrgs = orgs.filter((org) => org.row.kind === "COMMUNITY");
  const superConnectorCount = network.scaled(14, 3);
  const connectorCandidates = people.map((person) => {
    const kind = person.primaryOrg === null ? "OTHER" : orgs[person.primaryOrg]!.row.kind;
    return [person.index, kind === "INVESTOR" ? 5 : person.isDecisionMaker ? 2 : 1] as const;
  });
  const pickCandidate = random.weightedTable(connectorCandidates);
  const superConnectors: number[] = [];
  while (superConnectors.length < superConnectorCount) {
    const candidate = pickCandidate();
    if (!superConnectors.includes(candidate)) superConnectors.push(candidate);
  }
  for (const index of superConnectors) {
    const person = people[index]!;
    person.role = "superConnector";
    person.row.headline = fill(random.pick(CONNECTOR_HEADLINES), {
      topic: person.topics[0] ?? "startups",
      topic2: person.topics[1] ?? "hiring",
      city: cityName(person.city),
    });
    for (const community of random.sample(communityOrgs, random.between(1, 2))) {
      if (!community.members.includes(index)) {
        network.addMembership(
          person,
          community,
          random.dateBetween(date("2016-01-01"), date("2024-01-01")),
          null,
          random.chance(0.5),
        );
      }
    }
  }
  return superConnectors;
}

/** Influencers from the fixed profiles, without an organization. Returns their indexes. */
export function addInfluencers(network: DemoNetwork): number[] {
  const { random } = network;
  const influencerCount = Math.min(INFLUENCER_PROFILES.length, network.scaled(6, 3));
  const influencers: number[] = [];
  for (let i = 0; i < influencerCount; i += 1) {
    const profile = INFLUENCER_PROFILES[i]!;
    const [first = profile.name, last = ""] = profile.name.split(" ");
    const city = random.pick(["Los Angeles, US", "Miami, US", "Dubai, AE", "London, UK"]);
    const influencer = network.addPerson({
      row: {
        id: network.newId(),
        displayName: profile.name,
        headline: profile.headline,
        topics: random.sample(["personal branding", "growth", "crypto", "mindset", "AI"], 2),
        location: city,
        email: `${slug(first, "")}@${slug(profile.name, "")}media.com`,
        profileUrl: network.profileUrlFor(first, last),
      },
      firstName: first,
      lastName: last,
      primaryOrg: null,
      isDecisionMaker: false,
      topics: [],
      city,
      role: "influencer",
    });
    influencers.push(influencer.index);
  }
  return influencers;
}

/** The parts people play, once every regular person and influencer exists. */
export function castOf(network: DemoNetwork, superConnectors: number[], influencers: number[]): Cast {
  const { people } = network;
  const regulars = people.filter((person) => network.isRegular(person.index)).map((person) => person.index);
  const decisionMakers = regulars.filter((i) => people[i]!.isDecisionMaker);
  return { regulars, decisionMakers, superConnectors, influencers };
}
