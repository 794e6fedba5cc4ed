// Custom scalars: timestamps, exact decimals for money, and JSON for explanations and evidence.
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import { builder } from "./builder.ts";
import { ValidationError } from "./errors.ts";

builder.addScalarType("DateTime", DateTimeResolver);
builder.addScalarType("JSON", JSONResolver);

const DECIMAL = /^-?\d{1,20}(\.\d{1,4})?$/;

builder.scalarType("Decimal", {
  description: 'An exact decimal number, sent as a string (e.g. "1250000.00"): money never passes through floats.',
  serialize: (value) => (typeof value === "string" ? value : value.toString()),
  parseValue: (value) => {
    const text = typeof value === "number" ? String(value) : value;
    if (typeof text !== "string" || !DECIMAL.test(text)) {
      throw ValidationError.of([], `"${String(value)}" is not a decimal with at most 20 digits and 4 decimals`);
    }
    return text;
  },
});
