// Property tests of the credit invariants in ../README.md: efficiency, symmetry, null connector, bridge connector.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CREDIT_MODELS, attribute } from "../src/index.ts";
import type { Allocation, Chain, Touch } from "../src/index.ts";
import { arbitraryChains, arbitraryMoney, formatUnits, outcomeOf, sumMinorUnits, toUnits } from "./builders.ts";

const eligible = (chains: Chain[]): Chain[] =>
  chains.map((chain) => chain.map((touch): Touch => ({ ...touch, consented: true, disputed: false })));

const creditOf = (allocation: Allocation, connectorId: string) =>
  allocation.credits.find((credit) => credit.connectorId === connectorId);

describe.each(CREDIT_MODELS)("%s invariants", (model) => {
  it("allocates exactly the value, to the minor unit, or nothing at all", () => {
    fc.assert(
      fc.property(
        arbitraryChains(),
        arbitraryChains(3, 3),
        arbitraryMoney,
        (chains, dropOffs, { minorUnits, units }) => {
          const value = formatUnits(units, minorUnits);
          const allocation = attribute(outcomeOf(chains, value), model, { minorUnits, nonConvertingChains: dropOffs });
          expect(allocation.value).toBe(value);
          if (allocation.status === "NO_ELIGIBLE_CHAIN") {
            expect(allocation.credits).toEqual([]);
            expect(allocation.unallocated).toBe(value);
            expect(chains.every((chain) => chain.some((t) => !t.consented || t.disputed))).toBe(true);
            return;
          }
          expect(
            sumMinorUnits(
              allocation.credits.map((c) => c.amount),
              minorUnits,
            ),
          ).toBe(units);
          expect(toUnits(allocation.unallocated, minorUnits)).toBe(0n);
          expect(allocation.credits.every((c) => !c.amount.startsWith("-"))).toBe(true);
          const shareTotal = allocation.credits.reduce((sum, c) => sum + c.share, 0);
          expect(shareTotal).toBeCloseTo(1, 9);
          // Only connectors with an eligible touch on a chain without ineligible touches are credited.
          const creditable = new Set(
            chains
              .filter((chain) => chain.every((t) => t.consented && !t.disputed))
              .flat()
              .map((t) => t.connectorId),
          );
          for (const credit of allocation.credits) expect(creditable.has(credit.connectorId)).toBe(true);
        },
      ),
    );
  });

  it("gives symmetric connectors equal shares, and amounts at most one minor unit apart", () => {
    const swap = (id: string) => (id === "ada" ? "bo" : id === "bo" ? "ada" : id);
    fc.assert(
      fc.property(arbitraryChains(4, 4), arbitraryMoney, (generated, { minorUnits, units }) => {
        const chains = eligible(generated);
        // Closing the chain set under swapping ada and bo makes the two interchangeable in every model.
        const mirrored = chains.map((chain) =>
          chain.map((touch) => ({
            ...touch,
            introductionId: `m-${touch.introductionId}`,
            connectorId: swap(touch.connectorId),
          })),
        );
        const outcome = outcomeOf([...chains, ...mirrored], formatUnits(units, minorUnits));
        // The drop-offs must be mirrored too, or the Markov model rightly tells ada and bo apart.
        const dropOffs = [...chains.slice(0, 1), ...mirrored.slice(0, 1)];
        const allocation = attribute(outcome, model, { minorUnits, nonConvertingChains: dropOffs });
        const ada = creditOf(allocation, "ada");
        const bo = creditOf(allocation, "bo");
        expect(ada === undefined).toBe(bo === undefined);
        if (!ada || !bo) return;
        if (model === "MARKOV") expect(Math.abs(ada.share - bo.share)).toBeLessThan(1e-9);
        else expect(ada.shareDecimal).toBe(bo.shareDecimal);
        const gap = toUnits(ada.amount, minorUnits) - toUnits(bo.amount, minorUnits);
        expect(gap >= -1n && gap <= 1n).toBe(true);
      }),
    );
  });
});

describe("SHAPLEY null and bridge connectors", () => {
  it("gives 0 to a connector whose every chain already contains another complete chain, leaving the rest unchanged", () => {
    fc.assert(
      fc.property(arbitraryChains(4, 4), fc.nat(), (generated, at) => {
        const chains = eligible(generated);
        const base = chains[0] ?? [];
        const position = at % (base.length + 1);
        const padded = [
          ...base.slice(0, position),
          { ...(base[0] as Touch), introductionId: "z", connectorId: "zed" },
          ...base.slice(position),
        ];
        const withNull = attribute(
          outcomeOf([...chains, padded.map((t) => ({ ...t, introductionId: `p-${t.introductionId}` }))]),
        );
        const without = attribute(outcomeOf(chains));
        expect(creditOf(withNull, "zed")).toMatchObject({ amount: "0.00", shareDecimal: "0" });
        expect(withNull.credits.filter((c) => c.connectorId !== "zed").map((c) => [c.connectorId, c.amount])).toEqual(
          without.credits.map((c) => [c.connectorId, c.amount]),
        );
      }),
    );
  });

  it.each(["SHAPLEY", "LINEAR"] as const)(
    "%s: a bridge on every chain earns more than any of several redundant connectors",
    (model) => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 5 }),
          fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
          (segmentSizes, bridgeAt) => {
            const chains = segmentSizes.map((size, k) => {
              const connectors = Array.from({ length: size }, (_, j) => `r${k}-${j}`);
              connectors.splice((bridgeAt[k] ?? 0) % (size + 1), 0, "bridge");
              return connectors.map((connectorId, p) => ({ ...baseTouch, introductionId: `i${k}-${p}`, connectorId }));
            });
            const allocation = attribute(outcomeOf(chains), model);
            const bridge = creditOf(allocation, "bridge");
            for (const credit of allocation.credits) {
              if (credit.connectorId !== "bridge") expect(bridge?.share ?? 0).toBeGreaterThan(credit.share);
            }
          },
        ),
      );
    },
  );
});

const baseTouch: Touch = {
  introductionId: "",
  connectorId: "",
  occurredAt: new Date("2024-06-01T00:00:00Z"),
  consented: true,
  disputed: false,
};
