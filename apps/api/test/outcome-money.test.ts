// Money as an outcome's currency writes it ("1.00" USD stays "1.00", "100" JPY stays "100"), credit lists only the
// connectors who earned something under the model asked for (first touch gives the later connector nothing), and the
// leaderboard never ranks amounts in different currencies together.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/gql.ts";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const CreatePersonForMoney = graphql(/* GraphQL */ `
  mutation CreatePersonForMoney($name: String!) { createPerson(input: { displayName: $name }) { __typename ... on CreatePersonSuccess { person { id } } } }
`);
const IntroduceForMoney = graphql(/* GraphQL */ `
  mutation IntroduceForMoney($input: CreateIntroductionInput!) { createIntroduction(input: $input) { __typename ... on CreateIntroductionSuccess { introduction { id } } ... on Error { message } } }
`);
const RecordOutcomeForMoney = graphql(/* GraphQL */ `
  mutation RecordOutcomeForMoney($input: RecordOutcomeInput!) { recordOutcome(input: $input) { __typename ... on RecordOutcomeSuccess { outcome { id value currency } } ... on Error { message } } }
`);
const OutcomeCreditRows = graphql(/* GraphQL */ `
  query OutcomeCreditRows($id: ID!, $model: CreditModel) { node(id: $id) { ... on Outcome { value credit(model: $model) { amount person { displayName } } } } }
`);
const ConnectorCreditForMoney = graphql(/* GraphQL */ `
  query ConnectorCreditForMoney($id: ID!, $model: CreditModel) { person(id: $id) { credit(model: $model) { outcomeCount totals { amount currency outcomes } } } }
`);
const LeaderboardForMoney = graphql(/* GraphQL */ `
  query LeaderboardForMoney($model: CreditModel) { connectorLeaderboard(model: $model, currency: "USD") { edges { node { amount outcomes person { displayName } } } } }
`);

const LeaderboardAnyCurrency = graphql(/* GraphQL */ `
  query LeaderboardAnyCurrency { connectorLeaderboard { edges { node { currency person { displayName } } } } }
`);

describe("outcome money and credit rows", () => {
  let api: TestApi;
  const people: Record<string, string> = {};
  const introductions: string[] = [];

  beforeAll(async () => {
    api = await startTestApi("pglite");
    for (const name of ["Ada", "Ben", "Cleo", "Dev", "Eve"]) {
      const created = dataOf(await api.executeOperation(CreatePersonForMoney, { name })).createPerson;
      if (created?.__typename !== "CreatePersonSuccess") throw new Error(JSON.stringify(created));
      people[name] = created.person.id;
    }
    // Cleo introduces Ada to Ben; that grows into Dev introducing Ben to Eve.
    const at = "2025-05-01T00:00:00Z";
    for (const [connector, from, to] of [
      ["Cleo", "Ada", "Ben"],
      ["Dev", "Ben", "Eve"],
    ] as const) {
      const created = dataOf(
        await api.executeOperation(IntroduceForMoney, {
          input: {
            connectorId: people[connector]!,
            fromId: people[from]!,
            toId: people[to]!,
            occurredAt: at,
            fromConsentedAt: at,
            toConsentedAt: at,
            ledFromIds: introductions.slice(-1),
          },
        }),
      ).createIntroduction;
      if (created?.__typename !== "CreateIntroductionSuccess") throw new Error(JSON.stringify(created));
      introductions.push(created.introduction.id);
    }
  });
  afterAll(() => api.close());

  const record = async (value: string, currency: string) => {
    const recorded = dataOf(
      await api.executeOperation(RecordOutcomeForMoney, {
        input: {
          kind: "DEAL",
          title: `${value} ${currency}`,
          value,
          currency,
          occurredAt: "2025-06-01T00:00:00Z",
          introductionIds: introductions.slice(-1),
        },
      }),
    ).recordOutcome;
    if (recorded?.__typename !== "RecordOutcomeSuccess") throw new Error(JSON.stringify(recorded));
    return recorded.outcome;
  };

  it("ranks without a currency while every outcome is in the same one", async () => {
    await record("10.00", "USD");
    const board = dataOf(await api.executeOperation(LeaderboardAnyCurrency, {})).connectorLeaderboard;
    expect(board?.edges.map((edge) => [edge.node?.person?.displayName, edge.node?.currency])).toEqual([
      ["Cleo", "USD"],
      ["Dev", "USD"],
    ]);
  });

  it("answers a value with its currency's decimals, as recorded and when read again", async () => {
    const cases = [
      ["1.00", "USD", "1.00"],
      ["1", "USD", "1.00"],
      ["1250000.5", "EUR", "1250000.50"],
      ["100", "JPY", "100"],
      ["2.5", "KWD", "2.500"],
    ] as const;
    for (const [value, currency, expected] of cases) {
      const outcome = await record(value, currency);
      expect(outcome.value, `${value} ${currency}`).toBe(expected);
      const read = dataOf(await api.executeOperation(OutcomeCreditRows, { id: outcome.id })).node;
      expect(read && "value" in read ? read.value : null).toBe(expected);
    }
  });

  it("lists no zero rows: first touch credits Cleo alone, on the outcome, the person and the leaderboard", async () => {
    const outcome = await record("300.00", "USD");
    const rows = async (model: "FIRST_TOUCH" | "LAST_TOUCH" | "LINEAR") => {
      const node = dataOf(await api.executeOperation(OutcomeCreditRows, { id: outcome.id, model })).node;
      return node && "credit" in node ? node.credit?.map((row) => [row.person?.displayName, row.amount]) : null;
    };
    expect(await rows("FIRST_TOUCH")).toEqual([["Cleo", "300.00"]]);
    expect(await rows("LAST_TOUCH")).toEqual([["Dev", "300.00"]]);
    expect(await rows("LINEAR")).toEqual([
      ["Cleo", "150.00"],
      ["Dev", "150.00"],
    ]);

    const dev = dataOf(await api.executeOperation(ConnectorCreditForMoney, { id: people.Dev!, model: "FIRST_TOUCH" }));
    expect(dev.person?.credit).toEqual({ outcomeCount: 0, totals: [] });
    const board = dataOf(await api.executeOperation(LeaderboardForMoney, { model: "FIRST_TOUCH" }));
    expect(board.connectorLeaderboard?.edges.map((edge) => edge.node?.person?.displayName)).toEqual(["Cleo"]);
  });

  it("asks for a currency once outcomes are in several, naming them", async () => {
    const refused = await api.executeOperation(LeaderboardAnyCurrency, {});
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(refused.errors?.[0]?.message).toContain("pass currency (one of EUR, JPY, KWD, USD)");
  });
});
