// The graph service kept fresh from the event log: after each kind of write through the API, paths and per-person
// metrics show it within 2 s; betweenness (and the role built on it) is marked stale when the public graph's people or
// relationships change, and fresh again once recomputed; a partner's private relationship counts in that partner's
// paths and metrics only, never in betweenness; /healthz answers at once while the snapshot is built.
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendEvents } from "@intrograph/db/events";
import { loadDemoData } from "@intrograph/db/seed";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@intrograph/db/testing";
import type { DatabaseKind } from "@intrograph/db";
import { issueApiKey } from "../src/modules/access/api-keys.ts";
import { createApi } from "../src/server.ts";
import { graphql } from "./generated/gql.ts";
import type { RelationshipStatus } from "./generated/graphql.ts";
import { dataOf, ofType, operationExecutor, type TestApi } from "./harness.ts";

const DEADLINE_MS = 2_000;
/** An import is picked up by a rebuild after a second of quiet (rebuildDebounceMs), then read in full. */
const IMPORT_DEADLINE_MS = 10_000;
/** Long enough that a poll sees `stale: true` before the recomputation, short enough to see it end. */
const METRICS_DEBOUNCE_MS = 1_000;

const Paths = graphql(/* GraphQL */ `
  query GraphServicePaths($from: ID!, $to: ID, $toOrganization: ID, $verifiedOnly: Boolean) {
    warmIntroPaths(from: $from, to: $to, toOrganization: $toOrganization, verifiedOnly: $verifiedOnly, k: 3) {
      __typename
      ... on WarmIntroPathsSuccess { paths { hopCount score people { id } } }
    }
  }
`);
const Metrics = graphql(/* GraphQL */ `
  query GraphServiceMetrics($id: ID!) {
    node(id: $id) {
      ... on Person {
        metrics { degree constraint betweenness computedAt stale reach(maxHops: 3) { decisionMakers organizations } }
        role { role computedAt stale }
      }
    }
  }
`);
const CreatePerson = graphql(/* GraphQL */ `
  mutation GraphServiceCreatePerson($name: String!) {
    createPerson(input: { displayName: $name }) { __typename ... on CreatePersonSuccess { person { id } } }
  }
`);
const CreateRelationship = graphql(/* GraphQL */ `
  mutation GraphServiceCreateRelationship($input: CreateRelationshipInput!) {
    createRelationship(input: $input) { __typename ... on CreateRelationshipSuccess { relationship { id } } }
  }
`);
const UpdateRelationship = graphql(/* GraphQL */ `
  mutation GraphServiceUpdateRelationship($input: UpdateRelationshipInput!) {
    updateRelationship(input: $input) { __typename ... on UpdateRelationshipSuccess { relationship { id } } }
  }
`);
const AddInteraction = graphql(/* GraphQL */ `
  mutation GraphServiceAddInteraction($input: AddInteractionInput!) {
    addInteraction(input: $input) { __typename }
  }
`);
const SetMembership = graphql(/* GraphQL */ `
  mutation GraphServiceSetMembership($input: SetMembershipInput!) {
    setMembership(input: $input) { __typename }
  }
`);
const MergePeople = graphql(/* GraphQL */ `
  mutation GraphServiceMergePeople($input: MergePeopleInput!) {
    mergePeople(input: $input) { __typename }
  }
`);

interface Api extends Pick<TestApi, "database" | "executeOperation"> {
  graph: ReturnType<typeof createApi>["graph"];
  close(): Promise<void>;
}

/** Like the harness's test API, with a longer metrics debounce so tests can see betweenness while it is stale. */
async function startApi(kind: DatabaseKind): Promise<Api> {
  const database = await createTestDatabase(kind);
  const { yoga, graph } = createApi({ database, rateLimit: false, graph: { metricsDebounceMs: METRICS_DEBOUNCE_MS } });
  const admin = await issueApiKey(database.prisma, { name: "graph admin", scopes: ["admin"] });
  return {
    database,
    graph,
    executeOperation: operationExecutor(yoga, admin.key),
    async close() {
      await graph.stop();
      await database.drop();
    },
  };
}

/** Reads until `done` holds or the deadline passes; returns the last reading (the caller asserts on it). */
async function soon<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

describe.each(databaseKinds)("graph service on %s", (kind) => {
  let api: Api;
  const people: Record<string, string> = {};
  const keys = { a: "", b: "" };
  let organization = "";
  const relationships: Record<string, string> = {};

  const person = (name: string) => encodeGlobalID("Person", people[name]!);
  const paths = async (
    from: string,
    target: { to?: string; toOrganization?: string },
    key?: string,
    verifiedOnly = false,
  ) => {
    const data = dataOf(
      await api.executeOperation(
        Paths,
        {
          from: person(from),
          ...(target.to ? { to: person(target.to) } : {}),
          ...(target.toOrganization ? { toOrganization: target.toOrganization } : {}),
          verifiedOnly,
        },
        { key },
      ),
    );
    return ofType(data.warmIntroPaths, "WarmIntroPathsSuccess").paths ?? [];
  };
  const hops = async (from: string, to: string, key?: string) =>
    (await paths(from, { to }, key)).map((path) => path.hopCount);
  const metricsOf = async (name: string, key?: string) => {
    const node = dataOf(await api.executeOperation(Metrics, { id: person(name) }, { key })).node;
    return node && "metrics" in node ? node : null;
  };

  async function createPerson(name: string): Promise<void> {
    const data = dataOf(await api.executeOperation(CreatePerson, { name }));
    people[name] = decodeGlobalID(ofType(data.createPerson, "CreatePersonSuccess").person.id).id;
  }

  async function tie(a: string, b: string, key?: string): Promise<void> {
    const input = {
      personId: person(a),
      otherPersonId: person(b),
      interactions: [{ kind: "MEETING" as const, occurredAt: new Date().toISOString() }],
    };
    const data = dataOf(await api.executeOperation(CreateRelationship, { input }, { key }));
    relationships[`${a}-${b}`] = ofType(data.createRelationship, "CreateRelationshipSuccess").relationship.id;
  }

  async function updateRelationship(name: string, status: RelationshipStatus): Promise<void> {
    const id = relationships[name]!;
    const { version } = await api.database.prisma.relationship.findUniqueOrThrow({
      where: { id: decodeGlobalID(id).id },
      select: { version: true },
    });
    const input = { id, version, status, ...(status === "DISPUTED" ? { disputeReason: "they never met" } : {}) };
    const data = dataOf(await api.executeOperation(UpdateRelationship, { input }));
    expect(ofType(data.updateRelationship, "UpdateRelationshipSuccess").relationship.id).toBe(id);
  }

  async function setMembership(name: string, fields: { isDecisionMaker?: boolean; title?: string; until?: string }) {
    const current = await api.database.prisma.membership.findFirst({
      where: { personId: people[name], organizationId: organization },
      select: { version: true },
    });
    const input = {
      personId: person(name),
      organizationId: encodeGlobalID("Organization", organization),
      ...(current ? { version: current.version } : {}),
      ...fields,
    };
    expect(dataOf(await api.executeOperation(SetMembership, { input })).setMembership?.__typename).toBe(
      "SetMembershipSuccess",
    );
  }

  /** computedAt of a person's betweenness once no recomputation is pending. */
  async function settled(name: string): Promise<string> {
    const node = await soon(
      () => metricsOf(name),
      (found) => found?.metrics?.stale === false,
      DEADLINE_MS + METRICS_DEBOUNCE_MS,
    );
    expect(node?.metrics?.stale).toBe(false);
    return node!.metrics!.computedAt!;
  }

  /**
   * Watches a person's betweenness from just after a write: it must be marked stale within 2 s and then be recomputed
   * (fresh, newer `computedAt`). Started right after the write, so the stale spell is seen however short it is.
   */
  function staleThenFresh(name: string, before: string) {
    return (async () => {
      const marked = await soon(
        () => metricsOf(name),
        (node) => node?.metrics?.stale === true,
      );
      expect(marked?.metrics?.stale).toBe(true);
      expect(marked?.role?.stale).toBe(true);
      const fresh = await soon(
        () => metricsOf(name),
        (node) => node?.metrics?.stale === false,
        DEADLINE_MS + METRICS_DEBOUNCE_MS,
      );
      expect(fresh?.metrics?.stale).toBe(false);
      expect(fresh?.role?.stale).toBe(false);
      expect(Date.parse(fresh!.metrics!.computedAt!)).toBeGreaterThan(Date.parse(before));
      expect(fresh?.role?.computedAt).toBe(fresh?.metrics?.computedAt);
      return fresh!.metrics!;
    })();
  }

  beforeAll(async () => {
    api = await startApi(kind);
    for (const name of ["Ana", "Bo", "Cal", "Dot", "Eve", "Fay"]) await createPerson(name);
    const prisma = api.database.prisma;
    for (const slot of ["a", "b"] as const) {
      const partner = await prisma.partner.create({ data: { name: `Partner ${slot}`, slug: `partner-${slot}` } });
      keys[slot] = (
        await issueApiKey(prisma, { name: `partner ${slot}`, scopes: ["partner"], partnerId: partner.id })
      ).key;
    }
    organization = (await prisma.organization.create({ data: { name: "Acme" }, select: { id: true } })).id;
    await api.graph.start();
  }, 60_000);
  afterAll(() => api.close());

  it("shows a new person at once, and marks betweenness stale until it is recomputed for the larger graph", async () => {
    const before = await settled("Ana");
    await createPerson("Gil");
    const staleness = staleThenFresh("Ana", before);
    const gil = await soon(
      () => metricsOf("Gil"),
      (node) => node?.metrics != null,
    );
    expect(gil?.metrics).toMatchObject({ degree: 0, constraint: null });
    await staleness;
  });

  it("relationships created: paths and degree within 2 s; betweenness stale, then fresh", async () => {
    const before = await settled("Bo");
    await tie("Ana", "Bo");
    const staleness = staleThenFresh("Bo", before);
    await tie("Bo", "Cal");
    expect(
      await soon(
        () => hops("Ana", "Cal"),
        (found) => found.length > 0,
      ),
    ).toEqual([2]);
    const bo = await soon(
      () => metricsOf("Bo"),
      (node) => node?.metrics?.degree === 2,
    );
    expect(bo?.metrics?.degree).toBe(2);
    await staleness;
    const fresh = (await soon(
      () => metricsOf("Bo"),
      (node) => node?.metrics?.stale === false,
      DEADLINE_MS + METRICS_DEBOUNCE_MS,
    ))!.metrics!;
    // Bo is on the only shortest path between Ana and Cal: one pair of the 15 among the other six people.
    expect(fresh.betweenness).toBeCloseTo(1 / 15, 9);
  });

  it("an interaction warms the relationship in paths within 2 s and leaves betweenness fresh", async () => {
    const [before] = await paths("Ana", { to: "Bo" });
    const computedAt = await settled("Ana");
    const interaction = { kind: "COLLABORATION" as const, occurredAt: new Date().toISOString(), weight: 5 };
    const added = dataOf(
      await api.executeOperation(AddInteraction, { input: { relationshipId: relationships["Ana-Bo"]!, interaction } }),
    );
    expect(added.addInteraction?.__typename).toBe("AddInteractionSuccess");
    const [after] = await soon(
      () => paths("Ana", { to: "Bo" }),
      ([path]) => (path?.score ?? 0) > before!.score!,
    );
    expect(after!.score).toBeGreaterThan(before!.score!);
    // Betweenness counts hops, not strength: it cannot move, so it stays fresh.
    expect((await metricsOf("Ana"))!.metrics).toMatchObject({ stale: false, computedAt });
  });

  it("curation: a verified relationship joins verified-only paths; a disputed one leaves every path", async () => {
    expect(await paths("Ana", { to: "Bo" }, undefined, true)).toEqual([]);
    await updateRelationship("Ana-Bo", "VERIFIED");
    const verified = await soon(
      () => paths("Ana", { to: "Bo" }, undefined, true),
      (found) => found.length > 0,
    );
    expect(verified.map((path) => path.hopCount)).toEqual([1]);

    const before = await settled("Cal");
    await updateRelationship("Bo-Cal", "DISPUTED");
    const staleness = staleThenFresh("Cal", before);
    expect(
      await soon(
        () => hops("Ana", "Cal"),
        (found) => found.length === 0,
      ),
    ).toEqual([]);
    const cal = await soon(
      () => metricsOf("Cal"),
      (node) => node?.metrics?.degree === 0,
    );
    expect(cal?.metrics?.degree).toBe(0);
    await staleness;
  });

  it("memberships: a new decision maker is reachable within 2 s, and is not once the membership ends", async () => {
    const acme = encodeGlobalID("Organization", organization);
    expect(await paths("Ana", { toOrganization: acme })).toEqual([]);
    await setMembership("Bo", { isDecisionMaker: true, title: "CEO" });
    const reached = await soon(
      () => paths("Ana", { toOrganization: acme }),
      (found) => found.length > 0,
    );
    expect(reached.map((path) => path.people?.at(-1)?.id)).toEqual([person("Bo")]);
    const ana = await soon(
      () => metricsOf("Ana"),
      (node) => node?.metrics?.reach?.decisionMakers === 1,
    );
    expect(ana?.metrics?.reach).toEqual({ decisionMakers: 1, organizations: 1 });

    await setMembership("Bo", { until: new Date(Date.now() - 60_000).toISOString() });
    expect(
      await soon(
        () => paths("Ana", { toOrganization: acme }),
        (found) => found.length === 0,
      ),
    ).toEqual([]);
    const after = await soon(
      () => metricsOf("Ana"),
      (node) => node?.metrics?.reach?.decisionMakers === 0,
    );
    expect(after?.metrics?.reach).toEqual({ decisionMakers: 0, organizations: 0 });
    expect(after?.metrics?.stale).toBe(false);
  });

  it("a merge: the survivor takes the merged person's relationships within 2 s; the tombstone leaves the graph", async () => {
    await tie("Cal", "Eve");
    expect(
      await soon(
        () => hops("Cal", "Eve"),
        (found) => found.length > 0,
      ),
    ).toEqual([1]);
    const before = await settled("Dot");
    const versions = await api.database.prisma.person.findMany({
      where: { id: { in: [people.Dot!, people.Eve!] } },
      select: { id: true, version: true },
    });
    const version = (id: string) => versions.find((row) => row.id === id)!.version;
    const merged = dataOf(
      await api.executeOperation(MergePeople, {
        input: {
          survivorId: person("Dot"),
          mergedId: person("Eve"),
          survivorVersion: version(people.Dot!),
          mergedVersion: version(people.Eve!),
        },
      }),
    );
    expect(merged.mergePeople?.__typename).toBe("MergePeopleSuccess");
    const staleness = staleThenFresh("Dot", before);
    expect(
      await soon(
        () => hops("Cal", "Dot"),
        (found) => found.length > 0,
      ),
    ).toEqual([1]);
    const eve = await soon(
      () => metricsOf("Eve"),
      (node) => node?.metrics === null,
    );
    expect(eve?.metrics).toBeNull();
    expect(await hops("Cal", "Eve")).toEqual([]);
    await staleness;
  });

  it("a partner's private relationship counts for that partner alone, never for others nor in betweenness", async () => {
    const computedAt = await settled("Fay");
    await tie("Cal", "Fay", keys.a);
    expect(
      await soon(
        () => hops("Dot", "Fay", keys.a),
        (found) => found.length > 0,
      ),
    ).toEqual([2]);
    expect(await hops("Dot", "Fay")).toEqual([2]);
    expect(await hops("Dot", "Fay", keys.b)).toEqual([]);
    // Partner a's own view counts its report; nobody else's does, and betweenness (public) does not move.
    expect((await metricsOf("Fay", keys.a))?.metrics?.degree).toBe(1);
    expect((await metricsOf("Cal", keys.a))?.metrics?.degree).toBe(2);
    for (const key of [undefined, keys.b]) {
      expect((await metricsOf("Fay", key))?.metrics).toMatchObject({ degree: 0, constraint: null });
      expect((await metricsOf("Cal", key))?.metrics?.degree).toBe(1);
    }
    for (const key of [undefined, keys.a, keys.b]) {
      const fay = await metricsOf("Fay", key);
      expect(fay?.metrics).toMatchObject({ betweenness: 0, stale: false, computedAt });
      expect(fay?.role?.stale).toBe(false);
    }
  });

  it("an import's batch event rebuilds the snapshot in the background: rows written without the API show", async () => {
    await createPerson("Hal");
    await createPerson("Ivy");
    // Both in the graph first, so only the rebuild can bring their relationship in.
    for (const name of ["Hal", "Ivy"])
      expect(
        await soon(
          () => metricsOf(name),
          (node) => node?.metrics != null,
        ),
      ).not.toBeNull();
    const [a, b] = [people.Hal!, people.Ivy!].sort() as [string, string];
    // What an import does: rows written in bulk, one event for the batch.
    await api.database.prisma.$transaction(async (tx) => {
      await tx.relationship.create({
        data: {
          personAId: a,
          personBId: b,
          source: "IMPORT",
          strength: 0.5,
          sides: {
            create: [
              { personId: a, otherPersonId: b },
              { personId: b, otherPersonId: a },
            ],
          },
        },
      });
      await appendEvents(tx, [{ type: "import.batch", entityType: "Import" }]);
    });
    expect(
      await soon(
        () => hops("Hal", "Ivy"),
        (found) => found.length > 0,
        IMPORT_DEADLINE_MS,
      ),
    ).toEqual([1]);
    const [path] = await paths("Hal", { to: "Ivy" });
    // No evidence to age: the stored strength is used as it is.
    expect(path?.score).toBe(0.5);
  });
});

describe.each(databaseKinds)("graph service start on %s", (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await loadDemoData(database.prisma, { scale: 0.1 });
  }, 120_000);
  afterAll(() => database.drop());

  it("answers /healthz at once while the snapshot is built, and /readyz once it is", async () => {
    const { yoga, graph } = createApi({ database, rateLimit: false });
    const started = graph.start();
    const latencies: number[] = [];
    let readyAfter = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const before = performance.now();
      expect((await yoga.fetch("http://intrograph.test/healthz")).status).toBe(200);
      latencies.push(performance.now() - before);
      if ((await yoga.fetch("http://intrograph.test/readyz")).status === 200) break;
      readyAfter++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await started;
    expect(readyAfter).toBeGreaterThan(0);
    expect(graph.isReady).toBe(true);
    expect(Math.max(...latencies)).toBeLessThan(kind === "postgres" ? 100 : 500);
    await graph.stop();
  }, 90_000);
});
