// The graph snapshot as resolvers reach it: the graph service of the request's database (one per API process, see
// service.ts and live-graph.ts), registered by createApi.
//
// Visibility: values others see are computed from PUBLIC records only; a partner's own private records may add to what
// that partner alone sees (its own paths through its private relationships), never to what anyone else sees. So:
// - warm-intro paths: admins search every relationship, a partner the public ones plus its own private reports;
// - betweenness (and so the brokerage input of Person.role) is computed on the public graph, the same for everyone;
// - per-person metrics (degree, constraint, effective size, brokerage roles, reach) count the public relationships,
//   and for a partner also its own private reports, which only that partner sees; admins get the public values;
// - disputed relationships are out for everyone: a contested tie is no warm intro.
//
// Freshness: the snapshot follows the event log (a few hundred ms behind a commit), per-person metrics and paths are
// computed from it on request, betweenness in the background; each metric says when it was computed and whether it
// is stale. Strength is "as of now": each relationship's stored evidence aged to the instant the snapshot last read it
// (a build, a patch, or the hourly re-derivation).
import type { Prisma } from "@intrograph/db";
import type { GraphViewer } from "@intrograph/graph";
import type { Context, DatabaseHandle } from "../../context.ts";
import type { Transaction } from "../audit/record.ts";
import type { GraphService } from "./service.ts";

const services = new WeakMap<DatabaseHandle, GraphService>();

export function registerGraphService(db: DatabaseHandle, service: GraphService): void {
  services.set(db, service);
}

export function graphServiceOf(ctx: { db: DatabaseHandle }): GraphService {
  const service = services.get(ctx.db);
  if (!service) throw new Error("no graph service for this database: create the API with createApi");
  return service;
}

/** The relationships a viewer's warm-intro paths may use. */
export function pathViewerOf(ctx: Context): GraphViewer {
  return ctx.viewer.kind === "partner" && ctx.viewer.partnerId
    ? { kind: "partner", partnerId: ctx.viewer.partnerId }
    : { kind: "all" };
}

/** The relationships a viewer's per-person metrics count (betweenness is always the public graph's). */
export function metricsViewerOf(ctx: Context): GraphViewer {
  return ctx.viewer.kind === "partner" && ctx.viewer.partnerId
    ? { kind: "partner", partnerId: ctx.viewer.partnerId }
    : { kind: "public" };
}

/**
 * Called by writers of relationships inside their transaction: the graph service reads the event log again shortly,
 * rather than at its next tick, so the write shows in paths sooner. The patch itself comes from the event log.
 */
export async function relationshipChanged(
  ctx: Context,
  _where: Prisma.RelationshipWhereUniqueInput,
  _tx?: Transaction,
): Promise<void> {
  services.get(ctx.db)?.pollSoon();
}

/** Called after writes too many to patch (an import): the snapshot is rebuilt from the database in the background. */
export function graphChanged(ctx: Context): void {
  services.get(ctx.db)?.rebuildSoon();
}
