// Connection pages after a cursor as keyset conditions. Prisma answers a nested read in one statement (its join
// strategy: a LATERAL subquery with a LIMIT per parent, counts per parent), except when any part of the query carries
// a `cursor`: then the whole query falls back to one statement per level, loads every nested row to apply `take` in
// memory, and counts by grouping the whole related table. plugin-prisma pages with `cursor` + `skip: 1`, so this
// client extension rewrites each such page, top-level or nested, into the equivalent `where` on its ordering
// ("after the cursor row's (strength, id)"), reading the cursor row's ordering values first by its unique key.
import type { PrismaClient } from "@intrograph/db";
import { getDatamodel } from "@intrograph/db/pothos-types";

type Direction = "asc" | "desc";
/** One term of an ordering: the column's path (through to-one relations) and its direction. */
interface OrderTerm {
  path: string[];
  direction: Direction;
}
type Args = Record<string, unknown>;
/** Reads the ordering values of the cursor row, or null when that row is gone. */
type CursorLookup = (model: string, cursor: Args, select: Args) => Promise<Args | null>;

const FIND_OPERATIONS = new Set(["findMany", "findFirst", "findFirstOrThrow", "findUnique", "findUniqueOrThrow"]);

/** Each model's fields: their kind (scalar, enum, object) and type (a related model's name for objects). */
const modelFields = new Map(
  Object.entries(getDatamodel().datamodel.models).map(([model, { fields }]) => [
    model,
    new Map(fields.map((field) => [field.name, { kind: field.kind, type: field.type }])),
  ]),
);

function relatedModel(model: string, field: string): string | undefined {
  const found = modelFields.get(model)?.get(field);
  return found?.kind === "object" ? found.type : undefined;
}

/** Whether the column at `path` compares with gt/lt in a Prisma filter (enums and JSON do not). */
function isComparable(model: string, path: string[]): boolean {
  let current = model;
  for (const [index, key] of path.entries()) {
    const field = modelFields.get(current)?.get(key);
    if (!field) return false;
    if (index === path.length - 1) return field.kind === "scalar" && field.type !== "Json";
    if (field.kind !== "object") return false;
    current = field.type;
  }
  return false;
}

function isObject(value: unknown): value is Args {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The ordering as terms, or null for one this rewrite does not handle (aggregates, `{ sort, nulls }`, several keys). */
function orderTerms(orderBy: unknown): OrderTerm[] | null {
  const entries = Array.isArray(orderBy) ? orderBy : orderBy === undefined ? [] : [orderBy];
  const terms: OrderTerm[] = [];
  for (const entry of entries) {
    const path: string[] = [];
    let node: unknown = entry;
    while (isObject(node)) {
      const keys = Object.keys(node);
      if (keys.length !== 1 || keys[0] === "_count") return null;
      path.push(keys[0]!);
      node = node[keys[0]!];
    }
    if (node !== "asc" && node !== "desc") return null;
    terms.push({ path, direction: node });
  }
  return terms;
}

function nest(path: string[], leaf: unknown): Args {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf) as Args;
}

function valueAt(row: Args, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), row);
}

/**
 * The `where` equivalent of `cursor` + `skip: 1`: rows strictly after the cursor row in the page's reading order
 * (strictly before it when `take` is negative, Prisma's backward page). Null when the page is not one this handles:
 * its ordering must end with the cursor's single unique column, so that it is total, and hold no nulls.
 */
async function keysetArgs(model: string, args: Args, lookup: CursorLookup): Promise<Args | null> {
  const { cursor, skip, take, orderBy } = args;
  if (!isObject(cursor) || skip !== 1 || typeof take !== "number") return null;
  const cursorFields = Object.keys(cursor);
  const terms = orderTerms(orderBy);
  const last = terms?.at(-1);
  if (!terms || !last || cursorFields.length !== 1 || last.path.join(".") !== cursorFields[0]) return null;
  if (!terms.every((term) => isComparable(model, term.path))) return null;
  const select = terms.reduce<Args>((merged, term) => mergeSelect(merged, term.path), {});
  // Ordered by the cursor column alone, the cursor holds the whole key: no need to read its row.
  const row = terms.length === 1 ? cursor : await lookup(model, cursor, select);
  const { cursor: _cursor, skip: _skip, ...rest } = args;
  // The cursor row is gone: Prisma answers an empty page then, and so does a condition no row meets.
  if (!row) return { ...rest, where: and(args.where, { [cursorFields[0]!]: { in: [] } }) };
  const values = terms.map((term) => valueAt(row, term.path));
  if (values.some((value) => value === null || value === undefined)) return null;
  const backward = take < 0;
  const after = terms.flatMap((term, index) => {
    const beyond = beyondFilter(values[index], (term.direction === "asc") !== backward ? "gt" : "lt");
    if (!beyond) return [];
    return [
      {
        AND: [
          ...terms.slice(0, index).map((earlier, position) => nest(earlier.path, values[position])),
          nest(term.path, beyond),
        ],
      },
    ];
  });
  return { ...rest, where: and(args.where, { OR: after }) };
}

/** The filter for values beyond `value`; booleans have no gt/lt, and nothing lies beyond `true` ascending. */
function beyondFilter(value: unknown, comparison: "gt" | "lt"): Args | null {
  if (typeof value !== "boolean") return { [comparison]: value };
  if (comparison === "gt") return value ? null : { equals: true };
  return value ? { equals: false } : null;
}

function mergeSelect(select: Args, path: string[]): Args {
  const [head, ...tail] = path;
  if (!head) return select;
  if (tail.length === 0) return { ...select, [head]: true };
  const inner = isObject(select[head]) && isObject((select[head] as Args).select) ? (select[head] as Args).select : {};
  return { ...select, [head]: { select: mergeSelect(inner as Args, tail) } };
}

function and(where: unknown, condition: Args): Args {
  return isObject(where) && Object.keys(where).length > 0 ? { AND: [where, condition] } : condition;
}

/** The arguments with every cursor page, at this level and in nested selections, rewritten where possible. */
async function rewriteCursors(model: string, args: Args, lookup: CursorLookup, nested: boolean): Promise<Args> {
  let rewritten = args;
  if (nested || "cursor" in args) rewritten = (await keysetArgs(model, args, lookup)) ?? args;
  for (const key of ["select", "include"] as const) {
    const selection = rewritten[key];
    if (!isObject(selection)) continue;
    let changed: Args | null = null;
    for (const [field, value] of Object.entries(selection)) {
      const related = relatedModel(model, field);
      if (!related || !isObject(value)) continue;
      const inner = await rewriteCursors(related, value, lookup, true);
      if (inner !== value) changed = { ...(changed ?? selection), [field]: inner };
    }
    if (changed) rewritten = { ...rewritten, [key]: changed };
  }
  return rewritten;
}

/** Whether the arguments hold a cursor anywhere; most reads have none and pass through untouched. */
function hasCursor(args: unknown): boolean {
  if (!isObject(args)) return false;
  if (args.cursor !== undefined) return true;
  return [args.select, args.include].some(
    (selection) => isObject(selection) && Object.values(selection).some((value) => hasCursor(value)),
  );
}

function delegateName(model: string): string {
  return model.charAt(0).toLowerCase() + model.slice(1);
}

/** The client with connection cursors turned into keyset conditions (see above). */
export function withKeysetCursors(prisma: PrismaClient): PrismaClient {
  const lookup: CursorLookup = (model, cursor, select) =>
    (prisma as unknown as Record<string, { findUnique(args: Args): Promise<Args | null> }>)[
      delegateName(model)
    ]!.findUnique({ where: cursor, select });
  return prisma.$extends({
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!FIND_OPERATIONS.has(operation) || !hasCursor(args)) return query(args);
          return query((await rewriteCursors(model, args as Args, lookup, false)) as typeof args);
        },
      },
    },
  }) as unknown as PrismaClient;
}
