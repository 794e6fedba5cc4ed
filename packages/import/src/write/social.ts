// Writes social accounts: each row is an observation of an account's counts. A new (platform, handle) creates the
// account; every observation not already recorded joins its follower-count history; the latest observation becomes
// its current counts; and the audience quality of every account the batch touched is recomputed from its signals.
// Social accounts are shared public records, like people: a partner's file adds to them as an admin's does.
import { rescoreSocialAccounts } from "@intrograph/db/audience";
import { uuidv7 } from "../ids.ts";
import { type Batch, iso, json, NOW_UTC, utc } from "./batch.ts";

export interface SocialAccountInput {
  index: number;
  personId: string;
  platform: string;
  handle: string;
  followers: number;
  following: number;
  engagementRate: number;
  observedAt?: Date;
  openedAt?: Date;
  followerSample?: { sampled: number; inactive: number; suspicious: number };
}

/** Clock skew tolerated for observation times. */
const SKEW_MS = 5 * 60_000;

export async function writeSocialAccounts(batch: Batch, inputs: SocialAccountInput[]): Promise<void> {
  const { now } = batch.state;
  const valid = inputs.filter((input) => {
    if (input.observedAt && input.observedAt.getTime() > now.getTime() + SKEW_MS) {
      batch.reject(input.index, "observedAt: must not be in the future");
      return false;
    }
    return true;
  });
  if (valid.length === 0) return;
  const keyOf = (input: { platform: string; handle: string }) => `${input.platform}:${input.handle}`;
  const existing = await batch.sql.$queryRawUnsafe<{ id: string; personId: string; key: string }[]>(
    `SELECT id::text AS id, "personId"::text AS "personId", platform::text || ':' || handle AS key
     FROM "SocialAccount" WHERE platform::text || ':' || handle = ANY(ARRAY(SELECT json_array_elements_text($1::json)))`,
    json([...new Set(valid.map(keyOf))]),
  );
  const accounts = new Map(existing.map((row) => [row.key, row]));

  const created: SocialAccountInput[] = [];
  const kept: (SocialAccountInput & { accountId: string })[] = [];
  for (const input of valid) {
    const account = accounts.get(keyOf(input));
    if (account && account.personId !== input.personId) {
      batch.reject(input.index, `${input.platform} handle ${input.handle} belongs to another person`);
      continue;
    }
    if (!account) {
      const fresh = { id: uuidv7(), personId: input.personId, key: keyOf(input) };
      accounts.set(fresh.key, fresh);
      created.push({ ...input });
      kept.push({ ...input, accountId: fresh.id });
    } else kept.push({ ...input, accountId: account.id });
  }
  if (kept.length === 0) return;

  // New accounts start from their first row; their counts are set from the history below.
  const firstOfNew = new Map<string, SocialAccountInput & { accountId: string }>();
  for (const row of kept) if (created.some((input) => input.index === row.index)) firstOfNew.set(row.accountId, row);
  if (firstOfNew.size > 0) {
    await batch.sql.$executeRawUnsafe(
      `INSERT INTO "SocialAccount" (id, "personId", platform, handle, followers, following, "engagementRate", "updatedAt")
       SELECT i.id, i."personId", i.platform::"SocialPlatform", i.handle, i.followers, i.following, i."engagementRate", ${NOW_UTC}
       FROM json_to_recordset($1::json) AS i(id uuid, "personId" uuid, platform text, handle text, followers int,
         following int, "engagementRate" double precision)`,
      json(
        [...firstOfNew.values()].map((row) => ({
          id: row.accountId,
          personId: row.personId,
          platform: row.platform,
          handle: row.handle,
          followers: row.followers,
          following: row.following,
          engagementRate: row.engagementRate,
        })),
      ),
    );
  }

  // Observations already in the history (the same account, moment and counts) are not added again: a re-import of the
  // same file changes nothing. A row without observedAt is "now", and only counts as new when the counts changed.
  const observationKey = (row: (typeof kept)[number]) =>
    `${row.accountId}|${iso(row.observedAt)}|${row.followers}|${row.following}|${row.engagementRate}`;
  const firstIndexOf = new Map<string, number>();
  for (const row of kept) if (!firstIndexOf.has(observationKey(row))) firstIndexOf.set(observationKey(row), row.index);
  const observations = kept
    .filter((row) => firstIndexOf.get(observationKey(row)) === row.index)
    .map((row) => ({
      index: row.index,
      id: uuidv7(),
      socialAccountId: row.accountId,
      at: iso(row.observedAt),
      followers: row.followers,
      following: row.following,
      engagementRate: row.engagementRate,
    }));
  const inserted = await batch.sql.$queryRawUnsafe<{ id: string; socialAccountId: string }[]>(
    `INSERT INTO "SocialAccountSnapshot" (id, "socialAccountId", followers, following, "engagementRate", at)
     SELECT i.id, i."socialAccountId", i.followers, i.following, i."engagementRate", COALESCE(${utc("i.at")}, ${NOW_UTC})
     FROM json_to_recordset($1::json) AS i(id uuid, "socialAccountId" uuid, at timestamptz, followers int,
       following int, "engagementRate" double precision)
     WHERE NOT EXISTS (
       SELECT 1 FROM "SocialAccountSnapshot" s
       WHERE s."socialAccountId" = i."socialAccountId" AND s.followers = i.followers AND s.following = i.following
         AND s."engagementRate" = i."engagementRate"
         AND (s.at = ${utc("i.at")} OR (i.at IS NULL AND s.at = (
           SELECT max(l.at) FROM "SocialAccountSnapshot" l WHERE l."socialAccountId" = i."socialAccountId"))))
     RETURNING id::text AS id, "socialAccountId"::text AS "socialAccountId"`,
    json(observations),
  );
  const indexOfSnapshot = new Map(observations.map((observation) => [observation.id, observation.index]));
  const addedIndexes = new Set(inserted.map((row) => indexOfSnapshot.get(row.id)));

  // Opening dates and follower samples are facts about the account, not observations: set when given and different.
  const facts = kept.filter((row) => row.openedAt || row.followerSample);
  const factsChanged = await batch.sql.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "SocialAccount" a SET
       "openedAt" = COALESCE(${utc("i.opened")}, a."openedAt"),
       "sampledFollowers" = COALESCE(i.sampled, a."sampledFollowers"),
       "inactiveFollowers" = COALESCE(i.inactive, a."inactiveFollowers"),
       "suspiciousFollowers" = COALESCE(i.suspicious, a."suspiciousFollowers"),
       "followerSampleAt" = CASE WHEN i.sampled IS NULL THEN a."followerSampleAt"
                                 ELSE COALESCE(${utc("i.at")}, ${NOW_UTC}) END
     FROM json_to_recordset($1::json) AS i(id uuid, opened timestamptz, sampled int, inactive int, suspicious int,
       at timestamptz)
     WHERE a.id = i.id AND (
       a."openedAt" IS DISTINCT FROM COALESCE(${utc("i.opened")}, a."openedAt")
       OR a."sampledFollowers" IS DISTINCT FROM COALESCE(i.sampled, a."sampledFollowers")
       OR a."inactiveFollowers" IS DISTINCT FROM COALESCE(i.inactive, a."inactiveFollowers")
       OR a."suspiciousFollowers" IS DISTINCT FROM COALESCE(i.suspicious, a."suspiciousFollowers"))
     RETURNING a.id::text AS id`,
    json(
      facts.map((row) => ({
        id: row.accountId,
        opened: iso(row.openedAt),
        sampled: row.followerSample?.sampled ?? null,
        inactive: row.followerSample?.inactive ?? null,
        suspicious: row.followerSample?.suspicious ?? null,
        at: iso(row.observedAt),
      })),
    ),
  );

  const touched = new Set([...inserted.map((row) => row.socialAccountId), ...factsChanged.map((row) => row.id)]);
  if (touched.size > 0) {
    // The current counts are the latest observation's.
    await batch.sql.$executeRawUnsafe(
      `UPDATE "SocialAccount" a SET followers = l.followers, following = l.following,
              "engagementRate" = l."engagementRate", "updatedAt" = ${NOW_UTC},
              version = a.version + CASE WHEN a.id = ANY(ARRAY(SELECT json_array_elements_text($2::json)::uuid))
                                         THEN 0 ELSE 1 END
       FROM (SELECT DISTINCT ON ("socialAccountId") "socialAccountId", followers, following, "engagementRate"
             FROM "SocialAccountSnapshot"
             WHERE "socialAccountId" = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid))
             ORDER BY "socialAccountId", at DESC, id DESC) l
       WHERE a.id = l."socialAccountId"`,
      json([...touched]),
      json([...firstOfNew.keys()]),
    );
    await rescoreSocialAccounts(batch.sql, [...touched], now);
  }
  const newIds = new Set(firstOfNew.keys());
  for (const row of kept) {
    const changed = addedIndexes.has(row.index) || factsChanged.some((fact) => fact.id === row.accountId);
    batch.mark(row.index, newIds.has(row.accountId) ? "created" : changed ? "updated" : "unchanged");
  }
  const updated = [...touched].filter((id) => !newIds.has(id)).length;
  batch.count("socialAccounts", newIds.size, updated);
}
