// Partner isolation inside credit explanations: credit itself is public, but the ids of introductions another partner
// reported privately (named in chains, touch weights and summaries) are replaced before a partner sees them.
import { encodeGlobalID } from "@pothos/plugin-relay";
import DataLoader from "dataloader";
import { type Context, prismaOf } from "../../context.ts";

export const PRIVATE_INTRODUCTION = "private-introduction";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Whether an introduction reported by `reportedByPartnerId` is another partner's private report for this viewer. */
function hiddenFrom(ctx: Context, reportedByPartnerId: string | null): boolean {
  return ctx.viewer.kind !== "admin" && reportedByPartnerId !== null && reportedByPartnerId !== ctx.viewer.partnerId;
}

// One loader per request: every explanation on a page asks about its ids in one query.
const loaders = new WeakMap<Context, DataLoader<string, boolean>>();

function hiddenIntroductions(ctx: Context): DataLoader<string, boolean> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, boolean>(async (ids) => {
      const introductions = await prismaOf(ctx).introduction.findMany({
        where: { id: { in: [...ids] }, reportedByPartnerId: { not: null } },
        select: { id: true, reportedByPartnerId: true },
      });
      const hiddenIds = new Set(
        introductions.filter((row) => hiddenFrom(ctx, row.reportedByPartnerId)).map((row) => row.id),
      );
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

type Named =
  | { type: "Person"; name: string }
  | { type: "Introduction"; reportedByPartnerId: string | null }
  | { type: "Outcome" };
const namedLoaders = new WeakMap<Context, DataLoader<string, Named | null>>();

/** What each id names: a person (with the name to show), an introduction or an outcome; null for anything else. */
function namesOf(ctx: Context): DataLoader<string, Named | null> {
  let loader = namedLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, Named | null>(async (ids) => {
      const prisma = prismaOf(ctx);
      const where = { id: { in: [...ids] } };
      const [people, introductions, outcomes] = await Promise.all([
        prisma.person.findMany({ where, select: { id: true, displayName: true } }),
        prisma.introduction.findMany({ where, select: { id: true, reportedByPartnerId: true } }),
        prisma.outcome.findMany({ where, select: { id: true } }),
      ]);
      const named = new Map<string, Named>([
        ...people.map((person): [string, Named] => [person.id, { type: "Person", name: person.displayName }]),
        ...introductions.map((row): [string, Named] => [
          row.id,
          { type: "Introduction", reportedByPartnerId: row.reportedByPartnerId },
        ]),
        ...outcomes.map((row): [string, Named] => [row.id, { type: "Outcome" }]),
      ]);
      return ids.map((id) => named.get(id) ?? null);
    });
    namedLoaders.set(ctx, loader);
  }
  return loader;
}

/**
 * A stored summary as a reader should see it: other partners' private introductions redacted, people by their
 * current display name, introductions and outcomes by their global ids. Stored summaries keep database ids only, so a
 * renamed or erased person is never frozen into them.
 */
export async function readableSummary(ctx: Context, summary: string): Promise<string> {
  const ids = [...new Set((summary.match(UUID) ?? []).map((id) => id.toLowerCase()))];
  if (ids.length === 0) return summary;
  const named = await namesOf(ctx).loadMany(ids);
  const shown = new Map<string, string>();
  ids.forEach((id, index) => {
    const found = named[index];
    if (!found || found instanceof Error) return;
    if (found.type === "Person") shown.set(id, found.name);
    else if (found.type === "Introduction" && hiddenFrom(ctx, found.reportedByPartnerId))
      shown.set(id, PRIVATE_INTRODUCTION);
    else shown.set(id, encodeGlobalID(found.type, id));
  });
  return summary.replace(UUID, (id) => shown.get(id.toLowerCase()) ?? id);
}
