// Generates intrograph's demo network in memory: organizations, people, relationships with interaction evidence, intro
// chains and the outcomes they led to. Pure and deterministic (same seed and scale → identical rows, ids included).
//
// Structure, so the graph algorithms have something to find: people cluster by organization (colleague ties) and by
// topic and city communities (triadic closure inside them); investors, vendors and partner platforms tie into companies'
// decision makers; a few super-connectors hold ties across every cluster (high betweenness, low constraint); a handful of
// "influencers" have millions of mostly bought followers and almost no real ties.
import { duplicateSuggestionRows, plantDuplicates } from "./duplicates.ts";
import { relationshipRowsWithEvidence } from "./evidence.ts";
import { addStandaloneIntroductions, walkIntroductionChains } from "./introductions.ts";
import { DemoNetwork } from "./network.ts";
import { addOrganizations, addPartners } from "./organizations.ts";
import { addDirectOutcomes } from "./outcomes.ts";
import { addInfluencers, addRegularPeople, castOf, chooseSuperConnectors } from "./people.ts";
import {
  connectColleagues,
  connectDecisionMakers,
  connectInfluencers,
  connectSuperConnectors,
  fillCommunities,
} from "./relationships.ts";
import type {
  DuplicateSuggestionRow,
  InteractionRow,
  IntroductionLinkRow,
  IntroductionRow,
  MembershipRow,
  OrganizationRow,
  OutcomeIntroductionRow,
  OutcomeRow,
  PartnerRow,
  PersonRow,
  RelationshipRow,
  RelationshipSideRow,
  SocialAccountRow,
  SocialAccountSnapshotRow,
} from "./rows.ts";
import { addSocialAccounts } from "./social.ts";

export const DEFAULT_DEMO_SEED = 20_261_101;
/** The fixed "now" of the demo data: strengths and dates are computed against it, so output never depends on the clock. */
export const DEMO_NOW = new Date("2026-11-01T00:00:00.000Z");

export interface DemoDataOptions {
  seed?: number;
  /** 1 ≈ 300 organizations, 2,000 people, 15,000 relationships, 1,500 introductions, 150 outcomes. */
  scale?: number;
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
  socialAccountSnapshots: SocialAccountSnapshotRow[];
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

/**
 * The steps run in this order because each draws from the same seeded stream (and takes ids from the same sequence):
 * reordering them, or adding a draw inside one, changes every row after it.
 */
export function generateDemoData(options: DemoDataOptions = {}): DemoData {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new RangeError(`scale must be positive, got ${scale}`);
  const network = new DemoNetwork(seed, scale, DEMO_NOW);

  const partnerOrgs = addOrganizations(network);
  addPartners(network, partnerOrgs);
  addRegularPeople(network);
  const superConnectors = chooseSuperConnectors(network);
  const influencers = addInfluencers(network);
  const cast = castOf(network, superConnectors, influencers);

  connectColleagues(network);
  connectDecisionMakers(network, cast);
  connectSuperConnectors(network, cast);
  fillCommunities(network, cast);
  connectInfluencers(network, cast);
  const duplicatePairs = plantDuplicates(network, cast);

  walkIntroductionChains(network, cast);
  const directOutcomeCandidates = addStandaloneIntroductions(network);
  addDirectOutcomes(network, directOutcomeCandidates);

  const { socialAccounts, socialAccountSnapshots } = addSocialAccounts(network, cast, seed);
  const { relationships, relationshipSides, interactions } = relationshipRowsWithEvidence(network);
  const duplicateSuggestions = duplicateSuggestionRows(network, duplicatePairs);

  const { people } = network;
  return {
    seed,
    scale,
    now: DEMO_NOW,
    organizations: network.organizations.map((org) => org.row),
    partners: network.partners,
    people: people.map((person) => person.row),
    memberships: network.memberships,
    socialAccounts,
    socialAccountSnapshots,
    relationships,
    relationshipSides,
    interactions,
    introductions: network.introductions,
    introductionLinks: network.introductionLinks,
    outcomes: network.outcomes,
    outcomeIntroductions: network.outcomeIntroductions,
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
