// Social accounts: the vanity numbers (followers, engagement), their history, and the audience quality computed from
// them on every write (never typed in), with each signal's explanation and the flags it raises.
import type { AudienceFlag, AudienceFlagKind, AudienceSignalKind, AudienceSignalScore } from "@intrograph/graph";
import { normalizeSocialHandle, rescoreSocialAccounts, SOCIAL_HANDLE_RULE } from "@intrograph/db/audience";
import { type Prisma, SocialPlatform } from "@intrograph/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { z } from "zod";
import { builder } from "../../builder.ts";
import { prismaOf } from "../../context.ts";
import { ConflictError, NotFoundError, ValidationError, type ValidationIssue, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { idempotencyKeyField, withIdempotency } from "../access/idempotency.ts";
import { recordAudit, type Transaction } from "../audit/record.ts";
import { plannedQuery } from "../planned-query.ts";
import { updateAtVersion } from "../versioned-update.ts";

export const SocialPlatformEnum = builder.enumType(SocialPlatform, { name: "SocialPlatform" });

const AudienceSignalKindEnum = builder.enumType("AudienceSignalKind", {
  values: {
    ENGAGEMENT: { description: "Engagement rate against the rate expected for an audience of this size." },
    FOLLOWER_SPIKES: { description: "Sudden follower jumps in the history that engagement did not follow." },
    FOLLOWING_RATIO: { description: "Following far more accounts than follow back (follow-for-follow growth)." },
    ACCOUNT_AGE: { description: "A large audience on a young account." },
    FOLLOWER_SAMPLE: { description: "An imported sample of followers checked one by one (inactive, suspicious)." },
  } satisfies Record<AudienceSignalKind, { description: string }>,
});

const AudienceFlagKindEnum = builder.enumType("AudienceFlagKind", {
  values: {
    BOUGHT_FOLLOWERS_SUSPECTED: { description: "Signs of purchased followers; see the reasons." },
    FOLLOW_FOR_FOLLOW: { description: "The audience was gathered by following others back." },
    INACTIVE_AUDIENCE: { description: "Half or more of a follower sample is inactive." },
  } satisfies Record<AudienceFlagKind, { description: string }>,
});

const AudienceSignalRef = builder.objectRef<AudienceSignalScore>("AudienceSignal").implement({
  description: "One signal of an audience-quality score: score = Π contribution over the signals.",
  fields: (t) => ({
    signal: t.field({ type: AudienceSignalKindEnum, resolve: (signal) => signal.signal }),
    value: t.exposeFloat("value", {
      description:
        "This signal's estimate of the real, active share of the audience (0.01..1; 1 = nothing wrong seen).",
    }),
    weight: t.exposeFloat("weight", { description: "Its weight; 0 when the signal has no data." }),
    contribution: t.exposeFloat("contribution", {
      description: "The factor it multiplies the score by: value^(weight / total weight).",
    }),
    sentence: t.exposeString("sentence"),
  }),
});

const AudienceFlagRef = builder.objectRef<AudienceFlag>("AudienceFlag").implement({
  fields: (t) => ({
    kind: t.field({ type: AudienceFlagKindEnum, resolve: (flag) => flag.kind }),
    reasons: t.exposeStringList("reasons"),
  }),
});

interface FollowerSampleShape {
  sampled: number;
  inactive: number;
  suspicious: number;
  at: Date;
}

const FollowerSampleRef = builder.objectRef<FollowerSampleShape>("FollowerSample").implement({
  description: "A sample of the account's followers, checked one by one.",
  fields: (t) => ({
    sampled: t.exposeInt("sampled", { description: "Followers looked at." }),
    inactive: t.exposeInt("inactive", { description: "Real-looking followers that posted nothing in 90 days." }),
    suspicious: t.exposeInt("suspicious", { description: "Followers that look fake or bought." }),
    at: t.expose("at", { type: "DateTime", description: "When the sample was taken." }),
  }),
});

builder.prismaObject("SocialAccountSnapshot", {
  name: "SocialAccountObservation",
  description: "The account's counts as observed at one moment: a point of its follower-count history.",
  fields: (t) => ({
    followers: t.exposeInt("followers"),
    following: t.exposeInt("following"),
    engagementRate: t.exposeFloat("engagementRate"),
    at: t.expose("at", { type: "DateTime" }),
  }),
});

/** The stored JSON as written by `scoreColumns`; anything else reads as empty. */
function storedList<Item>(value: Prisma.JsonValue): Item[] {
  return Array.isArray(value) ? (value as unknown as Item[]) : [];
}

export const SocialAccount = builder.prismaNode("SocialAccount", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  fields: (t) => ({
    person: t.relation("person"),
    platform: t.expose("platform", { type: SocialPlatformEnum }),
    handle: t.exposeString("handle"),
    followers: t.exposeInt("followers"),
    following: t.exposeInt("following"),
    engagementRate: t.exposeFloat("engagementRate"),
    openedAt: t.expose("openedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the account was opened on its platform.",
    }),
    followerSample: t.field({
      type: FollowerSampleRef,
      nullable: true,
      select: { sampledFollowers: true, inactiveFollowers: true, suspiciousFollowers: true, followerSampleAt: true },
      resolve: (account) =>
        account.sampledFollowers != null && account.followerSampleAt
          ? {
              sampled: account.sampledFollowers,
              inactive: account.inactiveFollowers ?? 0,
              suspicious: account.suspiciousFollowers ?? 0,
              at: account.followerSampleAt,
            }
          : null,
    }),
    audienceQuality: t.exposeFloat("audienceQuality", {
      description:
        "Share (0..1) of the audience that is real and active, computed from the account's signals on every write: " +
        "the weighted geometric mean of `audienceQualityExplanation`'s values.",
    }),
    audienceQualityExplanation: t.field({
      type: [AudienceSignalRef],
      description: "Each signal behind `audienceQuality`: its value, weight, contribution and a sentence.",
      select: { audienceQualitySignals: true },
      resolve: (account) => storedList<AudienceSignalScore>(account.audienceQualitySignals),
    }),
    audienceQualityComputedAt: t.expose("audienceQualityComputedAt", {
      type: "DateTime",
      description: "When the score was last computed (on the account's last write).",
    }),
    flags: t.field({
      type: [AudienceFlagRef],
      description: "Raised with the score, e.g. BOUGHT_FOLLOWERS_SUSPECTED with its reasons.",
      select: { audienceFlags: true },
      resolve: (account) => storedList<AudienceFlag>(account.audienceFlags),
    }),
    qualifiedAudience: t.int({
      description: "followers × audienceQuality: the reach that is real.",
      select: { followers: true, audienceQuality: true },
      resolve: (account) => Math.round(account.followers * account.audienceQuality),
    }),
    history: t.relatedConnection("history", {
      cursor: "id",
      description: "The follower-count history, newest observation first.",
      query: { orderBy: [{ at: "desc" }, { id: "desc" }] },
      totalCount: true,
    }),
    version: t.exposeInt("version", { description: "Send it back with updates: a stale version is a conflict." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const handle = z.string().transform((value, ctx) => {
  const normalized = normalizeSocialHandle(value);
  if (normalized === null) ctx.addIssue({ code: "custom", message: SOCIAL_HANDLE_RULE });
  return normalized ?? value;
});
const countField = z.number().int().min(0, "must not be negative");
const rate = z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");

const FollowerSampleInput = builder.inputType("FollowerSampleInput", {
  description: "A sample of followers checked one by one; inactive and suspicious are disjoint.",
  fields: (t) => ({
    sampled: t.int({ required: true, validate: z.number().int().min(1, "must be at least 1").max(1_000_000) }),
    inactive: t.int({ required: true, validate: countField }),
    suspicious: t.int({ required: true, validate: countField }),
    at: t.field({ type: "DateTime", required: false, description: "When it was taken (default: now)." }),
  }),
});

const ObservationInput = builder.inputType("SocialAccountObservationInput", {
  description: "Earlier counts of the account, for its history.",
  fields: (t) => ({
    at: t.field({ type: "DateTime", required: true }),
    followers: t.int({ required: true, validate: countField }),
    following: t.int({ required: true, validate: countField }),
    engagementRate: t.float({ required: true, validate: rate }),
  }),
});

const CreateSocialAccountInput = builder.inputType("CreateSocialAccountInput", {
  fields: (t) => ({
    idempotencyKey: t.string(idempotencyKeyField),
    personId: t.id({ required: true }),
    platform: t.field({ type: SocialPlatformEnum, required: true }),
    handle: t.string({ required: true, validate: handle }),
    followers: t.int({ required: true, validate: countField }),
    following: t.int({ required: true, validate: countField }),
    engagementRate: t.float({ required: true, validate: rate, description: "Interactions per post / followers." }),
    openedAt: t.field({ type: "DateTime", required: false }),
    observedAt: t.field({
      type: "DateTime",
      required: false,
      description: "When the counts were seen (default: now).",
    }),
    history: t.field({
      type: [ObservationInput],
      required: false,
      description: "Earlier observations (before `observedAt`), at most 1000.",
    }),
    followerSample: t.field({ type: FollowerSampleInput, required: false }),
  }),
});

const UpdateSocialAccountInput = builder.inputType("UpdateSocialAccountInput", {
  description:
    "New counts are an observation: they are added to the history (at `observedAt`, default now) and the score is recomputed.",
  fields: (t) => ({
    id: t.id({ required: true }),
    version: t.int({ required: true, description: "The version you read; a stale one is a ConflictError." }),
    handle: t.string({ required: false, validate: handle }),
    followers: t.int({ required: false, validate: countField }),
    following: t.int({ required: false, validate: countField }),
    engagementRate: t.float({ required: false, validate: rate }),
    openedAt: t.field({ type: "DateTime", required: false }),
    observedAt: t.field({ type: "DateTime", required: false }),
    followerSample: t.field({
      type: FollowerSampleInput,
      required: false,
      description: "A new sample; null removes the stored one.",
    }),
  }),
});

type SampleInput = typeof FollowerSampleInput.$inferInput;
type ObservationShape = typeof ObservationInput.$inferInput;

const MAX_HISTORY_INPUT = 1000;
/** Clock skew tolerated for times sent as "now". */
const SKEW_MS = 5 * 60_000;

function checkSample(sample: SampleInput | null | undefined, path: string, now: Date): ValidationIssue[] {
  if (!sample) return [];
  const issues: ValidationIssue[] = [];
  if (sample.inactive + sample.suspicious > sample.sampled)
    issues.push({ path: ["input", path], message: "inactive + suspicious must not exceed sampled" });
  if (sample.at && sample.at.getTime() > now.getTime() + SKEW_MS)
    issues.push({ path: ["input", path, "at"], message: "must not be in the future" });
  return issues;
}

function checkTimes(
  now: Date,
  observedAt: Date,
  openedAt: Date | null | undefined,
  history: readonly ObservationShape[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (observedAt.getTime() > now.getTime() + SKEW_MS)
    issues.push({ path: ["input", "observedAt"], message: "must not be in the future" });
  if (openedAt && openedAt.getTime() > observedAt.getTime())
    issues.push({ path: ["input", "openedAt"], message: "must not be after the counts were observed" });
  if (history.length > MAX_HISTORY_INPUT)
    issues.push({ path: ["input", "history"], message: `at most ${MAX_HISTORY_INPUT} observations` });
  history.forEach((observation, index) => {
    if (observation.at.getTime() >= observedAt.getTime())
      issues.push({ path: ["input", "history", String(index), "at"], message: "must be before observedAt" });
  });
  return issues;
}

function throwIfAny(issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}

/** The account's person must be a live record: not deleted, not merged into someone else. */
async function assertPersonWritable(tx: Transaction, personGlobalId: string, personId: string): Promise<void> {
  const person = await tx.person.findFirst({
    where: { id: personId, deletedAt: null },
    select: { mergedIntoId: true, erasedAt: true },
  });
  if (!person) throw new NotFoundError("Person", personGlobalId);
  if (person.mergedIntoId)
    throw ValidationError.of(
      ["input", "personId"],
      `this person was merged into ${encodeGlobalID("Person", person.mergedIntoId)}; add the account there`,
    );
  if (person.erasedAt) throw ValidationError.of(["input", "personId"], "this person's data was erased");
}

async function assertHandleFree(tx: Transaction, platform: SocialPlatform, value: string, exceptId?: string) {
  const holder = await tx.socialAccount.findUnique({
    where: { platform_handle: { platform, handle: value } },
    select: { id: true, version: true },
  });
  if (holder && holder.id !== exceptId)
    throw new ConflictError(
      "SocialAccount",
      encodeGlobalID("SocialAccount", holder.id),
      holder.version,
      `${platform} handle ${value} already belongs to another social account`,
      ["platform", "handle"],
    );
}

function sampleColumns(sample: SampleInput | null, now: Date) {
  return {
    sampledFollowers: sample?.sampled ?? null,
    inactiveFollowers: sample?.inactive ?? null,
    suspiciousFollowers: sample?.suspicious ?? null,
    followerSampleAt: sample ? (sample.at ?? now) : null,
  };
}

builder.mutationField("createSocialAccount", (t) =>
  t.prismaField({
    type: "SocialAccount",
    description:
      "Adds a person's social account with its counts (and optionally earlier counts and a follower sample); the counts " +
      "start its history and its audience quality is computed. (platform, handle) is unique.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "socialAccount" } },
    args: { input: t.arg({ type: CreateSocialAccountInput, required: true }) },
    resolve: (query, _root, { input }, requestCtx) =>
      withIdempotency(
        requestCtx,
        "createSocialAccount",
        input,
        (id, ctx) => prismaOf(ctx).socialAccount.findUniqueOrThrow({ ...query, where: { id } }),
        async (ctx) => {
          const now = new Date();
          const personId = decodeId(input.personId, "Person", "input.personId");
          const observedAt = input.observedAt ?? now;
          const history = input.history ?? [];
          throwIfAny([
            ...checkTimes(now, observedAt, input.openedAt, history),
            ...checkSample(input.followerSample, "followerSample", now),
          ]);
          return prismaOf(ctx).$transaction(async (tx) => {
            await assertPersonWritable(tx, input.personId, personId);
            await assertHandleFree(tx, input.platform, input.handle);
            const account = await tx.socialAccount.create({
              data: {
                personId,
                platform: input.platform,
                handle: input.handle,
                followers: input.followers,
                following: input.following,
                engagementRate: input.engagementRate,
                openedAt: input.openedAt ?? null,
                ...sampleColumns(input.followerSample ?? null, now),
              },
            });
            await tx.socialAccountSnapshot.createMany({
              data: [
                ...history.map((observation) => ({ socialAccountId: account.id, ...observation })),
                {
                  socialAccountId: account.id,
                  followers: input.followers,
                  following: input.following,
                  engagementRate: input.engagementRate,
                  at: observedAt,
                },
              ],
            });
            await rescoreSocialAccounts(tx, [account.id], observedAt);
            await recordAudit(tx, ctx, {
              action: "socialAccount.create",
              entityType: "SocialAccount",
              entityId: account.id,
              after: await tx.socialAccount.findUniqueOrThrow({ where: { id: account.id } }),
            });
            return tx.socialAccount.findUniqueOrThrow({ ...plannedQuery(query), where: { id: account.id } });
          });
        },
      ),
  }),
);

builder.mutationField("updateSocialAccount", (t) =>
  t.prismaField({
    type: "SocialAccount",
    description:
      "Changes a social account at the version you read. New counts are recorded in its history; the audience quality " +
      "is recomputed on every update.",
    authScopes: { admin: true, partner: true },
    errors: { types: writeErrors, dataField: { name: "socialAccount" } },
    args: { input: t.arg({ type: UpdateSocialAccountInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const now = new Date();
      const id = decodeId(input.id, "SocialAccount", "input.id");
      const observedAt = input.observedAt ?? now;
      throwIfAny([
        ...checkTimes(now, observedAt, input.openedAt, []),
        ...checkSample(input.followerSample, "followerSample", now),
      ]);
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.socialAccount.findUnique({ where: { id } });
        if (!before) throw new NotFoundError("SocialAccount", input.id);
        const countsGiven = input.followers != null || input.following != null || input.engagementRate != null;
        const counts = {
          followers: input.followers ?? before.followers,
          following: input.following ?? before.following,
          engagementRate: input.engagementRate ?? before.engagementRate,
        };
        if (countsGiven) {
          const latest = await tx.socialAccountSnapshot.findFirst({
            where: { socialAccountId: id },
            orderBy: [{ at: "desc" }, { id: "desc" }],
            select: { at: true },
          });
          if (latest && latest.at.getTime() > observedAt.getTime())
            throw ValidationError.of(
              ["input", "observedAt"],
              `must not be before the latest observation (${latest.at.toISOString()})`,
            );
        }
        if (input.handle) await assertHandleFree(tx, before.platform, input.handle, id);
        await updateAtVersion(tx, ctx, tx.socialAccount, {
          entityType: "SocialAccount",
          id,
          conflictId: input.id,
          version: input.version,
          data: {
            ...(input.handle ? { handle: input.handle } : {}),
            ...counts,
            ...(input.openedAt !== undefined ? { openedAt: input.openedAt } : {}),
            ...(input.followerSample !== undefined ? sampleColumns(input.followerSample, now) : {}),
          },
          before,
          action: "socialAccount.update",
          beforeAudit: async () => {
            if (countsGiven)
              await tx.socialAccountSnapshot.create({ data: { socialAccountId: id, ...counts, at: observedAt } });
            await rescoreSocialAccounts(tx, [id], now > observedAt ? now : observedAt);
          },
        });
        return tx.socialAccount.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);
