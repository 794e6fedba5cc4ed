// Small builders for credit test data: touches, chains and outcomes, plus fast-check arbitraries over them.
import fc from "fast-check";
import type { Chain, Outcome, Touch } from "../src/index.ts";

export const OUTCOME_DATE = new Date("2024-06-30T00:00:00Z");
const DAY = 86_400_000;

export function touch(introductionId: string, connectorId: string, overrides: Partial<Touch> = {}): Touch {
  return {
    introductionId,
    connectorId,
    occurredAt: new Date(OUTCOME_DATE.getTime() - 10 * DAY),
    consented: true,
    disputed: false,
    ...overrides,
  };
}

export function daysBefore(days: number): Date {
  return new Date(OUTCOME_DATE.getTime() - days * DAY);
}

/** Chains from connector-id lists; introduction ids are made unique per chain and position. */
export function chainsOf(...paths: string[][]): Chain[] {
  return paths.map((path, c) => path.map((connectorId, p) => touch(`i${c}-${p}`, connectorId)));
}

export function outcomeOf(chains: readonly Chain[], value = "100.00", overrides: Partial<Outcome> = {}): Outcome {
  return { id: "outcome-1", value, currency: "USD", occurredAt: OUTCOME_DATE, chains, ...overrides };
}

/** Sum of decimal amounts in minor units, exactly. */
export function sumMinorUnits(amounts: readonly string[], minorUnits: number): bigint {
  return amounts.reduce((sum, amount) => sum + toUnits(amount, minorUnits), 0n);
}

export function toUnits(amount: string, minorUnits: number): bigint {
  const [whole = "0", fraction = ""] = amount.split(".");
  if (fraction.length !== minorUnits) throw new Error(`${amount} does not have ${minorUnits} decimals`);
  return BigInt(whole + fraction);
}

export function formatUnits(units: bigint, minorUnits: number): string {
  if (minorUnits === 0) return units.toString();
  const digits = units.toString().padStart(minorUnits + 1, "0");
  return `${digits.slice(0, -minorUnits)}.${digits.slice(-minorUnits)}`;
}

const CONNECTORS = ["ada", "bo", "cy", "dee", "eli", "fay", "gus", "hal"];

export const arbitraryTouch = (introductionId: string) =>
  fc
    .record({
      connectorId: fc.constantFrom(...CONNECTORS),
      days: fc.integer({ min: 0, max: 400 }),
      // Mostly eligible, so that most generated outcomes have something to allocate.
      consented: fc.integer({ min: 0, max: 9 }).map((n) => n !== 0),
      disputed: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    })
    .map(
      ({ connectorId, days, consented, disputed }): Touch => ({
        introductionId,
        connectorId,
        occurredAt: daysBefore(days),
        consented,
        disputed,
      }),
    );

export const arbitraryChains = (maxChains = 5, maxLength = 4) =>
  fc
    .array(fc.array(fc.constant(null), { minLength: 1, maxLength }), { minLength: 1, maxLength: maxChains })
    .chain((shape) =>
      fc.tuple(...shape.map((slots, c) => fc.tuple(...slots.map((_, p) => arbitraryTouch(`i${c}-${p}`))))),
    )
    .map((chains): Chain[] => chains);

export const arbitraryMoney = fc.record({
  minorUnits: fc.integer({ min: 0, max: 3 }),
  units: fc.bigInt({ min: 0n, max: 10n ** 15n }),
});
