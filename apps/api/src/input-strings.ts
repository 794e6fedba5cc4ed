// PostgreSQL text cannot hold a NUL character (U+0000): an operation that carries one, in its variables or in a string
// literal of its document, is refused before it runs, so no resolver, search or write ever meets one.
import { type DocumentNode, GraphQLError, visit } from "graphql";
import type { Plugin } from "graphql-yoga";

const NUL = "\u0000";

/** The path ("input.displayName") of the first string holding a NUL in a JSON value, or null. */
function nulPathIn(value: unknown, path: string[]): string[] | null {
  if (typeof value === "string") return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPathIn(item, [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPathIn(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function literalWithNul(document: DocumentNode): GraphQLError | null {
  let found: GraphQLError | null = null;
  visit(document, {
    StringValue(node) {
      if (!found && node.value.includes(NUL)) found = refusal("a string literal", [node]);
    },
  });
  return found;
}

function refusal(where: string, nodes?: GraphQLError["nodes"]): GraphQLError {
  return new GraphQLError(`${where} contains a NUL character (U+0000), which text fields cannot hold`, {
    nodes,
    extensions: { code: "BAD_USER_INPUT" },
  });
}

function nulRefusal(args: { variableValues?: unknown; document: DocumentNode }): GraphQLError | null {
  const variablePath = nulPathIn(args.variableValues ?? {}, []);
  return variablePath ? refusal(`variable $${variablePath.join(".")}`) : literalWithNul(args.document);
}

export function useNoNulStrings(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = nulRefusal(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = nulRefusal(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
