// The graph snapshot as resolvers reach it: the graph service of the request's database (one per API process, see
// service.ts and live-graph.ts), registered by createApi.
//
// Visibility: values others see are computed from PUBLIC records only; a partner's own private records may add to what
// that partner alone sees (its own paths through its private relationships), never to what anyone else sees. So:
// - warm-intro paths: admins search every relationship, a partner the public ones plus its own private reports;
// - metrics (betweenness, constraint, effective size, brokerage roles, reach, and the brokerage input of Person.role)
//   are computed on the public graph, for every viewer;
// - disputed relationships are out for everyone: a contested tie is no warm intro.
//
// Freshness: the snapshot follows the event log (a few hundred ms behind a commit), per-person metrics and paths are
// computed from it on request, betweenness in the background; each metric says when it was computed and whether it
// is stale. Strength is "as of now": each relationship's stored evidence aged to the instant the snapshot last read it
// (a build, a patch, or the hourly re-derivation).
import type { Prisma } from "@intrograph/db";
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
