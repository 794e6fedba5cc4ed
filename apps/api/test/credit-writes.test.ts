// Credit writes through the API stay small as the ledger grows: each runs the same SQL statements on a ledger of 10 or
// of 200 unrelated outcomes, an introduction with nothing downstream recomputes nothing, concurrent writes to unrelated
// outcomes all succeed, every change of credit is an event, and each outcome's credit says how fresh it is.
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@intrograph/db";
import { databaseKinds } from "@intrograph/db/testing";
import { type JobRunner, startJobRunner } from "@intrograph/jobs/runner";
import { computeMissingCredit } from "@intrograph/ledger";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { dataOf, startTestApi, type TestApi, documentOf } from "./harness.ts";

const PERSON = `mutation ($name: String!) { createPerson(input: { displayName: $name }) {
  ... on CreatePersonSuccess { person { id } } } }`;
const CREATE_INTRO = `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) {
  __typename ... on CreateIntroductionSuccess { introduction { id version } } ... on Error { message } } }`;
const UPDATE_INTRO = `mutation ($input: UpdateIntroductionInput!) { updateIntroduction(input: $input) {
  __typename ... on Error { message } } }`;
const RECORD_OUTCOME = `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) {
  __typename ... on RecordOutcomeSuccess { outcome { id } } ... on Error { message } } }`;
const OPEN_DISPUTE = `mutation ($input: OpenCreditDisputeInput!) { openCreditDispute(input: $input) {
  __typename ... on OpenCreditDisputeSuccess { dispute { id version } } ... on Error { message } } }`;
const ADJUDICATE = `mutation ($input: AdjudicateCreditDisputeInput!) { adjudicateCreditDispute(input: $input) {
  __typename ... on Error { message } } }`;
const FRESHNESS = `query ($id: ID!, $model: CreditModel) { node(id: $id) { ... on Outcome {
  creditFreshness(model: $model) { model computedAt position stale } } } }`;
const MODEL_RUNS = `{ creditModelRuns { model computedAt position outcomes stale } }`;

interface Typename {
  __typename: string;
  message?: string;
}
interface Freshness {
  model: string;
  computedAt: string | null;
  position: string | null;
  stale: boolean;
}

const at = (day: number) => new Date(Date.UTC(2026, 2, day)).toISOString();

describe.each(databaseKinds)("credit writes (%s)", (kind) => {
  let api: TestApi;
  let prisma: PrismaClient;
  const people: string[] = [];

  beforeAll(async () => {
    api = await startTestApi(kind);
    prisma = api.database.prisma;
    for (const name of ["Ada", "Ben", "Cy", "Dee"])
      people.push(
        dataOf(await api.executeOperation(documentOf<{ createPerson: { person: { id: string } } }>(PERSON), { name }))
          .createPerson.person.id,
      );
  });
  afterAll(() => api?.close());

  const call = async <Data>(query: string, variables: Record<string, unknown>, key?: string) =>
    dataOf(await api.executeOperation(documentOf<Data>(query), variables, key === undefined ? {} : { key }));

  const introduce = async (ledFrom: string[], day: number, key?: string) => {
    const [connector, from, to] = ledFrom.length
      ? [people[1], people[2], people[3]]
      : [people[0], people[1], people[2]];
    const result = await call<{ createIntroduction: Typename & { introduction?: { id: string; version: number } } }>(
      CREATE_INTRO,
      {
        input: {
          connectorId: connector,
          fromId: from,
          toId: to,
          occurredAt: at(day),
          status: "ACCEPTED",
          fromConsentedAt: at(day),
          toConsentedAt: at(day),
          ledFromIds: ledFrom,
        },
      },
      key,
    );
    expect(result.createIntroduction.__typename, result.createIntroduction.message).toBe("CreateIntroductionSuccess");
    return result.createIntroduction.introduction!;
  };
  const recordOutcome = async (introductionIds: string[], day: number, key?: string) => {
    const result = await call<{ recordOutcome: Typename & { outcome?: { id: string } } }>(
      RECORD_OUTCOME,
      {
        input: {
          kind: "DEAL",
          title: `Deal on day ${day}`,
          value: "1200.00",
          currency: "USD",
          occurredAt: at(day),
          introductionIds,
        },
      },
      key,
    );
    expect(result.recordOutcome.__typename, result.recordOutcome.message).toBe("RecordOutcomeSuccess");
    return result.recordOutcome.outcome!.id;
  };

  /** Outcomes on chains of their own (loaded as an import would, then credited), until there are `target`. */
  async function growLedger(target: number) {
    const [a, b, c] = people.map((id) => decodeGlobalID(id).id) as [string, string, string];
    while ((await prisma.outcome.count()) < target) {
      const introduction = await prisma.introduction.create({
        data: {
          connectorId: a,
          fromId: b,
          toId: c,
          occurredAt: new Date(at(1)),
          fromConsentedAt: new Date(at(1)),
          toConsentedAt: new Date(at(1)),
        },
      });
      await prisma.outcome.create({
        data: {
          kind: "DEAL",
          title: "Unrelated",
          value: "10.00",
          currency: "USD",
          occurredAt: new Date(at(2)),
          introductions: { create: [{ introductionId: introduction.id }] },
        },
      });
    }
    await computeMissingCredit(prisma);
  }

  /** The SQL each credit-changing write runs, on a fresh chain: intro, intro grown out of it, outcome, consent, verdict. */
  async function statementsOfWrites(): Promise<Record<string, string[]>> {
    const statements: Record<string, string[]> = {};
    const recorded = async <T>(write: string, run: () => Promise<T>): Promise<T> => {
      api.resetQueries();
      const result = await run();
      statements[write] = [...api.queries];
      return result;
    };
    const first = await recorded("createIntroduction", () => introduce([], 3));
    const second = await recorded("createIntroduction (ledFrom)", () => introduce([first.id], 4));
    const outcome = await recorded("recordOutcome", () => recordOutcome([second.id], 5));
    await recorded("updateIntroduction", () =>
      call(UPDATE_INTRO, { input: { id: first.id, version: first.version, note: "consent checked" } }),
    );
    const opened = await call<{ openCreditDispute: { dispute: { id: string; version: number } } }>(OPEN_DISPUTE, {
      input: { outcomeId: outcome, introductionId: first.id, reason: "not this one", evidence: [] },
    });
    await recorded("adjudicateCreditDispute", () =>
      call(ADJUDICATE, {
        input: { id: opened.openCreditDispute.dispute.id, version: 1, verdict: "UPHOLD", resolution: "upheld" },
      }),
    );
    return statements;
  }

  it("runs the same SQL statements for each write on a ledger of 10 or of 200 other outcomes", async () => {
    await growLedger(10);
    const small = await statementsOfWrites();
    await growLedger(200);
    const large = await statementsOfWrites();
    expect(Object.keys(large)).toHaveLength(5);
    for (const [write, queries] of Object.entries(large)) expect(queries, write).toEqual(small[write]);
    // An introduction with no outcome downstream touches no credit at all.
    expect(large.createIntroduction!.some((query) => query.includes('"Credit"'))).toBe(false);
    expect(large["createIntroduction (ledFrom)"]!.some((query) => query.includes('"Credit"'))).toBe(false);
  });

  it("appends a credit.changed event per outcome whose credit moved, with ids only, private to its partner", async () => {
    const partner = await prisma.partner.create({ data: { name: `Partner ${kind}`, slug: `partner-${kind}` } });
    const { key } = await issueApiKey(prisma, { name: "partner", scopes: ["partner"], partnerId: partner.id });
    const first = await introduce([], 6, key);
    const outcome = await recordOutcome([first.id], 7, key);
    const events = await prisma.domainEvent.findMany({
      where: { type: "credit.changed", entityId: decodeGlobalID(outcome).id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ entityType: "Outcome", partnerId: partner.id });
    expect(events[0]!.payload).toEqual({
      outcomeId: decodeGlobalID(outcome).id,
      models: ["FIRST_TOUCH", "LAST_TOUCH", "LINEAR", "POSITION_BASED", "SHAPLEY", "TIME_DECAY"],
      personIds: [decodeGlobalID(people[0]!).id],
    });
    // The same write again moves nothing: no event.
    const before = await prisma.domainEvent.count({ where: { type: "credit.changed" } });
    await call(UPDATE_INTRO, { input: { id: first.id, version: first.version, note: "no change to credit" } }, key);
    expect(await prisma.domainEvent.count({ where: { type: "credit.changed" } })).toBe(before);
  });

  it("says when each outcome's credit was computed, the write it reflects, and whether MARKOV is behind", async () => {
    const first = await introduce([], 8);
    const outcome = await recordOutcome([first.id], 9);
    const freshness = async (model: string) =>
      (await call<{ node: { creditFreshness: Freshness } }>(FRESHNESS, { id: outcome, model })).node.creditFreshness;

    // Per-outcome models: computed by the write itself, whose last event is the position.
    const shapley = await freshness("SHAPLEY");
    const written = await prisma.domainEvent.findFirstOrThrow({
      where: { type: "outcome.created", entityId: decodeGlobalID(outcome).id },
    });
    const last = await prisma.domainEvent.findFirstOrThrow({ where: { txid: written.txid }, orderBy: { id: "desc" } });
    expect(shapley).toMatchObject({ model: "SHAPLEY", stale: false, position: `${last.txid}.${last.id}` });
    const credit = await prisma.credit.findFirstOrThrow({
      where: { outcomeId: decodeGlobalID(outcome).id, model: "SHAPLEY" },
    });
    expect(new Date(shapley.computedAt!)).toEqual(credit.computedAt);
    expect(Math.abs(credit.computedAt.getTime() - Date.now())).toBeLessThan(60_000);

    // MARKOV waits for its job: stale until it ran, then current with the run's position.
    expect(await freshness("MARKOV")).toMatchObject({ stale: true });
    const runner: JobRunner = await startJobRunner(api.database, { followIntervalMs: 100 });
    try {
      await runner.settled();
    } finally {
      await runner.stop();
    }
    const markov = await freshness("MARKOV");
    const run = await prisma.creditModelRun.findUniqueOrThrow({ where: { model: "MARKOV" } });
    expect(markov).toMatchObject({ stale: false, position: `${run.throughTxid}.${run.throughEventId}` });
    expect(new Date(markov.computedAt!)).toEqual(run.computedAt);
    const runs = await call<{ creditModelRuns: { model: string; stale: boolean; outcomes: number }[] }>(MODEL_RUNS, {});
    expect(runs.creditModelRuns).toEqual([
      expect.objectContaining({ model: "MARKOV", stale: false, outcomes: await prisma.outcome.count() }),
    ]);
    expect(
      (await api.executeOperation(documentOf<unknown>(MODEL_RUNS), {}, { key: null })).errors?.[0]?.extensions?.code,
    ).toBe("UNAUTHENTICATED");

    // An outcome loaded without credit says so until the start-up pass computes it.
    const loaded = await prisma.outcome.create({
      data: { kind: "HIRE", title: "Loaded", value: "1.00", currency: "USD", occurredAt: new Date(at(10)) },
    });
    const loadedFreshness = await call<{ node: { creditFreshness: Freshness } }>(FRESHNESS, {
      id: encodeGlobalID("Outcome", loaded.id),
    });
    expect(loadedFreshness.node.creditFreshness).toMatchObject({ computedAt: null, position: null, stale: true });
  });

  it.runIf(kind === "postgres")("8 concurrent writes to unrelated outcomes all succeed", async () => {
    const intros = await Promise.all(Array.from({ length: 8 }, (_, index) => introduce([], 11 + index)));
    const outcomes = await Promise.all(intros.map((intro, index) => recordOutcome([intro.id], 20 + index)));
    expect(new Set(outcomes).size).toBe(8);
    const credited = await prisma.credit.groupBy({
      by: ["outcomeId"],
      where: { outcomeId: { in: outcomes.map((id) => decodeGlobalID(id).id) }, model: "SHAPLEY" },
    });
    expect(credited).toHaveLength(8);
  });
});
