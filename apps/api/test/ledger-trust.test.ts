// A ledger people can trust over time: credit history with causes (append-only in the database itself), credit that
// locks, consent that can be withdrawn, opting out of warm-intro paths, erasure that leaves no trace of a person's
// identity anywhere while everyone's credit stays as it was, and export.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const CreatePerson = graphql(/* GraphQL */ `
  mutation TrustCreatePerson($input: CreatePersonInput!) {
    createPerson(input: $input) { __typename ... on CreatePersonSuccess { person { id version } } }
  }
`);
const CreateRelationship = graphql(/* GraphQL */ `
  mutation TrustCreateRelationship($input: CreateRelationshipInput!) {
    createRelationship(input: $input) { __typename ... on CreateRelationshipSuccess { relationship { id } } }
  }
`);
const CreateIntroduction = graphql(/* GraphQL */ `
  mutation TrustCreateIntroduction($input: CreateIntroductionInput!) {
    createIntroduction(input: $input) {
      __typename
      ... on CreateIntroductionSuccess { introduction { id version } }
    }
  }
`);
const RecordOutcome = graphql(/* GraphQL */ `
  mutation TrustRecordOutcome($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) {
      __typename
      ... on RecordOutcomeSuccess { outcome { id version creditLocksAt creditLocked } }
    }
  }
`);
const OutcomeHistory = graphql(/* GraphQL */ `
  query TrustOutcomeHistory($id: ID!) {
    node(id: $id) {
      ... on Outcome {
        creditLocked
        credit(model: SHAPLEY) { amount person { id } }
        creditHistory(model: SHAPLEY, first: 100) {
          edges { node { person { id } amount previousAmount cause causeId actor recordedAt } }
        }
      }
    }
  }
`);
const WithdrawConsent = graphql(/* GraphQL */ `
  mutation TrustWithdrawConsent($input: WithdrawIntroductionConsentInput!) {
    withdrawIntroductionConsent(input: $input) {
      __typename
      ... on Error { message }
      ... on WithdrawIntroductionConsentSuccess { introduction { version consented } }
    }
  }
`);
const UpdateIntroduction = graphql(/* GraphQL */ `
  mutation TrustUpdateIntroduction($input: UpdateIntroductionInput!) {
    updateIntroduction(input: $input) {
      __typename
      ... on UpdateIntroductionSuccess { introduction { version consented } }
    }
  }
`);
const LockOutcome = graphql(/* GraphQL */ `
  mutation TrustLockOutcome($input: LockOutcomeCreditInput!) {
    lockOutcomeCredit(input: $input) {
      __typename
      ... on LockOutcomeCreditSuccess { outcome { version creditLocked } }
    }
  }
`);
const UpdateOutcome = graphql(/* GraphQL */ `
  mutation TrustUpdateOutcome($input: UpdateOutcomeInput!) {
    updateOutcome(input: $input) {
      __typename
      ... on Error { message }
      ... on CreditLockedError { outcomeId lockedAt }
      ... on UpdateOutcomeSuccess { outcome { version title } }
    }
  }
`);
const OpenDispute = graphql(/* GraphQL */ `
  mutation TrustOpenDispute($input: OpenCreditDisputeInput!) {
    openCreditDispute(input: $input) { __typename ... on OpenCreditDisputeSuccess { dispute { id version } } }
  }
`);
const Adjudicate = graphql(/* GraphQL */ `
  mutation TrustAdjudicate($input: AdjudicateCreditDisputeInput!) {
    adjudicateCreditDispute(input: $input) { __typename }
  }
`);
const Rebuild = graphql(/* GraphQL */ `
  mutation TrustRebuild {
    rebuildCredit { __typename }
  }
`);
const LeaderboardAsOf = graphql(/* GraphQL */ `
  query TrustLeaderboardAsOf($asOf: DateTime) {
    connectorLeaderboard(model: SHAPLEY, currency: "USD", asOf: $asOf, first: 10) {
      edges { node { amount outcomes person { id } } }
    }
  }
`);
const PersonCreditAsOf = graphql(/* GraphQL */ `
  query TrustPersonCreditAsOf($id: ID!, $asOf: DateTime) {
    node(id: $id) { ... on Person { credit(model: SHAPLEY, asOf: $asOf) { totals { amount } } } }
  }
`);
const Paths = graphql(/* GraphQL */ `
  query TrustPaths($from: ID!, $to: ID!) {
    warmIntroPaths(from: $from, to: $to, k: 3) {
      __typename
      ... on WarmIntroPathsSuccess { paths { people { id } } }
    }
  }
`);
const OptOut = graphql(/* GraphQL */ `
  mutation TrustOptOut($input: SetPathsOptOutInput!) {
    setPathsOptOut(input: $input) { __typename ... on SetPathsOptOutSuccess { person { version pathsOptOut } } }
  }
`);
const Erase = graphql(/* GraphQL */ `
  mutation TrustErase($input: ErasePersonInput!) {
    erasePerson(input: $input) {
      __typename
      ... on Error { message }
      ... on ErasePersonSuccess { person { displayName email profileUrl erasedAt } }
    }
  }
`);
const Export = graphql(/* GraphQL */ `
  query TrustExport($id: ID!) {
    personExport(id: $id)
  }
`);

const USD_2026 = { currency: "USD", occurredAt: "2026-06-01T00:00:00Z" };
const consented = { fromConsentedAt: "2026-03-02T00:00:00Z", toConsentedAt: "2026-03-02T00:00:00Z" };

describe.each(databaseKinds)("a ledger people can trust, on %s", (kind) => {
  let api: TestApi;
  let prisma: TestApi["database"]["prisma"];
  type Versioned = { id: string; version: number };
  const person = {} as Record<"ana" | "ben" | "cy" | "dee" | "eve", Versioned>;
  const intro = {} as Record<"anaBenCy" | "deeCyEve", Versioned>;
  const versioned = (record: { id: string; version: number | null }): Versioned => ({
    id: record.id,
    version: record.version ?? 0,
  });
  let outcomeId = "";
  const raw = (globalId: string) => Buffer.from(globalId, "base64").toString().split(":")[1]!;

  async function history(id: string) {
    const outcome = dataOf(await api.executeOperation(OutcomeHistory, { id })).node;
    if (!outcome || !("creditHistory" in outcome)) throw new Error("outcome not found");
    return outcome;
  }
  const amountOf = (outcome: Awaited<ReturnType<typeof history>>, personId: string) =>
    outcome.credit?.find((row) => row.person?.id === personId)?.amount ?? "0";

  beforeAll(async () => {
    api = await startTestApi(kind);
    prisma = api.database.prisma;
    for (const [key, displayName, extra] of [
      ["ana", "Ana Quarrington", {}],
      [
        "ben",
        "Benedikt Zelazny-Orr",
        { email: "ben.zelazny@example.org", profileUrl: "https://example.org/in/ben-zo" },
      ],
      ["cy", "Cyrus Oyelaran", {}],
      ["dee", "Deirdre Vantongeren", {}],
      ["eve", "Evangeline Marsh", {}],
    ] as const) {
      const created = ofType(
        dataOf(await api.executeOperation(CreatePerson, { input: { displayName, ...extra } })).createPerson,
        "CreatePersonSuccess",
      );
      person[key] = versioned(created.person);
    }
    await prisma.socialAccount.create({
      data: { personId: raw(person.ben.id), platform: "X", handle: "benzo_connects", followers: 120 },
    });
    for (const [a, b] of [
      ["ben", "cy"],
      ["cy", "eve"],
    ] as const) {
      ofType(
        dataOf(
          await api.executeOperation(CreateRelationship, {
            input: {
              personId: person[a].id,
              otherPersonId: person[b].id,
              interactions: [
                { kind: "MEETING", occurredAt: "2026-01-05T00:00:00Z", note: "Benedikt Zelazny-Orr joined the call" },
              ],
            },
          }),
        ).createRelationship,
        "CreateRelationshipSuccess",
      );
    }
    const first = ofType(
      dataOf(
        await api.executeOperation(CreateIntroduction, {
          input: {
            connectorId: person.ana.id,
            fromId: person.ben.id,
            toId: person.cy.id,
            occurredAt: "2026-03-01T00:00:00Z",
            note: "Ana thinks ben.zelazny@example.org and Cyrus should talk",
            ...consented,
          },
        }),
      ).createIntroduction,
      "CreateIntroductionSuccess",
    );
    intro.anaBenCy = versioned(first.introduction);
    const second = ofType(
      dataOf(
        await api.executeOperation(CreateIntroduction, {
          input: {
            connectorId: person.dee.id,
            fromId: person.cy.id,
            toId: person.eve.id,
            occurredAt: "2026-04-01T00:00:00Z",
            ledFromIds: [first.introduction.id],
            fromConsentedAt: "2026-04-02T00:00:00Z",
            toConsentedAt: "2026-04-02T00:00:00Z",
          },
        }),
      ).createIntroduction,
      "CreateIntroductionSuccess",
    );
    intro.deeCyEve = versioned(second.introduction);
    const outcome = ofType(
      dataOf(
        await api.executeOperation(RecordOutcome, {
          input: {
            kind: "DEAL",
            title: "Marsh & Oyelaran supply deal",
            value: "1000.00",
            ...USD_2026,
            introductionIds: [second.introduction.id],
          },
        }),
      ).recordOutcome,
      "RecordOutcomeSuccess",
    );
    outcomeId = outcome.outcome.id;
  });
  afterAll(() => api?.close());

  it("records each allocation as it is made, with its cause, and locks a period after the outcome is recorded", async () => {
    const outcome = await history(outcomeId);
    expect(outcome.creditLocked).toBe(false);
    const entries = nodesOf(outcome.creditHistory);
    expect(entries.map((entry) => entry.cause)).toEqual(["OUTCOME_RECORDED", "OUTCOME_RECORDED"]);
    expect(entries.every((entry) => entry.causeId === outcomeId && entry.actor)).toBe(true);
    for (const entry of entries) {
      expect(entry.previousAmount).toBe("0.00");
      expect(entry.amount).toBe(amountOf(outcome, entry.person?.id ?? ""));
    }
    const stored = await prisma.outcome.findUniqueOrThrow({ where: { id: raw(outcomeId) } });
    // Recorded today, long after it happened: the whole 90-day period runs from the recording.
    const expected = stored.createdAt.getTime() + 90 * 86_400_000;
    expect(stored.creditLocksAt!.getTime()).toBe(expected);
  });

  it("moves credit when a side withdraws consent, records who and when, and still answers as of before", async () => {
    const before = await history(outcomeId);
    const anaBefore = amountOf(before, person.ana.id);
    expect(Number(anaBefore)).toBeGreaterThan(0);
    const asOf = new Date().toISOString();
    const withdrawn = ofType(
      dataOf(
        await api.executeOperation(WithdrawConsent, {
          input: { id: intro.anaBenCy.id, version: intro.anaBenCy.version, side: "FROM", reason: "no longer wants it" },
        }),
      ).withdrawIntroductionConsent,
      "WithdrawIntroductionConsentSuccess",
    );
    intro.anaBenCy.version = withdrawn.introduction.version ?? 0;
    expect(withdrawn.introduction.consented).toBe(false);
    const after = await history(outcomeId);
    expect(amountOf(after, person.ana.id)).toBe("0");
    const entry = nodesOf(after.creditHistory).find(
      (row) => row.cause === "CONSENT_WITHDRAWN" && row.person?.id === person.ana.id,
    );
    expect(entry).toMatchObject({ previousAmount: anaBefore, amount: "0.00", causeId: intro.anaBenCy.id });
    const consent = await prisma.consentChange.findMany({ where: { introductionId: raw(intro.anaBenCy.id) } });
    expect(consent).toEqual([
      expect.objectContaining({
        side: "FROM",
        action: "WITHDRAWN",
        reason: "no longer wants it",
        recordedBy: expect.any(String),
      }),
    ]);

    const then = dataOf(await api.executeOperation(LeaderboardAsOf, { asOf })).connectorLeaderboard;
    expect(nodesOf(then).find((row) => row.person?.id === person.ana.id)?.amount).toBe(anaBefore);
    const now = dataOf(await api.executeOperation(LeaderboardAsOf, { asOf: null })).connectorLeaderboard;
    expect(nodesOf(now).some((row) => row.person?.id === person.ana.id)).toBe(false);
    const credit = dataOf(await api.executeOperation(PersonCreditAsOf, { id: person.ana.id, asOf })).node;
    expect(credit && "credit" in credit ? credit.credit?.totals : null).toEqual([{ amount: anaBefore }]);

    const twice = dataOf(
      await api.executeOperation(WithdrawConsent, {
        input: { id: intro.anaBenCy.id, version: intro.anaBenCy.version, side: "FROM" },
      }),
    ).withdrawIntroductionConsent;
    expect(twice?.__typename).toBe("ValidationError");
  });

  it("keeps history rows as they are: the database refuses UPDATE, DELETE and TRUNCATE to everyone", async () => {
    const count = await prisma.creditHistory.count();
    await expect(prisma.creditHistory.updateMany({ data: { amount: 1 } })).rejects.toThrow(/append-only/);
    await expect(prisma.creditHistory.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE "CreditHistory"`)).rejects.toThrow(/append-only/);
    expect(await prisma.creditHistory.count()).toBe(count);
  });

  it.runIf(kind === "postgres")("lets a role without ownership insert and read history, and nothing else", async () => {
    const role = `intrograph_api_${Date.now()}`;
    await prisma.$executeRawUnsafe(`CREATE ROLE ${role} NOLOGIN`);
    try {
      await prisma.$executeRawUnsafe(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await prisma.$executeRawUnsafe(`GRANT SELECT, INSERT ON "CreditHistory" TO ${role}`);
      await prisma.$executeRawUnsafe(`GRANT USAGE ON SEQUENCE "CreditHistory_id_seq" TO ${role}`);
      const asRole = (sql: string) =>
        prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL ROLE ${role}`);
          return tx.$queryRawUnsafe<unknown[]>(sql);
        });
      expect(await asRole(`SELECT count(*)::int AS n FROM "CreditHistory"`)).toHaveLength(1);
      // The trigger would refuse these too; the role is refused before it gets there.
      await expect(asRole(`UPDATE "CreditHistory" SET amount = 0 RETURNING id`)).rejects.toThrow(/permission denied/);
      await expect(asRole(`DELETE FROM "CreditHistory" RETURNING id`)).rejects.toThrow(/permission denied/);
      await expect(asRole(`ALTER TABLE "CreditHistory" DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
    } finally {
      await prisma.$executeRawUnsafe(`REVOKE ALL ON "CreditHistory" FROM ${role}`);
      await prisma.$executeRawUnsafe(`REVOKE ALL ON SEQUENCE "CreditHistory_id_seq" FROM ${role}`);
      await prisma.$executeRawUnsafe(`REVOKE ALL ON SCHEMA public FROM ${role}`);
      await prisma.$executeRawUnsafe(`DROP ROLE ${role}`);
    }
  });

  it("freezes a locked outcome's credit: writes are refused, consent and rebuilds leave it, a dispute changes it", async () => {
    // Consent given again: the chain is complete and both connectors earn credit once more.
    const given = ofType(
      dataOf(
        await api.executeOperation(UpdateIntroduction, {
          input: { id: intro.anaBenCy.id, version: intro.anaBenCy.version, fromConsentedAt: "2026-05-01T00:00:00Z" },
        }),
      ).updateIntroduction,
      "UpdateIntroductionSuccess",
    );
    expect(given.introduction.consented).toBe(true);
    const regained = await history(outcomeId);
    expect(Number(amountOf(regained, person.dee.id))).toBeGreaterThan(0);
    expect(nodesOf(regained.creditHistory).at(-1)?.cause).toBe("CONSENT_GIVEN");
    const locked = ofType(
      dataOf(await api.executeOperation(LockOutcome, { input: { id: outcomeId } })).lockOutcomeCredit,
      "LockOutcomeCreditSuccess",
    );
    expect(locked.outcome.creditLocked).toBe(true);
    const refused = dataOf(
      await api.executeOperation(UpdateOutcome, {
        input: { id: outcomeId, version: locked.outcome.version ?? 0, value: "2000.00" },
      }),
    ).updateOutcome;
    expect(refused).toMatchObject({ __typename: "CreditLockedError", outcomeId });
    const stored = await prisma.outcome.findUniqueOrThrow({ where: { id: raw(outcomeId) } });
    expect(stored.value.toFixed(2)).toBe("1000.00");
    // Cosmetic fields still change.
    const retitled = dataOf(
      await api.executeOperation(UpdateOutcome, {
        input: { id: outcomeId, version: locked.outcome.version ?? 0, title: "Supply deal" },
      }),
    ).updateOutcome;
    expect(retitled?.__typename).toBe("UpdateOutcomeSuccess");

    const frozen = await history(outcomeId);
    const credit = await prisma.credit.findMany({ where: { outcomeId: raw(outcomeId) }, orderBy: { id: "asc" } });
    ofType(
      dataOf(
        await api.executeOperation(WithdrawConsent, {
          input: { id: intro.deeCyEve.id, version: intro.deeCyEve.version, side: "TO" },
        }),
      ).withdrawIntroductionConsent,
      "WithdrawIntroductionConsentSuccess",
    );
    expect(dataOf(await api.executeOperation(Rebuild)).rebuildCredit?.__typename).toBe("RebuildCreditSuccess");
    const after = await prisma.credit.findMany({ where: { outcomeId: raw(outcomeId) }, orderBy: { id: "asc" } });
    expect(after.map((row) => [row.personId, row.model, row.amount.toFixed()])).toEqual(
      credit.map((row) => [row.personId, row.model, row.amount.toFixed()]),
    );
    expect(nodesOf((await history(outcomeId)).creditHistory)).toHaveLength(nodesOf(frozen.creditHistory).length);

    const dispute = ofType(
      dataOf(
        await api.executeOperation(OpenDispute, {
          input: { outcomeId, introductionId: intro.deeCyEve.id, reason: "Dee's intro was declined", evidence: [] },
        }),
      ).openCreditDispute,
      "OpenCreditDisputeSuccess",
    );
    expect(
      dataOf(
        await api.executeOperation(Adjudicate, {
          input: {
            id: dispute.dispute.id,
            version: dispute.dispute.version ?? 0,
            verdict: "UPHOLD",
            resolution: "agreed",
          },
        }),
      ).adjudicateCreditDispute?.__typename,
    ).toBe("AdjudicateCreditDisputeSuccess");
    const adjudicated = await history(outcomeId);
    expect(amountOf(adjudicated, person.dee.id)).toBe("0");
    expect(nodesOf(adjudicated.creditHistory)).toContainEqual(
      expect.objectContaining({
        cause: "DISPUTE_ADJUDICATED",
        causeId: dispute.dispute.id,
        person: { id: person.dee.id },
        amount: "0.00",
      }),
    );
  });

  it("leaves a person who opted out off every warm-intro path", async () => {
    const paths = async () =>
      ofType(
        dataOf(await api.executeOperation(Paths, { from: person.ben.id, to: person.eve.id })).warmIntroPaths,
        "WarmIntroPathsSuccess",
      ).paths;
    expect((await paths()).map((path) => path.people?.map((p) => p.id))).toEqual([
      [person.ben.id, person.cy.id, person.eve.id],
    ]);
    const optedOut = ofType(
      dataOf(
        await api.executeOperation(OptOut, { input: { id: person.cy.id, version: person.cy.version, optOut: true } }),
      ).setPathsOptOut,
      "SetPathsOptOutSuccess",
    );
    person.cy.version = optedOut.person.version ?? 0;
    expect(optedOut.person.pathsOptOut).toBe(true);
    expect(await paths()).toEqual([]);
  });

  it("exports everything stored about a person, then erases every trace of their identity and no one's credit moves", async () => {
    const exported = dataOf(await api.executeOperation(Export, { id: person.ben.id })).personExport as {
      person: { email: string };
      socialAccounts: { handle: string }[];
      introductions: unknown[];
      relationships: unknown[];
    };
    expect(exported.person.email).toBe("ben.zelazny@example.org");
    expect(exported.socialAccounts.map((account) => account.handle)).toEqual(["benzo_connects"]);
    expect(exported.introductions).toHaveLength(1);
    expect(exported.relationships).toHaveLength(1);

    const traces = [
      "Benedikt Zelazny-Orr",
      "ben.zelazny@example.org",
      "https://example.org/in/ben-zo",
      "benzo_connects",
    ];
    expect(await columnsContaining(traces)).not.toEqual([]);
    const creditBefore = await prisma.credit.findMany({
      orderBy: [{ outcomeId: "asc" }, { personId: "asc" }, { model: "asc" }],
    });
    const historyBefore = await prisma.creditHistory.count();

    const refused = dataOf(
      await api.executeOperation(Erase, {
        input: { id: person.ben.id, version: person.ben.version, irreversible: false },
      }),
    ).erasePerson;
    expect(refused?.__typename).toBe("ValidationError");
    const erased = ofType(
      dataOf(
        await api.executeOperation(Erase, {
          input: { id: person.ben.id, version: person.ben.version, irreversible: true },
        }),
      ).erasePerson,
      "ErasePersonSuccess",
    );
    expect(erased.person).toMatchObject({ email: null, profileUrl: null, erasedAt: expect.any(String) });
    expect(erased.person.displayName).toMatch(/^Erased person /);

    expect(await columnsContaining(traces)).toEqual([]);
    const creditAfter = await prisma.credit.findMany({
      orderBy: [{ outcomeId: "asc" }, { personId: "asc" }, { model: "asc" }],
    });
    expect(creditAfter.map((row) => [row.outcomeId, row.personId, row.model, row.amount.toFixed()])).toEqual(
      creditBefore.map((row) => [row.outcomeId, row.personId, row.model, row.amount.toFixed()]),
    );
    expect(await prisma.creditHistory.count()).toBe(historyBefore);
    const audit = await prisma.auditEvent.findFirst({
      where: { action: "person.erase", entityId: raw(person.ben.id) },
    });
    expect(audit).not.toBeNull();
  });

  /** Every text or JSON column of every table in every schema of the database that holds any of `values`. */
  async function columnsContaining(values: string[]): Promise<string[]> {
    const columns = await prisma.$queryRaw<{ schema: string; table: string; column: string }[]>`
      SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`;
    const found: string[] = [];
    for (const { schema, table, column } of columns) {
      const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${schema}"."${table}" WHERE ${values
          .map((_, index) => `"${column}"::text ILIKE '%' || $${index + 1} || '%'`)
          .join(" OR ")}`,
        ...values,
      );
      if (rows[0]!.n > 0) found.push(`${schema}.${table}.${column}`);
    }
    return found;
  }
});
