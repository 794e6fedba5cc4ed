// Credit is public, but its explanations must not reveal another partner's private reports: an admin's outcome that
// grew out of partner B's private introduction shows partner A that intro only as "private-introduction".
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const OutcomeCreditExplained = graphql(/* GraphQL */ `
  query OutcomeCreditExplained($id: ID!) {
    node(id: $id) {
      __typename
      ... on Outcome {
        creditSummary(model: LINEAR)
        credit(model: LINEAR) { amount summary outcomeSummary explanation person { displayName } }
      }
    }
  }
`);
const CreateIntroduction = graphql(/* GraphQL */ `
  mutation CreateIntroductionForCredit($input: CreateIntroductionInput!) {
    createIntroduction(input: $input) { __typename ... on CreateIntroductionSuccess { introduction { id } } }
  }
`);
const RecordOutcome = graphql(/* GraphQL */ `
  mutation RecordOutcomeForCredit($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) { __typename ... on RecordOutcomeSuccess { outcome { id } } }
  }
`);

const Statement = graphql(/* GraphQL */ `
  query ConnectorStatementAndCredit($id: ID!) {
    node(id: $id) {
      ... on Person {
        statement {
          lines {
            outcome { id title }
            introductions { id }
            privateIntroductions
            credit { model amount currency summary explanation }
          }
          totals { model currency amount outcomes }
          openDisputes { id }
        }
        shapley: credit(model: SHAPLEY) { totals { currency amount outcomes } }
        linear: credit(model: LINEAR) { totals { currency amount outcomes } }
        markov: credit(model: MARKOV) { totals { currency amount outcomes } }
      }
    }
  }
`);

describe("credit explanations and partner isolation", () => {
  let api: TestApi;
  let keyA = "";
  let keyB = "";
  let privateIntroId = "";
  let outcomeId = "";
  let anaId = "";

  beforeAll(async () => {
    api = await startTestApi("pglite");
    const { prisma } = api.database;
    const [alpha, beta] = await Promise.all([
      prisma.partner.create({ data: { name: "Alpha CRM", slug: "alpha" } }),
      prisma.partner.create({ data: { name: "Beta Market", slug: "beta" } }),
    ]);
    keyA = (await issueApiKey(prisma, { name: "a", scopes: ["partner"], partnerId: alpha.id })).key;
    keyB = (await issueApiKey(prisma, { name: "b", scopes: ["partner"], partnerId: beta.id })).key;
    const people = await prisma.person.createManyAndReturn({
      data: ["Ana", "Ben", "Cy", "Dee"].map((displayName) => ({ displayName })),
      select: { id: true },
    });
    const person = (index: number) => encodeGlobalID("Person", people[index]!.id);
    anaId = person(0);
    const consent = { fromConsentedAt: "2026-03-01T00:00:00Z", toConsentedAt: "2026-03-01T00:00:00Z" };
    // Partner B privately reports Ana introducing Ben to Cy…
    const privateIntro = dataOf(
      await api.executeOperation(
        CreateIntroduction,
        {
          input: {
            connectorId: person(0),
            fromId: person(1),
            toId: person(2),
            occurredAt: "2026-03-01T00:00:00Z",
            ...consent,
          },
        },
        { key: keyB },
      ),
    );
    privateIntroId = ofType(privateIntro.createIntroduction, "CreateIntroductionSuccess").introduction.id;
    // …and an admin records that Cy then introduced Ben to Dee, which closed a public deal.
    const later = dataOf(
      await api.executeOperation(CreateIntroduction, {
        input: {
          connectorId: person(2),
          fromId: person(1),
          toId: person(3),
          occurredAt: "2026-04-01T00:00:00Z",
          fromConsentedAt: "2026-04-01T00:00:00Z",
          toConsentedAt: "2026-04-01T00:00:00Z",
          ledFromIds: [privateIntroId],
        },
      }),
    );
    const outcome = dataOf(
      await api.executeOperation(RecordOutcome, {
        input: {
          kind: "DEAL",
          title: "Public deal",
          value: "1000.00",
          currency: "USD",
          occurredAt: "2026-05-01T00:00:00Z",
          introductionIds: [ofType(later.createIntroduction, "CreateIntroductionSuccess").introduction.id],
        },
      }),
    );
    outcomeId = ofType(outcome.recordOutcome, "RecordOutcomeSuccess").outcome.id;
  });
  afterAll(() => api.close());

  const rawIdOf = (globalId: string) => Buffer.from(globalId, "base64").toString().split(":")[1]!;

  it("the admin and the reporting partner see the private introduction's id in the explanation", async () => {
    for (const key of [api.adminKey, keyB]) {
      const data = dataOf(await api.executeOperation(OutcomeCreditExplained, { id: outcomeId }, { key }));
      expect(
        ofType(data.node, "Outcome")
          .credit!.map((credit) => credit.person?.displayName)
          .sort(),
      ).toEqual(["Ana", "Cy"]);
      expect(JSON.stringify(data)).toContain(rawIdOf(privateIntroId));
    }
  });

  it("another partner sees the same credit, with the private introduction redacted everywhere", async () => {
    const data = dataOf(await api.executeOperation(OutcomeCreditExplained, { id: outcomeId }, { key: keyA }));
    expect(
      ofType(data.node, "Outcome")
        .credit!.map((credit) => [credit.person?.displayName, credit.amount])
        .sort(),
    ).toEqual([
      ["Ana", "500.00"],
      ["Cy", "500.00"],
    ]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(rawIdOf(privateIntroId));
    expect(text).toContain("private-introduction");
  });

  it("gives Ana a statement whose totals are her credit; another partner's copy keeps the total, not the private intro", async () => {
    const statementOf = async (key: string) => {
      const node = dataOf(await api.executeOperation(Statement, { id: anaId }, { key })).node;
      if (!node || !("statement" in node) || !node.statement) throw new Error("no statement");
      return node;
    };
    for (const key of [api.adminKey, keyB, keyA]) {
      const person = await statementOf(key);
      const lines = person.statement?.lines ?? [];
      const totals = person.statement?.totals ?? [];
      expect(lines.map((line) => line.outcome?.id)).toEqual([outcomeId]);
      // Totals equal Person.credit under each model.
      for (const [model, credit] of [
        ["SHAPLEY", person.shapley],
        ["LINEAR", person.linear],
        ["MARKOV", person.markov],
      ] as const) {
        expect(
          totals
            .filter((total) => total.model === model)
            .map(({ currency, amount, outcomes }) => ({ currency, amount, outcomes })),
        ).toEqual(credit?.totals);
      }
      expect(totals.find((total) => total.model === "SHAPLEY")).toMatchObject({ amount: "500.00", currency: "USD" });
      const line = lines[0]!;
      expect(line.credit?.map((credit) => credit.model)).toContain("SHAPLEY");
      if (key === keyA) {
        // Partner A may not see B's private introduction: it is counted, never shown.
        expect(line.introductions).toEqual([]);
        expect(line.privateIntroductions).toBe(1);
        expect(JSON.stringify(line)).not.toContain(rawIdOf(privateIntroId));
      } else {
        expect(line.introductions?.map((intro) => intro.id)).toEqual([privateIntroId]);
        expect(line.privateIntroductions).toBe(0);
      }
    }
  });
});
