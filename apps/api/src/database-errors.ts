// Database failures a caller can act on, as the API's own error types: a unique value taken when the row is written
// (Prisma P2002, e.g. two writers racing on one profileUrl) is a ConflictError naming its fields; a NUL character,
// which PostgreSQL text cannot hold, is a ValidationError; no connection or transaction in time (P2024, P2028 "Unable
// to start a transaction") is an UnavailableError. A Pothos plugin applies the mapping inside the root resolvers, within
// the errors plugin, so a mutation's result union returns these as its typed members.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";
import type { GraphQLFieldResolver } from "graphql";
import { Prisma } from "@intrograph/db";
import { ConflictError, UnavailableError, ValidationError } from "./errors.ts";

/** What a client waits before retrying a write the database had no room for. */
export const RETRY_AFTER_SECONDS = 2;

interface DriverAdapterCause {
  originalCode?: string;
  constraint?: { fields?: string[]; index?: string };
  table?: string;
}

function causeOf(error: Prisma.PrismaClientKnownRequestError): DriverAdapterCause {
  const meta = error.meta as { driverAdapterError?: { cause?: DriverAdapterCause } } | undefined;
  return meta?.driverAdapterError?.cause ?? {};
}

/** The fields of the violated unique constraint: PGlite reports them, pg reports the index's name. */
function uniqueFields(error: Prisma.PrismaClientKnownRequestError): string[] {
  const { constraint } = causeOf(error);
  if (constraint?.fields?.length) return constraint.fields.map((field) => field.replace(/^"(.*)"$/, "$1"));
  // Prisma names a unique index `<Model>_<field>_<field>_key`; model fields are camelCase, so `_` separates them.
  const match = constraint?.index ? /^[^_]+_(.+)_key$/.exec(constraint.index) : null;
  if (match) return match[1]!.split("_");
  const target = error.meta?.target;
  return Array.isArray(target) ? target.map(String) : [];
}

const INVALID_TEXT_CODES = new Set(["22021", "22P05"]);

/** The API error a database failure stands for, or the failure itself when it is unexpected. */
export function toApiError(error: unknown): unknown {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return error;
  if (error.code === "P2002") {
    const model = typeof error.meta?.modelName === "string" ? error.meta.modelName : (causeOf(error).table ?? "record");
    return ConflictError.uniqueValueTaken(model, uniqueFields(error));
  }
  if (error.code === "P2024" || (error.code === "P2028" && /unable to start a transaction/i.test(error.message))) {
    return new UnavailableError(RETRY_AFTER_SECONDS);
  }
  if (INVALID_TEXT_CODES.has(causeOf(error).originalCode ?? "")) {
    return ValidationError.of([], "text must not contain NUL characters (U+0000)");
  }
  return error;
}

const ROOT_KINDS = new Set(["Query", "Mutation", "Subscription"]);

class DatabaseErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> {
    // Writes and their reads happen in root fields; nested fields only read what those planned.
    if (!ROOT_KINDS.has(fieldConfig.kind)) return resolver;
    return async (parent, args, context, info) => {
      try {
        return await resolver(parent, args, context, info);
      } catch (error) {
        throw toApiError(error);
      }
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      databaseErrors: DatabaseErrorsPlugin<Types>;
    }
  }
}

export const databaseErrorsPlugin = "databaseErrors" as const;
SchemaBuilder.registerPlugin(databaseErrorsPlugin, DatabaseErrorsPlugin);
