// The introductions and outcomes lists: totalCount is what the filter lists and the viewer may see, counted by one
// COUNT only when the field is selected; outcomes can be ordered by date, across pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { graphql } from "./generated/gql.ts";
import { dataOf, startTestApi, type TestApi } from "./harness.ts";

const IntroductionTotals = graphql(/* GraphQL */ `
  query IntroductionTotals($filter: IntroductionFilter) { introductions(first: 1, filter: $filter) { totalCount edges { node { id } } } }
`);
const OutcomeTotals = graphql(/* GraphQL */ `
  query OutcomeTotals($filter: OutcomeFilter) { outcomes(first: 1, filter: $filter) { totalCount edges { node { id } } } }
`);
const OutcomesByDate = graphql(/* GraphQL */ `
  query OutcomesByDate($after: String) { outcomes(first: 2, after: $after, orderBy: { field: OCCURRED_AT, direction: DESC }) { edges { node { occurredAt currency } } pageInfo { hasNextPage endCursor } } }
`);
const IntroductionsWithoutTotal = graphql(/* GraphQL */ `
  query IntroductionsWithoutTotal { introductions(first: 2) { edges { node { id } } } }
`);

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

describe("totalCount of introductions and outcomes", () => {
  let api: TestApi;
  const keys = { a: "", b: "" };
  let connectorId = "";

  beforeAll(async () => {
    api = await startTestApi("pglite");
    const { prisma } = api.database;
    const [alpha, beta] = await prisma.partner.createManyAndReturn({
      data: [
        { slug: "alpha", name: "Alpha" },
        { slug: "beta", name: "Beta" },
      ],
    });
    keys.a = (await issueApiKey(prisma, { name: "a", scopes: ["partner"], partnerId: alpha!.id })).key;
    keys.b = (await issueApiKey(prisma, { name: "b", scopes: ["partner"], partnerId: beta!.id })).key;
    const [connector, from, to] = await prisma.person.createManyAndReturn({
      data: [{ displayName: "Cleo" }, { displayName: "Ada" }, { displayName: "Dev" }],
    });
    connectorId = connector!.id;
    const at = new Date("2025-03-01T00:00:00Z");
    const introduction = (reportedByPartnerId: string | null, extra: object = {}) => ({
      connectorId: connector!.id,
      fromId: from!.id,
      toId: to!.id,
      occurredAt: at,
      reportedByPartnerId,
      ...extra,
    });
    await prisma.introduction.createMany({
      data: [
        introduction(null, { status: "MET", fromConsentedAt: at, toConsentedAt: at }),
        introduction(null),
        introduction(null, { connectorId: from!.id, fromId: connector!.id }),
        introduction(alpha!.id, { status: "MET" }),
        introduction(beta!.id),
        introduction(null, { deletedAt: at }),
      ],
    });
    const outcome = (currency: string, reportedByPartnerId: string | null, kind: "DEAL" | "HIRE", day: number) => ({
      kind,
      title: `${kind} in ${currency}`,
      value: "100.00",
      currency,
      occurredAt: new Date(Date.UTC(2025, 3, day)),
      reportedByPartnerId,
    });
    // Recorded in an order unlike their dates.
    await prisma.outcome.createMany({
      data: [
        outcome("USD", null, "DEAL", 10),
        outcome("USD", null, "HIRE", 30),
        outcome("EUR", null, "DEAL", 20),
        outcome("USD", alpha!.id, "DEAL", 5),
      ],
    });
  });
  afterAll(() => api.close());

  const introductionTotal = async (key: string | undefined, filter?: object) =>
    dataOf(await api.executeOperation(IntroductionTotals, { filter }, { key })).introductions?.totalCount;
  const outcomeTotal = async (key: string | undefined, filter?: object) =>
    dataOf(await api.executeOperation(OutcomeTotals, { filter }, { key })).outcomes?.totalCount;

  it("counts what the filter lists, of what the viewer may see", async () => {
    expect(await introductionTotal(undefined)).toBe(5);
    expect(await introductionTotal(keys.a)).toBe(4);
    expect(await introductionTotal(keys.b)).toBe(4);
    expect(await introductionTotal(keys.a, { status: "MET" })).toBe(2);
    expect(await introductionTotal(keys.b, { status: "MET" })).toBe(1);
    expect(await introductionTotal(undefined, { connectorId: globalId("Person", connectorId) })).toBe(4);
    expect(await introductionTotal(keys.a, { consentedOnly: true })).toBe(1);

    expect(await outcomeTotal(undefined)).toBe(4);
    expect(await outcomeTotal(keys.b)).toBe(3);
    expect(await outcomeTotal(keys.a, { currency: "usd" })).toBe(3);
    expect(await outcomeTotal(keys.b, { currency: "USD", kind: "DEAL" })).toBe(1);
  });

  it("orders outcomes newest first across pages when asked", async () => {
    const days: number[] = [];
    let after: string | null | undefined;
    for (;;) {
      const page = dataOf(await api.executeOperation(OutcomesByDate, { after })).outcomes!;
      days.push(...page.edges.map((edge) => new Date(edge.node!.occurredAt!).getUTCDate()));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(days).toEqual([30, 20, 10, 5]);
  });

  it("runs one COUNT when totalCount is selected, and none otherwise", async () => {
    const counts = () => api.queries.filter((query) => /\bCOUNT\(/i.test(query)).length;
    api.resetQueries();
    dataOf(await api.executeOperation(IntroductionsWithoutTotal, {}));
    expect(counts()).toBe(0);
    api.resetQueries();
    await introductionTotal(undefined, { status: "MET" });
    expect(counts()).toBe(1);
  });
});
