// Time-decay credit: an introduction weighs 2^(−Δt/h), Δt the time from it to the outcome and h the half-life, so
// the intros closest to the outcome earn the most.
import { Decimal } from "decimal.js";
import { Rational } from "../rational.ts";
import { attributeByTouches } from "./chain-split.ts";
import type { TouchRule } from "./chain-split.ts";
import type { Allocation, MoneyOptions, Outcome, TimeDecayOptions } from "../types.ts";

export const DEFAULT_HALF_LIFE_DAYS = 30;

// 40 significant digits: far below a minor unit of any value, and the same digits on every machine.
const Precise = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

/**
 * Weights relative to the chain's latest touch (the ratio is all that matters after normalising), so old chains do not
 * underflow. A touch dated after the outcome is treated as simultaneous with it.
 */
export function timeDecayWeights(halfLifeDays: number): TouchRule {
  return (touches, outcome) => {
    const ages = touches.map((touch) => Math.max(0, outcome.occurredAt.getTime() - touch.occurredAt.getTime()));
    const youngest = Math.min(...ages);
    const halfLifeMs = new Precise(halfLifeDays).times(86_400_000);
    return ages.map((age) => {
      const halvings = new Precise(age - youngest).dividedBy(halfLifeMs);
      // Relative weights below 1e-40 are far below any minor unit; rounding them keeps the fractions small.
      return Rational.fromDecimalString(new Precise(2).pow(halvings.negated()).toDecimalPlaces(40).toFixed());
    });
  };
}

export function attributeTimeDecay(outcome: Outcome, options: MoneyOptions & TimeDecayOptions = {}): Allocation {
  const halfLifeDays = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  if (!(Number.isFinite(halfLifeDays) && halfLifeDays > 0)) {
    throw new RangeError(`halfLifeDays must be a positive number, got ${halfLifeDays}`);
  }
  return attributeByTouches(
    outcome,
    "TIME_DECAY",
    timeDecayWeights(halfLifeDays),
    `each introduction weighs 2^(−Δt/${halfLifeDays} days), Δt being its time before the outcome.`,
    options,
  );
}

