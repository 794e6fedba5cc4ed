import { describe, expect, it } from "vitest";
import { CREDIT_MODELS, attribute } from "../src/index.ts";
import { chainsOf, outcomeOf, touch } from "./builders.ts";

describe("only consented, non-disputed introductions earn credit", () => {
  const eligible = [touch("i1", "A"), touch("i2", "B")];
  const disputed = [touch("i3", "A"), touch("i4", "C", { disputed: true })];
  const unconsented = [touch("i5", "D", { consented: false })];

  it.each(CREDIT_MODELS)("%s drops a chain with an ineligible intro as a whole", (model) => {
    const withIneligible = attribute(outcomeOf([eligible, disputed, unconsented]), model);
    const withoutThem = attribute(outcomeOf([eligible]), model);
    // C and D earn nothing, and A earns nothing through the disputed chain: credits match the eligible chain alone.
    expect(withIneligible.credits).toEqual(withoutThem.credits);
    expect(withIneligible.chains.map((c) => [c.status, c.reasons])).toEqual([
      ["COMPLETE", []],
      ["INELIGIBLE", ["introduction i4 is disputed"]],
      ["INELIGIBLE", ["introduction i5 is not consented"]],
    ]);
    expect(withIneligible.summary).toContain("Chain 1 (A > C) earns nothing: introduction i4 is disputed.");
  });

  it.each(CREDIT_MODELS)("%s allocates nothing, and says why, when no chain is eligible", (model) => {
    const allocation = attribute(outcomeOf([disputed, unconsented, []], "250.00"), model);
    expect(allocation.status).toBe("NO_ELIGIBLE_CHAIN");
    expect(allocation.credits).toEqual([]);
    expect(allocation.unallocated).toBe("250.00");
    expect(allocation.chains.map((c) => c.status)).toEqual(["INELIGIBLE", "INELIGIBLE", "EMPTY"]);
    expect(allocation.summary).toMatch(/none of its 3 chain\(s\) is complete, so the value stays unallocated/);
    expect(allocation.summary).toContain("not consented");
  });

  it("allocates nothing for an outcome without chains", () => {
    const allocation = attribute(outcomeOf([]));
    expect(allocation.status).toBe("NO_ELIGIBLE_CHAIN");
    expect(allocation.unallocated).toBe("100.00");
  });

  it("counts identical chains once", () => {
    const [chain] = chainsOf(["A", "B"]);
    const allocation = attribute(outcomeOf([chain ?? [], chain ?? [], [touch("x", "C")]]), "LINEAR");
    // Two distinct chains, 50.00 each: A and B 25.00, C 50.00.
    expect(allocation.credits.map((c) => [c.connectorId, c.amount])).toEqual([
      ["C", "50.00"],
      ["A", "25.00"],
      ["B", "25.00"],
    ]);
    expect(allocation.chains[1]).toMatchObject({ status: "DUPLICATE", reasons: ["the same introductions as chain 0"] });
  });
});
