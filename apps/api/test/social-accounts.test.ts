// Social-account writes: every observation lands in the history, the audience quality is recomputed from the signals
// (not typed in), bad input is a typed error that stores nothing, and a stale version is a conflict.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const CreatePerson = graphql(/* GraphQL */ `
  mutation SocialCreatePerson($input: CreatePersonInput!) {
    createPerson(input: $input) { __typename ... on CreatePersonSuccess { person { id } } }
  }
`);
const CreateSocialAccount = graphql(/* GraphQL */ `
  mutation SocialCreateAccount($input: CreateSocialAccountInput!) {
    createSocialAccount(input: $input) {
      __typename
      ... on Error { message }
      ... on ValidationError { issues { path message } }
      ... on ConflictError { fields }
      ... on CreateSocialAccountSuccess {
        socialAccount {
          id handle version audienceQuality
          audienceQualityExplanation { signal value weight contribution sentence }
          flags { kind reasons }
          history(first: 50) { totalCount }
        }
      }
    }
  }
`);
const UpdateSocialAccount = graphql(/* GraphQL */ `
  mutation SocialUpdateAccount($input: UpdateSocialAccountInput!) {
    updateSocialAccount(input: $input) {
      __typename
      ... on Error { message }
      ... on ConflictError { currentVersion }
      ... on UpdateSocialAccountSuccess {
        socialAccount {
          version followers audienceQuality flags { kind reasons }
          history(first: 50) { totalCount edges { node { followers at } } }
        }
      }
    }
  }
`);

const day = 86_400_000;
const now = Date.now();
const ago = (days: number) => new Date(now - days * day).toISOString();

describe.each(databaseKinds)("social accounts on %s", (kind) => {
  let api: TestApi;
  let personId: string;
  let partnerKey: string;

  beforeAll(async () => {
    api = await startTestApi(kind);
    const created = dataOf(await api.executeOperation(CreatePerson, { input: { displayName: "Quiet Ada" } }));
    personId = ofType(created.createPerson, "CreatePersonSuccess").person.id;
    const partner = await api.database.prisma.partner.create({ data: { name: "Alpha CRM", slug: "alpha" } });
    partnerKey = (await issueApiKey(api.database.prisma, { name: "p", scopes: ["partner"], partnerId: partner.id }))
      .key;
  });
  afterAll(() => api.close());

  it("a quiet real account: created with its history, scored high, not flagged", async () => {
    const history = Array.from({ length: 6 }, (_, n) => ({
      at: ago(30 * (6 - n)),
      followers: 90 + n * 2,
      following: 150,
      engagementRate: 0.09,
    }));
    const result = dataOf(
      await api.executeOperation(CreateSocialAccount, {
        input: {
          personId,
          platform: "LINKEDIN",
          handle: "@Quiet.Ada",
          followers: 102,
          following: 150,
          engagementRate: 0.09,
          openedAt: ago(8 * 365),
          history,
        },
      }),
    ).createSocialAccount;
    const account = ofType(result, "CreateSocialAccountSuccess").socialAccount;
    expect(account.handle).toBe("quiet.ada");
    expect(account.history!.totalCount).toBe(7);
    expect(account.audienceQuality).toBeGreaterThan(0.85);
    expect(account.flags).toEqual([]);
    const product = account.audienceQualityExplanation!.reduce((value, signal) => value * signal.contribution!, 1);
    expect(product).toBeCloseTo(account.audienceQuality!, 6);
  });

  it("a partner records a bought jump: the score falls and the account is flagged with reasons", async () => {
    const created = dataOf(
      await api.executeOperation(
        CreateSocialAccount,
        {
          input: {
            personId,
            platform: "INSTAGRAM",
            handle: "ada.shines",
            followers: 8_000,
            following: 900,
            engagementRate: 0.05,
            openedAt: ago(4 * 365),
            observedAt: ago(10),
          },
        },
        { key: partnerKey },
      ),
    ).createSocialAccount;
    const account = ofType(created, "CreateSocialAccountSuccess").socialAccount;
    expect(account.flags).toEqual([]);
    const updated = dataOf(
      await api.executeOperation(
        UpdateSocialAccount,
        { input: { id: account.id, version: account.version!, followers: 100_000, engagementRate: 0.004 } },
        { key: partnerKey },
      ),
    ).updateSocialAccount;
    const after = ofType(updated, "UpdateSocialAccountSuccess").socialAccount;
    expect(after.version).toBe(account.version! + 1);
    expect(after.history!.totalCount).toBe(2);
    expect(after.audienceQuality).toBeLessThan(0.4);
    const bought = after.flags!.find((flag) => flag.kind === "BOUGHT_FOLLOWERS_SUSPECTED");
    expect(bought?.reasons?.join(" ")).toMatch(/jump/);

    // The same stale version again is a conflict, and nothing changes.
    const stale = dataOf(
      await api.executeOperation(UpdateSocialAccount, {
        input: { id: account.id, version: account.version!, followers: 5 },
      }),
    ).updateSocialAccount;
    expect(ofType(stale, "ConflictError").currentVersion).toBe(account.version! + 1);
    expect(await api.database.prisma.socialAccountSnapshot.count()).toBe(9);
  });

  it("bad input is a typed error and stores nothing", async () => {
    const before = await api.database.prisma.socialAccount.count();
    const snapshotsBefore = await api.database.prisma.socialAccountSnapshot.count();
    const base = { personId, platform: "X" as const, handle: "ada", followers: 10, following: 10, engagementRate: 0.1 };
    const taken = dataOf(
      await api.executeOperation(CreateSocialAccount, {
        input: { ...base, platform: "LINKEDIN", handle: "QUIET.ADA" },
      }),
    ).createSocialAccount;
    expect(ofType(taken, "ConflictError").fields).toEqual(["platform", "handle"]);
    for (const input of [
      { ...base, engagementRate: 1.5 },
      { ...base, followers: -1 },
      { ...base, handle: "no spaces please" },
      { ...base, followerSample: { sampled: 10, inactive: 8, suspicious: 5 } },
      { ...base, observedAt: new Date(now + 30 * day).toISOString() },
      { ...base, history: [{ at: new Date(now + day).toISOString(), followers: 1, following: 1, engagementRate: 0 }] },
    ]) {
      const result = dataOf(await api.executeOperation(CreateSocialAccount, { input })).createSocialAccount;
      expect(result?.__typename, JSON.stringify(input)).toBe("ValidationError");
    }
    const missing = dataOf(
      await api.executeOperation(CreateSocialAccount, {
        input: { ...base, personId: "UGVyc29uOjAxOTAwMDAwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA==" },
      }),
    );
    expect(missing.createSocialAccount?.__typename).toBe("NotFoundError");
    expect(await api.database.prisma.socialAccount.count()).toBe(before);
    expect(await api.database.prisma.socialAccountSnapshot.count()).toBe(snapshotsBefore);
  });
});
