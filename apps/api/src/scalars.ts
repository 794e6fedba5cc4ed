// Custom scalars: timestamps, exact decimals for money, and JSON for explanations and evidence.
import { GraphQLError, GraphQLScalarType } from "graphql";
import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import { builder } from "./builder.ts";

/** A scalar's refusal of a value: a GraphQL error with a code, so Yoga shows it instead of masking it. */
function badValue(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

/** graphql-scalars' DateTime, its refusals carrying BAD_USER_INPUT like every other bad input. */
const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  parseValue: (value) => {
    try {
      return DateTimeResolver.parseValue(value);
    } catch (error) {
      throw badValue(error instanceof Error ? error.message : "not a date-time");
    }
  },
  parseLiteral: (ast, variables) => {
    try {
      return DateTimeResolver.parseLiteral(ast, variables);
    } catch (error) {
      throw badValue(error instanceof Error ? error.message : "not a date-time");
    }
  },
});

builder.addScalarType("DateTime", DateTime);
builder.addScalarType("JSON", JSONResolver);

const DECIMAL = /^-?\d{1,20}(\.\d{1,4})?$/;

builder.scalarType("Decimal", {
  description: 'An exact decimal number, sent as a string (e.g. "1250000.00"): money never passes through floats.',
  serialize: (value) => (typeof value === "string" ? value : value.toString()),
  parseValue: (value) => {
    const text = typeof value === "number" ? String(value) : value;
    if (typeof text !== "string" || !DECIMAL.test(text)) {
      throw badValue(
        `${JSON.stringify(String(value)).slice(0, 60)} is not a decimal: write it as a string of digits with at most 20 digits and 4 decimals, a point as the separator (e.g. "1250.50")`,
      );
    }
    return text;
  },
});
