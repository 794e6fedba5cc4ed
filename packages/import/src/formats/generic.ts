// intrograph's generic import format (see README.md): one entity type per CSV file, or JSON lines whose `type` field
// says what each line is. Rows carry the exporting system's own `id`, which later rows use as references.
import {
  InteractionKind,
  IntroductionChannel,
  IntroductionStatus,
  OrganizationKind,
  OutcomeKind,
  RelationshipKind,
  SocialPlatform,
} from "@intrograph/db/prisma";
import { normalizeSocialHandle, SOCIAL_HANDLE_RULE } from "@intrograph/db/audience";
import { currencyMinorUnits } from "@intrograph/ledger";
import { RowError, type ImportRecord } from "../records.ts";
import {
  boolean,
  count,
  date,
  enumValue,
  type Fields,
  list,
  normalizeDomain,
  normalizeEmail,
  normalizeProfileUrl,
  organizationRef,
  personRef,
  positiveNumber,
  requiredCount,
  requiredDate,
  requiredOrganizationRef,
  requiredPersonRef,
  requiredShare,
  requiredText,
  text,
} from "./fields.ts";

export const genericTypes = [
  "people",
  "organizations",
  "memberships",
  "relationships",
  "interactions",
  "introductions",
  "outcomes",
  "socialAccounts",
] as const;
export type GenericType = (typeof genericTypes)[number];

const typeAliases: Record<string, GenericType> = {
  person: "people",
  people: "people",
  organization: "organizations",
  organizations: "organizations",
  membership: "memberships",
  memberships: "memberships",
  relationship: "relationships",
  relationships: "relationships",
  interaction: "interactions",
  interactions: "interactions",
  introduction: "introductions",
  introductions: "introductions",
  outcome: "outcomes",
  outcomes: "outcomes",
  socialaccount: "socialAccounts",
  socialaccounts: "socialAccounts",
};

/** Parses one generic row; `type` is the file's type, or undefined when each row names its own. */
export function parseGenericRow(fields: Fields, type: GenericType | undefined): ImportRecord {
  if (typeof fields.__error === "string") throw new RowError(fields.__error);
  const rowType = type ?? typeAliases[(text(fields, "type") ?? "").toLowerCase().replace(/[\s_-]/g, "")];
  if (!rowType) throw new RowError(`type: required, one of ${genericTypes.join(", ")}`);
  switch (rowType) {
    case "people": {
      const email = text(fields, "email");
      const profileUrl = text(fields, "profileUrl");
      return {
        type: "person",
        fileId: requiredText(fields, "id"),
        displayName: requiredText(fields, "displayName"),
        email: email === undefined ? undefined : checkedEmail(email),
        profileUrl: profileUrl === undefined ? undefined : normalizeProfileUrl(profileUrl),
        headline: text(fields, "headline"),
        location: text(fields, "location"),
        topics: list(fields, "topics"),
      };
    }
    case "organizations": {
      const domain = text(fields, "domain");
      return {
        type: "organization",
        fileId: requiredText(fields, "id"),
        name: requiredText(fields, "name"),
        kind: enumValue(fields, "kind", OrganizationKind),
        domain: domain === undefined ? undefined : normalizeDomain(domain),
        description: text(fields, "description"),
      };
    }
    case "memberships":
      return {
        type: "membership",
        person: requiredPersonRef(fields, "person"),
        organization: requiredOrganizationRef(fields, "organization"),
        title: text(fields, "title"),
        isDecisionMaker: boolean(fields, "isDecisionMaker"),
        since: date(fields, "since"),
        until: date(fields, "until"),
      };
    case "relationships":
      return {
        type: "relationship",
        personA: requiredPersonRef(fields, "personA"),
        personB: requiredPersonRef(fields, "personB"),
        kind: enumValue(fields, "kind", RelationshipKind),
        since: date(fields, "since"),
      };
    case "interactions":
      return {
        type: "interaction",
        fileId: requiredText(fields, "id"),
        personA: requiredPersonRef(fields, "personA"),
        personB: requiredPersonRef(fields, "personB"),
        kind: enumValue(fields, "kind", InteractionKind) ?? missing("kind"),
        occurredAt: requiredDate(fields, "occurredAt"),
        weight: positiveNumber(fields, "weight"),
        initiatedBy: personRef(fields, "initiatedBy"),
        note: text(fields, "note"),
      };
    case "introductions":
      return {
        type: "introduction",
        fileId: requiredText(fields, "id"),
        connector: requiredPersonRef(fields, "connector"),
        from: requiredPersonRef(fields, "from"),
        to: requiredPersonRef(fields, "to"),
        organization: organizationRef(fields, "organization"),
        channel: enumValue(fields, "channel", IntroductionChannel),
        status: enumValue(fields, "status", IntroductionStatus),
        occurredAt: requiredDate(fields, "occurredAt"),
        fromConsentedAt: date(fields, "fromConsentedAt"),
        toConsentedAt: date(fields, "toConsentedAt"),
        consentNote: text(fields, "consentNote"),
        note: text(fields, "note"),
        ledFrom: list(fields, "ledFrom") ?? [],
        ledTo: list(fields, "ledTo") ?? [],
      };
    case "outcomes": {
      const value = requiredText(fields, "value");
      if (!/^\d{1,20}(\.\d{1,4})?$/.test(value)) throw new RowError(`value: "${value}" is not a non-negative decimal`);
      const currency = requiredText(fields, "currency").toUpperCase();
      const minorUnits = currencyMinorUnits(currency);
      if (minorUnits === undefined) throw new RowError(`currency: "${currency}" is not an ISO 4217 currency code`);
      if ((value.split(".")[1]?.replace(/0+$/, "").length ?? 0) > minorUnits) {
        throw new RowError(`value: "${value}" is finer than ${currency}'s minor unit (${minorUnits} decimals)`);
      }
      return {
        type: "outcome",
        fileId: requiredText(fields, "id"),
        kind: enumValue(fields, "kind", OutcomeKind) ?? missing("kind"),
        title: requiredText(fields, "title"),
        description: text(fields, "description"),
        value,
        currency,
        occurredAt: requiredDate(fields, "occurredAt"),
        organization: organizationRef(fields, "organization"),
        introductions: list(fields, "introductions") ?? [],
      };
    }
    case "socialAccounts":
      return socialAccountRecord(fields);
  }
}

function socialAccountRecord(fields: Fields): ImportRecord {
  const handle = normalizeSocialHandle(requiredText(fields, "handle"));
  if (handle === null) throw new RowError(`handle: ${SOCIAL_HANDLE_RULE}`);
  const sampled = count(fields, "sampledFollowers");
  const inactive = count(fields, "inactiveFollowers");
  const suspicious = count(fields, "suspiciousFollowers");
  const sampleParts = [sampled, inactive, suspicious].filter((part) => part !== undefined).length;
  if (sampleParts !== 0 && sampleParts !== 3)
    throw new RowError("sampledFollowers, inactiveFollowers, suspiciousFollowers: all three or none");
  if (sampled !== undefined && (sampled < 1 || inactive! + suspicious! > sampled))
    throw new RowError("inactiveFollowers + suspiciousFollowers must not exceed sampledFollowers (at least 1)");
  return {
    type: "socialAccount",
    person: requiredPersonRef(fields, "person"),
    platform: enumValue(fields, "platform", SocialPlatform) ?? missing("platform"),
    handle,
    followers: requiredCount(fields, "followers"),
    following: requiredCount(fields, "following"),
    engagementRate: requiredShare(fields, "engagementRate"),
    observedAt: date(fields, "observedAt"),
    openedAt: date(fields, "openedAt"),
    followerSample: sampled === undefined ? undefined : { sampled, inactive: inactive!, suspicious: suspicious! },
  };
}

function checkedEmail(value: string): string {
  if (!/^[^\s@]+@[^\s@]+$/.test(value)) throw new RowError(`email: "${value}" is not an email address`);
  return normalizeEmail(value);
}

function missing(name: string): never {
  throw new RowError(`${name}: required`);
}
