// Every write that changes credit reaches `creditChanged` subscribers over real SSE (a listening server; nothing here
// publishes an event itself: the events come from the log the writes append to), a reconnect with Last-Event-ID gets
// what it missed, and one partner never receives another's private events.
import type { Server } from "node:http";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparePositions, parsePosition } from "@intrograph/db/events";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@intrograph/db/testing";
import { type JobRunner, startJobRunner } from "@intrograph/jobs/runner";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { createApi } from "../src/server.ts";
import { dataOf, documentOf, operationExecutor, type TestApi } from "./harness.ts";
import { listen, type SseMessage, type SseStream, subscribe } from "./sse-client.ts";

const CREDIT_CHANGED = `subscription ($after: ID, $personId: ID) { creditChanged(after: $after, personId: $personId) {
  eventId outcomeId model models personIds actor changes { outcomeId models personIds } } }`;
const INTRODUCTION_CHANGED = `subscription { introductionChanged { eventId type introductionId status consented } }`;
const OUTCOME_CHANGED = `subscription { outcomeChanged { eventId type outcomeId value currency } }`;

const PERSON = `mutation ($name: String!) { createPerson(input: { displayName: $name }) {
  ... on CreatePersonSuccess { person { id version } } } }`;
const CREATE_INTRO = `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) {
  __typename ... on CreateIntroductionSuccess { introduction { id version } } ... on Error { message } } }`;
const UPDATE_INTRO = `mutation ($input: UpdateIntroductionInput!) { updateIntroduction(input: $input) {
  __typename ... on UpdateIntroductionSuccess { introduction { version } } ... on Error { message } } }`;
const RECORD_OUTCOME = `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) {
  __typename ... on RecordOutcomeSuccess { outcome { id version } } ... on Error { message } } }`;
const UPDATE_OUTCOME = `mutation ($input: UpdateOutcomeInput!) { updateOutcome(input: $input) {
  __typename ... on UpdateOutcomeSuccess { outcome { version } } ... on Error { message } } }`;
const MERGE = `mutation ($input: MergePeopleInput!) { mergePeople(input: $input) {
  __typename ... on Error { message } } }`;
const OPEN_DISPUTE = `mutation ($input: OpenCreditDisputeInput!) { openCreditDispute(input: $input) {
  __typename ... on OpenCreditDisputeSuccess { dispute { id version } } ... on Error { message } } }`;
const ADJUDICATE = `mutation ($input: AdjudicateCreditDisputeInput!) { adjudicateCreditDispute(input: $input) {
  __typename ... on Error { message } } }`;

const IMPORT = `mutation ($input: ImportFileInput!) { importFile(input: $input) {
  __typename ... on Error { message } } }`;
const REBUILD = `mutation { rebuildCredit { __typename } }`;

const at = (day: number) => new Date(Date.UTC(2026, 2, day)).toISOString();
const consented = { fromConsentedAt: at(3), toConsentedAt: at(3) };

interface Credit {
  eventId: string;
  outcomeId: string | null;
  model: string | null;
  personIds: string[];
  actor: string | null;
  changes: { outcomeId: string; personIds: string[] }[];
}
const credit = (message: SseMessage) => message.data.data?.creditChanged as Credit | undefined;
const about = (outcomeId: string) => (message: SseMessage) =>
  credit(message)?.changes.some((change) => change.outcomeId === outcomeId) ?? false;

describe.each(databaseKinds)("events over SSE (%s)", (kind) => {
  let database: TestDatabase;
  let server: Server;
  let url: string;
  let runner: JobRunner;
  let execute: TestApi["executeOperation"];
  let adminKey: string;
  let keyA: string;
  let keyB: string;
  let admin: SseStream;
  let feed: ReturnType<typeof createApi>["events"];
  const people: Record<string, { id: string; version: number }> = {};
  const intros: Record<string, { id: string; version: number }> = {};
  let outcome: { id: string; version: number };

  const call = async <Data>(query: string, variables: Record<string, unknown>, key?: string) =>
    dataOf(await execute(documentOf<Data>(query), variables, key === undefined ? {} : { key }));
  const introduce = async (name: string, input: Record<string, unknown>, key?: string) => {
    const result = await call<{
      createIntroduction: { __typename: string; message?: string; introduction: { id: string; version: number } };
    }>(CREATE_INTRO, { input: { occurredAt: at(2), ...consented, ...input } }, key);
    expect(result.createIntroduction.__typename, result.createIntroduction.message).toBe("CreateIntroductionSuccess");
    intros[name] = result.createIntroduction.introduction;
    return intros[name]!;
  };
  const recordOutcome = async (introductionIds: string[], key?: string) => {
    const result = await call<{
      recordOutcome: { __typename: string; message?: string; outcome: { id: string; version: number } };
    }>(
      RECORD_OUTCOME,
      { input: { kind: "DEAL", title: "Deal", value: "1000", currency: "USD", occurredAt: at(5), introductionIds } },
      key,
    );
    expect(result.recordOutcome.__typename, result.recordOutcome.message).toBe("RecordOutcomeSuccess");
    return result.recordOutcome.outcome;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const api = createApi({ database, rateLimit: false, events: { pollIntervalMs: 50 } });
    const { yoga } = api;
    feed = api.events;
    ({ server, url } = await listen(yoga));
    runner = await startJobRunner(database, { followIntervalMs: 100 });
    const { prisma } = database;
    adminKey = (await issueApiKey(prisma, { name: "admin", scopes: ["admin"] })).key;
    const alpha = await prisma.partner.create({ data: { name: "Alpha", slug: "alpha" } });
    const beta = await prisma.partner.create({ data: { name: "Beta", slug: "beta" } });
    keyA = (await issueApiKey(prisma, { name: "a", scopes: ["partner"], partnerId: alpha.id })).key;
    keyB = (await issueApiKey(prisma, { name: "b", scopes: ["partner"], partnerId: beta.id })).key;
    execute = operationExecutor(yoga, adminKey);
    for (const name of ["p1", "p2", "p3", "p4", "p5", "p6"])
      people[name] = (
        await call<{ createPerson: { person: { id: string; version: number } } }>(PERSON, { name })
      ).createPerson.person;
    admin = await subscribe(url, adminKey, CREDIT_CHANGED);
    expect(admin.status).toBe(200);
  });
  afterAll(async () => {
    admin?.close();
    await runner?.stop();
    server?.close();
    await database?.drop();
  });

  it("recordOutcome: the outcome's credit change arrives, with the people whose credit moved and the actor", async () => {
    await introduce("i1", { connectorId: people.p1!.id, fromId: people.p5!.id, toId: people.p6!.id });
    await introduce("i2", { connectorId: people.p2!.id, fromId: people.p5!.id, toId: people.p6!.id });
    await introduce("i3", {
      connectorId: people.p3!.id,
      fromId: people.p5!.id,
      toId: people.p6!.id,
      ledFromIds: [intros.i1!.id, intros.i2!.id],
    });
    outcome = await recordOutcome([intros.i3!.id]);
    const event = credit(await admin.waitFor(about(outcome.id)))!;
    expect(event.outcomeId).toBe(outcome.id);
    expect(event.personIds.sort()).toEqual([people.p1!.id, people.p2!.id, people.p3!.id].sort());
    expect(event.actor).toMatch(/^key:/);
  });

  it("updateOutcome", async () => {
    const seen = admin.messages.length;
    const result = await call<{ updateOutcome: { __typename: string; outcome: { version: number } } }>(UPDATE_OUTCOME, {
      input: { id: outcome.id, version: outcome.version, value: "2000" },
    });
    expect(result.updateOutcome.__typename).toBe("UpdateOutcomeSuccess");
    outcome.version = result.updateOutcome.outcome.version;
    await admin.waitFor(
      (message) =>
        admin.messages.indexOf(message) >= seen && about(outcome.id)(message) && credit(message)!.model === null,
    );
  });

  it("updateIntroduction (consent withdrawn)", async () => {
    const seen = admin.messages.length;
    const result = await call<{ updateIntroduction: { __typename: string } }>(UPDATE_INTRO, {
      input: { id: intros.i1!.id, version: intros.i1!.version, fromConsentedAt: null },
    });
    expect(result.updateIntroduction.__typename).toBe("UpdateIntroductionSuccess");
    const event = credit(
      await admin.waitFor(
        (message) =>
          admin.messages.indexOf(message) >= seen && about(outcome.id)(message) && credit(message)!.model === null,
      ),
    )!;
    expect(event.personIds).toContain(people.p1!.id);
  });

  it("createIntroduction: the MARKOV run it queues sends one combined event", async () => {
    const seen = admin.messages.length;
    await introduce("i4", { connectorId: people.p2!.id, fromId: people.p6!.id, toId: people.p5!.id });
    const event = credit(
      await admin.waitFor(
        (message) => admin.messages.indexOf(message) >= seen && credit(message)?.model === "MARKOV",
        50_000,
      ),
    )!;
    expect(event.changes.map((change) => change.outcomeId)).toContain(outcome.id);
    expect(event.actor).toBe("job:credit-markov");
  });

  it("mergePeople", async () => {
    const seen = admin.messages.length;
    const result = await call<{ mergePeople: { __typename: string; message?: string } }>(MERGE, {
      input: {
        survivorId: people.p2!.id,
        survivorVersion: people.p2!.version,
        mergedId: people.p3!.id,
        mergedVersion: people.p3!.version,
      },
    });
    expect(result.mergePeople.__typename, result.mergePeople.message).toBe("MergePeopleSuccess");
    const event = credit(
      await admin.waitFor(
        (message) =>
          admin.messages.indexOf(message) >= seen && about(outcome.id)(message) && credit(message)!.model === null,
      ),
    )!;
    expect(event.personIds).toContain(people.p3!.id);
  });

  it("adjudicateCreditDispute (upheld)", async () => {
    const seen = admin.messages.length;
    const opened = await call<{ openCreditDispute: { __typename: string; dispute: { id: string; version: number } } }>(
      OPEN_DISPUTE,
      { input: { outcomeId: outcome.id, introductionId: intros.i3!.id, reason: "not theirs", evidence: [] } },
    );
    expect(opened.openCreditDispute.__typename).toBe("OpenCreditDisputeSuccess");
    const { id, version } = opened.openCreditDispute.dispute;
    await call(ADJUDICATE, { input: { id, version, verdict: "UPHOLD", resolution: "confirmed" } });
    await admin.waitFor(
      (message) =>
        admin.messages.indexOf(message) >= seen && about(outcome.id)(message) && credit(message)!.model === null,
    );
  });

  it("importFile: each batch's credit change", async () => {
    const seen = admin.messages.length;
    const content = [
      { type: "person", id: "a", displayName: "Imported Ada" },
      { type: "person", id: "b", displayName: "Imported Ben" },
      { type: "person", id: "c", displayName: "Imported Cy" },
      {
        type: "introduction",
        id: "n",
        connector: "a",
        from: "b",
        to: "c",
        occurredAt: "2024-04-01",
        fromConsentedAt: "2024-04-02",
        toConsentedAt: "2024-04-02",
      },
      {
        type: "outcome",
        id: "x",
        kind: "DEAL",
        title: "Imported deal",
        value: "500.00",
        currency: "USD",
        occurredAt: "2024-06-01",
        introductions: ["n"],
      },
    ]
      .map((row) => JSON.stringify(row))
      .join("\n");
    const result = await call<{ importFile: { __typename: string; message?: string } }>(IMPORT, {
      input: { format: "MIXED", content, source: "crm" },
    });
    expect(result.importFile.__typename, result.importFile.message).toBe("ImportFileSuccess");
    const imported = await database.prisma.outcome.findFirstOrThrow({ where: { title: "Imported deal" } });
    const event = await admin.waitFor(
      (message) =>
        admin.messages.indexOf(message) >= seen &&
        credit(message)?.model === null &&
        about(encodeGlobalID("Outcome", imported.id))(message),
    );
    expect(credit(event)!.actor).toMatch(/^key:/);
  });

  it("rebuildCredit: outcomes whose stored credit was wrong are announced", async () => {
    const seen = admin.messages.length;
    const imported = await database.prisma.outcome.findFirstOrThrow({ where: { title: "Imported deal" } });
    // Credit rows lost (a restore from an old backup): the rebuild puts them back, and says so.
    expect((await database.prisma.credit.deleteMany({ where: { outcomeId: imported.id } })).count).toBeGreaterThan(0);
    await call(REBUILD, {});
    await admin.waitFor(
      (message) =>
        admin.messages.indexOf(message) >= seen &&
        credit(message)?.model === null &&
        about(encodeGlobalID("Outcome", imported.id))(message),
    );
  });

  it("a reconnect with Last-Event-ID receives what it missed, and nothing it had", async () => {
    const first = await subscribe(url, adminKey, CREDIT_CHANGED);
    const before = await recordOutcome([intros.i2!.id]);
    const seen = await first.waitFor(about(before.id));
    // Nothing it had: only events after the one it saw (a later MARKOV run may name `before` again, legitimately).
    const after = (last: SseMessage) => (message: SseMessage) =>
      comparePositions(parsePosition(message.id!)!, parsePosition(last.id!)!) > 0;
    first.close();
    // Written while nobody listens.
    const missed = await recordOutcome([intros.i4!.id]);
    const again = await subscribe(url, adminKey, CREDIT_CHANGED, {}, { "last-event-id": seen.id! });
    const caughtUp = await again.waitFor(about(missed.id));
    expect(again.messages.every(after(seen))).toBe(true);
    expect(again.messages.every((message) => message.id !== null)).toBe(true);
    expect(caughtUp.id).toBe(credit(caughtUp)!.eventId);
    again.close();

    // As an EventSource reconnects: GET, the query in the URL, Last-Event-ID.
    const eventSource = await subscribe(url, adminKey, CREDIT_CHANGED, {}, { "last-event-id": seen.id! }, "GET");
    expect(eventSource.status).toBe(200);
    await eventSource.waitFor(about(missed.id));
    expect(eventSource.messages.every(after(seen))).toBe(true);
    eventSource.close();

    // The same through the `after` argument.
    const viaArgument = await subscribe(url, adminKey, CREDIT_CHANGED, { after: seen.id });
    await viaArgument.waitFor(about(missed.id));
    expect(viaArgument.messages.every(after(seen))).toBe(true);
    viaArgument.close();
  });

  it("a client that goes away is forgotten at once, without waiting for another event", async () => {
    const count = async (expected: number) => {
      const deadline = Date.now() + 15_000;
      while (feed.subscriberCount !== expected && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      return feed.subscriberCount;
    };
    // The streams earlier tests closed are gone; `admin` is open.
    expect(await count(1)).toBe(1);
    const stream = await subscribe(url, keyA, OUTCOME_CHANGED);
    expect(feed.subscriberCount).toBe(2);
    stream.close();
    expect(await count(1)).toBe(1);
  });

  it("a malformed event id is BAD_USER_INPUT", async () => {
    const stream = await subscribe(url, adminKey, CREDIT_CHANGED, { after: "yesterday" });
    const message = await stream.waitFor(() => true);
    expect(message.data.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    stream.close();
  });

  it("introduction and outcome events arrive too", async () => {
    const introductions = await subscribe(url, adminKey, INTRODUCTION_CHANGED);
    const outcomes = await subscribe(url, adminKey, OUTCOME_CHANGED);
    const intro = await introduce("i5", { connectorId: people.p4!.id, fromId: people.p5!.id, toId: people.p6!.id });
    const recorded = await recordOutcome([intro.id]);
    await introductions.waitFor(
      (message) => (message.data.data?.introductionChanged as { introductionId: string })?.introductionId === intro.id,
    );
    await outcomes.waitFor(
      (message) => (message.data.data?.outcomeChanged as { outcomeId: string })?.outcomeId === recorded.id,
    );
    introductions.close();
    outcomes.close();
  });

  it("partner B never receives partner A's private events; A receives its own", async () => {
    const streamA = await subscribe(url, keyA, CREDIT_CHANGED);
    const streamB = await subscribe(url, keyB, CREDIT_CHANGED);
    const introB = await subscribe(url, keyB, INTRODUCTION_CHANGED);
    const privateIntro = await introduce(
      "a1",
      { connectorId: people.p4!.id, fromId: people.p5!.id, toId: people.p6!.id },
      keyA,
    );
    const privateOutcome = await recordOutcome([privateIntro.id], keyA);
    await streamA.waitFor(about(privateOutcome.id));
    // A public write after A's: once B has it, B would have had A's (the log is read in order).
    const publicOutcome = await recordOutcome([intros.i2!.id]);
    await streamB.waitFor(about(publicOutcome.id));
    await streamA.waitFor(about(publicOutcome.id));
    expect(streamB.messages.some(about(privateOutcome.id))).toBe(false);
    expect(JSON.stringify(streamB.messages)).not.toContain(privateIntro.id);
    expect(JSON.stringify(introB.messages)).not.toContain(privateIntro.id);
    for (const stream of [streamA, streamB, introB]) stream.close();
  });
});
