// Touch models that weigh an introduction only by its position on the chain: linear, first touch, last touch and
// position-based (40/20/40).
import { Rational } from "../rational.ts";
import { attributeByTouches } from "./chain-split.ts";
import type { TouchRule } from "./chain-split.ts";
import type { Allocation, MoneyOptions, Outcome } from "../types.ts";

const linear: TouchRule = { weigh: (touches) => touches.map(() => Rational.ONE) };

const firstTouch: TouchRule = { weigh: (touches) => touches.map((_, i) => (i === 0 ? Rational.ONE : Rational.ZERO)) };

const lastTouch: TouchRule = {
  weigh: (touches) => touches.map((_, i) => (i === touches.length - 1 ? Rational.ONE : Rational.ZERO)),
};

const FORTY_PERCENT = Rational.of(2, 5);

/** 40 % to the first and last touches, 20 % split over the ones between; one touch 100 %, two 50/50. */
export const positionWeights: TouchRule = {
  weigh: (touches) => {
    const n = touches.length;
    if (n <= 2) return touches.map(() => Rational.ONE);
    const middle = Rational.of(1, 5 * (n - 2));
    return touches.map((_, i) => (i === 0 || i === n - 1 ? FORTY_PERCENT : middle));
  },
};

export function attributeLinear(outcome: Outcome, options: MoneyOptions = {}): Allocation {
  return attributeByTouches(outcome, "LINEAR", linear, "every introduction takes an equal share.", options);
}

export function attributeFirstTouch(outcome: Outcome, options: MoneyOptions = {}): Allocation {
  return attributeByTouches(outcome, "FIRST_TOUCH", firstTouch, "the first introduction takes it all.", options);
}

export function attributeLastTouch(outcome: Outcome, options: MoneyOptions = {}): Allocation {
  return attributeByTouches(outcome, "LAST_TOUCH", lastTouch, "the last introduction takes it all.", options);
}

export function attributePositionBased(outcome: Outcome, options: MoneyOptions = {}): Allocation {
  return attributeByTouches(
    outcome,
    "POSITION_BASED",
    positionWeights,
    "the first and last introductions take 40% each and those between share 20% (one introduction: 100%; two: 50/50).",
    options,
  );
}
