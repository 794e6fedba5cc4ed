// Writes one batch of parsed records in dependency order (organizations and people before the ties, introductions
// before outcomes), resolving each row's references first and rejecting the rows whose references do not resolve.
import { deterministicId } from "../ids.ts";
import type {
  ImportRecord,
  InteractionRecord,
  IntroductionRecord,
  LinkedInConnectionRecord,
  MembershipRecord,
  OrganizationRecord,
  OutcomeRecord,
  PersonRecord,
  PersonRef,
  RecordType,
  RelationshipRecord,
  SocialAccountRecord,
} from "../records.ts";
import { type Batch, type BatchRow, importedId } from "./batch.ts";
import { writeIntroductions, writeOutcomes } from "./introductions.ts";
import { writeOrganizations, writePeople } from "./people.ts";
import {
  describeOrganizationRef,
  describePersonRef,
  organizationRefKey,
  personRefKey,
  resolveOrganizations,
  resolvePeople,
} from "./resolve.ts";
import { writeSocialAccounts } from "./social.ts";
import { canonicalPair, writeInteractions, writeMemberships, writeRelationships } from "./ties.ts";

type RowsOf<T extends RecordType> = BatchRow<Extract<ImportRecord, { type: T }>>[];

export async function writeRecords(batch: Batch, rows: BatchRow[]): Promise<void> {
  const of = <T extends RecordType>(type: T) => rows.filter((row) => row.record.type === type) as RowsOf<T>;
  await writeOrganizationRows(batch, of("organization"));
  await writePersonRows(batch, of("person"));
  await writeLinkedInRows(batch, of("linkedinConnection"));
  await writeMembershipRows(batch, of("membership"));
  await writeRelationshipRows(batch, of("relationship"));
  await writeInteractionRows(batch, of("interaction"));
  await writeIntroductionRows(batch, of("introduction"));
  await writeOutcomeRows(batch, of("outcome"));
  await writeSocialAccountRows(batch, of("socialAccount"));
}

async function writeSocialAccountRows(batch: Batch, rows: BatchRow<SocialAccountRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  const people = await withPeople(batch, rows, (record) => [record.person]);
  await writeSocialAccounts(
    batch,
    people.map(({ row, ids }) => {
      const { person: _person, type: _type, ...record } = row.record;
      return { index: row.index, personId: ids[0]!, ...record };
    }),
  );
}

async function writeOrganizationRows(batch: Batch, rows: BatchRow<OrganizationRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  await writeOrganizations(
    batch,
    rows.map(({ index, record }) => ({
      index,
      detId: importedId(batch.state, "organization", record.fileId),
      fileKey: `organization:${record.fileId}`,
      name: record.name,
      kind: record.kind,
      domain: record.domain,
      description: record.description,
    })),
  );
}

async function writePersonRows(batch: Batch, rows: BatchRow<PersonRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  await writePeople(
    batch,
    rows.map(({ index, record }) => ({
      index,
      detId: importedId(batch.state, "person", record.fileId),
      fileKey: `person:${record.fileId}`,
      displayName: record.displayName,
      email: record.email,
      profileUrl: record.profileUrl,
      headline: record.headline,
      location: record.location,
      topics: record.topics,
    })),
  );
}

/** A LinkedIn connection is a person, maybe an organization and a membership, and a relationship with the owner. */
async function writeLinkedInRows(batch: Batch, rows: BatchRow<LinkedInConnectionRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  const owner = batch.state.owner;
  if (!owner) throw new Error("a LinkedIn import needs an owner");
  const personIds = await writePeople(
    batch,
    rows.map(({ index, record }) => ({
      index,
      // Keyed by what LinkedIn gives: the profile URL, else the email, else the name within this owner's network.
      detId: record.profileUrl
        ? deterministicId("person-url", record.profileUrl)
        : record.email
          ? deterministicId("person-email", record.email)
          : deterministicId("linkedin-connection", owner.id, record.displayName.toLowerCase()),
      displayName: record.displayName,
      email: record.email,
      profileUrl: record.profileUrl,
    })),
  );
  const withCompany = rows.filter((row) => row.record.company);
  const organizationIds = await writeOrganizations(
    batch,
    withCompany.map(({ index, record }) => ({
      index,
      detId: deterministicId("organization-name", record.company!.toLowerCase()),
      name: record.company!,
    })),
  );
  await writeMemberships(
    batch,
    withCompany.map(({ index, record }) => ({
      index,
      personId: personIds.get(index)!,
      organizationId: organizationIds.get(index)!,
      title: record.position,
    })),
  );
  const relationships = [];
  for (const { index, record } of rows) {
    const pair = canonicalPair(owner.id, personIds.get(index)!);
    if (!pair) {
      batch.reject(index, "the connection is the owner themselves");
      continue;
    }
    const organizationId = organizationIds.get(index);
    relationships.push({
      index,
      personAId: pair[0],
      personBId: pair[1],
      kind: organizationId && owner.organizationIds.has(organizationId) ? "COLLEAGUE" : "OTHER",
      since: record.connectedOn,
    });
  }
  await writeRelationships(batch, relationships);
}

/** Resolves the named person references of each row; rows with an unknown one are rejected and left out. */
async function withPeople<R extends ImportRecord>(
  batch: Batch,
  rows: BatchRow<R>[],
  refsOf: (record: R) => (PersonRef | undefined)[],
): Promise<{ row: BatchRow<R>; ids: (string | undefined)[] }[]> {
  const resolved = await resolvePeople(
    batch,
    rows.flatMap((row) => refsOf(row.record).filter((ref): ref is PersonRef => ref !== undefined)),
  );
  const kept = [];
  for (const row of rows) {
    const refs = refsOf(row.record);
    const unknown = refs.find((ref) => ref !== undefined && !resolved.has(personRefKey(ref)));
    if (unknown) {
      batch.reject(row.index, `unknown ${describePersonRef(unknown)}`);
      continue;
    }
    kept.push({ row, ids: refs.map((ref) => (ref === undefined ? undefined : resolved.get(personRefKey(ref)))) });
  }
  return kept;
}

async function withOrganization<R extends ImportRecord>(
  batch: Batch,
  rows: { row: BatchRow<R>; ids: (string | undefined)[] }[],
  refOf: (record: R) => import("../records.ts").OrganizationRef | undefined,
): Promise<{ row: BatchRow<R>; ids: (string | undefined)[]; organizationId: string | undefined }[]> {
  const refs = rows.map(({ row }) => refOf(row.record)).filter((ref) => ref !== undefined);
  const resolved = refs.length > 0 ? await resolveOrganizations(batch, refs) : new Map<string, string>();
  const kept = [];
  for (const entry of rows) {
    const ref = refOf(entry.row.record);
    const organizationId = ref === undefined ? undefined : resolved.get(organizationRefKey(ref));
    if (ref !== undefined && organizationId === undefined) {
      batch.reject(entry.row.index, `unknown ${describeOrganizationRef(ref)}`);
      continue;
    }
    kept.push({ ...entry, organizationId });
  }
  return kept;
}

async function writeMembershipRows(batch: Batch, rows: BatchRow<MembershipRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  const people = await withPeople(batch, rows, (record) => [record.person]);
  const resolved = await withOrganization(batch, people, (record) => record.organization);
  await writeMemberships(
    batch,
    resolved.map(({ row, ids, organizationId }) => ({
      index: row.index,
      personId: ids[0]!,
      organizationId: organizationId!,
      title: row.record.title,
      isDecisionMaker: row.record.isDecisionMaker,
      since: row.record.since,
      until: row.record.until,
    })),
  );
}

async function writeRelationshipRows(batch: Batch, rows: BatchRow<RelationshipRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  const inputs = [];
  for (const { row, ids } of await withPeople(batch, rows, (record) => [record.personA, record.personB])) {
    const pair = canonicalPair(ids[0]!, ids[1]!);
    if (!pair) {
      batch.reject(row.index, "personA and personB are the same person");
      continue;
    }
    inputs.push({
      index: row.index,
      personAId: pair[0],
      personBId: pair[1],
      kind: row.record.kind,
      since: row.record.since,
    });
  }
  await writeRelationships(batch, inputs);
}

async function writeInteractionRows(batch: Batch, rows: BatchRow<InteractionRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  const { source } = batch.state;
  const inputs = [];
  for (const { row, ids } of await withPeople(batch, rows, (r) => [r.personA, r.personB, r.initiatedBy])) {
    const pair = canonicalPair(ids[0]!, ids[1]!);
    if (!pair) {
      batch.reject(row.index, "personA and personB are the same person");
      continue;
    }
    const { record } = row;
    inputs.push({
      index: row.index,
      id: importedId(batch.state, "interaction", record.fileId),
      externalId: `import:${source}:${record.fileId}`,
      personAId: pair[0],
      personBId: pair[1],
      kind: record.kind,
      occurredAt: record.occurredAt,
      weight: record.weight,
      initiatedById: ids[2],
      note: record.note,
    });
  }
  await writeInteractions(batch, inputs);
}

async function writeIntroductionRows(batch: Batch, rows: BatchRow<IntroductionRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  const { source } = batch.state;
  const introductionId = (fileId: string) => ({ id: importedId(batch.state, "introduction", fileId), fileId });
  const people = await withPeople(batch, rows, (record) => [record.connector, record.from, record.to]);
  const inputs = [];
  for (const { row, ids, organizationId } of await withOrganization(batch, people, (record) => record.organization)) {
    const [connectorId, fromId, toId] = ids as [string, string, string];
    if (connectorId === fromId || connectorId === toId || fromId === toId) {
      batch.reject(row.index, "connector, from and to must be three different people");
      continue;
    }
    const { record } = row;
    inputs.push({
      index: row.index,
      line: row.line,
      ...introductionId(record.fileId),
      externalId: `import:${source}:${record.fileId}`,
      connectorId,
      fromId,
      toId,
      organizationId,
      channel: record.channel,
      status: record.status,
      occurredAt: record.occurredAt,
      fromConsentedAt: record.fromConsentedAt,
      toConsentedAt: record.toConsentedAt,
      consentNote: record.consentNote,
      note: record.note,
      ledFrom: record.ledFrom.map(introductionId),
      ledTo: record.ledTo.map(introductionId),
    });
  }
  await writeIntroductions(batch, inputs);
}

async function writeOutcomeRows(batch: Batch, rows: BatchRow<OutcomeRecord>[]): Promise<void> {
  if (rows.length === 0) return;
  const { source } = batch.state;
  const resolved = await withOrganization(
    batch,
    rows.map((row) => ({ row, ids: [] })),
    (record) => record.organization,
  );
  await writeOutcomes(
    batch,
    resolved.map(({ row, organizationId }) => ({
      index: row.index,
      line: row.line,
      id: importedId(batch.state, "outcome", row.record.fileId),
      externalId: `import:${source}:${row.record.fileId}`,
      kind: row.record.kind,
      title: row.record.title,
      description: row.record.description,
      value: row.record.value,
      currency: row.record.currency,
      occurredAt: row.record.occurredAt,
      organizationId,
      introductions: row.record.introductions.map((fileId) => ({
        id: importedId(batch.state, "introduction", fileId),
        fileId,
      })),
    })),
  );
}
