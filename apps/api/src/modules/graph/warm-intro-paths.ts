// `warmIntroPaths`: the warmest chains of relationships from one person to another person or to an organization's
// decision makers, scored by the product of relationship strengths (as of now), found by the graph service on the
// relationships the viewer may see.
import { optedOutOfPaths } from "../people/privacy.ts";
import { encodeGlobalID } from "@pothos/plugin-relay";
import type { WarmIntroPath } from "@intrograph/graph";
import { plannedQuery } from "../planned-query.ts";
import { builder } from "../../builder.ts";
import { prismaOf } from "../../context.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { decodeId, decodeOptionalId } from "../../ids.ts";
import { Person } from "../people/person.ts";
import { graphServiceOf, pathViewerOf } from "./snapshot.ts";

const MAX_K = 10;
const MAX_HOPS = 6;
const MAX_EXCLUDED = 200;

interface WarmIntroHop {
  fromId: string;
  toId: string;
  strength: number;
}

const WarmIntroHopRef = builder.objectRef<WarmIntroHop>("WarmIntroHop").implement({
  description: "One relationship on a warm-intro path.",
  fields: (t) => ({
    fromId: t.id({ resolve: (hop) => encodeGlobalID("Person", hop.fromId) }),
    toId: t.id({ resolve: (hop) => encodeGlobalID("Person", hop.toId) }),
    strength: t.exposeFloat("strength", { description: "In (0, 1]: how warm this relationship is." }),
  }),
});

const WarmIntroPathRef = builder.objectRef<WarmIntroPath>("WarmIntroPath").implement({
  description: "A chain of relationships from the requester to the person reached, best first by score.",
  fields: (t) => ({
    people: t.prismaField({
      type: [Person],
      description: "From the requester to the person reached, inclusive.",
      // One findUnique per person; Prisma batches those of a whole response into a single query.
      resolve: (query, path, _args, ctx) =>
        Promise.all(
          path.personIds.map((id) => prismaOf(ctx).person.findUniqueOrThrow({ ...plannedQuery(query), where: { id } })),
        ),
    }),
    hops: t.field({
      type: [WarmIntroHopRef],
      resolve: (path) =>
        path.strengths.map((strength, i) => ({ fromId: path.personIds[i]!, toId: path.personIds[i + 1]!, strength })),
    }),
    hopCount: t.exposeInt("hops", { description: "Relationships on the path." }),
    score: t.exposeFloat("score", { description: "Product of the strengths along the path, in (0, 1]." }),
  }),
});

builder.queryField("warmIntroPaths", (t) =>
  t.field({
    type: [WarmIntroPathRef],
    description:
      "The k warmest paths from `from` to a person (`to`) or to any decision maker of an organization (`toOrganization`) — give exactly one — within `maxHops` relationships, best first. Partners search the public graph plus their own reports.",
    authScopes: { authenticated: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: "paths" } },
    args: {
      from: t.arg.id({ required: true, description: "The person who wants the introduction." }),
      to: t.arg.id({ required: false }),
      toOrganization: t.arg.id({ required: false }),
      k: t.arg.int({ required: false, defaultValue: 3 }),
      maxHops: t.arg.int({ required: false, defaultValue: 4 }),
      verifiedOnly: t.arg.boolean({ required: false, defaultValue: false }),
      exclude: t.arg.idList({ required: false, description: "People who must not appear on a path." }),
    },
    resolve: async (_root, args, ctx) => {
      const from = decodeId(args.from, "Person", "from");
      const to = decodeOptionalId(args.to, "Person", "to");
      const toOrganization = decodeOptionalId(args.toOrganization, "Organization", "toOrganization");
      if ((to == null) === (toOrganization == null)) {
        throw ValidationError.of([], "give exactly one of `to` and `toOrganization`");
      }
      const k = args.k ?? 3;
      const maxHops = args.maxHops ?? 4;
      if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw ValidationError.of("k", `must be between 1 and ${MAX_K}`);
      if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > MAX_HOPS)
        throw ValidationError.of("maxHops", `must be between 1 and ${MAX_HOPS}`);
      const excludeIds = args.exclude ?? [];
      if (excludeIds.length > MAX_EXCLUDED) throw ValidationError.of("exclude", `at most ${MAX_EXCLUDED} people`);
      const exclude = excludeIds.map((id, index) => decodeId(id, "Person", `exclude.${index}`));
      if (to === from) throw ValidationError.of("to", "must be someone other than `from`");

      const prisma = prismaOf(ctx);
      const [people, organization, optedOut] = await Promise.all([
        prisma.person.findMany({
          where: { id: { in: to ? [from, to] : [from] }, deletedAt: null },
          select: { id: true },
        }),
        toOrganization
          ? prisma.organization.findFirst({ where: { id: toOrganization, deletedAt: null }, select: { id: true } })
          : null,
        optedOutOfPaths(ctx),
      ]);
      if (!people.some((person) => person.id === from)) throw new NotFoundError("Person", args.from);
      if (to && !people.some((person) => person.id === to)) throw new NotFoundError("Person", args.to!);
      if (toOrganization && !organization) throw new NotFoundError("Organization", args.toOrganization!);

      return graphServiceOf(ctx).request("paths", {
        viewer: pathViewerOf(ctx),
        query: {
          from,
          ...(to ? { to } : { toOrganization: toOrganization! }),
          k,
          maxHops,
          verifiedOnly: args.verifiedOnly ?? false,
          // People who opted out appear on no one's path; the requester still gets their own.
          exclude: [...exclude, ...optedOut.filter((id) => id !== from)],
        },
      });
    },
  }),
);
