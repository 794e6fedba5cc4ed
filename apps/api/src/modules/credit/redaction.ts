// Partner isolation inside credit explanations: credit itself is public, but the ids of introductions another partner
// reported privately (named in chains, touch weights and summaries) are replaced before a partner sees them.
import DataLoader from "dataloader";
import { type Context, prismaOf } from "../../context.ts";

export const PRIVATE_INTRODUCTION = "private-introduction";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

// One loader per request: every explanation on a page asks about its ids in one query.
const loaders = new WeakMap<Context, DataLoader<string, boolean>>();

function hiddenIntroductions(ctx: Context): DataLoader<string, boolean> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, boolean>(async (ids) => {
      const partnerId = ctx.viewer.partnerId ?? null;
      const hidden = await prismaOf(ctx).introduction.findMany({
        where: {
          id: { in: [...ids] },
          AND: [
            { reportedByPartnerId: { not: null } },
            ...(partnerId ? [{ reportedByPartnerId: { not: partnerId } }] : []),
          ],
        },
        select: { id: true },
      });
      const hiddenIds = new Set(hidden.map((introduction) => introduction.id));
      return ids.map((id) => hiddenIds.has(id));
    });
    loaders.set(ctx, loader);
  }
  return loader;
}

/** The value with other partners' private introduction ids replaced; admins get it unchanged. */
export async function redactedFor<T>(ctx: Context, value: T): Promise<T> {
  if (ctx.viewer.kind === "admin" || value === null || value === undefined) return value;
  const text = JSON.stringify(value);
  const ids = [...new Set((text.match(UUID) ?? []).map((id) => id.toLowerCase()))];
  if (ids.length === 0) return value;
  const hidden = await hiddenIntroductions(ctx).loadMany(ids);
  const hiddenIds = ids.filter((_, index) => hidden[index] === true);
  if (hiddenIds.length === 0) return value;
  return JSON.parse(hiddenIds.reduce((redacted, id) => redacted.replaceAll(id, PRIVATE_INTRODUCTION), text)) as T;
}
