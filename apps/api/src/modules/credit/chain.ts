// `Introduction.chain`: the intro DAG around one introduction — everything it grew out of (upstream), everything that
// grew out of it (downstream) and the outcomes they led to — which is exactly what credit flows along.
import { encodeGlobalID } from "@pothos/plugin-relay";
import { plannedQuery } from "../planned-query.ts";
import { builder } from "../../builder.ts";
import { prismaOf } from "../../context.ts";
import { reportedVisibleTo } from "../access/visibility.ts";
import { Introduction } from "../introductions/introduction.ts";
import { Outcome } from "../outcomes/outcome.ts";
import { badInput } from "./credit.ts";

const MAX_DEPTH = 20;

interface ChainLink {
  earlierId: string;
  laterId: string;
}

interface IntroductionChainShape {
  rootId: string;
  upstreamIds: string[];
  downstreamIds: string[];
  links: ChainLink[];
}

const ChainLinkRef = builder.objectRef<ChainLink>("IntroductionChainEdge").implement({
  description: "The later introduction grew out of the earlier one.",
  fields: (t) => ({
    earlierId: t.id({ resolve: (link) => encodeGlobalID("Introduction", link.earlierId) }),
    laterId: t.id({ resolve: (link) => encodeGlobalID("Introduction", link.laterId) }),
  }),
});

const IntroductionChainRef = builder.objectRef<IntroductionChainShape>("IntroductionChain").implement({
  description: "The intro DAG up- and downstream of one introduction, with the outcomes it reaches.",
  fields: (t) => ({
    nodes: t.prismaField({
      type: [Introduction],
      description: "Every introduction in the chain (this one included), earliest first.",
      resolve: (query, chain, _args, ctx) =>
        prismaOf(ctx).introduction.findMany({
          ...plannedQuery(query),
          where: { id: { in: [...new Set([chain.rootId, ...chain.upstreamIds, ...chain.downstreamIds])] } },
          orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
        }),
    }),
    upstreamIds: t.idList({
      description: "Introductions this one grew out of, directly or not.",
      resolve: (chain) => chain.upstreamIds.map((id) => encodeGlobalID("Introduction", id)),
    }),
    downstreamIds: t.idList({
      description: "Introductions that grew out of this one, directly or not.",
      resolve: (chain) => chain.downstreamIds.map((id) => encodeGlobalID("Introduction", id)),
    }),
    edges: t.field({ type: [ChainLinkRef], resolve: (chain) => chain.links }),
    outcomes: t.prismaField({
      type: [Outcome],
      description: "Outcomes any introduction of the chain led to directly.",
      resolve: (query, chain, _args, ctx) =>
        prismaOf(ctx).outcome.findMany({
          ...plannedQuery(query),
          where: {
            deletedAt: null,
            ...reportedVisibleTo(ctx),
            introductions: {
              some: { introductionId: { in: [chain.rootId, ...chain.downstreamIds, ...chain.upstreamIds] } },
            },
          },
          orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
        }),
    }),
  }),
});

builder.prismaObjectFields(Introduction, (t) => ({
  chain: t.field({
    type: IntroductionChainRef,
    description: "The intro chain DAG around this introduction (up to `maxDepth` links each way).",
    complexity: 25,
    args: { maxDepth: t.arg.int({ required: false, defaultValue: 10 }) },
    select: { id: true },
    resolve: async (introduction, args, ctx) => {
      const maxDepth = args.maxDepth ?? 10;
      if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_DEPTH)
        throw badInput(`maxDepth must be between 1 and ${MAX_DEPTH}`, "maxDepth");
      const prisma = prismaOf(ctx);
      // The depth bound also ends the walk on a cycle in bad data.
      const rows = await prisma.$queryRawUnsafe<{ id: string; direction: "up" | "down" }[]>(
        `WITH RECURSIVE up(id, depth) AS (
           SELECT $1::uuid, 0
           UNION
           SELECT link."earlierId", up.depth + 1 FROM "IntroductionLink" link JOIN up ON link."laterId" = up.id WHERE up.depth < $2
         ), down(id, depth) AS (
           SELECT $1::uuid, 0
           UNION
           SELECT link."laterId", down.depth + 1 FROM "IntroductionLink" link JOIN down ON link."earlierId" = down.id WHERE down.depth < $2
         )
         SELECT DISTINCT id::text AS id, 'up' AS direction FROM up WHERE depth > 0
         UNION
         SELECT DISTINCT id::text AS id, 'down' AS direction FROM down WHERE depth > 0`,
        introduction.id,
        maxDepth,
      );
      const ids = [...new Set(rows.map((row) => row.id))];
      // A partner never sees another partner's private introductions, nor the links that would reveal them.
      const visible = new Set(
        (
          await prisma.introduction.findMany({
            where: { id: { in: ids }, deletedAt: null, ...reportedVisibleTo(ctx) },
            select: { id: true },
          })
        ).map((row) => row.id),
      );
      visible.add(introduction.id);
      const links = await prisma.introductionLink.findMany({
        where: { earlierId: { in: [...visible] }, laterId: { in: [...visible] } },
        select: { earlierId: true, laterId: true },
        orderBy: [{ earlierId: "asc" }, { laterId: "asc" }],
      });
      const sorted = (direction: "up" | "down") =>
        [
          ...new Set(rows.filter((row) => row.direction === direction && visible.has(row.id)).map((row) => row.id)),
        ].sort();
      return { rootId: introduction.id, upstreamIds: sorted("up"), downstreamIds: sorted("down"), links };
    },
  }),
}));
