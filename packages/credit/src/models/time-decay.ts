// Time-decay credit: an introduction weighs 2^(−Δt/h), Δt the time from it to the outcome and h the half-life, so
// the intros closest to the outcome earn the most.
import { Decimal } from "decimal.js";
import { Rational } from "../rational.ts";
import { attributeByTouches } from "./chain-split.ts";
import type { TouchRule } from "./chain-split.ts";
import type { Allocation, MoneyOptions, Outcome, TimeDecayOptions } from "../types.ts";

// An intro's pull on an outcome fades within weeks: one made a month before the outcome earns half of one made at it.
export const TIME_DECAY_HALF_LIFE_DAYS = 30;

// Powers of two are computed in 50-digit fixed point on BigInt and rounded to 40 decimals: the same digits on every
// machine (unlike Math.pow), far below a minor unit, and much cheaper than decimal.js's general-purpose pow.
const SCALE = 10n ** 50n;
const LN2 = BigInt(Decimal.clone({ precision: 60 }).ln(2).times(SCALE.toString()).toFixed(0));
const WEIGHT_PLACES = 40;

/** 2^(−halvings) rounded to 40 decimal places. */
export function halvingWeight(halvings: Rational): Rational {
  const whole = halvings.floor();
  // 2^−140 < 1e−42: rounds to zero at 40 places.
  if (whole > 140n) return Rational.ZERO;
  const fraction = halvings.add(Rational.of(-whole));
  // exp(−f·ln 2) by its Taylor series; f·ln 2 < 0.7, so terms vanish after about 40 steps.
  const exponent = (fraction.numerator * LN2) / fraction.denominator;
  let term = SCALE;
  let sum = SCALE;
  for (let k = 1n; term !== 0n; k++) {
    term = -(term * exponent) / (SCALE * k);
    sum += term;
  }
  return Rational.of(sum, SCALE << whole).roundToPlaces(WEIGHT_PLACES);
}

/**
 * Weights relative to the chain's latest touch (the ratio is all that matters after normalising), so old chains do not
 * underflow. A touch dated after the outcome is treated as simultaneous with it. Powers are cached by age gap because
 * chains out of one intro DAG share most of their introductions, and each power costs a high-precision exp.
 */
export function timeDecayWeights(halfLifeDays: number): TouchRule {
  const halfLifeMs = Rational.fromDecimalString(String(halfLifeDays)).multiply(Rational.of(86_400_000));
  const powers = new Map<number, Rational>();
  const power = (gapMs: number): Rational => {
    let weight = powers.get(gapMs);
    if (!weight) {
      weight = halvingWeight(Rational.of(gapMs).divide(halfLifeMs));
      powers.set(gapMs, weight);
    }
    return weight;
  };
  return {
    weigh: (touches, outcome) => {
      const ages = touches.map((touch) => Math.max(0, outcome.occurredAt.getTime() - touch.occurredAt.getTime()));
      const youngest = Math.min(...ages);
      return ages.map((age) => power(age - youngest));
    },
    roundToPlaces: WEIGHT_PLACES,
  };
}

export function attributeTimeDecay(outcome: Outcome, options: MoneyOptions & TimeDecayOptions = {}): Allocation {
  const halfLifeDays = options.halfLifeDays ?? TIME_DECAY_HALF_LIFE_DAYS;
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
