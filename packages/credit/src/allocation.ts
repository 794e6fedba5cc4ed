// Turns one model's per-connector weights into an Allocation: exact money, exact shares and a readable summary.
import { Rational } from "./rational.ts";
import { compareIds, formatMinorUnits, splitByLargestRemainder, toMinorUnits } from "./money.ts";
import type { ChainReview } from "./eligibility.ts";
import type { Allocation, ConnectorCredit, CreditBasis, CreditModel, Outcome, ShapleyMethodReport } from "./types.ts";

export interface ConnectorWeight {
  connectorId: string;
  /** Non-negative; normalised over all connectors of the outcome. */
  weight: Rational;
  basis: CreditBasis;
  note: string;
}

export interface AllocationInput {
  outcome: Outcome;
  model: CreditModel;
  minorUnits: number;
  review: ChainReview;
  weights: readonly ConnectorWeight[];
  /** One sentence on how the model weighed the chains, placed after the headline. */
  method: string;
  shapley?: ShapleyMethodReport;
}

const MODEL_NAMES: Record<CreditModel, string> = {
  SHAPLEY: "Shapley value",
  LINEAR: "linear",
  FIRST_TOUCH: "first touch",
  LAST_TOUCH: "last touch",
  POSITION_BASED: "position-based (40/20/40)",
  TIME_DECAY: "time decay",
  MARKOV: "Markov removal effect",
};

export function buildAllocation(input: AllocationInput): Allocation {
  const { outcome, model, minorUnits, review, weights } = input;
  const units = toMinorUnits(outcome.value, minorUnits);
  const value = formatMinorUnits(units, minorUnits);
  const total = weights.reduce((sum, entry) => sum.add(entry.weight), Rational.ZERO);

  if (review.complete.length === 0 || weights.length === 0 || total.isZero()) {
    return {
      outcomeId: outcome.id,
      model,
      status: "NO_ELIGIBLE_CHAIN",
      currency: outcome.currency,
      value,
      minorUnits,
      unallocated: value,
      credits: [],
      chains: review.reports,
      summary: [
        `No ${MODEL_NAMES[model]} credit for outcome ${outcome.id} (${value} ${outcome.currency}): ` +
          `none of its ${review.reports.length} chain(s) is complete, so the value stays unallocated.`,
        ...excludedLines(review),
      ].join("\n"),
    };
  }

  const amounts = splitByLargestRemainder(units, weights);
  const credits: ConnectorCredit[] = weights.map((entry) => {
    const share = entry.weight.divide(total);
    return {
      connectorId: entry.connectorId,
      share: share.toNumber(),
      shareDecimal: share.toDecimalString(30),
      amount: formatMinorUnits(amounts.get(entry.connectorId) ?? 0n, minorUnits),
      basis: entry.basis,
      note: entry.note,
    };
  });
  credits.sort(
    (a, b) =>
      compareBigInt(amounts.get(b.connectorId) ?? 0n, amounts.get(a.connectorId) ?? 0n) ||
      compareIds(a.connectorId, b.connectorId),
  );

  const unit = formatMinorUnits(1n, minorUnits);
  const summary = [
    `${capitalise(MODEL_NAMES[model])} credit for outcome ${outcome.id} (${value} ${outcome.currency}) over ` +
      `${credits.length} connector(s) on ${review.complete.length} complete chain(s).`,
    input.method,
    ...credits.map((credit) => `- ${credit.connectorId}: ${credit.amount} (${percent(credit.share)}) — ${credit.note}`),
    ...excludedLines(review),
    `Amounts are rounded to ${unit} ${outcome.currency} by largest remainder; ties go to the lower connector id.`,
  ]
    .filter((line) => line.length > 0)
    .join("\n");

  const allocation: Allocation = {
    outcomeId: outcome.id,
    model,
    status: "ALLOCATED",
    currency: outcome.currency,
    value,
    minorUnits,
    unallocated: formatMinorUnits(0n, minorUnits),
    credits,
    chains: review.reports,
    summary,
  };
  if (input.shapley) allocation.shapley = input.shapley;
  return allocation;
}

function excludedLines(review: ChainReview): string[] {
  return review.reports
    .filter((report) => report.status !== "COMPLETE")
    .map(
      (report) =>
        `Chain ${report.index} (${report.connectorIds.join(" > ") || "empty"}) earns nothing: ${report.reasons.join("; ")}.`,
    );
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
