// The connector leaderboard: people ranked by the credit they earned under a model and period — who opens doors, in
// money, not who has followers.
import { offsetToCursor, resolveOffsetConnection } from "@pothos/plugin-relay";
import { plannedQuery } from "../planned-query.ts";
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import type { CreditModel, Prisma } from "@intrograph/db";
import { Person } from "../people/person.ts";
import { badInput, CreditModelEnum, CreditPeriod, creditAsOf, creditWhere, outcomesInPeriod } from "./credit.ts";
import { minorUnitsFor } from "@intrograph/ledger";

interface LeaderboardEntry {
  rank: number;
  personId: string;
  currency: string;
  amount: string;
  outcomes: number;
}

const LeaderboardEntryRef = builder.objectRef<LeaderboardEntry>("ConnectorRanking").implement({
  description: "One connector's place on the leaderboard, in one currency.",
  fields: (t) => ({
    rank: t.exposeInt("rank", {
      description: "1 for the most credited; equal amounts get consecutive ranks by person id.",
    }),
    person: t.prismaField({
      type: Person,
      // Prisma batches the findUnique calls of one page into a single query.
      resolve: (query, entry, _args, ctx) =>
        prismaOf(ctx).person.findUniqueOrThrow({ ...plannedQuery(query), where: { id: entry.personId } }),
    }),
    amount: t.field({ type: "Decimal", resolve: (entry) => entry.amount }),
    currency: t.exposeString("currency"),
    outcomes: t.exposeInt("outcomes", { description: "Outcomes that credited this connector in the period." }),
  }),
});

builder.queryField("connectorLeaderboard", (t) =>
  t.connection({
    type: LeaderboardEntryRef,
    description:
      "Connectors ranked by credit amount under `model` for outcomes in `period`, in one `currency`. Amounts in different currencies are never ranked together: `currency` may be left out only when every outcome in the period is in the same one; otherwise the answer is BAD_USER_INPUT naming the currencies to choose from.",
    authScopes: { authenticated: true },
    args: {
      model: t.arg({ type: CreditModelEnum, required: false, defaultValue: "SHAPLEY" }),
      period: t.arg({ type: CreditPeriod, required: false }),
      currency: t.arg.string({ required: false }),
      asOf: t.arg({
        type: "DateTime",
        required: false,
        description: "The ranking as it stood at this moment, from the credit history.",
      }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.first != null && (args.first < 0 || args.first > MAX_PAGE_SIZE)) {
        throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, "first");
      }
      const currency =
        args.currency?.trim().toUpperCase() ?? (await theOnlyCurrency(ctx, outcomesInPeriod(ctx, args.period)));
      if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
        throw badInput("currency must be an ISO 4217 code such as USD", "currency");
      if (args.asOf) return rankingAsOf(ctx, args, args.asOf, currency);
      const where = { ...creditWhere(ctx, args.model ?? "SHAPLEY", args.period), ...(currency ? { currency } : {}) };
      // `last` alone is the end of the ranking: paged as `last` before the entry past the end.
      const fromEnd = args.last != null && args.first == null && args.after == null && args.before == null;
      const pageArgs = fromEnd
        ? {
            ...args,
            before: offsetToCursor(
              (await prismaOf(ctx).credit.groupBy({ by: ["personId", "currency"], where })).length,
            ),
          }
        : args;
      return resolveOffsetConnection(
        { args: pageArgs, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
        async ({ offset, limit }) => {
          const groups = await prismaOf(ctx).credit.groupBy({
            by: ["personId", "currency"],
            where,
            _sum: { amount: true },
            _count: { outcomeId: true },
            orderBy: [{ _sum: { amount: "desc" } }, { personId: "asc" }, { currency: "asc" }],
            skip: offset,
            take: limit,
          });
          return groups.map(
            (group, index): LeaderboardEntry => ({
              rank: offset + index + 1,
              personId: group.personId,
              currency: group.currency.trim(),
              amount: (group._sum.amount ?? 0).toFixed(minorUnitsFor(group.currency.trim(), "0")),
              outcomes: group._count.outcomeId,
            }),
          );
        },
      );
    },
  }),
);

/**
 * Without `currency`: the one currency of the outcomes the ranking covers (none when there are none), or a request
 * for a currency when they are in several, since amounts in USD and EUR ranked in one list would mean nothing.
 */
async function theOnlyCurrency(ctx: Context, outcomes: Prisma.OutcomeWhereInput): Promise<string | undefined> {
  const currencies = await prismaOf(ctx).outcome.groupBy({
    by: ["currency"],
    where: outcomes,
    orderBy: { currency: "asc" },
  });
  if (currencies.length <= 1) return currencies[0]?.currency.trim();
  const names = currencies.map((row) => row.currency.trim());
  throw badInput(
    `these outcomes are in ${names.join(", ")}, and amounts in different currencies are never ranked together: pass currency (one of ${names.join(", ")})`,
    "currency",
  );
}

/** The ranking at a past moment: the standing allocations then (credit history), summed per connector and currency. */
async function rankingAsOf(
  ctx: Context,
  args: {
    model?: CreditModel | null;
    period?: typeof CreditPeriod.$inferInput | null;
    first?: number | null;
    last?: number | null;
    after?: string | null;
    before?: string | null;
  },
  asOf: Date,
  currency: string | undefined,
) {
  const totals = new Map<string, { personId: string; currency: string; amount: Prisma.Decimal; outcomes: number }>();
  for (const entry of await creditAsOf(ctx, args.model ?? "SHAPLEY", args.period, asOf)) {
    if (currency && entry.currency !== currency) continue;
    const key = `${entry.personId}|${entry.currency}`;
    const total = totals.get(key);
    if (total) {
      total.amount = total.amount.plus(entry.amount);
      total.outcomes += 1;
    } else totals.set(key, { personId: entry.personId, currency: entry.currency, amount: entry.amount, outcomes: 1 });
  }
  const ranking = [...totals.values()].sort(
    (a, b) =>
      b.amount.comparedTo(a.amount) ||
      (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : a.currency.localeCompare(b.currency)),
  );
  const fromEnd = args.last != null && args.first == null && args.after == null && args.before == null;
  return resolveOffsetConnection(
    {
      args: fromEnd ? { ...args, before: offsetToCursor(ranking.length) } : args,
      defaultSize: DEFAULT_PAGE_SIZE,
      maxSize: MAX_PAGE_SIZE,
    },
    async ({ offset, limit }) =>
      ranking.slice(offset, offset + limit).map(
        (total, index): LeaderboardEntry => ({
          rank: offset + index + 1,
          personId: total.personId,
          currency: total.currency,
          amount: total.amount.toFixed(minorUnitsFor(total.currency, "0")),
          outcomes: total.outcomes,
        }),
      ),
  );
}
