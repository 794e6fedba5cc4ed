// `Person.metrics` and `Person.role`: where a person sits in the graph (betweenness, Burt's structural holes,
// Gould–Fernandez brokerage, reach into decision makers) and what that makes them — connector, influencer, both.
// Computed by the graph service on the relationships the viewer may count (see snapshot.ts): per person on request,
// except betweenness, which is recomputed on the public graph in the background and says when (`computedAt`) and
// whether a newer graph awaits it (`stale`).
import DataLoader from "dataloader";
import { classifyRole, type BrokerageRoles, type DecisionMakerReach } from "@intrograph/graph";
import { builder } from "../../builder.ts";
import type { Context } from "../../context.ts";
import { reportedVisibleTo } from "../access/visibility.ts";
import { Person } from "../people/person.ts";
import type { PersonGraphMetrics } from "./protocol.ts";
import { graphServiceOf, metricsViewerOf } from "./snapshot.ts";

interface PersonMetricsShape extends PersonGraphMetrics {
  personId: string;
}

// One message to the graph thread per request for all the people (and reach arguments) it asks about.
const metricsLoaders = new WeakMap<Context, DataLoader<string, PersonGraphMetrics | null>>();
const reachLoaders = new WeakMap<Context, DataLoader<string, DecisionMakerReach | null>>();

function metricsLoader(ctx: Context): DataLoader<string, PersonGraphMetrics | null> {
  let loader = metricsLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((personIds) =>
      graphServiceOf(ctx).request("metrics", { viewer: metricsViewerOf(ctx), personIds: [...personIds] }),
    );
    metricsLoaders.set(ctx, loader);
  }
  return loader;
}

function reachLoader(ctx: Context): DataLoader<string, DecisionMakerReach | null> {
  let loader = reachLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((keys) =>
      graphServiceOf(ctx).request("reach", {
        viewer: metricsViewerOf(ctx),
        queries: keys.map((key) => {
          const [personId, maxHops, verifiedOnly] = key.split(":");
          return { personId: personId!, maxHops: Number(maxHops), verifiedOnly: verifiedOnly === "1" };
        }),
      }),
    );
    reachLoaders.set(ctx, loader);
  }
  return loader;
}

const BetweennessMethodEnum = builder.enumType("BetweennessMethod", { values: ["EXACT", "SAMPLED"] as const });

const BrokerageRolesRef = builder.objectRef<BrokerageRoles>("BrokerageRoles").implement({
  description:
    "Gould–Fernandez brokerage with organizations as groups: ordered pairs (a, c) this person bridges (a–b–c tied, a–c not). Each open pair counts twice, once per direction.",
  fields: (t) => ({
    coordinator: t.exposeInt("coordinator", { description: "a, b and c share an organization." }),
    gatekeeper: t.exposeInt("gatekeeper", { description: "b shares an organization with c only: lets outsiders in." }),
    representative: t.exposeInt("representative", {
      description: "b shares an organization with a only: speaks for insiders.",
    }),
    itinerant: t.exposeInt("itinerant", { description: "a and c share an organization, b is an outsider." }),
    liaison: t.exposeInt("liaison", { description: "All three in different organizations: the purest bridge." }),
    total: t.exposeInt("total"),
  }),
});

const DecisionMakerReachRef = builder.objectRef<DecisionMakerReach>("DecisionMakerReach").implement({
  fields: (t) => ({
    decisionMakers: t.exposeInt("decisionMakers", { description: "Distinct decision makers within reach." }),
    organizations: t.exposeInt("organizations", { description: "Organizations with at least one of them." }),
  }),
});

/** NaN (no relationships) is shown as null, not a number. */
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

const PersonMetricsRef = builder.objectRef<PersonMetricsShape>("PersonMetrics").implement({
  description:
    "Brokerage metrics: who sits between groups, who can reach decision makers. Counted on the public relationships, plus, for a partner, its own private reports (only it sees those); betweenness is the public graph's for everyone.",
  fields: (t) => ({
    degree: t.exposeInt("degree", { description: "Relationships." }),
    betweenness: t.exposeFloat("betweenness", {
      description: "Normalized betweenness (share of shortest paths through this person).",
    }),
    betweennessMethod: t.field({ type: BetweennessMethodEnum, resolve: (metrics) => metrics.betweennessMethod }),
    betweennessErrorBound: t.float({
      nullable: true,
      description: "When sampled: every estimate is within ± this of the exact value with 95 % confidence.",
      resolve: (metrics) => metrics.betweennessErrorBound,
    }),
    constraint: t.float({
      nullable: true,
      description: "Burt's constraint: low means spanning structural holes. Null without relationships.",
      resolve: (metrics) => finite(metrics.constraint),
    }),
    effectiveSize: t.float({
      nullable: true,
      description: "Burt's effective size: non-redundant contacts.",
      resolve: (metrics) => finite(metrics.effectiveSize),
    }),
    brokerage: t.field({ type: BrokerageRolesRef, resolve: (metrics) => metrics.brokerage }),
    reach: t.field({
      type: DecisionMakerReachRef,
      description: "Decision makers within `maxHops` relationships.",
      args: {
        maxHops: t.arg.int({ required: false, defaultValue: 2 }),
        verifiedOnly: t.arg.boolean({ required: false, defaultValue: false }),
      },
      resolve: async (metrics, args, ctx) => {
        const maxHops = Math.min(6, Math.max(1, args.maxHops ?? 2));
        const reach = await reachLoader(ctx).load(`${metrics.personId}:${maxHops}:${args.verifiedOnly ? 1 : 0}`);
        return reach ?? { decisionMakers: 0, organizations: 0 };
      },
    }),
    computedAt: t.field({
      type: "DateTime",
      description:
        "When the public graph that betweenness was computed on was read. The other fields are computed from the current graph on every request.",
      resolve: (metrics) => new Date(metrics.computedAt),
    }),
    stale: t.exposeBoolean("stale", {
      description:
        "True while the public graph has changed in a way that can move betweenness and its recomputation (in the background, seconds at most) is pending.",
    }),
  }),
});

async function metricsOf(ctx: Context, personId: string): Promise<PersonMetricsShape | null> {
  const metrics = await metricsLoader(ctx).load(personId);
  return metrics ? { ...metrics, personId } : null;
}

const PersonRoleEnum = builder.enumType("PersonRole", {
  description: "Influencers convert audiences; connectors open doors.",
  values: {
    CONNECTOR: { value: "connector", description: "A brokerage position and intros that led to outcomes." },
    INFLUENCER: { value: "influencer", description: "A large audience that is real (followers × audience quality)." },
    BOTH: { value: "both" },
    NEITHER: { value: "neither" },
  } as const,
});

/** Distinct introductions named as touches in credit explanations (the touch models' `basis.touches`). */
function introductionsOnCreditedChains(explanations: unknown[]): number {
  const ids = new Set<string>();
  for (const explanation of explanations) {
    const touches =
      (explanation as { basis?: { touches?: { introductionId?: unknown }[] } } | null)?.basis?.touches ?? [];
    for (const touch of touches) if (typeof touch.introductionId === "string") ids.add(touch.introductionId);
  }
  return ids.size;
}

interface PersonRoleShape {
  role: "connector" | "influencer" | "both" | "neither";
  reason: string;
  brokerage: boolean;
  qualifiedAudience: number;
  introsWithOutcomes: number;
  computedAt: number | null;
  stale: boolean;
}

const PersonRoleRef = builder.objectRef<PersonRoleShape>("PersonRoleClassification").implement({
  fields: (t) => ({
    role: t.field({ type: PersonRoleEnum, resolve: (role) => role.role }),
    reason: t.exposeString("reason", { description: "One sentence with the numbers behind the role." }),
    brokerage: t.exposeBoolean("brokerage", {
      description: "Sits in a brokerage position (betweenness or low constraint).",
    }),
    qualifiedAudience: t.exposeFloat("qualifiedAudience", { description: "Followers weighted by audience quality." }),
    introsWithOutcomes: t.exposeInt("introsWithOutcomes", {
      description:
        "Introductions this person made that led to an outcome, directly or through a chain (consented, undisputed).",
    }),
    computedAt: t.field({
      type: "DateTime",
      nullable: true,
      description:
        "When the betweenness behind `brokerage` was computed (see PersonMetrics.computedAt); null outside the graph.",
      resolve: (role) => (role.computedAt === null ? null : new Date(role.computedAt)),
    }),
    stale: t.exposeBoolean("stale", {
      description: "True while the betweenness behind `brokerage` awaits recomputation (see PersonMetrics.stale).",
    }),
  }),
});

builder.prismaObjectFields(Person, (t) => ({
  metrics: t.field({
    type: PersonMetricsRef,
    nullable: true,
    description: "Brokerage metrics; null for people not in the graph (merged or deleted).",
    select: { id: true },
    resolve: (person, _args, ctx) => metricsOf(ctx, person.id),
  }),
  role: t.field({
    type: PersonRoleRef,
    description: "Connector, influencer, both or neither — and why.",
    select: (_args, ctx) => ({
      id: true,
      socialAccounts: { select: { followers: true, audienceQuality: true } },
      // Intros that led to an outcome directly or through a chain are the touches of the person's LINEAR credit (every
      // touch on an eligible chain earns there), so the ledger answers without walking the DAG per person.
      credits: {
        where: { model: "LINEAR", outcome: { deletedAt: null, ...reportedVisibleTo(ctx) } },
        select: { explanation: true },
      },
    }),
    resolve: async (person, _args, ctx) => {
      const metrics = await metricsOf(ctx, person.id);
      const audienceSize = person.socialAccounts.reduce((sum, account) => sum + account.followers, 0);
      // The audience's quality is the follower-weighted mean over the person's accounts.
      const audienceQuality =
        audienceSize === 0
          ? 0
          : person.socialAccounts.reduce((sum, account) => sum + account.followers * account.audienceQuality, 0) /
            audienceSize;
      const introsWithOutcomes = introductionsOnCreditedChains(person.credits.map((credit) => credit.explanation));
      const classification = classifyRole({
        betweenness: metrics?.betweenness ?? 0,
        constraint: metrics?.constraint ?? Number.NaN,
        introsWithOutcomes,
        audienceSize,
        audienceQuality,
      });
      return {
        ...classification,
        introsWithOutcomes,
        computedAt: metrics?.computedAt ?? null,
        stale: metrics?.stale ?? false,
      };
    },
  }),
}));
