// Credit is public, but its explanations must not reveal another partner's private reports: an admin's outcome that
// grew out of partner B's private introduction shows partner A that intro only as "private-introduction".
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const CREDIT = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Outcome {
        creditSummary(model: LINEAR)
        credit(model: LINEAR) { amount summary outcomeSummary explanation person { displayName } }
      }
    }
  }
`;

describe("credit explanations and partner isolation", () => {
  let api: TestApi;
  let keyA = "";
  let keyB = "";
  let privateIntroId = "";
  let outcomeId = "";

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
    const consent = { fromConsentedAt: "2026-03-01T00:00:00Z", toConsentedAt: "2026-03-01T00:00:00Z" };
    // Partner B privately reports Ana introducing Ben to Cy…
    const privateIntro = dataOf(
      await api.request(
        `mutation($input: CreateIntroductionInput!) { createIntroduction(input: $input) { ... on CreateIntroductionSuccess { introduction { id } } } }`,
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
    ) as any;
    privateIntroId = privateIntro.createIntroduction.introduction.id;
    // …and an admin records that Cy then introduced Ben to Dee, which closed a public deal.
    const later = dataOf(
      await api.request(
        `mutation($input: CreateIntroductionInput!) { createIntroduction(input: $input) { ... on CreateIntroductionSuccess { introduction { id } } } }`,
        {
          input: {
            connectorId: person(2),
            fromId: person(1),
            toId: person(3),
            occurredAt: "2026-04-01T00:00:00Z",
            fromConsentedAt: "2026-04-01T00:00:00Z",
            toConsentedAt: "2026-04-01T00:00:00Z",
            ledFromIds: [privateIntroId],
          },
        },
      ),
    ) as any;
    const outcome = dataOf(
      await api.request(
        `mutation($input: RecordOutcomeInput!) { recordOutcome(input: $input) { ... on RecordOutcomeSuccess { outcome { id } } } }`,
        {
          input: {
            kind: "DEAL",
            title: "Public deal",
            value: "1000.00",
            currency: "USD",
            occurredAt: "2026-05-01T00:00:00Z",
            introductionIds: [later.createIntroduction.introduction.id],
          },
        },
      ),
    ) as any;
    outcomeId = outcome.recordOutcome.outcome.id;
  });
  afterAll(() => api.close());

  const rawIdOf = (globalId: string) => Buffer.from(globalId, "base64").toString().split(":")[1]!;

  it("the admin and the reporting partner see the private introduction's id in the explanation", async () => {
    for (const key of [api.adminKey, keyB]) {
      const data = dataOf(await api.request(CREDIT, { id: outcomeId }, { key })) as any;
      expect(data.node.credit.map((credit: any) => credit.person.displayName).sort()).toEqual(["Ana", "Cy"]);
      expect(JSON.stringify(data)).toContain(rawIdOf(privateIntroId));
    }
  });

  it("another partner sees the same credit, with the private introduction redacted everywhere", async () => {
    const data = dataOf(await api.request(CREDIT, { id: outcomeId }, { key: keyA })) as any;
    expect(data.node.credit.map((credit: any) => [credit.person.displayName, credit.amount]).sort()).toEqual([
      ["Ana", "500.00"],
      ["Cy", "500.00"],
    ]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(rawIdOf(privateIntroId));
    expect(text).toContain("private-introduction");
  });
});
