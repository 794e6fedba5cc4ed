// Recomputes and stores the audience quality of social accounts from their counts, history and follower sample: the
// one step the API's writes and the importer share. Cheap and per account (its latest observations only), so every
// write keeps the score current. Raw SQL so a Prisma transaction and the importer's SQL runner can both run it.
import { audienceQuality } from "@intrograph/graph";

/** The part of a Prisma (transaction) client this needs. */
export interface AudienceSqlRunner {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** The score reads at most this many latest observations: years of monthly counts, bounded per write. */
export const HISTORY_SCORED = 400;

interface AccountSignalsRow {
  id: string;
  followers: number;
  following: number;
  engagementRate: number;
  openedAt: Date | null;
  sampledFollowers: number | null;
  inactiveFollowers: number | null;
  suspiciousFollowers: number | null;
}

interface ObservationRow {
  socialAccountId: string;
  at: Date;
  followers: number;
  following: number;
  engagementRate: number;
}

// Timestamps are timestamp(3) holding UTC, as Prisma writes them.
const asUtc = (column: string) => `(${column} AT TIME ZONE 'UTC')`;

export async function rescoreSocialAccounts(sql: AudienceSqlRunner, ids: readonly string[], asOf: Date): Promise<void> {
  if (ids.length === 0) return;
  const idList = JSON.stringify([...new Set(ids)]);
  const accounts = await sql.$queryRawUnsafe<AccountSignalsRow[]>(
    `SELECT id::text AS id, followers, following, "engagementRate", ${asUtc(`"openedAt"`)} AS "openedAt",
            "sampledFollowers", "inactiveFollowers", "suspiciousFollowers"
     FROM "SocialAccount" WHERE id = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid))`,
    idList,
  );
  const observations = await sql.$queryRawUnsafe<ObservationRow[]>(
    `SELECT "socialAccountId", at, followers, following, "engagementRate" FROM (
       SELECT "socialAccountId"::text AS "socialAccountId", ${asUtc("at")} AS at, followers, following,
              "engagementRate", row_number() OVER (PARTITION BY "socialAccountId" ORDER BY at DESC, id DESC) AS n
       FROM "SocialAccountSnapshot"
       WHERE "socialAccountId" = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid))
     ) latest WHERE n <= ${HISTORY_SCORED}`,
    idList,
  );
  const historyOf = new Map<string, ObservationRow[]>();
  for (const observation of observations) {
    const list = historyOf.get(observation.socialAccountId) ?? [];
    list.push(observation);
    historyOf.set(observation.socialAccountId, list);
  }
  const scored = accounts.map((account) => {
    const result = audienceQuality({
      followers: account.followers,
      following: account.following,
      engagementRate: account.engagementRate,
      openedAt: account.openedAt ? new Date(account.openedAt) : null,
      history: (historyOf.get(account.id) ?? []).map((observation) => ({
        ...observation,
        at: new Date(observation.at),
      })),
      followerSample:
        account.sampledFollowers != null
          ? {
              sampled: account.sampledFollowers,
              inactive: account.inactiveFollowers ?? 0,
              suspicious: account.suspiciousFollowers ?? 0,
            }
          : null,
      asOf,
    });
    return { id: account.id, score: result.score, signals: result.signals, flags: result.flags };
  });
  await sql.$executeRawUnsafe(
    `UPDATE "SocialAccount" a SET "audienceQuality" = s.score, "audienceQualitySignals" = s.signals,
            "audienceFlags" = s.flags, "audienceQualityComputedAt" = $2::timestamptz AT TIME ZONE 'UTC'
     FROM json_to_recordset($1::json) AS s(id uuid, score double precision, signals jsonb, flags jsonb)
     WHERE a.id = s.id`,
    JSON.stringify(scored),
    asOf.toISOString(),
  );
}

/** Handles are compared without "@" and case, as the platforms do; null when the rest is not a handle. */
export function normalizeSocialHandle(value: string): string | null {
  const handle = value.trim().replace(/^@/, "").toLowerCase();
  return /^[a-z0-9._-]{1,100}$/.test(handle) ? handle : null;
}

export const SOCIAL_HANDLE_RULE = "must be 1 to 100 letters, digits, dots, dashes or underscores (an optional @ first)";
