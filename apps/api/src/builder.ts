// The Pothos schema builder and its plugins. It holds no types: those live in src/modules/<domain>/.
import SchemaBuilder from "@pothos/core";
import { getNamedType, getNullableType, GraphQLError, isListType } from "graphql";
import ComplexityPlugin, { ComplexityErrorKind } from "@pothos/plugin-complexity";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import ValidationPlugin from "@pothos/plugin-validation";
import type PrismaTypes from "@intrograph/db/pothos-types";
import { getDatamodel } from "@intrograph/db/pothos-types";
import { type Context, prismaOf } from "./context.ts";
import { databaseErrorsPlugin } from "./database-errors.ts";
import { ValidationError } from "./errors.ts";
import { parseGlobalId } from "./ids.ts";

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { anyone: boolean; authenticated: boolean; admin: boolean; partner: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string | { toString(): string } };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [
    ScopeAuthPlugin,
    ErrorsPlugin,
    // Inside the errors plugin, so the ConflictError of a lost unique race is a typed member of a result union.
    databaseErrorsPlugin,
    ValidationPlugin,
    PrismaPlugin,
    RelayPlugin,
    ComplexityPlugin,
    DataloaderPlugin,
  ],
  scopeAuth: {
    authScopes: (ctx) => ({
      anyone: true,
      authenticated: ctx.viewer.kind !== "anonymous",
      admin: ctx.viewer.kind === "admin",
      partner: ctx.viewer.kind === "partner",
    }),
    treatErrorsAsUnauthorized: true,
    // A GraphQLError, so Yoga shows the reason instead of masking it as an internal error.
    unauthorizedError: (_parent, context, _info, result) =>
      new GraphQLError(
        context.viewer.kind === "anonymous"
          ? `${result.message}: send an API key as \`Authorization: Bearer <key>\``
          : result.message,
        { extensions: { code: context.viewer.kind === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN" } },
      ),
  },
  errors: {
    defaultTypes: [],
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
    // Validation runs before the resolver; its failures should still come back as the typed ValidationError member.
    unsafelyHandleInputErrors: true,
  },
  validation: {
    validationError: (failure) =>
      new ValidationError(
        failure.issues.map((issue) => ({
          path: (issue.path ?? []).map((part) => String(typeof part === "object" ? part.key : part)),
          message: issue.message,
        })),
      ),
  },
  prisma: {
    client: (ctx) => prismaOf(ctx),
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "error",
    maxConnectionSize: MAX_PAGE_SIZE,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    // node/nodes ids are checked for shape like every other id argument: a malformed one is BAD_USER_INPUT.
    decodeGlobalID: (globalID) => {
      const decoded = parseGlobalId(globalID, "id");
      if (!isNodeType(decoded.typename)) throw ValidationError.of("id", `${decoded.typename} is not a type with ids`);
      return decoded;
    },
    // Anonymous callers get the schema only; node types apply partner isolation in their own `findUnique`.
    nodeQueryOptions: { authScopes: { authenticated: true } },
    nodesQueryOptions: { authScopes: { authenticated: true } },
    edgesFieldOptions: { nullable: false },
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    // A connection costs what its page can hold (`first`/`last`), so 100 × 100 × 100 nested pages are refused while
    // a 50 × 10 × 10 traversal is not; its `edges` list is already counted by that multiplier.
    fieldComplexity: (args, _ctx, field) => {
      if (getNamedType(field.type).name.endsWith("Connection")) {
        const page = Number(args.first ?? args.last ?? DEFAULT_PAGE_SIZE);
        return {
          field: 1,
          multiplier: Math.max(1, Math.min(Number.isFinite(page) ? page : MAX_PAGE_SIZE, MAX_PAGE_SIZE)),
        };
      }
      // A plain number would leave lists at the default multiplier: say 1 explicitly.
      if (field.name === "edges") return { field: 1, multiplier: 1 };
      return { field: 1, multiplier: isListType(getNullableType(field.type)) ? 10 : 1 };
    },
    limit: { complexity: 50_000, depth: 12, breadth: 300 },
    complexityError: (kind, result) => {
      const [limit, actual, max] =
        kind === ComplexityErrorKind.Depth
          ? (["depth", result.depth, result.maxDepth] as const)
          : kind === ComplexityErrorKind.Breadth
            ? (["breadth", result.breadth, result.maxBreadth] as const)
            : (["complexity", result.complexity, result.maxComplexity] as const);
      return new GraphQLError(`Query exceeds maximum ${limit} (${limit}: ${actual}, max: ${max})`, {
        extensions: { code: `${limit.toUpperCase()}_LIMIT_EXCEEDED`, limit, actual, max },
      });
    },
  },
});

/** Whether `typename` names a Node type, one that node(id) can load. */
function isNodeType(typename: string): boolean {
  if (!builder.configStore.hasImplementation(typename)) return false;
  const options = builder.configStore.getTypeConfig(typename).pothosOptions as Record<string, unknown>;
  return Boolean(options.loadWithoutCache ?? options.loadOne ?? options.loadMany);
}

builder.queryType({
  description: "Read the connector graph: people, relationships, introductions, outcomes and credit.",
});
builder.mutationType({ description: "Record and curate the graph. Every write is audited." });
