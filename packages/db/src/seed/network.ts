// The demo network while it is being generated: the two seeded streams (draws and ids), the rows made so far, and the
// helpers the generation steps share, so a membership, a tie or a partner's external id is made the same way by every
// step. Each step draws from the one stream in turn: the order of the steps is part of the output.
import type { RelationshipKind } from "../generated/prisma/enums.ts";
import { DECISION_MAKER_TITLES, STAFF_TITLES, type TOPICS } from "./names.ts";
import { Random, uuidV7Factory } from "./random.ts";
import { slug } from "./text.ts";
import type {
  IntroductionLinkRow,
  IntroductionRow,
  MembershipRow,
  OrganizationRow,
  OutcomeIntroductionRow,
  OutcomeRow,
  PartnerRow,
  PersonRow,
} from "./rows.ts";

/** Base time of the generated v7 ids. */
const ID_BASE_TIME = new Date("2026-10-01T00:00:00.000Z");
const DAY_MS = 86_400_000;
// A pair of people indexes as one map key; holds while there are fewer than 2^20 people.
const KEY_BASE = 1 << 20;

export const date = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
export const addDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);
export const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

export function uniqueList<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

export interface OrgInfo {
  index: number;
  row: OrganizationRow;
  topic: (typeof TOPICS)[number];
  city: string;
  /** People ever at the org, in joining order. */
  members: number[];
}

export interface PersonInfo {
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

export interface Edge {
  a: number;
  b: number;
  kind: RelationshipKind;
  /** Set for ties that began with an introduction: interactions start then. */
  startedAt: Date | null;
  partnerIndex: number | null;
  profile: "active" | "dormant" | "light";
}

/** Who plays which part, as people indexes; each list keeps the order it was drawn in. */
export interface Cast {
  /** Regular people and super-connectors: everyone with a real network. */
  regulars: number[];
  decisionMakers: number[];
  superConnectors: number[];
  influencers: number[];
}

export class DemoNetwork {
  readonly random: Random;
  readonly newId: () => string;
  readonly organizations: OrgInfo[] = [];
  readonly partners: PartnerRow[] = [];
  readonly people: PersonInfo[] = [];
  readonly memberships: MembershipRow[] = [];
  /** Ties in the order they were made; relationship rows and their ids follow this order. */
  readonly edgeList: Edge[] = [];
  readonly introductions: IntroductionRow[] = [];
  readonly introductionLinks: IntroductionLinkRow[] = [];
  readonly outcomes: OutcomeRow[] = [];
  readonly outcomeIntroductions: OutcomeIntroductionRow[] = [];

  private readonly personIndexById = new Map<string, number>();
  private readonly usedProfileUrls = new Set<string>();
  private readonly decisionMakerTitlesUsed = new Map<number, Set<string>>();
  private readonly edges = new Map<number, Edge>();
  private readonly neighbors: number[][] = [];
  private readonly externalCounters = [0, 0];

  constructor(
    seed: number,
    readonly scale: number,
    /** The fixed "now" the dates and strengths are generated against. */
    readonly now: Date,
  ) {
    this.random = new Random(seed);
    this.newId = uuidV7Factory(seed, ID_BASE_TIME);
  }

  /** `count` at scale 1, in proportion at other scales, never below `minimum`. */
  scaled(count: number, minimum = 1): number {
    return Math.max(minimum, Math.round(count * this.scale));
  }

  addPerson(person: Omit<PersonInfo, "index">): PersonInfo {
    const added: PersonInfo = { ...person, index: this.people.length };
    this.people.push(added);
    this.personIndexById.set(added.row.id, added.index);
    return added;
  }

  personIndex(id: string): number {
    const index = this.personIndexById.get(id);
    if (index === undefined) throw new RangeError(`no generated person ${id}`);
    return index;
  }

  /** Regular people and super-connectors, as opposed to influencers and planted duplicates. */
  isRegular(i: number): boolean {
    return this.people[i]!.role === "regular" || this.people[i]!.role === "superConnector";
  }

  organizationOf(i: number): OrgInfo | null {
    const primaryOrg = this.people[i]!.primaryOrg;
    return primaryOrg === null ? null : this.organizations[primaryOrg]!;
  }

  /** A LinkedIn-style profile URL, unique among the generated people. */
  profileUrlFor(first: string, last: string): string {
    let url = `https://www.linkedin.com/in/${slug(first, "-")}-${slug(last, "-")}`;
    while (this.usedProfileUrls.has(url))
      url = `https://www.linkedin.com/in/${slug(first, "-")}-${slug(last, "-")}-${this.random.int(0xfffff).toString(16)}`;
    this.usedProfileUrls.add(url);
    return url;
  }

  /** Records a job or community membership; each decision maker of an organization gets a title of their own. */
  addMembership(person: PersonInfo, org: OrgInfo, since: Date, until: Date | null, decisionMaker: boolean): string {
    const kind = org.row.kind;
    let title: string;
    if (decisionMaker) {
      const used = this.decisionMakerTitlesUsed.get(org.index) ?? new Set<string>();
      this.decisionMakerTitlesUsed.set(org.index, used);
      const titles = DECISION_MAKER_TITLES[kind];
      title = titles.find((candidate) => !used.has(candidate)) ?? this.random.pick(titles);
      used.add(title);
    } else {
      title = this.random.pick(STAFF_TITLES[kind]);
    }
    org.members.push(person.index);
    this.memberships.push({
      id: this.newId(),
      personId: person.row.id,
      organizationId: org.row.id,
      title,
      isDecisionMaker: decisionMaker,
      since,
      until,
    });
    return title;
  }

  /** Ties two people unless they already are; a tie without a given profile draws one. */
  addEdge(i: number, j: number, kind: RelationshipKind, extra: Partial<Edge> = {}): boolean {
    if (i === j || this.adjacent(i, j)) return false;
    const profile =
      extra.profile ??
      this.random.weighted([
        ["active", 55],
        ["dormant", 20],
        ["light", 25],
      ] as const);
    const edge: Edge = { a: i, b: j, kind, startedAt: null, partnerIndex: null, ...extra, profile };
    this.edges.set(edgeKey(i, j), edge);
    this.edgeList.push(edge);
    this.neighbors[i] ??= [];
    this.neighbors[i].push(j);
    this.neighbors[j] ??= [];
    this.neighbors[j].push(i);
    return true;
  }

  adjacent(i: number, j: number): boolean {
    return this.edges.has(edgeKey(i, j));
  }

  neighborsOf(i: number): number[] {
    return this.neighbors[i] ?? [];
  }

  /** The partner's own id for a record it reported, numbered per partner: `<slug>-<kind>-000001`. */
  nextExternalId(partnerIndex: number, kind: string): string {
    const counter = (this.externalCounters[partnerIndex] ?? 0) + 1;
    this.externalCounters[partnerIndex] = counter;
    return `${this.partners[partnerIndex]!.slug}-${kind}-${String(counter).padStart(6, "0")}`;
  }
}

function edgeKey(i: number, j: number): number {
  return i < j ? i * KEY_BASE + j : j * KEY_BASE + i;
}
