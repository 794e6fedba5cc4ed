// Generates intrograph's demo network in memory: organizations, people, relationships with interaction evidence, intro
// chains and the outcomes they led to. Pure and deterministic (same seed and scale → identical rows, ids included).
//
// Structure, so the graph algorithms have something to find: people cluster by organization (colleague ties) and by
// topic and city communities (triadic closure inside them); investors, vendors and partner platforms tie into companies'
// decision makers; a few super-connectors hold ties across every cluster (high betweenness, low constraint); a handful of
// "influencers" have millions of mostly bought followers and almost no real ties.
import type {
  IntroductionChannel,
  IntroductionStatus,
  InteractionKind,
  OrganizationKind,
  OutcomeKind,
  RecordSource,
  RelationshipKind,
  RelationshipStatus,
  SocialPlatform,
} from "../generated/prisma/enums.ts";
import { computeStrength, initiatorSide, type StrengthEvidence } from "../strength.ts";
import {
  CITIES,
  COMMUNITY_PATTERNS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  CONNECTOR_HEADLINES,
  DECISION_MAKER_TITLES,
  DISPUTE_REASONS,
  FIRST_NAMES,
  HEADLINE_PATTERNS,
  INFLUENCER_PROFILES,
  INTERACTION_NOTES,
  INVESTOR_SUFFIXES,
  LAST_NAMES,
  STAFF_TITLES,
  TOPICS,
  VENDOR_SUFFIXES,
} from "./names.ts";
import { Random, uuidV7Factory } from "./random.ts";

export const DEFAULT_DEMO_SEED = 20_261_101;
/** The fixed "now" of the demo data: strengths and dates are computed against it, so output never depends on the clock. */
export const DEMO_NOW = new Date("2026-11-01T00:00:00.000Z");
/** Base time of the generated v7 ids. */
const ID_BASE_TIME = new Date("2026-10-01T00:00:00.000Z");

export interface DemoDataOptions {
  seed?: number;
  /** 1 ≈ 300 organizations, 2,000 people, 15,000 relationships, 1,500 introductions, 150 outcomes. */
  scale?: number;
}

export interface OrganizationRow {
  id: string;
  name: string;
  kind: OrganizationKind;
  domain: string;
  description: string;
}
export interface PartnerRow {
  id: string;
  name: string;
  slug: string;
  organizationId: string;
}
export interface PersonRow {
  id: string;
  displayName: string;
  headline: string | null;
  topics: string[];
  location: string | null;
  email: string | null;
  profileUrl: string | null;
}
export interface MembershipRow {
  id: string;
  personId: string;
  organizationId: string;
  title: string;
  isDecisionMaker: boolean;
  since: Date;
  until: Date | null;
}
export interface SocialAccountRow {
  id: string;
  personId: string;
  platform: SocialPlatform;
  handle: string;
  followers: number;
  following: number;
  engagementRate: number;
  audienceQuality: number;
}
export interface RelationshipRow {
  id: string;
  personAId: string;
  personBId: string;
  kind: RelationshipKind;
  status: RelationshipStatus;
  source: RecordSource;
  since: Date | null;
  lastInteractionAt: Date | null;
  strength: number;
  strengthEvidence: StrengthEvidence;
  disputeReason: string | null;
  reportedByPartnerId: string | null;
}
export interface RelationshipSideRow {
  id: string;
  relationshipId: string;
  personId: string;
  otherPersonId: string;
}
export interface InteractionRow {
  id: string;
  relationshipId: string;
  kind: InteractionKind;
  occurredAt: Date;
  weight: number;
  initiatedById: string | null;
  note: string | null;
  source: RecordSource;
  reportedByPartnerId: string | null;
  externalId: string | null;
}
export interface IntroductionRow {
  id: string;
  connectorId: string;
  fromId: string;
  toId: string;
  organizationId: string | null;
  channel: IntroductionChannel;
  status: IntroductionStatus;
  occurredAt: Date;
  fromConsentedAt: Date | null;
  toConsentedAt: Date | null;
  consentNote: string | null;
  note: string | null;
  source: RecordSource;
  reportedByPartnerId: string | null;
  externalId: string | null;
}
export interface IntroductionLinkRow {
  earlierId: string;
  laterId: string;
}
export interface OutcomeRow {
  id: string;
  kind: OutcomeKind;
  title: string;
  description: string | null;
  /** Decimal string, e.g. "125000.00": money never goes through a float after generation. */
  value: string;
  currency: string;
  occurredAt: Date;
  organizationId: string | null;
  source: RecordSource;
  reportedByPartnerId: string | null;
  externalId: string | null;
}
export interface OutcomeIntroductionRow {
  outcomeId: string;
  introductionId: string;
}
export interface DuplicateSuggestionRow {
  id: string;
  personAId: string;
  personBId: string;
  reason: string;
  score: number;
}

export interface DemoData {
  seed: number;
  scale: number;
  now: Date;
  organizations: OrganizationRow[];
  partners: PartnerRow[];
  people: PersonRow[];
  memberships: MembershipRow[];
  socialAccounts: SocialAccountRow[];
  relationships: RelationshipRow[];
  relationshipSides: RelationshipSideRow[];
  interactions: InteractionRow[];
  introductions: IntroductionRow[];
  introductionLinks: IntroductionLinkRow[];
  outcomes: OutcomeRow[];
  outcomeIntroductions: OutcomeIntroductionRow[];
  duplicateSuggestions: DuplicateSuggestionRow[];
  /** Who plays which part, for tests and demos: ids of super-connectors, influencers and likely duplicates. */
  roles: { superConnectorIds: string[]; influencerIds: string[]; duplicatePairs: [string, string][] };
}

const DAY_MS = 86_400_000;
const date = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const addDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);
const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

const INTERACTION_WEIGHTS: Record<InteractionKind, number> = {
  MEETING: 3,
  CALL: 2,
  EMAIL: 1,
  MESSAGE: 0.5,
  EVENT: 1.5,
  COLLABORATION: 4,
  OTHER: 1,
};

const INTERACTION_MIX: Record<RelationshipKind, readonly (readonly [InteractionKind, number])[]> = {
  COLLEAGUE: [
    ["MEETING", 3],
    ["COLLABORATION", 3],
    ["MESSAGE", 3],
    ["EMAIL", 2],
    ["CALL", 1],
  ],
  CLIENT: [
    ["CALL", 3],
    ["EMAIL", 4],
    ["MEETING", 2],
    ["COLLABORATION", 1],
  ],
  ADVISOR: [
    ["CALL", 4],
    ["MEETING", 3],
    ["EMAIL", 2],
  ],
  INVESTOR: [
    ["MEETING", 4],
    ["CALL", 3],
    ["EMAIL", 3],
  ],
  FRIEND: [
    ["MESSAGE", 4],
    ["MEETING", 3],
    ["CALL", 2],
    ["EVENT", 1],
  ],
  FAMILY: [
    ["MESSAGE", 3],
    ["MEETING", 3],
    ["CALL", 2],
  ],
  COMMUNITY: [
    ["EVENT", 5],
    ["MESSAGE", 3],
    ["EMAIL", 1],
  ],
  OTHER: [
    ["EMAIL", 3],
    ["MESSAGE", 3],
    ["MEETING", 1],
    ["EVENT", 1],
    ["OTHER", 1],
  ],
};

const CHANNELS: readonly (readonly [IntroductionChannel, number])[] = [
  ["EMAIL", 45],
  ["MESSAGE", 15],
  ["CALL", 10],
  ["IN_PERSON", 10],
  ["EVENT", 10],
  ["PLATFORM", 5],
  ["OTHER", 5],
];

const EUROPEAN_CITY = /, (UK|DE|FR|NL|SE|DK|ES|PT|CH|PL)$/;

interface OrgInfo {
  index: number;
  row: OrganizationRow;
  topic: (typeof TOPICS)[number];
  city: string;
  /** People ever at the org, in joining order. */
  members: number[];
}

interface PersonInfo {
  index: number;
  row: PersonRow;
  firstName: string;
  lastName: string;
  primaryOrg: number | null;
  isDecisionMaker: boolean;
  topics: string[];
  city: string;
  role: "regular" | "superConnector" | "influencer" | "duplicate";
}

interface Edge {
  a: number;
  b: number;
  kind: RelationshipKind;
  /** Set for ties that began with an introduction: interactions start then. */
  startedAt: Date | null;
  partnerIndex: number | null;
  profile: "active" | "dormant" | "light";
}

export function generateDemoData(options: DemoDataOptions = {}): DemoData {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new RangeError(`scale must be positive, got ${scale}`);
  const random = new Random(seed);
  const newId = uuidV7Factory(seed, ID_BASE_TIME);
  const scaled = (count: number, minimum = 1) => Math.max(minimum, Math.round(count * scale));

  // ---- Organizations and partners -------------------------------------------------------------------------------
  const orgs: OrgInfo[] = [];
  const usedOrgNames = new Set<string>();
  const usedDomains = new Set<string>();
  const addOrg = (name: string, kind: OrganizationKind, topic: OrgInfo["topic"], city: string, tld: string) => {
    let domain = `${slug(name)}.${tld}`;
    for (let suffix = 2; usedDomains.has(domain); suffix += 1) domain = `${slug(name)}${suffix}.${tld}`;
    usedOrgNames.add(name);
    usedDomains.add(domain);
    const info: OrgInfo = {
      index: orgs.length,
      row: { id: newId(), name, kind, domain, description: describeOrg(kind, topic, city) },
      topic,
      city,
      members: [],
    };
    orgs.push(info);
    return info;
  };
  const uniqueName = (make: () => string) => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const name = make();
      if (!usedOrgNames.has(name)) return name;
    }
    let name = make();
    for (let n = 2; usedOrgNames.has(name); n += 1) name = `${make()} ${n}`;
    return name;
  };

  const partnerOrgs = [
    addOrg("Northwind CRM", "PARTNER_PLATFORM", "enterprise sales", "Seattle, US", "com"),
    addOrg("Lumen Marketplace", "PARTNER_PLATFORM", "marketplaces", "Amsterdam, NL", "io"),
  ];
  for (let i = 2; i < scaled(10, 2); i += 1) {
    const topic = random.pick(["go-to-market", "marketplaces", "B2B SaaS", "talent & hiring"] as const);
    const name = uniqueName(
      () => `${random.pick(COMPANY_PREFIXES)} ${random.pick(["Connect", "Platform", "Network", "Relay"])}`,
    );
    addOrg(name, "PARTNER_PLATFORM", topic, random.pick(CITIES), "com");
  }
  for (let i = 0; i < scaled(190); i += 1) {
    const topic = random.pick(TOPICS);
    const name = uniqueName(() => `${random.pick(COMPANY_PREFIXES)} ${random.pick(COMPANY_SUFFIXES[topic])}`);
    addOrg(name, "COMPANY", topic, random.pick(CITIES), random.pick(["com", "io", "ai", "co"]));
  }
  for (let i = 0; i < scaled(45); i += 1) {
    const topic = random.pick(TOPICS);
    const name = uniqueName(() => `${random.pick(COMPANY_PREFIXES)} ${random.pick(INVESTOR_SUFFIXES)}`);
    addOrg(name, "INVESTOR", topic, random.pick(CITIES), random.pick(["vc", "com", "capital"]));
  }
  for (let i = 0; i < scaled(35); i += 1) {
    const topic = random.pick(TOPICS);
    const name = uniqueName(() => `${random.pick(COMPANY_PREFIXES)} ${random.pick(VENDOR_SUFFIXES)}`);
    addOrg(name, "VENDOR", topic, random.pick(CITIES), "com");
  }
  for (let i = 0; i < scaled(20); i += 1) {
    const topic = random.pick(TOPICS);
    const city = random.pick(CITIES);
    const name = uniqueName(() =>
      random
        .pick(COMMUNITY_PATTERNS)
        .replace("{city}", cityName(random.pick(CITIES)))
        .replace("{topic}", titleCase(random.pick(TOPICS))),
    );
    addOrg(name, "COMMUNITY", topic, city, "org");
  }
  const partners: PartnerRow[] = partnerOrgs.map((org) => ({
    id: newId(),
    name: org.row.name,
    slug: slug(org.row.name, "-"),
    organizationId: org.row.id,
  }));
  const partnerSlug = (index: number) => partners[index]!.slug;

  // ---- People and memberships ------------------------------------------------------------------------------------
  const people: PersonInfo[] = [];
  const memberships: MembershipRow[] = [];
  const usedNames = new Set<string>();
  const usedProfileUrls = new Set<string>();
  const decisionMakerTitlesUsed = new Map<number, Set<string>>();
  const workOrgs = orgs.filter((org) => org.row.kind !== "COMMUNITY");
  const communityOrgs = orgs.filter((org) => org.row.kind === "COMMUNITY");
  // Heavy-tailed team sizes: a few large employers, many small startups.
  const orgWeights = workOrgs.map(
    (org) => [org.index, random.logNormal(org.row.kind === "COMPANY" ? 6 : 4, 0.8)] as const,
  );

  const profileUrlFor = (first: string, last: string) => {
    let url = `https://www.linkedin.com/in/${slug(first, "-")}-${slug(last, "-")}`;
    while (usedProfileUrls.has(url))
      url = `https://www.linkedin.com/in/${slug(first, "-")}-${slug(last, "-")}-${random.int(0xfffff).toString(16)}`;
    usedProfileUrls.add(url);
    return url;
  };

  const addMembership = (person: PersonInfo, org: OrgInfo, since: Date, until: Date | null, decisionMaker: boolean) => {
    const kind = org.row.kind;
    let title: string;
    if (decisionMaker) {
      const used = decisionMakerTitlesUsed.get(org.index) ?? new Set<string>();
      decisionMakerTitlesUsed.set(org.index, used);
      const titles = DECISION_MAKER_TITLES[kind];
      title = titles.find((candidate) => !used.has(candidate)) ?? random.pick(titles);
      used.add(title);
    } else {
      title = random.pick(STAFF_TITLES[kind]);
    }
    org.members.push(person.index);
    memberships.push({
      id: newId(),
      personId: person.row.id,
      organizationId: org.row.id,
      title,
      isDecisionMaker: decisionMaker,
      since,
      until,
    });
    return title;
  };

  const regularCount = scaled(2000, 60);
  const influencerCount = Math.min(INFLUENCER_PROFILES.length, scaled(6, 3));
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
    const orgIndex = i < workOrgs.length ? workOrgs[i]!.index : random.weighted(orgWeights);
    const org = orgs[orgIndex]!;
    const memberRank = org.members.length;
    const isDecisionMaker = memberRank === 0 || (memberRank <= 3 && random.chance(0.45));
    const city = random.chance(0.8) ? org.city : random.pick(CITIES);
    const topics = uniqueList([org.topic, ...random.sample(TOPICS, random.between(1, 2))]);
    const person: PersonInfo = {
      index: people.length,
      row: {
        id: newId(),
        displayName,
        headline: null,
        topics,
        location: city,
        email: random.chance(0.85)
          ? `${slug(first, "")}.${slug(last, "")}@${random.chance(0.75) ? org.row.domain : random.pick(["gmail.com", "outlook.com", "proton.me"])}`
          : null,
        profileUrl: random.chance(0.9) ? profileUrlFor(first, last) : null,
      },
      firstName: first,
      lastName: last,
      primaryOrg: orgIndex,
      isDecisionMaker,
      topics,
      city,
      role: "regular",
    };
    people.push(person);
    const since = random.dateBetween(date("2014-01-01"), date("2026-06-01"));
    const title = addMembership(person, org, since, null, isDecisionMaker);
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
        addMembership(
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
      addMembership(
        person,
        community,
        random.dateBetween(date("2018-01-01"), date("2026-01-01")),
        null,
        community.members.length === 0,
      );
    }
  }

  // Super-connectors: mostly investors and community organisers, who meet everyone.
  const superConnectorCount = scaled(14, 3);
  const connectorCandidates = people.map((person) => {
    const kind = person.primaryOrg === null ? "OTHER" : orgs[person.primaryOrg]!.row.kind;
    return [person.index, kind === "INVESTOR" ? 5 : person.isDecisionMaker ? 2 : 1] as const;
  });
  const superConnectors: number[] = [];
  while (superConnectors.length < superConnectorCount) {
    const candidate = random.weighted(connectorCandidates);
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
        addMembership(
          person,
          community,
          random.dateBetween(date("2016-01-01"), date("2024-01-01")),
          null,
          random.chance(0.5),
        );
      }
    }
  }

  for (let i = 0; i < influencerCount; i += 1) {
    const profile = INFLUENCER_PROFILES[i]!;
    const [first = profile.name, last = ""] = profile.name.split(" ");
    const city = random.pick(["Los Angeles, US", "Miami, US", "Dubai, AE", "London, UK"]);
    people.push({
      index: people.length,
      row: {
        id: newId(),
        displayName: profile.name,
        headline: profile.headline,
        topics: random.sample(["personal branding", "growth", "crypto", "mindset", "AI"], 2),
        location: city,
        email: `${slug(first, "")}@${slug(profile.name, "")}media.com`,
        profileUrl: profileUrlFor(first, last),
      },
      firstName: first,
      lastName: last,
      primaryOrg: null,
      isDecisionMaker: false,
      topics: [],
      city,
      role: "influencer",
    });
  }

  // ---- Relationships -------------------------------------------------------------------------------------------
  const edges = new Map<number, Edge>();
  const neighbors: number[][] = [];
  const KEY_BASE = 1 << 20;
  const edgeKey = (i: number, j: number) => (i < j ? i * KEY_BASE + j : j * KEY_BASE + i);
  const adjacent = (i: number, j: number) => edges.has(edgeKey(i, j));
  const edgeList: Edge[] = [];
  const addEdge = (i: number, j: number, kind: RelationshipKind, extra: Partial<Edge> = {}): boolean => {
    if (i === j || adjacent(i, j)) return false;
    const profile =
      extra.profile ??
      random.weighted([
        ["active", 55],
        ["dormant", 20],
        ["light", 25],
      ] as const);
    const edge: Edge = { a: i, b: j, kind, startedAt: null, partnerIndex: null, ...extra, profile };
    edges.set(edgeKey(i, j), edge);
    edgeList.push(edge);
    neighbors[i] ??= [];
    neighbors[i].push(j);
    neighbors[j] ??= [];
    neighbors[j].push(i);
    return true;
  };
  const neighborsOf = (i: number) => neighbors[i] ?? [];
  const isRegular = (i: number) => people[i]!.role === "regular" || people[i]!.role === "superConnector";
  const regulars = people.filter((person) => isRegular(person.index)).map((person) => person.index);
  const decisionMakers = regulars.filter((i) => people[i]!.isDecisionMaker);
  const byTopic = new Map<string, number[]>();
  const byCity = new Map<string, number[]>();
  for (const i of regulars) {
    const person = people[i]!;
    for (const topic of person.topics) (byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!).push(i);
    (byCity.get(person.city) ?? byCity.set(person.city, []).get(person.city)!).push(i);
  }

  // Colleagues (current and former) and community co-members.
  for (const org of orgs) {
    const members = uniqueList(org.members);
    const kind: RelationshipKind = org.row.kind === "COMMUNITY" ? "COMMUNITY" : "COLLEAGUE";
    for (const member of members) {
      const ties = Math.min(
        members.length - 1,
        org.row.kind === "COMMUNITY" ? random.between(1, 3) : random.between(2, 5),
      );
      for (const other of random.sample(members, ties + 1)) addEdge(member, other, kind);
    }
  }
  // Investors, vendors and partner platforms know companies' decision makers.
  const companyDecisionMakers = decisionMakers.filter((i) => orgs[people[i]!.primaryOrg!]!.row.kind === "COMPANY");
  for (const i of regulars) {
    const orgKind = orgs[people[i]!.primaryOrg!]!.row.kind;
    if (orgKind === "COMPANY" || orgKind === "COMMUNITY" || companyDecisionMakers.length === 0) continue;
    const kind: RelationshipKind = orgKind === "INVESTOR" ? "INVESTOR" : "CLIENT";
    const topic = orgs[people[i]!.primaryOrg!]!.topic;
    const sameTopic = companyDecisionMakers.filter((j) => people[j]!.topics.includes(topic));
    for (let t = random.between(2, 6); t > 0; t -= 1) {
      const pool = sameTopic.length > 0 && random.chance(0.7) ? sameTopic : companyDecisionMakers;
      addEdge(i, random.pick(pool), kind);
    }
  }
  // Super-connectors reach into every cluster and into each other.
  for (const connector of superConnectors) {
    const reach = Math.min(Math.floor(regulars.length / 4), random.between(60, 140));
    for (let t = 0; t < reach; t += 1) {
      const other =
        random.chance(0.4) && decisionMakers.length > 0 ? random.pick(decisionMakers) : random.pick(regulars);
      addEdge(
        connector,
        other,
        random.weighted([
          ["ADVISOR", 3],
          ["FRIEND", 3],
          ["COMMUNITY", 2],
          ["INVESTOR", 1],
          ["OTHER", 2],
        ] as const),
      );
    }
    for (const other of superConnectors)
      if (other !== connector && random.chance(0.5)) addEdge(connector, other, "FRIEND");
  }
  // Fill up to the target density inside communities: friends of friends, then topic and city peers.
  const baseTarget = Math.round(regularCount * 6.95);
  for (let attempts = 0; edgeList.length < baseTarget && attempts < baseTarget * 20; attempts += 1) {
    const person = random.pick(regulars);
    const mode = random.next();
    if (mode < 0.45) {
      const via = neighborsOf(person);
      if (via.length === 0) continue;
      const friendsOfFriend = neighborsOf(random.pick(via));
      if (friendsOfFriend.length === 0) continue;
      const other = random.pick(friendsOfFriend);
      if (isRegular(other))
        addEdge(
          person,
          other,
          random.weighted([
            ["FRIEND", 3],
            ["OTHER", 2],
            ["COLLEAGUE", 1],
            ["ADVISOR", 1],
          ] as const),
        );
    } else if (mode < 0.9) {
      const topicPeers = byTopic.get(random.pick(people[person]!.topics)) ?? [];
      const cityPeers = byCity.get(people[person]!.city) ?? [];
      const pool = mode < 0.75 || cityPeers.length < 2 ? topicPeers : cityPeers;
      if (pool.length === 0) continue;
      addEdge(
        person,
        random.pick(pool),
        random.weighted([
          ["COMMUNITY", 3],
          ["FRIEND", 2],
          ["OTHER", 2],
          ["ADVISOR", 1],
          ["FAMILY", 0.2],
        ] as const),
      );
    } else {
      // Preferential attachment: an endpoint of a random tie is picked in proportion to its degree.
      const edge = random.pick(edgeList);
      addEdge(
        person,
        random.chance(0.5) ? edge.a : edge.b,
        random.weighted([
          ["OTHER", 2],
          ["FRIEND", 1],
          ["CLIENT", 1],
        ] as const),
      );
    }
  }
  // Influencers: huge audiences, a couple of weak real ties.
  const influencers = people.filter((person) => person.role === "influencer").map((person) => person.index);
  for (const influencer of influencers) {
    for (let t = random.between(1, 3); t > 0; t -= 1)
      addEdge(influencer, random.pick(regulars), random.pick(["FRIEND", "OTHER"] as const), { profile: "light" });
  }

  // ---- Likely duplicates ---------------------------------------------------------------------------------------
  const duplicatePairs: { original: number; duplicate: number; reason: string; score: number }[] = [];
  const addDuplicate = (
    original: PersonInfo,
    row: Omit<PersonRow, "id">,
    reason: string,
    score: number,
    sameOrg: boolean,
  ) => {
    const duplicate: PersonInfo = {
      ...original,
      index: people.length,
      row: { ...row, id: newId() },
      role: "duplicate",
    };
    people.push(duplicate);
    if (sameOrg && original.primaryOrg !== null) {
      addMembership(
        duplicate,
        orgs[original.primaryOrg]!,
        random.dateBetween(date("2020-01-01"), date("2026-01-01")),
        null,
        false,
      );
    }
    for (const other of random.sample(neighborsOf(original.index), random.between(1, 3)))
      addEdge(duplicate.index, other, "OTHER", { profile: "light" });
    duplicatePairs.push({ original: original.index, duplicate: duplicate.index, reason, score });
  };
  const withEmail = regulars
    .map((i) => people[i]!)
    .filter((person) => person.role === "regular" && person.row.email !== null);
  const sameEmailOriginal = random.pick(withEmail);
  addDuplicate(
    sameEmailOriginal,
    {
      ...sameEmailOriginal.row,
      displayName: `${sameEmailOriginal.firstName[0]}. ${sameEmailOriginal.lastName}`,
      profileUrl: null,
      headline: null,
    },
    "Same email address; the name matches by initial",
    0.97,
    false,
  );
  const accented = regulars
    .map((i) => people[i]!)
    .find((person) => person.role === "regular" && stripAccents(person.row.displayName) !== person.row.displayName);
  const accentOriginal = accented ?? random.pick(withEmail);
  addDuplicate(
    accentOriginal,
    {
      ...accentOriginal.row,
      displayName: accented
        ? stripAccents(accented.row.displayName)
        : `${accentOriginal.firstName}  ${accentOriginal.lastName}`.toLowerCase(),
      email: `${slug(accentOriginal.firstName, "")}${slug(accentOriginal.lastName, "")}@gmail.com`,
      profileUrl: null,
    },
    "Near-identical names at the same location",
    0.86,
    false,
  );
  const sameOrgOriginal = random.pick(
    regulars
      .map((i) => people[i]!)
      .filter(
        (person) =>
          person.role === "regular" && person.row.email !== sameEmailOriginal.row.email && person !== accentOriginal,
      ),
  );
  addDuplicate(
    sameOrgOriginal,
    {
      ...sameOrgOriginal.row,
      email: null,
      profileUrl: profileUrlFor(sameOrgOriginal.firstName, sameOrgOriginal.lastName),
    },
    "Same name and organization, imported twice",
    0.91,
    true,
  );

  // ---- Introductions and chains ----------------------------------------------------------------------------------
  const introductions: IntroductionRow[] = [];
  const introductionLinks: IntroductionLinkRow[] = [];
  const outcomes: OutcomeRow[] = [];
  const outcomeIntroductions: OutcomeIntroductionRow[] = [];
  const externalCounters = [0, 0];
  const nextExternalId = (partnerIndex: number, kind: string) => {
    const counter = (externalCounters[partnerIndex] ?? 0) + 1;
    externalCounters[partnerIndex] = counter;
    return `${partnerSlug(partnerIndex)}-${kind}-${String(counter).padStart(6, "0")}`;
  };
  const introsTarget = scaled(1500, 20);
  const outcomesTarget = scaled(150, 5);

  const indexById = new Map(people.map((person) => [person.row.id, person.index]));
  const orgOf = (i: number) => (people[i]!.primaryOrg === null ? null : orgs[people[i]!.primaryOrg!]!);
  const introduce = (
    connector: number,
    from: number,
    to: number,
    occurredAt: Date,
    status: IntroductionStatus,
    partnerIndex: number | null,
    consentShare: number,
  ): IntroductionRow => {
    const consented = status === "MET" || status === "ACCEPTED" ? random.chance(consentShare) : false;
    const fromConsentedAt =
      consented || random.chance(status === "DECLINED" ? 0.9 : 0.5)
        ? addDays(occurredAt, -random.uniform(0.1, 4))
        : null;
    const toConsentedAt = consented ? addDays(occurredAt, -random.uniform(0.05, 2)) : null;
    const target = orgOf(to);
    const intro: IntroductionRow = {
      id: newId(),
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
      externalId: partnerIndex !== null ? nextExternalId(partnerIndex, "intro") : null,
    };
    introductions.push(intro);
    // People who met now know each other: the tie starts with the introduction.
    if (status === "MET") {
      const kind =
        target?.row.kind === "INVESTOR"
          ? "INVESTOR"
          : target?.row.kind === "VENDOR"
            ? "CLIENT"
            : random.pick(["CLIENT", "OTHER", "ADVISOR"] as const);
      addEdge(from, to, kind, { startedAt: occurredAt, partnerIndex, profile: "active" });
    }
    return intro;
  };
  const link = (earlier: IntroductionRow, later: IntroductionRow) => {
    introductionLinks.push({ earlierId: earlier.id, laterId: later.id });
  };
  const eligible = (i: number) => isRegular(i);

  /**
   * A seeker travels the network: a connector introduces them to someone, who introduces them onward, and so on.
   * Returns the chain's last introductions (two when a step had a redundant parallel intro feeding the next one).
   */
  const walkChain = (
    seeker: number,
    length: number,
    start: Date,
    partnerIndex: number | null,
    endStatus: IntroductionStatus,
    consentShare: number,
  ) => {
    const firstHops = neighborsOf(seeker).filter(eligible);
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
      const candidates = neighborsOf(connector).filter((t) => !visited.has(t) && eligible(t) && !adjacent(seeker, t));
      if (candidates.length === 0) break;
      const deciders = candidates.filter((t) => people[t]!.isDecisionMaker);
      const target = last && deciders.length > 0 ? random.pick(deciders) : random.pick(candidates);
      const intro = introduce(connector, seeker, target, at, last ? endStatus : "MET", partnerIndex, consentShare);
      const current = [intro];
      // Now and then a second connector who knows both makes the same introduction: redundant paths for credit.
      if (!last && random.chance(0.12)) {
        const common = neighborsOf(target).filter(
          (c) => c !== connector && c !== seeker && eligible(c) && adjacent(c, seeker),
        );
        if (common.length > 0) {
          current.push(
            introduce(
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
      for (const earlier of previous) for (const later of current) link(earlier, later);
      chain.push(...current);
      previous = current;
      steps += 1;
      visited.add(target);
      connector = target;
      at = addDays(at, random.between(7, 60));
    }
    return steps === 0 ? null : { chain, steps, last: previous };
  };

  const outcomeFor = (lastIntros: IntroductionRow[], seeker: number, partnerIndex: number | null) => {
    const lastIntro = lastIntros[0]!;
    const target = people[indexById.get(lastIntro.toId)!]!;
    const targetOrg = orgOf(target.index);
    const seekerOrg = orgOf(seeker);
    const kind = outcomeKind(random, targetOrg?.row.kind ?? "OTHER");
    const latest = Math.max(...lastIntros.map((intro) => intro.occurredAt.getTime()));
    const occurredAt = minDate(addDays(new Date(latest), random.between(20, 150)), addDays(DEMO_NOW, -1));
    const outcome: OutcomeRow = {
      id: newId(),
      kind,
      title: outcomeTitle(kind, people[seeker]!, seekerOrg, targetOrg),
      description: random.chance(0.6)
        ? `Reached through ${lastIntros.length > 1 ? "two routes" : "an intro chain"} ending with ${people[indexById.get(lastIntro.connectorId)!]!.row.displayName}.`
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
      externalId: partnerIndex !== null ? nextExternalId(partnerIndex, "outcome") : null,
    };
    outcomes.push(outcome);
    for (const intro of lastIntros) outcomeIntroductions.push({ outcomeId: outcome.id, introductionId: intro.id });
  };

  const seekers = regulars.filter((i) => people[i]!.role === "regular");
  const chainsTarget = scaled(330, 4);
  const chainOutcomes = Math.round(outcomesTarget * 0.85);
  let chainsMade = 0;
  for (let attempts = 0; chainsMade < chainsTarget && attempts < chainsTarget * 10; attempts += 1) {
    const seeker = random.pick(seekers);
    const length = random.weighted([
      [2, 45],
      [3, 35],
      [4, 20],
    ] as const);
    const withOutcome = chainsMade < chainOutcomes;
    const partnerIndex = random.chance(0.12) ? random.int(partners.length) : null;
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
    const walked = walkChain(seeker, length, start, partnerIndex, endStatus, withOutcome ? 0.92 : 0.85);
    // A walk that stalled after one step leaves a standalone introduction, not a chain.
    if (!walked || walked.steps < 2) continue;
    chainsMade += 1;
    if (!withOutcome) continue;
    const lastIntros = [...walked.last];
    // Sometimes the seeker got there a second way too: the outcome then has two chains into it.
    if (random.chance(0.1)) {
      const second = walkChain(seeker, 2, addDays(start, random.between(3, 20)), partnerIndex, "MET", 0.92);
      if (second && second.steps >= 2) lastIntros.push(...second.last);
    }
    outcomeFor(lastIntros, seeker, partnerIndex);
  }

  const directOutcomeCandidates: { intro: IntroductionRow; from: number; partnerIndex: number | null }[] = [];
  // Standalone introductions, mostly by people with many ties (super-connectors make the most).
  for (let attempts = 0; introductions.length < introsTarget && attempts < introsTarget * 20; attempts += 1) {
    const edge = random.pick(edgeList);
    const connector = people[edge.a]!.role === "superConnector" || random.chance(0.5) ? edge.a : edge.b;
    if (!eligible(connector)) continue;
    const known = neighborsOf(connector).filter(eligible);
    if (known.length < 2) continue;
    const [from, to] = random.sample(known, 2) as [number, number];
    if (adjacent(from, to)) continue;
    const status = random.weighted([
      ["MET", 45],
      ["ACCEPTED", 25],
      ["PROPOSED", 15],
      ["DECLINED", 15],
    ] as const);
    const partnerIndex = random.chance(0.1) ? random.int(partners.length) : null;
    const intro = introduce(
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
  // The rest of the outcomes came straight from a single introduction.
  for (const { intro, from, partnerIndex } of random.sample(
    directOutcomeCandidates,
    outcomesTarget - outcomes.length,
  )) {
    outcomeFor([intro], from, partnerIndex);
  }

  // ---- Social accounts -------------------------------------------------------------------------------------------
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
  const socialPeople = uniqueList([...superConnectors, ...random.sample(regulars, scaled(320, 10))]);
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

  // ---- Relationship rows, sides and interaction evidence ---------------------------------------------------------
  const relationships: RelationshipRow[] = [];
  const relationshipSides: RelationshipSideRow[] = [];
  const interactions: InteractionRow[] = [];
  for (const edge of edgeList) {
    const first = people[edge.a]!.row.id;
    const second = people[edge.b]!.row.id;
    const [personAId, personBId] = first < second ? [first, second] : [second, first];
    const id = newId();
    const partnerIndex = edge.partnerIndex ?? (random.chance(0.06) ? random.int(partners.length) : null);
    const since =
      edge.startedAt ?? (random.chance(0.9) ? random.dateBetween(date("2012-01-01"), addDays(DEMO_NOW, -60)) : null);
    const evidenceStart = since ?? random.dateBetween(date("2016-01-01"), addDays(DEMO_NOW, -60));
    const evidenceEnd = edge.profile === "dormant" ? addDays(DEMO_NOW, -random.between(400, 1400)) : DEMO_NOW;
    const start = evidenceStart < evidenceEnd ? evidenceStart : addDays(evidenceEnd, -random.between(200, 1500));
    const count =
      edge.profile === "dormant"
        ? 5 + random.poisson(4)
        : edge.profile === "active"
          ? 1 + random.poisson(3)
          : random.between(1, 2);
    // Who reaches out: balanced for most ties, one-sided for some.
    const shareA = random.weighted([
      [0.5, 60],
      [0.15, 20],
      [0.85, 20],
    ] as const);
    const evidence: InteractionRow[] = [];
    for (let n = 0; n < count; n += 1) {
      const kind = random.weighted(INTERACTION_MIX[edge.kind]);
      // Skewed towards the end of the window: ties are usually most active lately.
      const u = 1 - random.next() ** 2;
      const occurredAt = new Date(Math.floor(start.getTime() + u * (evidenceEnd.getTime() - start.getTime())));
      const partnerReported = partnerIndex !== null && random.chance(0.7);
      evidence.push({
        id: newId(),
        relationshipId: id,
        kind,
        occurredAt,
        weight: INTERACTION_WEIGHTS[kind],
        initiatedById: random.chance(shareA) ? personAId : personBId,
        note: random.chance(0.3) ? random.pick(INTERACTION_NOTES[kind]) : null,
        source: partnerReported ? "PARTNER" : "IMPORT",
        reportedByPartnerId: partnerReported ? partners[partnerIndex]!.id : null,
        externalId: partnerReported ? nextExternalId(partnerIndex, "interaction") : null,
      });
    }
    evidence.sort((x, y) => x.occurredAt.getTime() - y.occurredAt.getTime());
    const { strength, evidence: strengthEvidence } = computeStrength(
      evidence.map((interaction) => ({
        occurredAt: interaction.occurredAt,
        weight: interaction.weight,
        initiatedBySide: initiatorSide(interaction.initiatedById, { personAId, personBId }),
      })),
      { since, now: DEMO_NOW },
    );
    const status = random.weighted([
      ["UNVERIFIED", 68],
      ["VERIFIED", 29],
      ["DISPUTED", 3],
    ] as const);
    relationships.push({
      id,
      personAId,
      personBId,
      kind: edge.kind,
      status,
      source: partnerIndex !== null ? "PARTNER" : random.chance(0.6) ? "IMPORT" : "ADMIN",
      since,
      lastInteractionAt: evidence.at(-1)?.occurredAt ?? null,
      strength,
      strengthEvidence,
      disputeReason: status === "DISPUTED" ? random.pick(DISPUTE_REASONS) : null,
      reportedByPartnerId: partnerIndex !== null ? partners[partnerIndex]!.id : null,
    });
    relationshipSides.push(
      { id: newId(), relationshipId: id, personId: personAId, otherPersonId: personBId },
      { id: newId(), relationshipId: id, personId: personBId, otherPersonId: personAId },
    );
    interactions.push(...evidence);
  }

  const duplicateSuggestions: DuplicateSuggestionRow[] = duplicatePairs.map(
    ({ original, duplicate, reason, score }) => {
      const x = people[original]!.row.id;
      const y = people[duplicate]!.row.id;
      // biome-ignore lint/complexity/useMathMinMax: ids are strings, ordered as PostgreSQL orders them
      return { id: newId(), personAId: x < y ? x : y, personBId: x < y ? y : x, reason, score };
    },
  );

  return {
    seed,
    scale,
    now: DEMO_NOW,
    organizations: orgs.map((org) => org.row),
    partners,
    people: people.map((person) => person.row),
    memberships,
    socialAccounts,
    relationships,
    relationshipSides,
    interactions,
    introductions,
    introductionLinks,
    outcomes,
    outcomeIntroductions,
    duplicateSuggestions,
    roles: {
      superConnectorIds: superConnectors.map((i) => people[i]!.row.id),
      influencerIds: influencers.map((i) => people[i]!.row.id),
      duplicatePairs: duplicatePairs.map(({ original, duplicate }) => [
        people[original]!.row.id,
        people[duplicate]!.row.id,
      ]),
    },
  };
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

function describeOrg(kind: OrganizationKind, topic: string, city: string): string {
  switch (kind) {
    case "INVESTOR":
      return `Early-stage investor backing ${topic} founders, based in ${city}.`;
    case "VENDOR":
      return `Services firm working with ${topic} companies, based in ${city}.`;
    case "PARTNER_PLATFORM":
      return `Platform for ${topic} teams; reports introductions and outcomes to intrograph.`;
    case "COMMUNITY":
      return `Community for people working in ${topic}.`;
    default:
      return `A ${topic} company based in ${city}.`;
  }
}

function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

function stripAccents(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

function slug(text: string, separator = ""): string {
  return stripAccents(text)
    .toLowerCase()
    .replace(/&/g, " and ")
    .split(/[^a-z0-9]+/)
    .filter((part) => part.length > 0)
    .join(separator);
}

function cityName(city: string): string {
  return city.split(",")[0] ?? city;
}

function titleCase(topic: string): string {
  return topic.length <= 3
    ? topic.toUpperCase()
    : topic.replace(/(^|\s)([a-z])/g, (_, space: string, letter: string) => space + letter.toUpperCase());
}

function uniqueList<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
