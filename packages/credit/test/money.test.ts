import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rational, attribute, formatMinorUnits, splitByLargestRemainder, toMinorUnits } from "../src/index.ts";
import { chainsOf, outcomeOf } from "./builders.ts";

const thirds = (ids: string[]) => ids.map((connectorId) => ({ connectorId, weight: Rational.ONE }));

describe("largest-remainder split", () => {
  it("splits 100.00 three ways as 33.34/33.33/33.33, the extra cent to the lowest id", () => {
    // Quotas are 3333⅓ cents each: floors give 9999, one cent is left, all remainders tie at ⅓, so the lowest id wins.
    const parts = splitByLargestRemainder(10_000n, thirds(["cy", "ada", "bo"]));
    expect(parts).toEqual(
      new Map([
        ["cy", 3333n],
        ["ada", 3334n],
        ["bo", 3333n],
      ]),
    );
  });

  it("gives leftover units to the largest remainders before ties", () => {
    // 10 units over weights 1/6, 1/3, 1/2: quotas 1⅔, 3⅓, 5 → floors 1, 3, 5 (sum 9); the one leftover unit goes to
    // the largest remainder, ⅔ (ada), ahead of ⅓ (bo) and 0 (cy).
    const parts = splitByLargestRemainder(10n, [
      { connectorId: "ada", weight: Rational.of(1, 6) },
      { connectorId: "bo", weight: Rational.of(1, 3) },
      { connectorId: "cy", weight: Rational.of(1, 2) },
    ]);
    expect(parts).toEqual(
      new Map([
        ["ada", 2n],
        ["bo", 3n],
        ["cy", 5n],
      ]),
    );
  });

  it("never gives a unit to a zero weight", () => {
    const parts = splitByLargestRemainder(1n, [
      { connectorId: "a-null", weight: Rational.ZERO },
      { connectorId: "b", weight: Rational.of(1, 2) },
      { connectorId: "c", weight: Rational.of(1, 2) },
    ]);
    expect(parts.get("a-null")).toBe(0n);
    expect((parts.get("b") ?? 0n) + (parts.get("c") ?? 0n)).toBe(1n);
  });

  it("always sums to the value exactly (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 })), {
          minLength: 1,
          maxLength: 12,
        }),
        (units, weights) => {
          fc.pre(weights.some(([numerator]) => numerator > 0));
          const claims = weights.map(([n, d], i) => ({ connectorId: `c${i}`, weight: Rational.of(n, d) }));
          const parts = splitByLargestRemainder(units, claims);
          expect([...parts.values()].reduce((a, b) => a + b, 0n)).toBe(units);
          // Each part is its quota rounded down or up.
          const total = claims.reduce((sum, claim) => sum.add(claim.weight), Rational.ZERO);
          for (const claim of claims) {
            const quota = Rational.of(units).multiply(claim.weight).divide(total);
            const part = parts.get(claim.connectorId) ?? -1n;
            expect(part === quota.floor() || part === quota.floor() + 1n).toBe(true);
          }
        },
      ),
    );
  });
});

describe("outcome values", () => {
  it("rounds an awkward value through attribute()", () => {
    const allocation = attribute(outcomeOf(chainsOf(["bo"], ["cy"], ["ada"]), "100.00"), "LINEAR");
    expect(allocation.credits.map((credit) => [credit.connectorId, credit.amount])).toEqual([
      ["ada", "33.34"],
      ["bo", "33.33"],
      ["cy", "33.33"],
    ]);
  });

  it("respects currencies without minor units (JPY)", () => {
    const allocation = attribute(outcomeOf(chainsOf(["ada", "bo", "cy"]), "1000", { currency: "JPY" }), "SHAPLEY", {
      minorUnits: 0,
    });
    expect(allocation.value).toBe("1000");
    expect(allocation.credits.map((credit) => credit.amount)).toEqual(["334", "333", "333"]);
  });

  it("splits a zero value into zero amounts but still reports shares", () => {
    const allocation = attribute(outcomeOf(chainsOf(["ada", "bo"]), "0"));
    expect(allocation.status).toBe("ALLOCATED");
    expect(allocation.value).toBe("0.00");
    expect(allocation.credits.map((credit) => [credit.amount, credit.shareDecimal])).toEqual([
      ["0.00", "0.5"],
      ["0.00", "0.5"],
    ]);
  });

  it("keeps huge values exact", () => {
    const allocation = attribute(outcomeOf(chainsOf(["ada", "bo", "cy"]), "123456789012345678.99"));
    // 12345678901234567899 cents / 3 = 4115226300411522633 exactly, so no rounding at all.
    expect(allocation.credits.map((credit) => credit.amount)).toEqual([
      "41152263004115226.33",
      "41152263004115226.33",
      "41152263004115226.33",
    ]);
  });

  it("rejects negative values, values finer than the minor unit and non-numbers", () => {
    expect(() => toMinorUnits("-1.00", 2)).toThrow(RangeError);
    expect(() => toMinorUnits("1.005", 2)).toThrow(RangeError);
    expect(() => toMinorUnits("12.5", 0)).toThrow(RangeError);
    expect(() => toMinorUnits("ten", 2)).toThrow(RangeError);
    expect(toMinorUnits("1e3", 2)).toBe(100_000n);
    expect(formatMinorUnits(5n, 3)).toBe("0.005");
  });
});

describe("Rational", () => {
  it("parses decimals exactly and prints them half-even", () => {
    expect(Rational.fromDecimalString("0.125").toString()).toBe("1/8");
    expect(Rational.fromDecimalString("2.5e-3").toString()).toBe("1/400");
    expect(Rational.of(1, 3).toDecimalString(4)).toBe("0.3333");
    expect(Rational.of(5, 8).toDecimalString(2)).toBe("0.62");
    expect(Rational.of(7, 8).toDecimalString(2)).toBe("0.88");
  });
});
