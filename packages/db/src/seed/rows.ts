// The rows the demo generator produces, one interface per table they are loaded into.
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
import type { AudienceFlag, AudienceSignalScore } from "@intrograph/graph";
import type { StrengthEvidence } from "../strength.ts";

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
  openedAt: Date | null;
  sampledFollowers: number | null;
  inactiveFollowers: number | null;
  suspiciousFollowers: number | null;
  followerSampleAt: Date | null;
  /** Computed from the signals below, never drawn: see `audienceQuality` in @intrograph/graph. */
  audienceQuality: number;
  audienceQualitySignals: AudienceSignalScore[];
  audienceFlags: AudienceFlag[];
  audienceQualityComputedAt: Date;
}
export interface SocialAccountSnapshotRow {
  id: string;
  socialAccountId: string;
  followers: number;
  following: number;
  engagementRate: number;
  at: Date;
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
