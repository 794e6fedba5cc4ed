// Shared machinery of the touch-based models (linear, first/last touch, position-based, time decay): every complete
// chain carries an equal part of the outcome, and a model only decides how a chain's part is shared by its touches.
// A connector earns the sum over its touches, so one who introduced twice on a chain is credited twice.
import { Rational } from "../rational.ts";
import { reviewChains } from "../eligibility.ts";
import { buildAllocation, percent } from "../allocation.ts";
import type { ConnectorWeight } from "../allocation.ts";
import { resolveMinorUnits } from "../money.ts";
import type { Allocation, Chain, MoneyOptions, Outcome, TouchWeight } from "../types.ts";

export type TouchModel = "LINEAR" | "FIRST_TOUCH" | "LAST_TOUCH" | "POSITION_BASED" | "TIME_DECAY";

export interface TouchRule {
  /** Raw, non-negative weights for the touches of one chain, in chain order; normalised by the caller. */
  weigh: (touches: Chain, outcome: Outcome) => Rational[];
  /**
   * For rules whose weights are already approximations (time decay): each touch's share of its chain is rounded to
   * this many decimal places, so fractions stay small across many chains. Exact rules leave it unset.
   */
  roundToPlaces?: number;
}

interface ConnectorTally {
  weight: Rational;
  touches: TouchWeight[];
}

export function attributeByTouches(
  outcome: Outcome,
  model: TouchModel,
  rule: TouchRule,
  /** How a chain's part is shared, completing "within a chain, …". */
  withinChain: string,
  options: MoneyOptions,
): Allocation {
  const minorUnits = resolveMinorUnits(options.minorUnits);
  const review = reviewChains(outcome.chains);
  const chainPart = review.complete.length > 0 ? Rational.of(1, review.complete.length) : Rational.ZERO;
  const tallies = new Map<string, ConnectorTally>();

  for (const chain of review.complete) {
    const raw = rule.weigh(chain.touches, outcome);
    let total = raw.reduce((sum, weight) => sum.add(weight), Rational.ZERO);
    // A rule never returns all zeros for a non-empty chain, but equal shares are the safe reading if it did.
    const weights = total.isZero() ? chain.touches.map(() => Rational.ONE) : raw;
    if (total.isZero()) total = Rational.of(chain.touches.length);

    chain.touches.forEach((touch, position) => {
      const exactShare = (weights[position] ?? Rational.ZERO).divide(total);
      const inChain = rule.roundToPlaces === undefined ? exactShare : exactShare.roundToPlaces(rule.roundToPlaces);
      const tally = tallies.get(touch.connectorId) ?? { weight: Rational.ZERO, touches: [] };
      // Chains weigh the same, so the 1/k factor is applied once per connector below.
      tally.weight = tally.weight.add(inChain);
      const touchWeight: TouchWeight = {
        chainIndex: chain.index,
        introductionId: touch.introductionId,
        weightInChain: inChain.toDecimalString(30),
      };
      if (model === "TIME_DECAY") touchWeight.daysBeforeOutcome = daysBetween(touch.occurredAt, outcome.occurredAt);
      tally.touches.push(touchWeight);
      tallies.set(touch.connectorId, tally);
    });
  }

  const weights: ConnectorWeight[] = [...tallies].map(([connectorId, tally]) => ({
    connectorId,
    weight: tally.weight.multiply(chainPart),
    basis: { model, touches: tally.touches },
    note: tally.touches
      .map((touch) => {
        const days =
          touch.daysBeforeOutcome === undefined
            ? ""
            : `, ${touch.daysBeforeOutcome.toFixed(1)} days before the outcome`;
        return `introduction ${touch.introductionId} takes ${percent(Number(touch.weightInChain))} of chain ${touch.chainIndex}${days}`;
      })
      .join("; "),
  }));

  const k = review.complete.length;
  const method = `${k === 1 ? "The one complete chain carries all" : `Each of the ${k} complete chains carries 1/${k}`} of the value; within a chain, ${withinChain}`;
  return buildAllocation({ outcome, model, minorUnits, review, weights, method });
}

export const MS_PER_DAY = 86_400_000;

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / MS_PER_DAY;
}
