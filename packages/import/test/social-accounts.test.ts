// Social-account rows: each is an observation that joins the account's history; the latest becomes its counts, the
// audience quality is computed from the signals, a re-import changes nothing, and bad rows are reported by line.
import { Readable } from "node:stream";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@intrograph/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importStream } from "../src/index.ts";

const actor = { kind: "SYSTEM" as const };

const header = "person,platform,handle,followers,following,engagementRate,observedAt,openedAt";
const csv = [
  header,
  // A quiet account: steady counts, engagement as expected for its size.
  "https://example.org/ada,LINKEDIN,@Ada.Quiet,90,150,0.09,2026-01-01,2018-05-01",
  "https://example.org/ada,LINKEDIN,ada.quiet,96,150,0.09,2026-02-01,",
  "https://example.org/ada,LINKEDIN,ada.quiet,100,150,0.09,2026-03-01,",
  // A bought jump: 8k to 100k in a week while interactions stay flat.
  "https://example.org/bo,INSTAGRAM,bo.shines,8000,900,0.05,2026-02-01,2022-01-01",
  "https://example.org/bo,INSTAGRAM,bo.shines,8300,900,0.049,2026-03-01,",
  "https://example.org/bo,INSTAGRAM,bo.shines,98000,950,0.0042,2026-03-08,",
  "https://example.org/bo,INSTAGRAM,bo.shines,100000,960,0.004,2026-04-01,",
  // Bad rows.
  "https://example.org/bo,INSTAGRAM,bo.shines,-5,960,0.004,2026-04-02,",
  "https://example.org/bo,X,bo shines,10,10,0.01,2026-04-02,",
  "https://example.org/ada,INSTAGRAM,bo.shines,10,10,0.01,2026-04-02,",
  "https://example.org/ghost,X,ghost,10,10,1.5,2026-04-02,",
].join("\n");

describe.each(databaseKinds)("import of social accounts on %s", (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.prisma.person.createMany({
      data: [
        { displayName: "Ada", profileUrl: "https://example.org/ada" },
        { displayName: "Bo", profileUrl: "https://example.org/bo" },
      ],
    });
  });
  afterAll(() => database.drop());

  it("records every observation, scores each account from its signals and flags the bought jump", async () => {
    const { prisma } = database;
    const report = await importStream(prisma, {
      format: "socialAccounts",
      input: Readable.from([csv]),
      source: "crm",
      actor,
      batchSize: 4,
    });
    expect(report).toMatchObject({ rowsRead: 11, rejected: 4 });
    const issues = report.issues.map((issue) => [issue.line, issue.reason]).sort(([a], [b]) => Number(a) - Number(b));
    expect(issues).toEqual([
      [9, `followers: "-5" is not a whole number from 0`],
      [10, expect.stringMatching(/^handle: must be 1 to 100/)],
      [11, "INSTAGRAM handle bo.shines belongs to another person"],
      [12, `engagementRate: "1.5" is not between 0 and 1`],
    ]);
    const ada = await prisma.socialAccount.findUniqueOrThrow({
      where: { platform_handle: { platform: "LINKEDIN", handle: "ada.quiet" } },
      include: { history: true },
    });
    expect(ada).toMatchObject({ followers: 100, following: 150 });
    expect(ada.history).toHaveLength(3);
    expect(ada.audienceQuality).toBeGreaterThan(0.85);
    expect(ada.audienceFlags).toEqual([]);
    const bo = await prisma.socialAccount.findUniqueOrThrow({
      where: { platform_handle: { platform: "INSTAGRAM", handle: "bo.shines" } },
      include: { history: true },
    });
    expect(bo).toMatchObject({ followers: 100_000, following: 960 });
    expect(bo.history).toHaveLength(4);
    expect(bo.audienceQuality).toBeLessThan(0.4);
    expect(JSON.stringify(bo.audienceFlags)).toMatch(/BOUGHT_FOLLOWERS_SUSPECTED/);
    // Batches of 4: Bo's account is created by the first batch and updated by the second.
    expect(report.entities.socialAccounts).toEqual({ created: 2, updated: 1 });
  });

  it("a re-import changes nothing; a new observation and a follower sample update and rescore", async () => {
    const { prisma } = database;
    const before = await prisma.socialAccountSnapshot.count();
    const again = await importStream(prisma, {
      format: "socialAccounts",
      input: Readable.from([csv]),
      source: "crm",
      actor,
    });
    expect(again).toMatchObject({ created: 0, updated: 0, rejected: 4 });
    expect(await prisma.socialAccountSnapshot.count()).toBe(before);

    const update = [
      `${header},sampledFollowers,inactiveFollowers,suspiciousFollowers`,
      "https://example.org/ada,LINKEDIN,ada.quiet,104,150,0.09,2026-04-01,,100,10,70",
    ].join("\n");
    const report = await importStream(prisma, {
      format: "socialAccounts",
      input: Readable.from([update]),
      source: "crm",
      actor,
    });
    expect(report).toMatchObject({ updated: 1, rejected: 0 });
    const ada = await prisma.socialAccount.findUniqueOrThrow({
      where: { platform_handle: { platform: "LINKEDIN", handle: "ada.quiet" } },
    });
    expect(ada).toMatchObject({ followers: 104, sampledFollowers: 100, suspiciousFollowers: 70, version: 2 });
    expect(ada.audienceQuality).toBeLessThan(0.5);
    expect(await prisma.socialAccountSnapshot.count()).toBe(before + 1);
  });
});
