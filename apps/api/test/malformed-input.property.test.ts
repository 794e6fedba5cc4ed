// Property: whatever malformed value a caller puts into any mutation argument or query filter, the API answers with a
// typed refusal, never INTERNAL_SERVER_ERROR or a 5xx, and a refused write leaves every table's row count unchanged.
// The operations are derived from the schema, so a new mutation or argument is covered without touching this test.
import { encodeBase64, encodeCursorChunk } from "@pothos/core";
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import fc from "fast-check";
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "@intrograph/db/testing";
import { schema } from "../src/schema.ts";
import { createRingNetwork } from "./fixtures.ts";
import { documentOf, startTestApi, type TestApi } from "./harness.ts";

/** A generated value, and whether it holds at least one value that must be refused. */
interface Generated {
  value: unknown;
  malformed: boolean;
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const uuid = fc.uuid({ version: 7 });

/** Values each scalar must refuse. */
const malformedScalars: Record<string, fc.Arbitrary<unknown>> = {
  ID: fc.oneof(
    fc.constantFrom("garbage", "", "Person:01a229d7-eff7-7059-8dc9-289700cce551", b64("Person:not-a-uuid")),
    fc.string().map((text) => b64(`Nope:${text}`)),
    uuid.map((id) => b64(`Spaceship:${id}`)),
    fc.string({ unit: "binary", maxLength: 20 }),
  ),
  String: fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`),
  Int: fc.constantFrom(2 ** 40, -(2 ** 40), 1.5, "7", true),
  Float: fc.constantFrom("1.5", "NaN", true, "Infinity"),
  Boolean: fc.constantFrom("yes", 1, "false"),
  DateTime: fc.constantFrom("2026-13-45T00:00:00Z", "yesterday", "", "2026-02-30", 1.5),
  Decimal: fc.constantFrom("12,50", "NaN", "1e400", "", "0.00001", "Infinity", "--1", "1.2.3", " 12", true),
};

describe.each(databaseKinds)("malformed arguments on %s (property)", (kind) => {
  let api: TestApi;
  let tables: string[];
  /** Well-formed ids of existing rows, so the plausible parts of an input reach past the id checks. */
  let existingIds: string[];

  beforeAll(async () => {
    api = await startTestApi(kind, { rateLimit: false });
    const prisma = api.database.prisma;
    const network = await createRingNetwork(prisma, 6, 1);
    const organization = await prisma.organization.create({ data: { name: "Acme" }, select: { id: true } });
    existingIds = [
      ...network.personIds.map((id) => encodeGlobalID("Person", id)),
      ...network.relationshipIds.map((id) => encodeGlobalID("Relationship", id)),
      encodeGlobalID("Organization", organization.id),
    ];
    const rows = await prisma.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
    tables = rows.map((row) => row.name);
  });
  afterAll(() => api.close());

  async function rowCounts(): Promise<Record<string, number>> {
    const sql = tables
      .map((table) => `SELECT '${table}' AS name, count(*)::int AS rows FROM "${table}"`)
      .join(" UNION ALL ");
    const counts = await api.database.prisma.$queryRawUnsafe<{ name: string; rows: number }[]>(sql);
    return Object.fromEntries(counts.map((count) => [count.name, count.rows]));
  }

  /** Plausible values: often valid, sometimes not; they never make an input malformed on their own. */
  function plausibleScalar(name: string): fc.Arbitrary<unknown> {
    switch (name) {
      case "ID":
        return fc.constantFrom(...existingIds);
      case "Int":
        return fc.integer({ min: -2, max: 120 });
      case "Float":
        return fc.double({ min: -1, max: 2, noNaN: true });
      case "Boolean":
        return fc.boolean();
      case "DateTime":
        return fc
          .date({ min: new Date("2020-01-01"), max: new Date("2027-01-01"), noInvalidDate: true })
          .map((d) => d.toISOString());
      case "Decimal":
        return fc.constantFrom("0", "12.5", "1000");
      case "JSON":
        return fc.jsonValue({ maxDepth: 2 });
      default:
        return fc.string({ maxLength: 30 }).filter((text) => !text.includes("\u0000"));
    }
  }

  function generated(type: GraphQLInputType, depth: number): fc.Arbitrary<Generated> {
    if (isNonNullType(type)) {
      return fc.oneof(
        { weight: 30, arbitrary: generated(type.ofType, depth) },
        { weight: 1, arbitrary: fc.constant({ value: null, malformed: true }) },
      );
    }
    if (isListType(type)) {
      return fc.array(generated(type.ofType, depth), { maxLength: 3 }).map((items) => ({
        value: items.map((item) => item.value),
        malformed: items.some((item) => item.malformed),
      }));
    }
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      if (depth > 3) return fc.constant({ value: {}, malformed: false });
      return fc
        .tuple(
          ...fields.map((field) =>
            isNonNullType(field.type)
              ? generated(field.type, depth + 1).map((value) => [field.name, value] as const)
              : fc.option(generated(field.type, depth + 1), { freq: 2 }).map((value) => [field.name, value] as const),
          ),
        )
        .map((entries) => {
          const present = entries.filter((entry): entry is readonly [string, Generated] => entry[1] !== null);
          return {
            value: Object.fromEntries(present.map(([name, value]) => [name, value.value])),
            malformed: present.some(([, value]) => value.malformed),
          };
        });
    }
    if (isEnumType(type)) {
      return fc.oneof(
        {
          weight: 8,
          arbitrary: fc
            .constantFrom(...type.getValues().map((value) => value.name))
            .map((value) => ({ value, malformed: false })),
        },
        { weight: 1, arbitrary: fc.constantFrom("NOT_A_VALUE", "", 3).map((value) => ({ value, malformed: true })) },
      );
    }
    if (isScalarType(type)) {
      const malformed = malformedScalars[type.name];
      const plausible = plausibleScalar(type.name).map((value) => ({ value, malformed: false }));
      // Mostly plausible leaves, so that an input usually holds one malformed value and the others let it reach the
      // resolver; ids (which only resolvers can refuse) are malformed more often than values coercion refuses.
      return malformed
        ? fc.oneof(
            { weight: 6, arbitrary: plausible },
            { weight: type.name === "ID" ? 3 : 1, arbitrary: malformed.map((value) => ({ value, malformed: true })) },
          )
        : plausible;
    }
    throw new Error(`no generator for ${String(type)}`);
  }

  /** A page cursor is a String to the schema: give it forged cursors too (a row cursor holding no row id). */
  function argument(arg: GraphQLArgument): fc.Arbitrary<Generated> {
    if (arg.name !== "after" && arg.name !== "before") return generated(arg.type, 0);
    const forged = fc
      .oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.date({ noInvalidDate: true }))
      .map((value) => ({ value: encodeBase64(`GPC:${encodeCursorChunk(value)}`), malformed: true }));
    return fc.oneof(forged, generated(arg.type, 0));
  }

  /** `field` called with each argument as a variable of its name: the variable definitions and the call. */
  function fieldCall(field: GraphQLField<unknown, unknown>): { definitions: string[]; call: string } {
    const definitions = field.args.map((arg: GraphQLArgument) => `$${arg.name}: ${String(arg.type)}`);
    const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
    const named = getNamedType(field.type);
    // A connection is only read when its edges are selected.
    const selection = named.name.endsWith("Connection")
      ? " { __typename edges { cursor } }"
      : isCompositeType(named)
        ? " { __typename }"
        : "";
    return { definitions, call: `${field.name}${args ? `(${args})` : ""}${selection}` };
  }

  /** Values for the arguments of `field`; an optional one is often left out (so `after` and `before` seldom meet). */
  function argumentsOf(field: GraphQLField<unknown, unknown>) {
    return fc
      .tuple(
        ...field.args.map((arg) =>
          (isNonNullType(arg.type) ? argument(arg) : fc.option(argument(arg), { freq: 2 })).map(
            (value) => [arg.name, value] as const,
          ),
        ),
      )
      .map((entries) => {
        const present = entries.filter((entry): entry is readonly [string, Generated] => entry[1] !== null);
        return {
          variables: Object.fromEntries(present.map(([name, value]) => [name, value.value])) as Record<string, unknown>,
          malformed: present.some(([, value]) => value.malformed),
        };
      });
  }

  function casesOf(operation: "query" | "mutation") {
    const root = operation === "query" ? schema.getQueryType() : schema.getMutationType();
    const fields = Object.values(root!.getFields()).filter((field) => field.args.length > 0);
    return fc.oneof(
      ...fields.map((field) => {
        const { definitions, call } = fieldCall(field);
        const document = `${operation}${definitions.length ? `(${definitions.join(", ")})` : ""} { ${call} }`;
        return argumentsOf(field).map((generatedArguments) => ({ field: field.name, document, ...generatedArguments }));
      }),
    );
  }

  /** Nested fields with arguments (filters of nested lists, credit periods...), reached through node(id) of a row. */
  function nestedCases() {
    const cases = [];
    for (const typename of ["Person", "Relationship", "Organization"]) {
      const type = schema.getType(typename);
      if (!isObjectType(type)) throw new Error(`${typename} is not an object type`);
      const ids = existingIds.filter((id) => decodeGlobalID(id).typename === typename);
      for (const field of Object.values(type.getFields()).filter((candidate) => candidate.args.length > 0)) {
        const { definitions, call } = fieldCall(field);
        const document = `query($node: ID!, ${definitions.join(", ")}) { node(id: $node) { ... on ${typename} { ${call} } } }`;
        cases.push(
          fc.tuple(fc.constantFrom(...ids), argumentsOf(field)).map(([node, generatedArguments]) => ({
            field: `${typename}.${field.name}`,
            document,
            variables: { node, ...generatedArguments.variables },
            malformed: generatedArguments.malformed,
          })),
        );
      }
    }
    return fc.oneof(...cases);
  }

  it("every mutation refuses malformed arguments with a typed error and writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        casesOf("mutation").filter((operation) => operation.malformed),
        async ({ field, document, variables }) => {
          const before = await rowCounts();
          const response = await api.executeOperation(
            documentOf<Record<string, { __typename: string } | null>>(document),
            variables,
          );
          const description = JSON.stringify({ document, variables, response });
          expect(response.status, description).toBeLessThan(500);
          for (const error of response.errors ?? []) {
            expect(error.extensions?.code, description).toBeDefined();
            expect(error.extensions?.code, description).not.toBe("INTERNAL_SERVER_ERROR");
          }
          expect(response.data?.[field]?.__typename ?? "refused", description).not.toMatch(/Success$/);
          expect(await rowCounts(), description).toEqual(before);
        },
      ),
      { numRuns: kind === "pglite" ? 300 : 120 },
    );
  }, 300_000);

  it("every query and filter, top-level or nested, refuses malformed arguments with a typed error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(casesOf("query"), nestedCases()), async ({ document, variables }) => {
        const response = await api.executeOperation(documentOf(document), variables);
        const description = JSON.stringify({ document, variables, response });
        expect(response.status, description).toBeLessThan(500);
        for (const error of response.errors ?? []) {
          expect(error.extensions?.code, description).toBeDefined();
          expect(error.extensions?.code, description).not.toBe("INTERNAL_SERVER_ERROR");
        }
      }),
      { numRuns: kind === "pglite" ? 300 : 120 },
    );
  }, 300_000);
});
