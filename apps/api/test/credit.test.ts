// Connector credit through GraphQL: the leaderboard and explanations on demo data, and hand-built intro chains whose
// credit is known exactly — recomputed on consent, dispute verdicts and new outcomes, and equal to a full rebuild.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { loadDemoData } from "@intrograph/db/seed";
import { type JobRunner, startJobRunner } from "@intrograph/jobs/runner";
import { rebuildCredit } from "@intrograph/ledger";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const Leaderboard = graphql(/* GraphQL */ `
  query Leaderboard($model: CreditModel, $currency: String, $first: Int, $after: String) {
    connectorLeaderboard(model: $model, currency: $currency, first: $first, after: $after) {
      edges { cursor node { rank amount currency outcomes person { id displayName } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
const PersonCredit = graphql(/* GraphQL */ `
  query PersonCredit($id: ID!) { node(id: $id) { __typename ... on Person { displayName credit(model: SHAPLEY) {
      model outcomeCount totals { currency amount outcomes }
      allocations(first: 3) { edges { node { amount currency share shareExact summary outcomeSummary explanation model outcome { title value } person { id } } } }
    } } } }
`);
const OutcomeCreditByModel = graphql(/* GraphQL */ `
  query OutcomeCreditByModel { outcomes(first: 30) { edges { node { value currency
      shapley: credit { amount } linear: credit(model: LINEAR) { amount } markov: credit(model: MARKOV) { amount }
      timeDecay: credit(model: TIME_DECAY) { amount } creditSummary } } } }
`);
const IntroductionChain = graphql(/* GraphQL */ `
  query IntroductionChain($id: ID!) { node(id: $id) { __typename ... on Introduction { chain { upstreamIds downstreamIds nodes { id } edges { earlierId laterId } outcomes { id } } } } }
`);

describe("credit on the demo network (PGlite)", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi("pglite");
    await loadDemoData(api.database.prisma, { scale: 0.1 });
    await rebuildCredit(api.database.prisma);
  });
  afterAll(() => api.close());

  it("ranks connectors by credit, paginated, amounts descending", async () => {
    const first = dataOf(await api.executeOperation(Leaderboard, { currency: "USD", first: 5 })).connectorLeaderboard;
    const entries = nodesOf(first);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.map((entry) => entry.rank)).toEqual(entries.map((_, i) => i + 1));
    const amounts = entries.map((entry) => Number(entry.amount));
    expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
    expect(entries[0]?.person?.displayName).toBeTruthy();
    if (first?.pageInfo.hasNextPage) {
      const next = dataOf(
        await api.executeOperation(Leaderboard, { currency: "USD", first: 5, after: first.pageInfo.endCursor }),
      ).connectorLeaderboard;
      expect(next?.edges[0]?.node?.rank).toBe(6);
      expect(Number(next?.edges[0]?.node?.amount)).toBeLessThanOrEqual(amounts[4]!);
    }
  });

  it("answers every model", async () => {
    for (const model of [
      "SHAPLEY",
      "LINEAR",
      "FIRST_TOUCH",
      "LAST_TOUCH",
      "POSITION_BASED",
      "TIME_DECAY",
      "MARKOV",
    ] as const) {
      const data = dataOf(await api.executeOperation(Leaderboard, { model, currency: "USD", first: 3 }));
      expect(data.connectorLeaderboard?.edges.length, model).toBeGreaterThan(0);
    }
  });

  it("shows a person's credit with totals and explained allocations", async () => {
    const leaderboard = dataOf(await api.executeOperation(Leaderboard, { currency: "USD", first: 1 }));
    const top = nodesOf(leaderboard.connectorLeaderboard)[0]!;
    const data = dataOf(await api.executeOperation(PersonCredit, { id: top.person!.id }));
    const credit = ofType(data.node, "Person").credit!;
    expect(credit.outcomeCount).toBeGreaterThan(0);
    expect(credit.totals?.find((total) => total.currency === "USD")?.amount).toBe(top.amount);
    const allocation = nodesOf(credit.allocations)[0]!;
    expect(allocation.person?.id).toBe(top.person!.id);
    expect(allocation.summary?.length).toBeGreaterThan(10);
    expect(allocation.outcomeSummary).toContain("Shapley");
    // Summaries name people as they are called now, never by database id (stored explanations keep ids only).
    expect(allocation.outcomeSummary).toContain(top.person!.displayName);
    expect(allocation.outcomeSummary).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(allocation.summary).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    // The explanation is JSON: the ledger's record of the basis and the chains behind the amount.
    const explanation = allocation.explanation as { basis: { model: string }; chains: unknown[] };
    expect(explanation.basis.model).toBe("SHAPLEY");
    expect(explanation.chains.length).toBeGreaterThan(0);
  });

  it("splits every outcome's value exactly, in every model", async () => {
    const data = dataOf(await api.executeOperation(OutcomeCreditByModel));
    const cents = (amount: string | null) => Math.round(Number(amount) * 100);
    let credited = 0;
    for (const node of nodesOf(data.outcomes)) {
      for (const key of ["shapley", "linear", "markov", "timeDecay"] as const) {
        const allocations = node[key]!;
        if (allocations.length === 0) continue;
        credited++;
        expect(
          allocations.reduce((sum, allocation) => sum + cents(allocation.amount), 0),
          key,
        ).toBe(cents(node.value));
      }
      expect(node.creditSummary?.length).toBeGreaterThan(10);
    }
    expect(credited).toBeGreaterThan(0);
  });

  it("rebuilding gives the same ledger (deterministic)", async () => {
    const before = await ledgerRows(api);
    await rebuildCredit(api.database.prisma);
    expect(await ledgerRows(api)).toEqual(before);
  });

  it("shows an introduction's chain DAG", async () => {
    const link = await api.database.prisma.introductionLink.findFirst({ select: { earlierId: true, laterId: true } });
    expect(link).toBeTruthy();
    const intro = await api.database.prisma.introduction.findUniqueOrThrow({
      where: { id: link!.laterId },
      select: { id: true },
    });
    const { encodeGlobalID } = await import("@pothos/plugin-relay");
    const data = dataOf(
      await api.executeOperation(IntroductionChain, { id: encodeGlobalID("Introduction", intro.id) }),
    );
    const chain = ofType(data.node, "Introduction").chain!;
    expect(chain.upstreamIds).toContain(encodeGlobalID("Introduction", link!.earlierId));
    expect(chain.edges).toContainEqual({
      earlierId: encodeGlobalID("Introduction", link!.earlierId),
      laterId: encodeGlobalID("Introduction", intro.id),
    });
    expect(chain.nodes?.length).toBe(1 + chain.upstreamIds!.length + chain.downstreamIds!.length);
  });
});

async function ledgerRows(api: TestApi) {
  const rows = await api.database.prisma.credit.findMany({
    select: {
      outcomeId: true,
      personId: true,
      model: true,
      share: true,
      amount: true,
      currency: true,
      explanation: true,
    },
    orderBy: [{ outcomeId: "asc" }, { model: "asc" }, { personId: "asc" }],
  });
  return rows.map((row) => ({ ...row, share: row.share.toFixed(), amount: row.amount.toFixed() }));
}

const CreateChainPerson = graphql(/* GraphQL */ `
  mutation CreateChainPerson($name: String!) { createPerson(input: { displayName: $name }) { __typename ... on CreatePersonSuccess { person { id } } ... on Error { message } } }
`);
const CreateChainIntroduction = graphql(/* GraphQL */ `
  mutation CreateChainIntroduction($input: CreateIntroductionInput!) { createIntroduction(input: $input) {
    __typename ... on CreateIntroductionSuccess { introduction { id version } } ... on Error { message } } }
`);
const UpdateChainIntroduction = graphql(/* GraphQL */ `
  mutation UpdateChainIntroduction($input: UpdateIntroductionInput!) { updateIntroduction(input: $input) {
    __typename ... on UpdateIntroductionSuccess { introduction { id version consented } } ... on Error { message } } }
`);
const RecordChainOutcome = graphql(/* GraphQL */ `
  mutation RecordChainOutcome($input: RecordOutcomeInput!) { recordOutcome(input: $input) {
    __typename ... on RecordOutcomeSuccess { outcome { id } } ... on Error { message } } }
`);
const OpenDispute = graphql(/* GraphQL */ `
  mutation OpenDispute($input: OpenCreditDisputeInput!) { openCreditDispute(input: $input) {
    __typename ... on OpenCreditDisputeSuccess { dispute { id version status evidence } } ... on Error { message }
    ... on ValidationError { issues { path message } } } }
`);
const AdjudicateDispute = graphql(/* GraphQL */ `
  mutation AdjudicateDispute($input: AdjudicateCreditDisputeInput!) { adjudicateCreditDispute(input: $input) {
    __typename ... on AdjudicateCreditDisputeSuccess { dispute { id status resolution resolvedAt } } ... on Error { message }
    ... on ConflictError { currentVersion } } }
`);
const ChainOutcomeCredit = graphql(/* GraphQL */ `
  query ChainOutcomeCredit($id: ID!) { node(id: $id) { __typename ... on Outcome { credit { amount person { displayName } } linear: credit(model: LINEAR) { amount } creditSummary } } }
`);
const OpenDisputes = graphql(/* GraphQL */ `
  query OpenDisputes { creditDisputes(status: OPEN, first: 10) { edges { node { id reason outcome { id } introduction { id } } } } }
`);
const RebuildCredit = graphql(/* GraphQL */ `
  mutation RebuildCredit { rebuildCredit { __typename ... on RebuildCreditSuccess { rebuild { outcomes credits } } } }
`);

describe.each(databaseKinds)("credit recompute on hand-built chains (%s)", (kind) => {
  let api: TestApi;
  let runner: JobRunner;
  const people: Record<string, string> = {};
  const intro: Record<string, { id: string; version: number | null }> = {};
  let firstOutcome = "";

  const credit = async (outcomeId: string) => {
    const data = dataOf(await api.executeOperation(ChainOutcomeCredit, { id: outcomeId }));
    return Object.fromEntries(
      ofType(data.node, "Outcome").credit!.map((allocation) => [allocation.person?.displayName, allocation.amount]),
    );
  };
  const introduce = async (
    name: string,
    connector: string,
    from: string,
    to: string,
    day: number,
    options: { consented: boolean; ledFrom?: string[] },
  ) => {
    const at = new Date(Date.UTC(2026, 0, day));
    const data = dataOf(
      await api.executeOperation(CreateChainIntroduction, {
        input: {
          connectorId: people[connector]!,
          fromId: people[from]!,
          toId: people[to]!,
          occurredAt: at.toISOString(),
          status: "ACCEPTED",
          ...(options.consented ? { fromConsentedAt: at.toISOString(), toConsentedAt: at.toISOString() } : {}),
          ledFromIds: (options.ledFrom ?? []).map((earlier) => intro[earlier]!.id),
        },
      }),
    );
    expect(data.createIntroduction?.__typename).toBe("CreateIntroductionSuccess");
    intro[name] = ofType(data.createIntroduction, "CreateIntroductionSuccess").introduction;
  };
  const recordOutcome = async (value: string, introductions: string[], day: number) => {
    const data = dataOf(
      await api.executeOperation(RecordChainOutcome, {
        input: {
          kind: "DEAL",
          title: `Deal ${value}`,
          value,
          currency: "USD",
          occurredAt: new Date(Date.UTC(2026, 1, day)).toISOString(),
          introductionIds: introductions.map((name) => intro[name]!.id),
        },
      }),
    );
    expect(data.recordOutcome?.__typename).toBe("RecordOutcomeSuccess");
    return ofType(data.recordOutcome, "RecordOutcomeSuccess").outcome.id;
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    // MARKOV is recomputed by its job after writes, as in a running API.
    runner = await startJobRunner(api.database, { followIntervalMs: 100 });
    for (const name of ["Ada", "Ben", "Cy", "Dee", "Eve", "Fox", "Gil"]) {
      const created = dataOf(await api.executeOperation(CreateChainPerson, { name })).createPerson;
      people[name] = ofType(created, "CreatePersonSuccess").person.id;
    }
    // Chain: Cy introduced Ada to Ben (i1); Dee then introduced Ben to Eve (i2), which led to a deal.
    await introduce("i1", "Cy", "Ada", "Ben", 1, { consented: true });
    await introduce("i2", "Dee", "Ben", "Eve", 5, { consented: false, ledFrom: ["i1"] });
    firstOutcome = await recordOutcome("1000.00", ["i2"], 1);
  });
  afterAll(async () => {
    await runner?.stop();
    await api?.close();
  });

  it("gives no credit while an introduction on the only chain lacks consent", async () => {
    expect(await credit(firstOutcome)).toEqual({});
    const summary = ofType(
      dataOf(await api.executeOperation(ChainOutcomeCredit, { id: firstOutcome })).node,
      "Outcome",
    ).creditSummary;
    expect(summary).toContain("no intro chain into this outcome is complete");
  });

  it("credits the chain once consent is recorded", async () => {
    const at = new Date(Date.UTC(2026, 0, 6)).toISOString();
    const data = dataOf(
      await api.executeOperation(UpdateChainIntroduction, {
        input: { id: intro.i2!.id, version: intro.i2!.version!, fromConsentedAt: at, toConsentedAt: at },
      }),
    );
    const updated = ofType(data.updateIntroduction, "UpdateIntroductionSuccess").introduction;
    expect(updated.consented).toBe(true);
    intro.i2 = updated;
    // Both connectors are needed to open the door: half each.
    expect(await credit(firstOutcome)).toEqual({ Cy: "500.00", Dee: "500.00" });
  });

  it("credits a new outcome as soon as it is recorded: a redundant direct path earns more", async () => {
    await introduce("i3", "Fox", "Gil", "Eve", 7, { consented: true });
    const second = await recordOutcome("300.00", ["i2", "i3"], 2);
    // Players Cy, Dee (chain i1 > i2) and Fox (chain i3): Shapley 1/6, 1/6, 2/3.
    expect(await credit(second)).toEqual({ Fox: "200.00", Cy: "50.00", Dee: "50.00" });
    const linear = ofType(
      dataOf(await api.executeOperation(ChainOutcomeCredit, { id: second })).node,
      "Outcome",
    ).linear;
    expect(linear?.map((allocation) => allocation.amount).sort()).toEqual(["150.00", "75.00", "75.00"]);
  });

  it("an open dispute changes nothing; upholding it excludes the introduction", async () => {
    const opened = dataOf(
      await api.executeOperation(OpenDispute, {
        input: {
          outcomeId: firstOutcome,
          introductionId: intro.i1!.id,
          reason: "Ada and Ben already worked together",
          evidence: ["https://example.com/thread"],
        },
      }),
    ).openCreditDispute;
    expect(opened?.__typename).toBe("OpenCreditDisputeSuccess");
    const { dispute } = ofType(opened, "OpenCreditDisputeSuccess");
    expect(dispute).toMatchObject({ status: "OPEN", evidence: ["https://example.com/thread"] });
    expect(await credit(firstOutcome)).toEqual({ Cy: "500.00", Dee: "500.00" });

    const queue = dataOf(await api.executeOperation(OpenDisputes));
    expect(nodesOf(queue.creditDisputes).map((node) => node.id)).toContain(dispute.id);

    const stale = dataOf(
      await api.executeOperation(AdjudicateDispute, {
        input: { id: dispute.id, version: 99, verdict: "UPHOLD", resolution: "Evidence checks out" },
      }),
    ).adjudicateCreditDispute;
    expect(stale).toMatchObject({ __typename: "ConflictError", currentVersion: 1 });

    const upheld = dataOf(
      await api.executeOperation(AdjudicateDispute, {
        input: { id: dispute.id, version: 1, verdict: "UPHOLD", resolution: "Evidence checks out" },
      }),
    ).adjudicateCreditDispute;
    expect(ofType(upheld, "AdjudicateCreditDisputeSuccess").dispute).toMatchObject({
      status: "UPHELD",
      resolution: "Evidence checks out",
    });
    // The only chain into the first outcome runs through i1: nothing left to credit there.
    expect(await credit(firstOutcome)).toEqual({});

    const again = dataOf(
      await api.executeOperation(AdjudicateDispute, {
        input: { id: dispute.id, version: 2, verdict: "REJECT", resolution: "Changed my mind" },
      }),
    ).adjudicateCreditDispute;
    expect(again?.__typename).toBe("ConflictError");

    const audit = await api.database.prisma.auditEvent.findMany({
      where: { entityType: "CreditDispute" },
      select: { action: true },
    });
    expect(audit.map((event) => event.action).sort()).toEqual(["creditDispute.adjudicate", "creditDispute.open"]);
  });

  it("rejects a dispute on an introduction that is not on the outcome's chains", async () => {
    await introduce("i4", "Ada", "Cy", "Gil", 9, { consented: true });
    const result = dataOf(
      await api.executeOperation(OpenDispute, {
        input: { outcomeId: firstOutcome, introductionId: intro.i4!.id, reason: "Unrelated", evidence: [] },
      }),
    ).openCreditDispute;
    expect(result?.__typename).toBe("ValidationError");
    expect(ofType(result, "ValidationError").issues?.[0]?.path).toEqual(["input", "introductionId"]);
  });

  it("the incremental ledger equals a rebuild from scratch", async () => {
    await runner.settled();
    const incremental = await ledgerRows(api);
    expect(incremental.length).toBeGreaterThan(0);
    const rebuilt = dataOf(await api.executeOperation(RebuildCredit)).rebuildCredit;
    expect(ofType(rebuilt, "RebuildCreditSuccess").rebuild).toEqual({ outcomes: 2, credits: incremental.length });
    expect(await ledgerRows(api)).toEqual(incremental);
  });

  it("rebuildCredit is for admins only", async () => {
    const response = await api.executeOperation(RebuildCredit, {}, { key: null });
    expect(response.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
