// What the parts of the warm-intro path search share: the "no label / no person" sentinel and integer edge costs.

/** Marks the end of a label list, a label without a parent, or no person. */
export const NONE = -1;

/**
 * Edge costs are −log(strength) rounded to integer multiples of 2⁻³⁰, so sums are exact and equal-score paths tie
 * exactly (float sums of logs would depend on addition order). The rounding changes scores by < 1e-9 relative.
 */
const COST_SCALE = 2 ** 30;
export function strengthCost(strength: number): number {
  return Math.round(-Math.log(strength) * COST_SCALE);
}
