// Connection cursors are opaque to clients, not to the database: plugin-prisma's cursor (`GPC:` + a tagged value)
// can be forged to carry a number, a date or any string, which would reach PostgreSQL as a malformed uuid. Connections
// page by row id — a UUID, or for the append-only credit history a sequence number — so before an operation runs, each
// `after`/`before` of a connection field, top-level or nested, literal or variable, must hold the kind its list pages
// by; other cursors (offset connections) are left to their field.
import { decodeBase64, decodeCursorChunk } from "@pothos/core";
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { Plugin } from "graphql-yoga";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROW_CURSOR_PREFIX = "GPC:";
/** Node types whose rows are numbered by a sequence rather than identified by a UUID. */
const SEQUENCE_NUMBERED = new Set(["CreditHistoryEntry"]);

/** The node type of a connection type (`…Connection { edges { node } }`). */
function nodeTypeName(connection: GraphQLNamedType): string | undefined {
  if (!isObjectType(connection)) return undefined;
  const edges = connection.getFields().edges;
  const edge = edges && getNamedType(edges.type);
  return edge && isObjectType(edge) ? getNamedType(edge.getFields().node?.type)?.name : undefined;
}

/** False for a row cursor whose value is not a row id; anything else is for the connection itself to judge. */
function isAcceptableCursor(cursor: string, sequence: boolean): boolean {
  let decoded: string;
  try {
    decoded = decodeBase64(cursor);
  } catch {
    return true;
  }
  if (!decoded.startsWith(ROW_CURSOR_PREFIX)) return true;
  try {
    const value = decodeCursorChunk(decoded.slice(ROW_CURSOR_PREFIX.length));
    if (sequence)
      return (typeof value === "number" && Number.isSafeInteger(value) && value > 0) || typeof value === "bigint";
    return typeof value === "string" && UUID.test(value);
  } catch {
    return false;
  }
}

function cursorRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): GraphQLError | null {
  const typeInfo = new TypeInfo(schema);
  let refusal: GraphQLError | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const name = node.name.value;
        if (refusal || (name !== "after" && name !== "before")) return;
        const field = typeInfo.getFieldDef();
        const connection = field && getNamedType(field.type);
        if (!connection?.name.endsWith("Connection")) return;
        const value =
          node.value.kind === Kind.VARIABLE
            ? variables[node.value.name.value]
            : node.value.kind === Kind.STRING
              ? node.value.value
              : undefined;
        if (
          typeof value === "string" &&
          !isAcceptableCursor(value, SEQUENCE_NUMBERED.has(nodeTypeName(connection) ?? ""))
        ) {
          refusal = new GraphQLError(`${name}: ${JSON.stringify(value.slice(0, 80))} is not a cursor of this list`, {
            nodes: [node],
            extensions: { code: "BAD_USER_INPUT", argument: name },
          });
        }
      },
    }),
  );
  return refusal;
}

export function useCheckedCursors(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = cursorRefusal(args.schema, args.document, (args.variableValues ?? {}) as Record<string, unknown>);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}
