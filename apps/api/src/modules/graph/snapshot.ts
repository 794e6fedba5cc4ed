// The in-memory graph the path and metric fields read: a packages/graph snapshot per database and per view, built
// lazily from the database, cached, and patched when a relationship is written through this API.
//
// Views: admins see every live relationship; a partner sees the public ones (entered by admins or imports) and the
// ones it reported itself, never another partner's private reports — so paths and metrics for a partner are computed
// on that partner's graph. Disputed relationships are left out of every view: a contested tie is no warm intro.
// Writes that bypass the API (imports, another replica) are picked up when a snapshot ages past MAX_AGE_MS.
import {
  betweennessCentrality,
  type BrokerageRoles,
  brokerageRoles,
  constraint,
  effectiveSize,
  GraphSnapshot,
  sampledBetweennessCentrality,
} from "@intrograph/graph";
import type { Prisma } from "@intrograph/db";
import { type Context, type DatabaseHandle, prismaOf } from "../../context.ts";
import type { Transaction } from "../audit/record.ts";

const MAX_AGE_MS = Number(process.env.INTROGRAPH_GRAPH_MAX_AGE_MS ?? 5 * 60_000);
/** Exact Brandes up to this many people; above, pivot sampling with a stated error bound. */
const EXACT_BETWEENNESS_LIMIT = 5_000;
const BETWEENNESS_PIVOTS = 500;
/** Strength is in (0, 1] by construction; a stored 0 would be rejected by the snapshot, so it is floored. */
const MIN_STRENGTH = 1e-6;

export interface GraphMetrics {
  version: number;
  betweenness: Float64Array;
  betweennessMethod: "EXACT" | "SAMPLED";
  /** Sampling only: every estimate is within ± this of the exact normalized value with 95 % confidence. */
  betweennessErrorBound: number | null;
  constraint: Float64Array;
  effectiveSize: Float64Array;
  brokerage: BrokerageRoles[];
}

interface View {
  snapshot: Promise<GraphSnapshot>;
  builtAt: number;
  /** Set when the build finished, so patches only touch snapshots that exist. */
  ready: GraphSnapshot | null;
  metrics: GraphMetrics | null;
}

const viewsByDatabase = new WeakMap<DatabaseHandle, Map<string, View>>();

function viewKey(ctx: Context): { key: string; partnerId: string | null } {
  if (ctx.viewer.kind === "partner" && ctx.viewer.partnerId)
    return { key: `partner:${ctx.viewer.partnerId}`, partnerId: ctx.viewer.partnerId };
  return { key: "all", partnerId: null };
}

function relationshipScope(partnerId: string | null): Prisma.RelationshipWhereInput {
  return partnerId === null ? {} : { OR: [{ reportedByPartnerId: null }, { reportedByPartnerId: partnerId }] };
}

async function buildSnapshot(ctx: Context, partnerId: string | null): Promise<GraphSnapshot> {
  const prisma = prismaOf(ctx);
  const now = new Date();
  const [people, relationships, memberships] = await Promise.all([
    prisma.person.findMany({
      where: { deletedAt: null, mergedIntoId: null },
      select: { id: true },
      orderBy: { id: "asc" },
    }),
    prisma.relationship.findMany({
      where: { deletedAt: null, status: { not: "DISPUTED" }, ...relationshipScope(partnerId) },
      select: { personAId: true, personBId: true, strength: true, status: true },
      orderBy: { id: "asc" },
    }),
    prisma.membership.findMany({
      where: { organization: { deletedAt: null }, OR: [{ until: null }, { until: { gt: now } }] },
      select: { personId: true, organizationId: true, isDecisionMaker: true },
      orderBy: { id: "asc" },
    }),
  ]);
  const live = new Set(people.map((person) => person.id));
  return GraphSnapshot.fromRows({
    people,
    relationships: relationships
      .filter((relationship) => live.has(relationship.personAId) && live.has(relationship.personBId))
      .map((relationship) => ({
        personAId: relationship.personAId,
        personBId: relationship.personBId,
        strength: Math.min(1, Math.max(MIN_STRENGTH, relationship.strength)),
        verified: relationship.status === "VERIFIED",
      })),
    memberships: memberships
      .filter((membership) => live.has(membership.personId))
      .map((membership) => ({
        personId: membership.personId,
        organizationId: membership.organizationId,
        decisionMaker: membership.isDecisionMaker,
      })),
  });
}

function viewsOf(ctx: Context): Map<string, View> {
  let views = viewsByDatabase.get(ctx.db);
  if (!views) {
    views = new Map();
    viewsByDatabase.set(ctx.db, views);
  }
  return views;
}

function currentView(ctx: Context): View {
  const views = viewsOf(ctx);
  const { key, partnerId } = viewKey(ctx);
  const existing = views.get(key);
  if (existing && Date.now() - existing.builtAt < MAX_AGE_MS) return existing;
  const view: View = { snapshot: buildSnapshot(ctx, partnerId), builtAt: Date.now(), ready: null, metrics: null };
  view.snapshot.then(
    (snapshot) => {
      view.ready = snapshot;
    },
    () => {
      // A failed build is not cached: the next request tries again.
      if (views.get(key) === view) views.delete(key);
    },
  );
  views.set(key, view);
  return view;
}

/** The graph as the viewer may see it. */
export function graphSnapshotFor(ctx: Context): Promise<GraphSnapshot> {
  return currentView(ctx).snapshot;
}

/** Betweenness, structural holes and brokerage of everyone in the viewer's graph, computed once per graph version. */
export async function graphMetricsFor(ctx: Context): Promise<{ snapshot: GraphSnapshot; metrics: GraphMetrics }> {
  const view = currentView(ctx);
  const snapshot = await view.snapshot;
  if (view.metrics?.version !== snapshot.version) {
    const exact = snapshot.personCount <= EXACT_BETWEENNESS_LIMIT;
    const sampled = exact ? null : sampledBetweennessCentrality(snapshot, { pivots: BETWEENNESS_PIVOTS, seed: 1 });
    view.metrics = {
      version: snapshot.version,
      betweenness: sampled ? sampled.values : betweennessCentrality(snapshot),
      betweennessMethod: exact ? "EXACT" : "SAMPLED",
      betweennessErrorBound: sampled ? sampled.errorBound : null,
      constraint: constraint(snapshot),
      effectiveSize: effectiveSize(snapshot),
      brokerage: brokerageRoles(snapshot),
    };
  }
  return { snapshot, metrics: view.metrics };
}

/** Forgets every cached view of the viewer's database, after writes too many to patch (an import): the next read rebuilds. */
export function graphChanged(ctx: Context): void {
  viewsByDatabase.get(ctx.db)?.clear();
}

/**
 * Brings every cached view up to date with one relationship: upserts it where it is visible and live, removes it
 * elsewhere. Writers call it as the last step of their transaction, reading through `tx` so the patch shows the
 * write; the rare rollback after that point is repaired when the snapshot ages out. Views still being built are
 * dropped, since their rows may predate the write.
 */
export async function relationshipChanged(
  ctx: Context,
  where: Prisma.RelationshipWhereUniqueInput,
  tx?: Transaction,
): Promise<void> {
  const views = viewsByDatabase.get(ctx.db);
  if (!views || views.size === 0) return;
  const relationship = await (tx ?? prismaOf(ctx)).relationship.findUnique({
    where,
    select: {
      personAId: true,
      personBId: true,
      strength: true,
      status: true,
      deletedAt: true,
      reportedByPartnerId: true,
      personA: { select: { deletedAt: true, mergedIntoId: true } },
      personB: { select: { deletedAt: true, mergedIntoId: true } },
    },
  });
  if (!relationship) return;
  const peopleLive = [relationship.personA, relationship.personB].every(
    (person) => person.deletedAt === null && person.mergedIntoId === null,
  );
  for (const [key, view] of views) {
    const snapshot = view.ready;
    if (!snapshot) {
      views.delete(key);
      continue;
    }
    const partnerId = key.startsWith("partner:") ? key.slice("partner:".length) : null;
    const visible =
      partnerId === null || relationship.reportedByPartnerId === null || relationship.reportedByPartnerId === partnerId;
    if (visible && peopleLive && relationship.deletedAt === null && relationship.status !== "DISPUTED") {
      snapshot.addPerson(relationship.personAId);
      snapshot.addPerson(relationship.personBId);
      snapshot.upsertRelationship({
        personAId: relationship.personAId,
        personBId: relationship.personBId,
        strength: Math.min(1, Math.max(MIN_STRENGTH, relationship.strength)),
        verified: relationship.status === "VERIFIED",
      });
    } else {
      snapshot.removeRelationship(relationship.personAId, relationship.personBId);
    }
  }
}
