// The connector's statement: every outcome a person's introductions led to in a period, the introductions of theirs on
// its chains, their credit under every model with its explanation, and the open disputes — what warm-intro programs
// never show a connector. Its totals are the person's credit (`Person.credit`) under each model, as the viewer may see it.
import { CreditModel, Prisma } from "@intrograph/db";
import { minorUnitsFor } from "@intrograph/ledger";
import { builder } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { isReportVisibleTo } from "../access/visibility.ts";
import { Introduction } from "../introductions/introduction.ts";
import { Outcome } from "../outcomes/outcome.ts";
import { Person } from "../people/person.ts";
import { plannedQuery } from "../planned-query.ts";
import { CreditModelEnum, CreditPeriod, outcomesInPeriod } from "./credit.ts";
import { CreditDispute, visibleDisputes } from "./dispute.ts";
import { readableSummary, redactedFor } from "./redaction.ts";

const { Decimal } = Prisma;

interface StatementCredit {
  model: CreditModel;
  amount: Prisma.Decimal;
  currency: string;
  share: Prisma.Decimal;
  explanation: Prisma.JsonValue;
}

interface StatementLine {
  outcomeId: string;
  occurredAt: Date;
  /** The person's introductions on the outcome's chains that the viewer may see. */
  introductionIds: string[];
  /** Their introductions on the chains that another partner reported privately: counted, not shown. */
  privateIntroductions: number;
  credits: StatementCredit[];
}

interface StatementShape {
  personId: string;
  lines: StatementLine[];
}

interface ModelTotal {
  model: CreditModel;
  currency: string;
  amount: string;
  outcomes: number;
}

const explanationNote = (explanation: Prisma.JsonValue, key: "note" | "summary"): string => {
  const value = explanation as { note?: string; outcome?: { summary?: string; minorUnits?: number } } | null;
  return (key === "note" ? value?.note : value?.outcome?.summary) ?? "";
};

const StatementCreditRef = builder.objectRef<StatementCredit>("StatementCredit").implement({
  description: "The connector's credit for one outcome under one model.",
  fields: (t) => ({
    model: t.field({ type: CreditModelEnum, resolve: (credit) => credit.model }),
    amount: t.field({
      type: "Decimal",
      resolve: (credit) => credit.amount.toFixed(minorUnitsFor(credit.currency, credit.amount.toFixed())),
    }),
    currency: t.exposeString("currency"),
    share: t.float({ resolve: (credit) => credit.share.toNumber() }),
    summary: t.string({
      description: "Why the connector earned this amount, in one sentence.",
      resolve: (credit, _args, ctx) => readableSummary(ctx, explanationNote(credit.explanation, "note")),
    }),
    explanation: t.field({
      type: "JSON",
      description: "The evidence, redacted for the viewer as credit explanations are.",
      resolve: (credit, _args, ctx) => redactedFor(ctx, credit.explanation),
    }),
  }),
});

const StatementLineRef = builder.objectRef<StatementLine>("ConnectorStatementLine").implement({
  description: "One outcome the connector's introductions led to.",
  fields: (t) => ({
    outcome: t.prismaField({
      type: Outcome,
      resolve: (query, line, _args, ctx) =>
        prismaOf(ctx).outcome.findUniqueOrThrow({ ...plannedQuery(query), where: { id: line.outcomeId } }),
    }),
    introductions: t.prismaField({
      type: [Introduction],
      description: "The connector's introductions on the outcome's chains, earliest first.",
      resolve: (query, line, _args, ctx) =>
        prismaOf(ctx).introduction.findMany({
          ...plannedQuery(query),
          where: { id: { in: line.introductionIds } },
          orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
        }),
    }),
    privateIntroductions: t.exposeInt("privateIntroductions", {
      description:
        "The connector's introductions on the chains that another partner reported privately: they count in the credit, and are not shown.",
    }),
    credit: t.field({
      type: [StatementCreditRef],
      description: "Under every model that credits the connector for this outcome.",
      resolve: (line) => line.credits,
    }),
  }),
});

const StatementRef = builder.objectRef<StatementShape>("ConnectorStatement").implement({
  description:
    "Every outcome the person's introductions led to in the period, with the chain, the credit under each model and its explanation, and the open disputes. Totals equal `Person.credit` under each model.",
  fields: (t) => ({
    lines: t.field({
      type: [StatementLineRef],
      description: "Latest outcome first.",
      resolve: (statement) => statement.lines,
    }),
    totals: t.field({
      type: [
        builder.objectRef<ModelTotal>("StatementTotal").implement({
          description: "The connector's credit under one model, in one currency.",
          fields: (total) => ({
            model: total.field({ type: CreditModelEnum, resolve: (row) => row.model }),
            currency: total.exposeString("currency"),
            amount: total.field({ type: "Decimal", resolve: (row) => row.amount }),
            outcomes: total.exposeInt("outcomes"),
          }),
        }),
      ],
      args: { model: t.arg({ type: CreditModelEnum, required: false, description: "Every model when left out." }) },
      resolve: (statement, args) => totalsOf(statement.lines, args.model ?? null),
    }),
    openDisputes: t.prismaField({
      type: [CreditDispute],
      description: "Disputes still open on the statement's outcomes (that the viewer may see).",
      resolve: (query, statement, _args, ctx) =>
        prismaOf(ctx).creditDispute.findMany({
          ...plannedQuery(query),
          where: {
            ...visibleDisputes(ctx),
            status: "OPEN",
            outcomeId: { in: statement.lines.map((line) => line.outcomeId) },
          },
          orderBy: { createdAt: "asc" },
        }),
    }),
  }),
});

function totalsOf(lines: readonly StatementLine[], model: CreditModel | null): ModelTotal[] {
  const totals = new Map<string, { model: CreditModel; currency: string; amount: Prisma.Decimal; outcomes: number }>();
  for (const line of lines)
    for (const credit of line.credits) {
      if (model && credit.model !== model) continue;
      const key = `${credit.model}|${credit.currency}`;
      const total = totals.get(key) ?? {
        model: credit.model,
        currency: credit.currency,
        amount: new Decimal(0),
        outcomes: 0,
      };
      total.amount = total.amount.plus(credit.amount);
      total.outcomes += 1;
      totals.set(key, total);
    }
  const order = Object.values(CreditModel);
  return [...totals.values()]
    .sort((a, b) => order.indexOf(a.model) - order.indexOf(b.model) || b.amount.comparedTo(a.amount))
    .map((total) => ({ ...total, amount: total.amount.toFixed(minorUnitsFor(total.currency, "0")) }));
}

builder.prismaObjectFields(Person, (t) => ({
  statement: t.field({
    type: StatementRef,
    description:
      "The connector's statement for a period: every outcome their introductions led to, the chain, the credit under each model with its explanation, and open disputes.",
    args: { period: t.arg({ type: CreditPeriod, required: false }) },
    select: { id: true },
    resolve: async (person, args, ctx) => ({
      personId: person.id,
      lines: await statementLines(ctx, person.id, args.period),
    }),
  }),
}));

async function statementLines(
  ctx: Context,
  personId: string,
  period: typeof CreditPeriod.$inferInput | null | undefined,
): Promise<StatementLine[]> {
  const prisma = prismaOf(ctx);
  // The rows Person.credit sums, under every model: the totals agree with it by construction.
  const credits = await prisma.credit.findMany({
    where: { personId, amount: { gt: 0 }, outcome: outcomesInPeriod(ctx, period) },
    select: {
      outcomeId: true,
      model: true,
      amount: true,
      currency: true,
      share: true,
      explanation: true,
      outcome: { select: { occurredAt: true } },
    },
  });
  const lines = new Map<string, StatementLine>();
  for (const { outcome, ...credit } of credits) {
    const line = lines.get(credit.outcomeId) ?? {
      outcomeId: credit.outcomeId,
      occurredAt: outcome.occurredAt,
      introductionIds: [],
      privateIntroductions: 0,
      credits: [],
    };
    line.credits.push({ ...credit, currency: credit.currency.trim() });
    lines.set(credit.outcomeId, line);
  }
  for (const intro of await connectorIntroductionsOnChains(ctx, personId, [...lines.keys()])) {
    const line = lines.get(intro.outcomeId)!;
    if (isReportVisibleTo(ctx, intro.reportedByPartnerId)) line.introductionIds.push(intro.id);
    else line.privateIntroductions += 1;
  }
  const order = Object.values(CreditModel);
  return [...lines.values()]
    .map((line) => ({ ...line, credits: line.credits.sort((a, b) => order.indexOf(a.model) - order.indexOf(b.model)) }))
    .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.outcomeId < b.outcomeId ? -1 : 1));
}

/** The person's live introductions on the chains into each outcome (directly linked or upstream through ledFrom). */
async function connectorIntroductionsOnChains(
  ctx: Context,
  personId: string,
  outcomeIds: string[],
): Promise<{ outcomeId: string; id: string; reportedByPartnerId: string | null }[]> {
  if (outcomeIds.length === 0) return [];
  return prismaOf(ctx).$queryRaw`
    WITH RECURSIVE chain("outcomeId", id) AS (
      SELECT oi."outcomeId", oi."introductionId" FROM "OutcomeIntroduction" oi
      WHERE oi."outcomeId" = ANY(${outcomeIds}::uuid[])
      UNION
      SELECT chain."outcomeId", link."earlierId" FROM chain JOIN "IntroductionLink" link ON link."laterId" = chain.id
    )
    SELECT chain."outcomeId"::text AS "outcomeId", i.id::text AS id, i."reportedByPartnerId"::text AS "reportedByPartnerId"
    FROM chain JOIN "Introduction" i ON i.id = chain.id
    WHERE i."connectorId" = ${personId}::uuid AND i."deletedAt" IS NULL`;
}
