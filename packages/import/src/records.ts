// The typed records every input format is parsed into, and the references between them. Writers only ever see these,
// so the LinkedIn and generic formats share one write path.

/** A person named by the importing file: its own row id, a profile URL or an exact email. */
export type PersonRef = { kind: "file"; id: string } | { kind: "url"; url: string } | { kind: "email"; email: string };

/** An organization named by the importing file: its own row id, a web domain or a name (case-insensitive). */
export type OrganizationRef =
  | { kind: "file"; id: string }
  | { kind: "domain"; domain: string }
  | { kind: "name"; name: string };

// Optional fields left undefined mean "not in the file": an update keeps what the database has.

export interface PersonRecord {
  type: "person";
  fileId: string;
  displayName: string;
  email?: string;
  profileUrl?: string;
  headline?: string;
  location?: string;
  topics?: string[];
}

export interface OrganizationRecord {
  type: "organization";
  fileId: string;
  name: string;
  kind?: string;
  domain?: string;
  description?: string;
}

export interface MembershipRecord {
  type: "membership";
  person: PersonRef;
  organization: OrganizationRef;
  title?: string;
  isDecisionMaker?: boolean;
  since?: Date;
  until?: Date;
}

export interface RelationshipRecord {
  type: "relationship";
  personA: PersonRef;
  personB: PersonRef;
  kind?: string;
  since?: Date;
}

export interface InteractionRecord {
  type: "interaction";
  fileId: string;
  personA: PersonRef;
  personB: PersonRef;
  kind: string;
  occurredAt: Date;
  weight?: number;
  initiatedBy?: PersonRef;
  note?: string;
}

export interface IntroductionRecord {
  type: "introduction";
  fileId: string;
  connector: PersonRef;
  from: PersonRef;
  to: PersonRef;
  organization?: OrganizationRef;
  channel?: string;
  status?: string;
  occurredAt: Date;
  fromConsentedAt?: Date;
  toConsentedAt?: Date;
  consentNote?: string;
  note?: string;
  /** File ids of the earlier introductions this one grew out of. */
  ledFrom: string[];
  /** File ids of the later introductions that grew out of this one. */
  ledTo: string[];
}

export interface OutcomeRecord {
  type: "outcome";
  fileId: string;
  kind: string;
  title: string;
  description?: string;
  /** Decimal as text: money never goes through a float. */
  value: string;
  currency: string;
  occurredAt: Date;
  organization?: OrganizationRef;
  /** File ids of the introductions that led to it. */
  introductions: string[];
}

/**
 * A social account's counts as observed at one moment. Several rows may name the same account (platform, handle): each
 * is a point of its follower-count history, and the latest is its current counts.
 */
export interface SocialAccountRecord {
  type: "socialAccount";
  person: PersonRef;
  platform: string;
  /** Normalized: no "@", lower case. */
  handle: string;
  followers: number;
  following: number;
  engagementRate: number;
  observedAt?: Date;
  openedAt?: Date;
  followerSample?: { sampled: number; inactive: number; suspicious: number };
}

/** One row of LinkedIn's Connections.csv: a connection of the import's owner. */
export interface LinkedInConnectionRecord {
  type: "linkedinConnection";
  displayName: string;
  profileUrl?: string;
  email?: string;
  company?: string;
  position?: string;
  connectedOn?: Date;
}

export type ImportRecord =
  | PersonRecord
  | OrganizationRecord
  | MembershipRecord
  | RelationshipRecord
  | InteractionRecord
  | IntroductionRecord
  | OutcomeRecord
  | SocialAccountRecord
  | LinkedInConnectionRecord;

export type RecordType = ImportRecord["type"];

/** A row that could not be turned into a record, or whose record could not be written. */
export class RowError extends Error {
  override name = "RowError";
}
