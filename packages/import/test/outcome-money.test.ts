// Outcome rows are checked for money as the API checks it: an ISO 4217 currency, a value within its minor unit.
import { describe, expect, it } from "vitest";
import { parseGenericRow } from "../src/formats/generic.ts";

const outcome = (value: string, currency: string) =>
  parseGenericRow(
    { id: "o1", kind: "DEAL", title: "Deal", value, currency, occurredAt: "2026-01-01", introductions: "i1" },
    "outcomes",
  );

describe("outcome rows' money", () => {
  it.each([
    ["12.345", "USD", /finer than USD's minor unit \(2 decimals\)/],
    ["10.5", "JPY", /finer than JPY's minor unit \(0 decimals\)/],
    ["10", "ZZZ", /"ZZZ" is not an ISO 4217 currency code/],
    ["10", "XAU", /"XAU" is not an ISO 4217 currency code/],
  ])("%s %s is rejected", (value, currency, reason) => {
    expect(() => outcome(value, currency)).toThrow(reason);
  });

  it.each([
    ["12.34", "usd"],
    ["1000", "JPY"],
    ["1.234", "BHD"],
    ["12.5000", "EUR"],
  ])("%s %s is read", (value, currency) => {
    expect(outcome(value, currency)).toMatchObject({ type: "outcome", value, currency: currency.toUpperCase() });
  });
});
