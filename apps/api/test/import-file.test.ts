// importFile: admins import public data and partners their private reports through the shared import core; the report
// comes back typed, re-imports create nothing, bad rows are reported by line, and refused inputs write nothing.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/gql.ts";
import type { ImportFileInput } from "./generated/graphql.ts";
import { dataOf, nodesOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const ImportFile = graphql(/* GraphQL */ `
  mutation ImportFile($input: ImportFileInput!) {
    importFile(input: $input) {
      __typename
      ... on ImportFileSuccess {
        report {
          importId format source rowsRead created updated skipped rejected warnings batches issuesOmitted
          entities { people { created updated } relationships { created updated } interactions { created updated }
                     introductions { created updated } outcomes { created updated } outcomeIntroductions { created } }
          issues { line status reason }
        }
      }
      ... on ValidationError { message issues { path message } }
      ... on Error { message }
    }
  }
`);
const CreateImportingPartner = graphql(/* GraphQL */ `
  mutation CreateImportingPartner($input: CreatePartnerInput!) { createPartner(input: $input) { __typename ... on CreatePartnerSuccess { partner { id } } ... on Error { message } } }
`);
const CreateImportingKey = graphql(/* GraphQL */ `
  mutation CreateImportingKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { __typename ... on IssuedApiKey { key } ... on Error { message } } }
`);
const CreateImportOwner = graphql(/* GraphQL */ `
  mutation CreateImportOwner($input: CreatePersonInput!) { createPerson(input: $input) { __typename ... on CreatePersonSuccess { person { id } } ... on Error { message } } }
`);
const ImportedIntroductions = graphql(/* GraphQL */ `
  query ImportedIntroductions { introductions(first: 100) { edges { node { id note source } } } }
`);
const ImportedIntroduction = graphql(/* GraphQL */ `
  query ImportedIntroduction($id: ID!) { node(id: $id) { id ... on Introduction { note source } } }
`);

const CONNECTIONS_CSV = `Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Grace,Hopper,https://www.linkedin.com/in/grace-hopper,grace@example.com,Navy,Rear Admiral,12 Mar 2021
Alan,Turing,https://www.linkedin.com/in/alan-turing,,Bletchley Park,Cryptanalyst,01 Feb 2020
Katherine,Johnson,,katherine@example.com,NASA,Mathematician,5 Jan 2019
`;

/** A generic JSON-lines file: people, a consented introduction and the outcome it led to, all under file ids. */
function mixedFile(tag: string, note: string): string {
  return [
    { type: "person", id: "p1", displayName: `Ada ${tag}`, email: `ada.${tag}@example.com` },
    { type: "person", id: "p2", displayName: `Ben ${tag}`, email: `ben.${tag}@example.com` },
    { type: "person", id: "p3", displayName: `Cleo ${tag}`, email: `cleo.${tag}@example.com` },
    { type: "relationship", personA: "p1", personB: "p2", kind: "FRIEND", since: "2020-01-01" },
    {
      type: "interaction",
      id: "i1",
      personA: "p1",
      personB: "p2",
      kind: "MEETING",
      occurredAt: "2024-01-10T09:00:00Z",
    },
    {
      type: "introduction",
      id: "n1",
      connector: "p1",
      from: "p2",
      to: "p3",
      occurredAt: "2024-04-01",
      fromConsentedAt: "2024-04-02",
      toConsentedAt: "2024-04-02",
      status: "MET",
      note,
    },
    {
      type: "outcome",
      id: "x1",
      kind: "DEAL",
      title: `Deal ${tag}`,
      value: "1000.00",
      currency: "USD",
      occurredAt: "2024-06-01",
      introductions: ["n1"],
    },
  ]
    .map((row) => JSON.stringify(row))
    .join("\n");
}

async function setUp(api: TestApi) {
  const partners: { id: string; dbId: string; key: string }[] = [];
  for (const [name, slug] of [
    ["Alpha CRM", "alpha-crm"],
    ["Beta Market", "beta-market"],
  ] as const) {
    const partner = dataOf(await api.executeOperation(CreateImportingPartner, { input: { name, slug } })).createPartner;
    const id = ofType(partner, "CreatePartnerSuccess").partner.id;
    const issued = dataOf(
      await api.executeOperation(CreateImportingKey, {
        input: { name: `${name} key`, scope: "PARTNER", partnerId: id },
      }),
    ).createApiKey;
    const key = ofType(issued, "IssuedApiKey").key!;
    partners.push({ id, dbId: decodeGlobalID(id).id, key });
  }
  const created = dataOf(
    await api.executeOperation(CreateImportOwner, {
      input: { displayName: "Olivia Owner", email: "olivia@example.com" },
    }),
  ).createPerson;
  const owner = ofType(created, "CreatePersonSuccess").person.id;
  return { partnerA: partners[0]!, partnerB: partners[1]!, owner };
}

async function importFile(api: TestApi, input: ImportFileInput, key?: string) {
  return dataOf(await api.executeOperation(ImportFile, { input }, key === undefined ? {} : { key })).importFile;
}

/** The report of an import the test expects to succeed. */
async function importReport(api: TestApi, input: ImportFileInput, key?: string) {
  return ofType(await importFile(api, input, key), "ImportFileSuccess").report!;
}

describe("importFile (pglite)", () => {
  let api: TestApi;
  let partnerA: { id: string; dbId: string; key: string };
  let partnerB: { id: string; dbId: string; key: string };
  let owner: string;

  beforeAll(async () => {
    api = await startTestApi("pglite");
    ({ partnerA, partnerB, owner } = await setUp(api));
  });
  afterAll(() => api?.close());

  it("imports a LinkedIn export for an owner as an admin, and the same file again creates nothing", async () => {
    const input: ImportFileInput = {
      format: "LINKEDIN",
      content: CONNECTIONS_CSV,
      source: "linkedin",
      owner,
      fileName: "Connections.csv",
    };
    const first = await importFile(api, input);
    expect(first?.__typename).toBe("ImportFileSuccess");
    const report = ofType(first, "ImportFileSuccess").report!;
    expect(report).toMatchObject({
      format: "LINKEDIN",
      rowsRead: 3,
      created: 3,
      rejected: 0,
      issues: [],
      issuesOmitted: 0,
    });
    expect(report.entities?.people?.created).toBe(3);
    expect(report.entities?.relationships?.created).toBe(3);

    const ownerId = decodeGlobalID(owner).id;
    const relationships = await api.database.prisma.relationship.findMany({
      where: { OR: [{ personAId: ownerId }, { personBId: ownerId }] },
    });
    expect(relationships).toHaveLength(3);
    expect(relationships.every((r) => r.source === "IMPORT" && r.reportedByPartnerId === null)).toBe(true);

    const audit = await api.database.prisma.auditEvent.findFirstOrThrow({
      where: { action: "import", entityId: report.importId },
    });
    expect(audit).toMatchObject({ actorKind: "ADMIN", partnerId: null });
    expect(audit.actorId).toMatch(/^key:/);
    expect(audit.after).toMatchObject({ status: "completed", input: "Connections.csv", created: 3 });

    const again = await importReport(api, input);
    expect(again).toMatchObject({ rowsRead: 3, created: 0, updated: 0, skipped: 3 });
  });

  it("imports a generic JSON-lines file with credit computed for its outcome; a re-import creates nothing", async () => {
    const input: ImportFileInput = { format: "MIXED", content: mixedFile("admin", "public intro"), source: "crm" };
    const first = await importReport(api, input);
    expect(first).toMatchObject({ rowsRead: 7, created: 7, rejected: 0, warnings: 0 });
    expect(first.entities).toMatchObject({
      people: { created: 3 },
      introductions: { created: 1 },
      outcomes: { created: 1 },
      outcomeIntroductions: { created: 1 },
    });
    const outcome = await api.database.prisma.outcome.findFirstOrThrow({ where: { title: "Deal admin" } });
    expect(outcome).toMatchObject({ source: "IMPORT", reportedByPartnerId: null });
    expect(await api.database.prisma.credit.count({ where: { outcomeId: outcome.id } })).toBeGreaterThan(0);

    const again = await importReport(api, { ...input, encoding: "JSONL" });
    expect(again).toMatchObject({ rowsRead: 7, created: 0, updated: 0, skipped: 7 });
  });

  it("imports the good rows of a file with bad ones and reports the bad rows' lines", async () => {
    const csv = [
      "id,displayName,email",
      "q1,Quinn One,quinn1@example.com",
      "q2,,quinn2@example.com",
      "q3,Quinn Three,",
      "q4,Quinn Four,not-an-email",
    ].join("\n");
    const result = await importReport(api, { format: "PEOPLE", content: csv, source: "sheet" });
    expect(result).toMatchObject({ rowsRead: 4, created: 2, rejected: 2 });
    expect(result.issues?.map((issue) => [issue.line, issue.status])).toEqual([
      [3, "REJECTED"],
      [5, "REJECTED"],
    ]);
    const names = (await api.database.prisma.person.findMany({ where: { displayName: { startsWith: "Quinn" } } }))
      .map((p) => p.displayName)
      .sort();
    expect(names).toEqual(["Quinn One", "Quinn Three"]);

    const relationships = ["personA,personB", "q1,q3", "q1,nobody"].join("\n");
    const refs = await importReport(api, { format: "RELATIONSHIPS", content: relationships, source: "sheet" });
    expect(refs).toMatchObject({ created: 1, rejected: 1 });
    expect(refs.issues?.[0]).toMatchObject({ line: 3, status: "REJECTED", reason: 'unknown person "nobody"' });
  });

  it("makes a partner's imported rows its private reports, invisible to other partners, with the same file ids not colliding", async () => {
    const adminIntro = await api.database.prisma.introduction.findFirstOrThrow({ where: { note: "public intro" } });
    const fileA: ImportFileInput = { format: "MIXED", content: mixedFile("shared", "alpha's intro"), source: "crm" };
    const byA = await importReport(api, fileA, partnerA.key);
    expect(byA).toMatchObject({ rowsRead: 7, rejected: 0 });
    expect(byA.entities?.introductions?.created).toBe(1);

    // The same file ids and source from partner B: its own rows, not A's (nor the admin's) updated.
    const byB = await importReport(
      api,
      { format: "MIXED", content: mixedFile("shared", "beta's intro"), source: "crm" },
      partnerB.key,
    );
    expect(byB.entities?.introductions).toEqual({ created: 1, updated: 0 });
    expect(byB.entities?.outcomes).toEqual({ created: 1, updated: 0 });
    // People are shared, matched by email: B's file finds the people A's created.
    expect(byB.entities?.people).toEqual({ created: 0, updated: 0 });
    // Ada and Ben's relationship is A's private report; a pair has one relationship per scope, so B's file creates
    // B's own, with B's evidence on it, and learns nothing of A's.
    expect(byB.entities?.relationships).toEqual({ created: 1, updated: 0 });
    expect(byB.rejected).toBe(0);
    expect(byB.issues).toEqual([]);

    const prisma = api.database.prisma;
    const introA = await prisma.introduction.findFirstOrThrow({ where: { note: "alpha's intro" } });
    const introB = await prisma.introduction.findFirstOrThrow({ where: { note: "beta's intro" } });
    expect(introA).toMatchObject({ source: "PARTNER", reportedByPartnerId: partnerA.dbId });
    expect(introB).toMatchObject({ source: "PARTNER", reportedByPartnerId: partnerB.dbId });
    expect(introA.id).not.toBe(introB.id);
    expect(await prisma.introduction.findUniqueOrThrow({ where: { id: adminIntro.id } })).toMatchObject({
      note: "public intro",
      version: adminIntro.version,
    });
    for (const partner of [partnerA, partnerB]) {
      const outcomes = await prisma.outcome.findMany({ where: { reportedByPartnerId: partner.dbId } });
      expect(outcomes.map((o) => o.source)).toEqual(["PARTNER"]);
    }
    expect(await prisma.interaction.count({ where: { reportedByPartnerId: partnerA.dbId, source: "PARTNER" } })).toBe(
      1,
    );
    const relationshipA = await prisma.relationship.findFirstOrThrow({ where: { reportedByPartnerId: partnerA.dbId } });
    const relationshipB = await prisma.relationship.findFirstOrThrow({ where: { reportedByPartnerId: partnerB.dbId } });
    expect(relationshipA.source).toBe("PARTNER");
    expect([relationshipB.personAId, relationshipB.personBId]).toEqual([
      relationshipA.personAId,
      relationshipA.personBId,
    ]);
    expect(
      await prisma.interaction.count({
        where: { reportedByPartnerId: partnerB.dbId, relationshipId: relationshipB.id },
      }),
    ).toBe(1);

    const globalId = (id: string) => Buffer.from(`Introduction:${id}`).toString("base64");
    const notes = async (key: string) =>
      nodesOf(dataOf(await api.executeOperation(ImportedIntroductions, {}, { key })).introductions).map(
        (introduction) => introduction.note,
      );
    expect(await notes(partnerA.key)).toContain("alpha's intro");
    expect(await notes(partnerA.key)).not.toContain("beta's intro");
    expect(await notes(partnerB.key)).not.toContain("alpha's intro");
    expect(await notes(api.adminKey)).toEqual(
      expect.arrayContaining(["alpha's intro", "beta's intro", "public intro"]),
    );
    const introduction = async (key: string) =>
      dataOf(await api.executeOperation(ImportedIntroduction, { id: globalId(introA.id) }, { key })).node;
    expect(await introduction(partnerB.key)).toBeNull();
    expect(await introduction(partnerA.key)).toMatchObject({
      note: "alpha's intro",
      source: "PARTNER",
    });
    expect(await introduction(api.adminKey)).toMatchObject({ note: "alpha's intro" });

    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "import", entityId: byA.importId },
    });
    expect(audit).toMatchObject({ actorKind: "PARTNER", partnerId: partnerA.dbId });
    expect(audit.after).toMatchObject({ created: 7 });

    // A's re-import is idempotent, and changing a note updates only A's own introduction.
    expect(await importReport(api, fileA, partnerA.key)).toMatchObject({ created: 0, updated: 0, skipped: 7 });
    const edited = await importReport(
      api,
      { ...fileA, content: mixedFile("shared", "alpha's intro, edited") },
      partnerA.key,
    );
    expect(edited.entities?.introductions).toEqual({ created: 0, updated: 1 });
    expect((await prisma.introduction.findUniqueOrThrow({ where: { id: introB.id } })).note).toBe("beta's intro");
  });

  it("keeps partners from changing shared people", async () => {
    const prisma = api.database.prisma;
    const renamed = ["id,displayName,email", "z1,Somebody Else,ada.admin@example.com"].join("\n");
    const people = await importReport(api, { format: "PEOPLE", content: renamed, source: "crm" }, partnerB.key);
    expect(people).toMatchObject({ created: 0, updated: 0, skipped: 1 });
    expect(await prisma.person.count({ where: { email: "ada.admin@example.com", displayName: "Ada admin" } })).toBe(1);
  });

  it("refuses content over the size cap, empty content and a LinkedIn import without owner, writing nothing", async () => {
    const prisma = api.database.prisma;
    const before = {
      imports: await prisma.auditEvent.count({ where: { action: "import" } }),
      people: await prisma.person.count(),
    };
    const tooLarge = `id,displayName\n${"x".repeat(5 * 1024 * 1024)}`;
    const cases = [
      [{ format: "PEOPLE", content: tooLarge, source: "big" }, ["input", "content"]],
      [{ format: "PEOPLE", content: "  \n", source: "empty" }, ["input", "content"]],
      [{ format: "LINKEDIN", content: CONNECTIONS_CSV, source: "linkedin" }, ["input", "owner"]],
      [
        {
          format: "LINKEDIN",
          content: CONNECTIONS_CSV,
          source: "linkedin",
          owner: Buffer.from("Person:00000000-0000-7000-8000-000000000000").toString("base64"),
        },
        ["input", "owner"],
      ],
      [{ format: "PEOPLE", content: "id,displayName\np,P", source: "x", owner }, ["input", "owner"]],
    ] as const;
    for (const [input, path] of cases) {
      const result = await importFile(api, input);
      expect(result?.__typename, JSON.stringify(path)).toBe("ValidationError");
      expect(ofType(result, "ValidationError").issues?.[0]?.path).toEqual(path);
    }
    expect({
      imports: await prisma.auditEvent.count({ where: { action: "import" } }),
      people: await prisma.person.count(),
    }).toEqual(before);
  });

  it("refuses anonymous callers", async () => {
    const response = await api.executeOperation(
      ImportFile,
      { input: { format: "PEOPLE", content: "id,displayName\na,A", source: "anon" } },
      { key: null },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(await api.database.prisma.person.count({ where: { displayName: "A" } })).toBe(0);
  });
});

describe("importFile (postgres)", () => {
  let api: TestApi;
  let partnerA: { id: string; dbId: string; key: string };
  let partnerB: { id: string; dbId: string; key: string };

  beforeAll(async () => {
    api = await startTestApi("postgres");
    ({ partnerA, partnerB } = await setUp(api));
  });
  afterAll(() => api?.close());

  it("imports admin and partner files idempotently and keeps partner rows private", async () => {
    const admin = await importReport(api, {
      format: "MIXED",
      content: mixedFile("pg", "public intro"),
      source: "crm",
    });
    expect(admin).toMatchObject({ created: 7, rejected: 0 });
    const file: ImportFileInput = { format: "MIXED", content: mixedFile("pg", "alpha's intro"), source: "crm" };
    expect((await importReport(api, file, partnerA.key)).entities?.introductions).toEqual({
      created: 1,
      updated: 0,
    });
    expect(await importReport(api, file, partnerA.key)).toMatchObject({ created: 0, updated: 0, skipped: 7 });
    const notes = async (key: string) =>
      nodesOf(dataOf(await api.executeOperation(ImportedIntroductions, {}, { key })).introductions)
        .map((introduction) => introduction.note)
        .sort();
    expect(await notes(partnerA.key)).toEqual(["alpha's intro", "public intro"]);
    expect(await notes(partnerB.key)).toEqual(["public intro"]);
  });
});
