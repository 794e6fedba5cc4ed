// Credit as the API shows it: the materialized allocations (outcome × connector × model) with their explanations,
// per outcome (`Outcome.credit`) and per person over a period (`Person.credit`).
import { GraphQLError } from "graphql";
import { CreditModel, Prisma } from "@intrograph/db";
import { builder } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { reportedVisibleTo } from "../access/visibility.ts";
import { Outcome } from "../outcomes/outcome.ts";
import { Person } from "../people/person.ts";
import { minorUnitsFor } from "@intrograph/ledger";
import { readableSummary, redactedFor } from "./redaction.ts";

const { Decimal } = Prisma;
type Decimal = Prisma.Decimal;

export const CreditModelEnum = builder.enumType(CreditModel, {
  name: "CreditModel",
  description:
    "How an outcome's value is split over the connectors on its intro chains. SHAPLEY (default): each connector's average marginal contribution to opening the door; LINEAR / FIRST_TOUCH / LAST_TOUCH / POSITION_BASED (40/20/40) / TIME_DECAY (30-day half-life) per chain; MARKOV: removal effect across all outcomes.",
});

export const CreditPeriod = builder.inputType("CreditPeriod", {
  description: "Outcomes that happened in [from, to). Either end may be left open.",
  fields: (t) => ({
    from: t.field({ type: "DateTime", required: false }),
    to: t.field({ type: "DateTime", required: false }),
  }),
});

/** A query argument that cannot be served: a GraphQL error Yoga shows as is (queries have no result unions). */
export function badInput(message: string, path: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", argument: path } });
}

/** Outcomes the viewer may see, in the period. */
export function outcomesInPeriod(
  ctx: Context,
  period: typeof CreditPeriod.$inferInput | null | undefined,
): Prisma.OutcomeWhereInput {
  if (period?.from && period.to && period.from >= period.to)
    throw badInput("period.from must be before period.to", "period");
  const occurredAt = {
    ...(period?.from ? { gte: period.from } : {}),
    ...(period?.to ? { lt: period.to } : {}),
  };
  return { deletedAt: null, ...reportedVisibleTo(ctx), ...(period?.from || period?.to ? { occurredAt } : {}) };
}

/** Credit rows of outcomes the viewer may see, in the period. */
export function creditWhere(
  ctx: Context,
  model: CreditModel,
  period: typeof CreditPeriod.$inferInput | null | undefined,
): Prisma.CreditWhereInput {
  return {
    model,
    // The ledger keeps a row for every connector on a chain; one that earned nothing under this model is not credit.
    amount: { gt: 0 },
    outcome: outcomesInPeriod(ctx, period),
  };
}

interface CreditExplanation {
  note?: string;
  shareExact?: string;
  outcome?: { minorUnits?: number; summary?: string };
}

function explanationOf(credit: { explanation: unknown }): CreditExplanation {
  return (credit.explanation ?? {}) as CreditExplanation;
}

// Not a Node: an allocation is derived data, replaced whenever its outcome is recomputed, so its id is not stable.
export const CreditAllocation = builder.prismaObject("Credit", {
  name: "CreditAllocation",
  select: { id: true },
  description: "The credit one connector earned for one outcome under one model, with the evidence behind it.",
  fields: (t) => ({
    model: t.expose("model", { type: CreditModelEnum }),
    person: t.relation("person", { description: "The connector credited." }),
    outcome: t.relation("outcome"),
    share: t.float({
      description: "Fraction of the outcome's value, for display (10 decimals).",
      select: { share: true },
      resolve: (credit) => credit.share.toNumber(),
    }),
    shareExact: t.string({
      description: 'The exact share as a decimal string (up to 30 places), e.g. "0.333333333333333333333333333333".',
      select: { share: true, explanation: true },
      resolve: (credit) => explanationOf(credit).shareExact ?? credit.share.toFixed(),
    }),
    amount: t.field({
      type: "Decimal",
      description: "Money in `currency`, with the currency's decimals; an outcome's amounts sum exactly to its value.",
      select: { amount: true, explanation: true },
      resolve: (credit) => credit.amount.toFixed(explanationOf(credit).outcome?.minorUnits ?? 2),
    }),
    currency: t.string({ select: { currency: true }, resolve: (credit) => credit.currency.trim() }),
    summary: t.string({
      description: "One sentence a person can read: why this connector earned this amount.",
      select: { explanation: true },
      resolve: (credit, _args, ctx) => readableSummary(ctx, explanationOf(credit).note ?? ""),
    }),
    outcomeSummary: t.string({
      description: "How the whole outcome was split under this model, line by line.",
      select: { explanation: true },
      resolve: (credit, _args, ctx) => readableSummary(ctx, explanationOf(credit).outcome?.summary ?? ""),
    }),
    explanation: t.field({
      type: "JSON",
      description:
        'The evidence: model basis (pivotal coalitions and exact fraction for Shapley, touch weights, removal effect), the chains this connector is on with their status, and the outcome\'s summary. For partners, introductions another partner reported privately appear as "private-introduction".',
      select: { explanation: true },
      resolve: (credit, _args, ctx) => redactedFor(ctx, credit.explanation),
    }),
    computedAt: t.expose("computedAt", { type: "DateTime" }),
  }),
});

const modelArg = {
  type: CreditModelEnum,
  required: false,
  defaultValue: "SHAPLEY",
  description: "Default SHAPLEY.",
} as const;

builder.prismaObjectFields(Outcome, (t) => ({
  credit: t.relation("credits", {
    description:
      "Who earned what for this outcome under `model`, largest amount first; connectors who earned nothing under it are left out. Empty when no intro chain into it is complete.",
    args: { model: t.arg(modelArg) },
    query: (args) => ({
      where: { model: args.model ?? "SHAPLEY", amount: { gt: 0 } },
      orderBy: [{ amount: "desc" }, { personId: "asc" }],
    }),
  }),
  creditSummary: t.string({
    description: "How the outcome's value was split under `model`, or why nothing was allocated.",
    args: { model: t.arg(modelArg) },
    select: (args) => ({
      credits: { where: { model: args.model ?? "SHAPLEY" }, select: { explanation: true }, take: 1 },
    }),
    resolve: (outcome, args, ctx) => {
      const first = outcome.credits[0];
      if (first) return readableSummary(ctx, explanationOf(first).outcome?.summary ?? "");
      return `No ${args.model ?? "SHAPLEY"} credit: no intro chain into this outcome is complete (every introduction consented, none excluded by an upheld dispute).`;
    },
  }),
}));

interface CurrencyTotal {
  currency: string;
  amount: string;
  outcomes: number;
}

const CurrencyTotalRef = builder.objectRef<CurrencyTotal>("CreditTotal").implement({
  description: "Credit summed over outcomes in one currency (amounts in different currencies are never added).",
  fields: (t) => ({
    currency: t.exposeString("currency"),
    amount: t.field({ type: "Decimal", resolve: (total) => total.amount }),
    outcomes: t.exposeInt("outcomes", { description: "Outcomes in this currency that credited the person." }),
  }),
});

/** One connector's standing credit as of a moment, per outcome: the latest history entry at or before it. */
export interface CreditAsOf {
  personId: string;
  outcomeId: string;
  amount: Prisma.Decimal;
  currency: string;
}

/**
 * The allocations standing at `asOf` for the outcomes the viewer may see in the period: per outcome and connector, the
 * last history entry recorded at or before it, where it was more than zero. Reads the history of those outcomes only.
 */
export async function creditAsOf(
  ctx: Context,
  model: CreditModel,
  period: typeof CreditPeriod.$inferInput | null | undefined,
  asOf: Date,
  personId?: string,
): Promise<CreditAsOf[]> {
  const entries = await prismaOf(ctx).creditHistory.findMany({
    where: {
      model,
      recordedAt: { lte: asOf },
      ...(personId ? { personId } : {}),
      outcome: outcomesInPeriod(ctx, period),
    },
    orderBy: [{ outcomeId: "asc" }, { personId: "asc" }, { id: "desc" }],
    distinct: ["outcomeId", "personId"],
    select: { outcomeId: true, personId: true, amount: true, currency: true },
  });
  return entries.filter((entry) => entry.amount.gt(0)).map((entry) => ({ ...entry, currency: entry.currency.trim() }));
}

interface PersonCreditShape {
  model: CreditModel;
  where: Prisma.CreditWhereInput;
  /** Set when the credit is read as of a past moment: the allocations then are the history's, not today's rows. */
  asOf: Date | null;
  rows: { amount: Prisma.Decimal; currency: string; outcomeId: string }[];
}

const PersonCredit = builder.objectRef<PersonCreditShape>("PersonCredit").implement({
  description: "A person's credit as a connector under one model and period.",
  fields: (t) => ({
    model: t.field({ type: CreditModelEnum, resolve: (credit) => credit.model }),
    outcomeCount: t.int({
      description: "Outcomes that credited this person (amount > 0).",
      resolve: (credit) => new Set(credit.rows.map((row) => row.outcomeId)).size,
    }),
    totals: t.field({
      type: [CurrencyTotalRef],
      description: "Totals per currency, largest first.",
      resolve: (credit) => totalsByCurrency(credit.rows),
    }),
    allocations: t.prismaConnection({
      type: CreditAllocation,
      cursor: "id",
      description:
        "The credit per outcome, with explanations; largest amount first. Today's allocations only: with `asOf`, read `Person.creditHistory`.",
      resolve: (query, credit, _args, ctx) => {
        if (credit.asOf)
          throw badInput(
            "allocations are today's: with asOf, read Person.creditHistory for the allocations then",
            "asOf",
          );
        return prismaOf(ctx).credit.findMany({
          ...query,
          where: credit.where,
          orderBy: [{ amount: "desc" }, { id: "asc" }],
        });
      },
    }),
  }),
});

function totalsByCurrency(rows: PersonCreditShape["rows"]): CurrencyTotal[] {
  const totals = new Map<string, { amount: Decimal; outcomes: Set<string> }>();
  for (const row of rows) {
    const currency = row.currency.trim();
    const total = totals.get(currency) ?? { amount: new Decimal(0), outcomes: new Set<string>() };
    total.amount = total.amount.plus(row.amount.toFixed());
    total.outcomes.add(row.outcomeId);
    totals.set(currency, total);
  }
  return [...totals.entries()]
    .map(([currency, total]) => ({ currency, amount: total.amount, outcomes: total.outcomes.size }))
    .sort((a, b) => b.amount.comparedTo(a.amount) || a.currency.localeCompare(b.currency))
    .map((total) => ({
      currency: total.currency,
      amount: total.amount.toFixed(minorUnitsFor(total.currency, "0")),
      outcomes: total.outcomes,
    }));
}

builder.prismaObjectFields(Person, (t) => ({
  credit: t.field({
    type: PersonCredit,
    description: "Credit this person earned as a connector: totals per currency and the allocations behind them.",
    args: {
      model: t.arg(modelArg),
      period: t.arg({ type: CreditPeriod, required: false }),
      asOf: t.arg({
        type: "DateTime",
        required: false,
        description: "The credit as it stood at this moment, from the credit history (totals and outcome count).",
      }),
    },
    // The rows for the totals come with the person (one query for a whole page of people); the allocations
    // connection reads its own page. As of a past moment, each person's rows come from the history.
    select: (args, ctx) => ({
      id: true,
      credits: {
        where: creditWhere(ctx, args.model ?? "SHAPLEY", args.period),
        select: { amount: true, currency: true, outcomeId: true },
      },
    }),
    resolve: async (person, args, ctx) => ({
      model: args.model ?? "SHAPLEY",
      where: { ...creditWhere(ctx, args.model ?? "SHAPLEY", args.period), personId: person.id },
      asOf: args.asOf ?? null,
      rows: args.asOf
        ? await creditAsOf(ctx, args.model ?? "SHAPLEY", args.period, args.asOf, person.id)
        : person.credits,
    }),
  }),
}));
