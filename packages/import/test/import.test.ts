import { Readable } from "node:stream";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@intrograph/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildCredit } from "@intrograph/ledger";
import { analyzeImportedTables, type ImportBatchPayload, importStream } from "../src/index.ts";
import { countAllTables, fixture, storedCredit } from "./helpers.ts";

const actor = { kind: "SYSTEM" as const };

describe.each(databaseKinds)("import on %s", (kind) => {
  let database: TestDatabase;
  let ownerId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const { prisma } = database;
    const acme = await prisma.organization.create({ data: { name: "ACME, Inc." } });
    const owner = await prisma.person.create({
      data: {
        displayName: "Olivia Owner",
        email: "olivia@example.com",
        profileUrl: "https://www.linkedin.com/in/olivia",
      },
    });
    await prisma.membership.create({ data: { personId: owner.id, organizationId: acme.id, title: "Founder" } });
    // Same name as a LinkedIn connection but no shared key: must become a duplicate suggestion, not a merge.
    await prisma.person.create({ data: { displayName: "ana  SILVA" } });
    ownerId = owner.id;
  });
  afterAll(() => database.drop());

  it("imports a LinkedIn export as the owner's relationships, people, organizations and memberships", async () => {
    const { prisma } = database;
    const report = await importStream(prisma, {
      format: "linkedin",
      input: fixture("Connections.csv"),
      owner: "https://www.linkedin.com/in/olivia/",
      source: "linkedin",
      actor,
      batchSize: 2,
    });
    expect(report).toMatchObject({ rowsRead: 5, created: 5, rejected: 0, batches: 3 });
    expect(report.entities.people.created).toBe(5);
    // "Acme, Inc." matches the existing "ACME, Inc." case-insensitively; "globex" matches the new "Globex".
    expect(report.entities.organizations.created).toBe(2);
    expect(report.entities.relationships.created).toBe(5);
    expect(report.entities.relationshipSides.created).toBe(10);
    expect(report.entities.duplicateSuggestions.created).toBe(1);

    const zoe = await prisma.person.findUniqueOrThrow({
      where: { profileUrl: "https://www.linkedin.com/in/zoe-muller" },
      include: { memberships: { include: { organization: true } }, relationships: { include: { relationship: true } } },
    });
    expect(zoe).toMatchObject({ displayName: "Zoë Müller", email: "zoe.muller@example.com" });
    expect(zoe.memberships).toMatchObject([{ title: "Head of Sales, EMEA", organization: { name: "ACME, Inc." } }]);
    expect(zoe.relationships).toHaveLength(1);
    const relationship = zoe.relationships[0]!.relationship;
    expect(relationship).toMatchObject({ kind: "COLLEAGUE", source: "IMPORT", status: "UNVERIFIED" });
    expect(relationship.since?.toISOString()).toBe("2021-03-12T00:00:00.000Z");
    expect(relationship.personAId < relationship.personBId).toBe(true);
    expect(zoe.relationships[0]!.otherPersonId).toBe(ownerId);
    expect(relationship.strength).toBeGreaterThan(0);
    expect(relationship.strengthEvidence).toMatchObject({ interactionCount: 0 });

    const li = await prisma.person.findUniqueOrThrow({ where: { profileUrl: "https://www.linkedin.com/in/li-na" } });
    expect(li).toMatchObject({ displayName: "李 娜", email: null });
    const jose = await prisma.person.findUniqueOrThrow({
      where: { profileUrl: "https://www.linkedin.com/in/jose-nunez" },
      include: { relationships: { include: { relationship: true } } },
    });
    expect(jose.relationships[0]!.relationship.kind).toBe("OTHER");
    const owner = await prisma.person.findUniqueOrThrow({ where: { id: ownerId }, include: { relationships: true } });
    expect(owner.relationships).toHaveLength(5);
    const suggestion = await prisma.duplicateSuggestion.findFirstOrThrow({ include: { personA: true, personB: true } });
    expect([suggestion.personA.displayName, suggestion.personB.displayName].sort()).toEqual([
      "Ana Silva",
      "ana  SILVA",
    ]);
  });

  it("imports a generic file with every entity type, chains included", async () => {
    const { prisma } = database;
    const report = await importStream(prisma, {
      format: "mixed",
      input: fixture("everything.jsonl"),
      source: "crm",
      actor: { kind: "ADMIN", id: "admin@example.com" },
      batchSize: 4,
    });
    expect(report).toMatchObject({ rowsRead: 19, created: 19, rejected: 0, warnings: 0 });
    expect(report.entities).toMatchObject({
      organizations: { created: 2 },
      people: { created: 5 },
      memberships: { created: 2 },
      relationships: { created: 4 }, // three listed, one more for the p3–p4 interaction
      interactions: { created: 3 },
      introductions: { created: 3 },
      introductionLinks: { created: 3 },
      outcomes: { created: 1 },
      outcomeIntroductions: { created: 1 },
    });
    const n3 = await prisma.introduction.findFirstOrThrow({
      where: { externalId: "import:crm:n3" },
      include: {
        ledFrom: { include: { earlier: { include: { ledFrom: true } } } },
        outcomes: { include: { outcome: true } },
      },
    });
    // n3 grew out of n2 (its own ledFrom) and out of n1 (n1's forward ledTo, linked once n3 existed).
    expect(n3.ledFrom.map((link) => link.earlier.externalId).sort()).toEqual(["import:crm:n1", "import:crm:n2"]);
    expect(n3.ledFrom.find((link) => link.earlier.externalId === "import:crm:n2")!.earlier.ledFrom).toHaveLength(1);
    expect(n3.outcomes[0]!.outcome).toMatchObject({ title: "Seed round", currency: "USD" });
    expect(n3.outcomes[0]!.outcome.value.toString()).toBe("1500000");
    const n1 = await prisma.introduction.findFirstOrThrow({
      where: { externalId: "import:crm:n1" },
      include: { ledTo: true },
    });
    expect(n1.ledTo).toHaveLength(2); // n2 (its ledFrom) and n3 (its own forward ledTo)
    expect(n1.fromConsentedAt?.toISOString()).toBe("2024-03-30T00:00:00.000Z");

    const ada = await prisma.person.findFirstOrThrow({ where: { email: "ada@example.com" } });
    const babbage = await prisma.person.findUniqueOrThrow({
      where: { profileUrl: "https://www.linkedin.com/in/babbage" },
    });
    const [a, b] = ada.id < babbage.id ? [ada.id, babbage.id] : [babbage.id, ada.id];
    const tie = await prisma.relationship.findFirstOrThrow({
      where: { personAId: a, personBId: b, reportedByPartnerId: null },
      include: { interactions: true, sides: true },
    });
    expect(tie.interactions).toHaveLength(2);
    expect(tie.sides.map((side) => side.personId).sort()).toEqual([a, b].sort());
    expect(tie.lastInteractionAt?.toISOString()).toBe("2024-02-01T00:00:00.000Z");
    expect(tie.strengthEvidence).toMatchObject({ interactionCount: 2 });
    expect(
      (tie.strengthEvidence as { reciprocity: { initiatedByA: number } }).reciprocity.initiatedByA,
    ).toBeGreaterThan(0);
    const contoso = await prisma.organization.findUniqueOrThrow({ where: { domain: "contoso.com" } });
    expect(await prisma.membership.count({ where: { organizationId: contoso.id, isDecisionMaker: true } })).toBe(1);

    // Planner statistics for the tables it wrote (reltuples is -1 until a table is first analyzed).
    await analyzeImportedTables(prisma, report);
    const statistics = await prisma.$queryRawUnsafe<{ table: string; rows: number }[]>(
      `SELECT relname AS table, reltuples::int AS rows FROM pg_class
       WHERE relname IN ('Introduction', 'Outcome', 'Credit', 'DomainEvent') AND relkind = 'r' ORDER BY 1`,
    );
    expect(statistics.every((table) => table.rows >= 0)).toBe(true);
    expect(statistics.find((table) => table.table === "Introduction")?.rows).toBe(3);
  });

  it("leaves the credit of what it wrote up to date, batch by batch, with no pass after the run", async () => {
    const { prisma } = database;
    const outcome = await prisma.outcome.findFirstOrThrow({ where: { title: "Seed round" } });
    const shapley = await prisma.credit.findMany({ where: { outcomeId: outcome.id, model: "SHAPLEY" } });
    expect(shapley.length).toBeGreaterThan(0);
    expect(shapley.reduce((sum, credit) => sum + Number(credit.amount), 0)).toBe(1_500_000);
    // Every per-outcome model is what a full rebuild computes; MARKOV is the job's (see the jobs tests).
    const perOutcome = (rows: Awaited<ReturnType<typeof storedCredit>>) => rows.filter((row) => row.model !== "MARKOV");
    const stored = perOutcome(await storedCredit(prisma));
    await rebuildCredit(prisma);
    expect(stored).toEqual(perOutcome(await storedCredit(prisma)));
  });

  it("appends one import.batch event per batch that wrote rows: ids per table, no names", async () => {
    const { prisma } = database;
    const events = await prisma.domainEvent.findMany({ where: { type: "import.batch" }, orderBy: { id: "asc" } });
    const ofSource = (source: string) =>
      events.filter((event) => (event.payload as unknown as ImportBatchPayload).source === source);
    // LinkedIn: 5 rows in batches of 2. The generic file: 19 rows in batches of 4, then the forward link n1 → n3.
    expect(ofSource("linkedin")).toHaveLength(3);
    const crm = ofSource("crm");
    expect(crm).toHaveLength(6);
    expect(new Set(crm.map((event) => event.entityId)).size).toBe(1);
    expect(crm[0]).toMatchObject({ entityType: "Import", actorId: "admin@example.com", partnerId: null });
    const payloads = crm.map((event) => event.payload as unknown as ImportBatchPayload);
    const listed = (name: "people" | "introductions" | "outcomes" | "memberships" | "interactions") =>
      new Set(payloads.flatMap((payload) => payload[name].ids));
    const ofCrm = { externalId: { startsWith: "import:crm:" } };
    const ids = (rows: { id: string }[]) => new Set(rows.map((row) => row.id));
    expect(listed("introductions")).toEqual(ids(await prisma.introduction.findMany({ where: ofCrm })));
    expect(listed("outcomes")).toEqual(ids(await prisma.outcome.findMany({ where: ofCrm })));
    expect(listed("interactions")).toEqual(ids(await prisma.interaction.findMany({ where: ofCrm })));
    expect(listed("people").size).toBe(5);
    expect(listed("memberships").size).toBe(2);
    for (const payload of payloads)
      for (const name of ["people", "relationships", "introductions"] as const)
        expect(payload[name].count).toBe(payload[name].ids.length);
    expect(payloads.reduce((sum, payload) => sum + payload.introductionLinks.count, 0)).toBe(3);
    expect(payloads.at(-1)).toMatchObject({ introductionLinks: { count: 1 }, people: { count: 0, ids: [] } });
    const text = JSON.stringify(payloads);
    for (const name of ["Ada", "Lovelace", "Seed round", "ada@example.com"]) expect(text).not.toContain(name);
  });

  it("a partner's batch event belongs to the partner, as its private rows do", async () => {
    const { prisma } = database;
    const partner = await prisma.partner.create({ data: { name: "Pipedrive", slug: `pipedrive-${kind}` } });
    const report = await importStream(prisma, {
      format: "mixed",
      input: fixture("everything.jsonl"),
      source: "crm",
      actor: { kind: "PARTNER", id: "pk_test" },
      partnerId: partner.id,
    });
    const events = await prisma.domainEvent.findMany({ where: { type: "import.batch", entityId: report.importId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ partnerId: partner.id, actorId: "pk_test" });
    const payload = events[0]!.payload as unknown as ImportBatchPayload;
    expect(payload).toMatchObject({ partnerId: partner.id, introductions: { count: 3 }, outcomes: { count: 1 } });
    const outcome = await prisma.outcome.findUniqueOrThrow({ where: { id: payload.outcomes.ids[0]! } });
    expect(outcome.reportedByPartnerId).toBe(partner.id);
    expect(await prisma.credit.count({ where: { outcomeId: outcome.id, model: "SHAPLEY" } })).toBeGreaterThan(0);
    // The same ties as the admin's import, in the partner's own scope: its evidence sits on its own relationships, and
    // the public ones keep theirs.
    expect(report.entities.relationships).toMatchObject({ created: 4 });
    const interactions = await prisma.interaction.findMany({ include: { relationship: true } });
    for (const interaction of interactions)
      expect(interaction.relationship.reportedByPartnerId).toBe(interaction.reportedByPartnerId);
    expect(interactions.filter((interaction) => interaction.reportedByPartnerId === partner.id)).toHaveLength(3);
  });

  it("re-importing both files changes nothing but the audit log", async () => {
    const { prisma } = database;
    const before = await countAllTables(prisma);
    const linkedin = await importStream(prisma, {
      format: "linkedin",
      input: fixture("Connections.csv"),
      ownerPersonId: ownerId,
      source: "linkedin",
      actor,
      batchSize: 3,
    });
    const generic = await importStream(prisma, {
      format: "mixed",
      input: fixture("everything.jsonl"),
      source: "crm",
      actor,
    });
    expect(linkedin).toMatchObject({ rowsRead: 5, created: 0, updated: 0, skipped: 5, rejected: 0 });
    expect(generic).toMatchObject({ rowsRead: 19, created: 0, updated: 0, skipped: 19, rejected: 0 });
    const after = await countAllTables(prisma);
    expect(after).toEqual({ ...before, AuditEvent: before.AuditEvent! + 2 });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { entityId: generic.importId } });
    expect(audit).toMatchObject({ actorKind: "SYSTEM", action: "import", entityType: "Import" });
    expect(audit.after).toMatchObject({ status: "completed", rowsRead: 19, skipped: 19, created: 0 });
  });

  it("an updated file updates the rows that changed", async () => {
    const { prisma } = database;
    const changed = (await readFile(new URL("./fixtures/everything.jsonl", import.meta.url), "utf8"))
      .replace(`"headline":"Connector"`, `"headline":"Super-connector"`)
      .replace(`"title":"Partner"`, `"title":"Managing Partner"`);
    const before = await countAllTables(prisma);
    const report = await importStream(prisma, {
      format: "mixed",
      input: Readable.from([changed]),
      source: "crm",
      actor,
    });
    expect(report).toMatchObject({ created: 0, updated: 2, skipped: 17 });
    expect(report.entities.people.updated).toBe(1);
    expect(report.entities.memberships.updated).toBe(1);
    expect(await prisma.person.findFirstOrThrow({ where: { email: "ada@example.com" } })).toMatchObject({
      headline: "Super-connector",
      version: 2,
    });
    // The one batch that changed rows left its event; no credit moved.
    expect(await countAllTables(prisma)).toEqual({
      ...before,
      AuditEvent: before.AuditEvent! + 1,
      DomainEvent: before.DomainEvent! + 1,
    });
  });

  it("never closes a cycle in an intro chain: such links are skipped with a warning, in one batch or across batches", async () => {
    const { prisma } = database;
    const intro = (id: string, links: Record<string, string[]>) =>
      JSON.stringify({
        type: "introduction",
        id,
        connector: "p1",
        from: "p3",
        to: "p2",
        occurredAt: "2024-04-01",
        ...links,
      });
    const people = (await readFile(new URL("./fixtures/everything.jsonl", import.meta.url), "utf8"))
      .split("\n")
      .filter((line) => line.includes('"type":"person"'));
    // c1 → c2 → c3, and c3 claims to lead to c1; c4 and c5 each claim to lead to the other.
    const lines = [
      ...people,
      intro("c1", { ledTo: ["c2"] }),
      intro("c2", { ledTo: ["c3"] }),
      intro("c3", { ledTo: ["c1"] }),
      intro("c4", { ledTo: ["c5"] }),
      intro("c5", { ledTo: ["c4"] }),
    ];
    for (const batchSize of [1000, 2]) {
      const report = await importStream(prisma, {
        format: "mixed",
        input: Readable.from([lines.join("\n")]),
        source: `cycles-${batchSize}`,
        actor,
        batchSize,
      });
      const cyclic = await prisma.$queryRaw<{ found: number }[]>`
        WITH RECURSIVE walk(start, node, depth) AS (
          SELECT "earlierId", "laterId", 1 FROM "IntroductionLink"
          UNION
          SELECT w.start, k."laterId", w.depth + 1 FROM walk w JOIN "IntroductionLink" k ON k."earlierId" = w.node
          WHERE w.depth < 20
        ) SELECT 1 AS found FROM walk WHERE node = start LIMIT 1`;
      expect(cyclic, `batch size ${batchSize}`).toEqual([]);
      const warnings = report.issues.filter((issue) => /lead back to itself/.test(issue.reason));
      // One link of each would-be cycle is skipped: in one batch the latest in the file (c3 → c1, c5 → c4); across
      // batches the one that would have closed it.
      if (batchSize === 1000) expect(warnings.map((issue) => issue.line)).toEqual([lines.length - 2, lines.length]);
      expect(warnings, `batch size ${batchSize}`).toHaveLength(2);
      expect(report.entities.introductionLinks.created, `batch size ${batchSize}`).toBe(3);
    }
  });

  it("imports the good rows of a file with bad ones and reports the bad ones by line", async () => {
    const { prisma } = database;
    const reportPath = join(tmpdir(), `intrograph-import-${kind}-${Date.now()}.jsonl`);
    const people = await importStream(prisma, {
      format: "people",
      input: fixture("people-with-errors.csv"),
      source: "legacy",
      actor,
      reportPath,
    });
    expect(people).toMatchObject({ rowsRead: 6, created: 3, rejected: 3 });
    const lines = (await readFile(reportPath, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { line: 3, status: "rejected", reason: "displayName: required" },
      { line: 4, status: "rejected", reason: `email: "not-an-email" is not an email address` },
      { line: 6, status: "rejected", reason: `"ftp://example.org/hoare" is not an http(s) URL` },
    ]);
    const knuth = await prisma.person.findUniqueOrThrow({ where: { profileUrl: "https://example.org/knuth" } });
    expect(knuth).toMatchObject({ displayName: "Donald Knuth, Jr.", headline: `Art of "Programming"` });

    const relationships = await importStream(prisma, {
      format: "relationships",
      input: fixture("relationships-with-errors.csv"),
      source: "legacy",
      actor,
      batchSize: 10,
    });
    expect(relationships).toMatchObject({ rowsRead: 6, created: 2, rejected: 4 });
    expect(relationships.issues).toEqual([
      { line: 4, status: "rejected", reason: expect.stringMatching(/^kind: "FRENEMY" is not one of/) },
      { line: 7, status: "rejected", reason: `since: "not a date" is not an ISO 8601 date` },
      { line: 3, status: "rejected", reason: `unknown person "ghost"` },
      { line: 5, status: "rejected", reason: "personA and personB are the same person" },
    ]);
  });
});
