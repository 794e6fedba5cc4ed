// What a viewer may read of partner-reported data: admins see everything; a partner sees public records (entered by
// admins or imports) and its own reports, never another partner's. `provenanceOf` stamps new records accordingly.
import { Prisma, type RecordSource } from "@intrograph/db";
import type { Context, Viewer } from "../../context.ts";

export function reportedVisibleTo(ctx: Context): { OR?: { reportedByPartnerId: string | null }[] } {
  if (ctx.viewer.kind === "admin") return {};
  return {
    OR: [
      { reportedByPartnerId: null },
      ...(ctx.viewer.partnerId ? [{ reportedByPartnerId: ctx.viewer.partnerId }] : []),
    ],
  };
}

/** `reportedVisibleTo` as an SQL condition on the table aliased `alias`, for raw queries. */
export function reportedVisibleSql(ctx: Context, alias: string): Prisma.Sql {
  if (ctx.viewer.kind === "admin") return Prisma.sql`TRUE`;
  const column = Prisma.raw(`"${alias}"."reportedByPartnerId"`);
  return ctx.viewer.partnerId
    ? Prisma.sql`(${column} IS NULL OR ${column} = ${ctx.viewer.partnerId}::uuid)`
    : Prisma.sql`${column} IS NULL`;
}

/** The single-record check beside `reportedVisibleTo`: may the viewer see a record reported by this partner? */
export function isReportVisibleTo(ctx: Context, reportedByPartnerId: string | null): boolean {
  return ctx.viewer.kind === "admin" || reportedByPartnerId === null || reportedByPartnerId === ctx.viewer.partnerId;
}

/** Who reported a record the viewer creates: a partner's are its own reports, an admin's are public. */
export function provenanceOf(viewer: Viewer): { source: RecordSource; reportedByPartnerId: string | null } {
  return { source: viewer.kind === "partner" ? "PARTNER" : "ADMIN", reportedByPartnerId: viewer.partnerId ?? null };
}
