// What a viewer may read of partner-reported data: admins see everything; a partner sees public records (entered by
// admins or imports) and its own reports, never another partner's.
import type { Context } from "../../context.ts";

export function reportedVisibleTo(ctx: Context): { OR?: { reportedByPartnerId: string | null }[] } {
  if (ctx.viewer.kind === "admin") return {};
  return {
    OR: [
      { reportedByPartnerId: null },
      ...(ctx.viewer.partnerId ? [{ reportedByPartnerId: ctx.viewer.partnerId }] : []),
    ],
  };
}
