// Exact money for credit: parse an outcome value into minor units and split it so the parts sum to the value.
//
// Rounding rule (largest remainder / Hamilton method): each connector's exact quota is value × share, in minor
// units. Everyone first gets the floor of their quota; the units left over (always fewer than the number of
// connectors with a fractional remainder) go one each to the largest remainders. Equal remainders are broken by
// connector id, ascending in JavaScript string order — so 100.00 split three ways is 33.34 / 33.33 / 33.33 with the
// extra cent on the lowest id. Shares are exact fractions, so no float error can move a cent.
import { Decimal } from "decimal.js";
import { Rational } from "./rational.ts";

export const DEFAULT_MINOR_UNITS = 2;

export function resolveMinorUnits(minorUnits: number | undefined): number {
  const places = minorUnits ?? DEFAULT_MINOR_UNITS;
  if (!Number.isInteger(places) || places < 0 || places > 18) {
    throw new RangeError(`minorUnits must be an integer from 0 to 18, got ${String(minorUnits)}`);
  }
  return places;
}

/** The value in minor units. Rejects negative values and values finer than the currency's minor unit. */
export function toMinorUnits(value: string, minorUnits: number): bigint {
  let amount: Decimal;
  try {
    amount = new Decimal(value);
  } catch {
    throw new RangeError(`Outcome value is not a decimal number: ${value}`);
  }
  if (!amount.isFinite()) throw new RangeError(`Outcome value is not finite: ${value}`);
  if (amount.isNegative() && !amount.isZero()) throw new RangeError(`Outcome value is negative: ${value}`);
  if (amount.decimalPlaces() > minorUnits) {
    throw new RangeError(`Outcome value ${value} has more than ${minorUnits} decimal places`);
  }
  return BigInt(amount.times(new Decimal(10).pow(minorUnits)).toFixed(0));
}

export function formatMinorUnits(units: bigint, minorUnits: number): string {
  return new Decimal(units.toString()).dividedBy(new Decimal(10).pow(minorUnits)).toFixed(minorUnits);
}

export interface Claim {
  connectorId: string;
  /** Non-negative weight; claims are normalised by their total, so any scale works. */
  weight: Rational;
}

/** Splits `units` over the claims by the largest-remainder rule; returns minor units per connector id. */
export function splitByLargestRemainder(units: bigint, claims: readonly Claim[]): Map<string, bigint> {
  const total = claims.reduce((sum, claim) => sum.add(claim.weight), Rational.ZERO);
  const parts = new Map<string, bigint>();
  if (claims.length === 0) return parts;
  if (total.isZero()) throw new RangeError("Cannot split a value over claims whose weights are all zero");

  const quotas = claims.map((claim) => {
    const quota = Rational.of(units).multiply(claim.weight).divide(total);
    const whole = quota.floor();
    return { connectorId: claim.connectorId, whole, remainder: quota.add(Rational.of(-whole)) };
  });
  let leftover = units - quotas.reduce((sum, quota) => sum + quota.whole, 0n);
  const byRemainder = [...quotas].sort(
    (a, b) => b.remainder.compare(a.remainder) || compareIds(a.connectorId, b.connectorId),
  );
  for (const quota of byRemainder) {
    // Quotas sum exactly to `units`, so the leftover never exceeds the count of positive remainders.
    const extra = leftover > 0n && !quota.remainder.isZero() ? 1n : 0n;
    leftover -= extra;
    parts.set(quota.connectorId, (parts.get(quota.connectorId) ?? 0n) + quota.whole + extra);
  }
  return parts;
}

/** Plain code-unit order, independent of locale, so tie-breaks are the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
