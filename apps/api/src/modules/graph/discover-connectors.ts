// `discoverConnectors`: who matters for a topic (and a target organization) — ranked by what they did and can do, not by
// how many follow them. Each entry's score is the weighted sum of normalised components, each explained:
//   TOPIC_CREDIT          Shapley shares earned on the topic's outcomes (outcome-equivalents, so currencies never mix)
//   COMMUNITY_BROKERAGE   effective size among the topic's community: contacts there who are not tied to each other
//   DECISION_MAKER_REACH  decision makers of the target (or of the topic's organizations) within two relationships,
//                         1 for each the person knows directly and 1/2 for each one relationship further
//   WARMTH                with `near`: the warmest path's strength product from that person (three hops at most)
// Each component is divided by the largest value among the candidates, so 1 is the best in this search. Qualified
// audience (followers × audience quality) is shown beside the score and never moves it.
import { offsetToCursor, resolveOffsetConnection } from "@pothos/plugin-relay";
import type { TopicSignals } from "@intrograph/graph";
import { Prisma } from "@intrograph/db";
import { z } from "zod";
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeOptionalId } from "../../ids.ts";
import { reportedVisibleSql } from "../access/visibility.ts";
import { recordAudit } from "../audit/record.ts";
import { plannedQuery } from "../planned-query.ts";
import { Person } from "../people/person.ts";
import { graphServiceOf, pathViewerOf } from "./snapshot.ts";

/** Lower case, trimmed, single spaces: "  B2B   SaaS" and "b2b saas" are one topic. */
export function normalizeTopic(topic: string): string {
  return topic.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The same normalisation in SQL, for stored topics; the regular expression runs only on the rare topic that needs it. */
const normalizedSql = (value: Prisma.Sql) =>
  Prisma.sql`lower(btrim(CASE WHEN strpos(${value}, '  ') > 0 OR ${value} ~ '[\t\r\n]' THEN regexp_replace(${value}, '\\s+', ' ', 'g') ELSE ${value} END))`;

const REACH_HOPS = 2;
const WARMTH_HOPS = 3;
const MAX_TOPICS = 10;

type ComponentName = "TOPIC_CREDIT" | "COMMUNITY_BROKERAGE" | "DECISION_MAKER_REACH" | "WARMTH";

const WEIGHTS: Record<"plain" | "near", Partial<Record<ComponentName, number>>> = {
  plain: { TOPIC_CREDIT: 0.4, COMMUNITY_BROKERAGE: 0.3, DECISION_MAKER_REACH: 0.3 },
  near: { TOPIC_CREDIT: 0.35, COMMUNITY_BROKERAGE: 0.25, DECISION_MAKER_REACH: 0.25, WARMTH: 0.15 },
};

interface Component {
  name: ComponentName;
  value: number;
  normalized: number;
  weight: number;
  contribution: number;
  explanation: string;
}

interface Discovery {
  rank: number;
  personId: string;
  score: number;
  components: Component[];
  /** Filled in for the page served only, in one query. */
  qualifiedAudience?: number;
}

const ComponentNameEnum = builder.enumType("DiscoveryComponentName", {
  values: ["TOPIC_CREDIT", "COMMUNITY_BROKERAGE", "DECISION_MAKER_REACH", "WARMTH"] as const,
});

const ComponentRef = builder.objectRef<Component>("DiscoveryComponent").implement({
  description: "One part of a discovery score: its raw value, the value divided by the best in the search, its weight.",
  fields: (t) => ({
    name: t.field({ type: ComponentNameEnum, resolve: (component) => component.name }),
    value: t.exposeFloat("value"),
    normalized: t.exposeFloat("normalized", { description: "value ÷ the largest value among the candidates (0..1)." }),
    weight: t.exposeFloat("weight"),
    contribution: t.exposeFloat("contribution", { description: "normalized × weight: its share of the score." }),
    explanation: t.exposeString("explanation"),
  }),
});

const DiscoveryRef = builder.objectRef<Discovery>("ConnectorDiscovery").implement({
  description: "A person who matters for the topic, with the score and what it is made of.",
  fields: (t) => ({
    rank: t.exposeInt("rank"),
    score: t.exposeFloat("score", { description: "Σ component contributions, 0..1." }),
    person: t.prismaField({
      type: Person,
      resolve: (query, entry, _args, ctx) =>
        prismaOf(ctx).person.findUniqueOrThrow({ ...plannedQuery(query), where: { id: entry.personId } }),
    }),
    components: t.field({ type: [ComponentRef], resolve: (entry) => entry.components }),
    qualifiedAudience: t.int({
      description:
        "Followers × audience quality over the person's social accounts: shown beside the score, never part of it.",
      resolve: (entry) => entry.qualifiedAudience ?? 0,
    }),
  }),
});

builder.queryField("discoverConnectors", (t) =>
  t.connection({
    type: DiscoveryRef,
    description:
      "People who matter for `topics` (and a target organization), ranked by connector value — credit earned on the topic's outcomes, brokerage across its community, reach into the decision makers of the target or of the topic's organizations, and, with `near`, the warmest path from that person — never by audience. Every entry explains its score component by component. Topics are matched case- and space-insensitively, through topic aliases.",
    authScopes: { authenticated: true },
    args: {
      topics: t.arg.stringList({ required: true }),
      toOrganization: t.arg.id({ required: false }),
      near: t.arg.id({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const topics = [...new Set(args.topics.map(normalizeTopic).filter(Boolean))];
      if (topics.length === 0) throw ValidationError.of("topics", "give at least one topic");
      if (topics.length > MAX_TOPICS) throw ValidationError.of("topics", `at most ${MAX_TOPICS} topics`);
      if (args.first != null && (args.first < 0 || args.first > MAX_PAGE_SIZE))
        throw ValidationError.of("first", `must be between 0 and ${MAX_PAGE_SIZE}`);
      const toOrganization = decodeOptionalId(args.toOrganization, "Organization", "toOrganization");
      const near = decodeOptionalId(args.near, "Person", "near");
      const ranking = await rank(ctx, topics, toOrganization ?? null, near ?? null, args);
      const fromEnd = args.last != null && args.first == null && args.after == null && args.before == null;
      return resolveOffsetConnection(
        {
          args: fromEnd ? { ...args, before: offsetToCursor(ranking.length) } : args,
          defaultSize: DEFAULT_PAGE_SIZE,
          maxSize: MAX_PAGE_SIZE,
        },
        async ({ offset, limit }) => withQualifiedAudience(ctx, ranking.slice(offset, offset + limit)),
      );
    },
  }),
);

async function rank(
  ctx: Context,
  topics: string[],
  toOrganization: string | null,
  near: string | null,
  args: { toOrganization?: string | null; near?: string | null },
): Promise<Discovery[]> {
  const prisma = prismaOf(ctx);
  const [matched, organization, nearPerson] = await Promise.all([
    topicsWithAliases(ctx, topics),
    toOrganization
      ? prisma.organization.findFirst({ where: { id: toOrganization, deletedAt: null }, select: { id: true } })
      : null,
    near ? prisma.person.findFirst({ where: { id: near, deletedAt: null }, select: { id: true } }) : null,
  ]);
  if (toOrganization && !organization) throw new NotFoundError("Organization", args.toOrganization!);
  if (near && !nearPerson) throw new NotFoundError("Person", args.near!);
  const topic = await topicFacts(ctx, matched);
  const credit = new Map(topic.credit.map((row) => [row.personId, row]));
  // Ranked: who carries the topic or earned credit on its outcomes. The rest of the community counts as their contacts.
  const candidates = [...new Set([...topic.people, ...credit.keys()])];
  if (candidates.length === 0) return [];
  const signals = await graphServiceOf(ctx).request("discover", {
    viewer: pathViewerOf(ctx),
    query: {
      communityPeople: topic.people,
      communityOrganizations: topic.organizations,
      candidates,
      targets: toOrganization ? [toOrganization] : topic.organizations,
      near,
      maxHops: REACH_HOPS,
      warmthHops: WARMTH_HOPS,
    },
  });
  const raw = candidates.map((personId, index) => ({
    personId,
    credit: credit.get(personId) ?? { shares: 0, outcomes: 0 },
    graph: signals[index] ?? null,
    warmth: signals[index]?.warmth ?? 0,
  }));
  const max = {
    credit: Math.max(0, ...raw.map((row) => row.credit.shares)),
    brokerage: Math.max(0, ...raw.map((row) => row.graph?.brokerage ?? 0)),
    reach: Math.max(0, ...raw.map((row) => row.graph?.reach ?? 0)),
    warmth: Math.max(0, ...raw.map((row) => row.warmth)),
  };
  const weights = near ? WEIGHTS.near : WEIGHTS.plain;
  const target = toOrganization ? "the target organization" : "the topic's organizations";
  const scored = raw.map((row): Omit<Discovery, "rank"> => {
    const components = [
      component("TOPIC_CREDIT", row.credit.shares, max.credit, weights, topicCreditSentence(row.credit)),
      component("COMMUNITY_BROKERAGE", row.graph?.brokerage ?? 0, max.brokerage, weights, brokerageSentence(row.graph)),
      component(
        "DECISION_MAKER_REACH",
        row.graph?.reach ?? 0,
        max.reach,
        weights,
        `knows ${row.graph?.directDecisionMakers ?? 0} decision maker(s) of ${target} directly and reaches ${(row.graph?.decisionMakers ?? 0) - (row.graph?.directDecisionMakers ?? 0)} more through one contact`,
      ),
      ...(near
        ? [
            component(
              "WARMTH",
              row.warmth,
              max.warmth,
              weights,
              row.warmth > 0
                ? `the warmest path from the person you started from has strength ${row.warmth.toFixed(3)}`
                : `no path within ${WARMTH_HOPS} relationships from the person you started from`,
            ),
          ]
        : []),
    ];
    return {
      personId: row.personId,
      score: round(components.reduce((sum, part) => sum + part.contribution, 0)),
      components,
    };
  });
  return scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || (a.personId < b.personId ? -1 : 1))
    .map((entry, index) => ({ ...entry, rank: index + 1 }));
}

/** The page's qualified audiences (followers × audience quality, summed per person), in one query. */
async function withQualifiedAudience(ctx: Context, page: Discovery[]): Promise<Discovery[]> {
  const accounts = await prismaOf(ctx).socialAccount.findMany({
    where: { personId: { in: page.map((entry) => entry.personId) } },
    select: { personId: true, followers: true, audienceQuality: true },
  });
  const audience = new Map<string, number>();
  for (const account of accounts)
    audience.set(account.personId, (audience.get(account.personId) ?? 0) + account.followers * account.audienceQuality);
  return page.map((entry) => ({ ...entry, qualifiedAudience: Math.round(audience.get(entry.personId) ?? 0) }));
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

function component(
  name: ComponentName,
  value: number,
  max: number,
  weights: Partial<Record<ComponentName, number>>,
  explanation: string,
): Component {
  const weight = weights[name] ?? 0;
  const normalized = max > 0 ? value / max : 0;
  return {
    name,
    value: round(value),
    normalized: round(normalized),
    weight,
    contribution: round(normalized * weight),
    explanation,
  };
}

function topicCreditSentence(credit: { shares: number; outcomes: number }): string {
  return credit.outcomes === 0
    ? "no credit yet on the topic's outcomes"
    : `credited on ${credit.outcomes} of the topic's outcomes, ${credit.shares.toFixed(2)} outcome-equivalents under Shapley`;
}

function brokerageSentence(signals: TopicSignals | null): string {
  if (!signals || signals.communityContacts === 0) return "no relationships in the topic's community";
  return `${signals.communityContacts} contact(s) in the topic's community, effective size ${signals.brokerage.toFixed(2)}: the more of them who do not know each other, the more doors only this person opens`;
}

/** The normalised topics and every alias of them (and what an alias given stands for). */
async function topicsWithAliases(ctx: Context, topics: string[]): Promise<string[]> {
  const aliases = await prismaOf(ctx).topicAlias.findMany({
    where: { OR: [{ alias: { in: topics } }, { topic: { in: topics } }] },
  });
  const canonical = new Set(topics.map((topic) => aliases.find((row) => row.alias === topic)?.topic ?? topic));
  const all = new Set(canonical);
  for (const row of await prismaOf(ctx).topicAlias.findMany({ where: { topic: { in: [...canonical] } } }))
    all.add(row.alias);
  return [...all];
}

interface TopicFacts {
  /**
   * People who carry a topic: with those credited on the topic's outcomes, the people ranked. With the current members
   * of `organizations` (the graph thread knows them), the topic's community.
   */
  people: string[];
  /** Organizations with a current member who carries a topic. */
  organizations: string[];
  /** Shapley shares per person on the topic's outcomes (those of its organizations, or introducing its people). */
  credit: { personId: string; shares: number; outcomes: number }[];
}

async function topicFacts(ctx: Context, topics: string[]): Promise<TopicFacts> {
  const [row] = await prismaOf(ctx).$queryRaw<
    {
      people: string[] | null;
      organizations: string[] | null;
      credit: TopicFacts["credit"] | null;
    }[]
  >`
    WITH topic_people AS (
      SELECT p.id FROM "Person" p
      WHERE p."deletedAt" IS NULL AND p."mergedIntoId" IS NULL
        AND EXISTS (SELECT 1 FROM unnest(p.topics) t WHERE ${normalizedSql(Prisma.sql`t`)} = ANY(${topics}::text[]))
    ), topic_organizations AS (
      SELECT DISTINCT m."organizationId" AS id
      FROM "Membership" m JOIN topic_people tp ON tp.id = m."personId"
      JOIN "Organization" o ON o.id = m."organizationId" AND o."deletedAt" IS NULL
      WHERE m.until IS NULL OR m.until > (now() AT TIME ZONE 'UTC')
    ), topic_outcomes AS (
      SELECT o.id FROM "Outcome" o
      WHERE o."deletedAt" IS NULL AND ${reportedVisibleSql(ctx, "o")}
        AND (o."organizationId" IN (SELECT id FROM topic_organizations)
          OR EXISTS (
            SELECT 1 FROM "OutcomeIntroduction" oi JOIN "Introduction" i ON i.id = oi."introductionId"
            WHERE oi."outcomeId" = o.id AND (i."fromId" IN (SELECT id FROM topic_people) OR i."toId" IN (SELECT id FROM topic_people))))
    ), credit AS (
      SELECT c."personId"::text AS "personId", sum(c.share)::float8 AS shares, count(*)::int AS outcomes
      FROM "Credit" c JOIN topic_outcomes t ON t.id = c."outcomeId"
      WHERE c.model = 'SHAPLEY' AND c.amount > 0
      GROUP BY c."personId"
    )
    SELECT
      (SELECT array_agg(id::text) FROM topic_people) AS people,
      (SELECT array_agg(id::text) FROM topic_organizations) AS organizations,
      (SELECT json_agg(credit) FROM credit) AS credit`;
  return {
    people: row?.people ?? [],
    organizations: row?.organizations ?? [],
    credit: row?.credit ?? [],
  };
}

interface TopicAliasRow {
  alias: string;
  topic: string;
  createdAt: Date;
}

export const TopicAliasRef = builder.objectRef<TopicAliasRow>("TopicAlias").implement({
  description: "Another name for a topic: discovery matches people who carry either.",
  fields: (t) => ({
    alias: t.exposeString("alias"),
    topic: t.exposeString("topic"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryField("topicAliases", (t) =>
  t.field({
    type: [TopicAliasRef],
    description: "Every topic alias, by topic.",
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) =>
      prismaOf(ctx).topicAlias.findMany({ orderBy: [{ topic: "asc" }, { alias: "asc" }] }),
  }),
);

const topicText = z.string().trim().min(1, "must not be empty").max(100);

builder.mutationField("setTopicAlias", (t) =>
  t.field({
    type: TopicAliasRef,
    description: "Makes `alias` another name for `topic` (both normalised), replacing what the alias meant before.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "topicAlias" } },
    args: {
      alias: t.arg.string({ required: true, validate: topicText }),
      topic: t.arg.string({ required: true, validate: topicText }),
    },
    resolve: async (_root, args, ctx) => {
      const alias = normalizeTopic(args.alias);
      const topic = normalizeTopic(args.topic);
      if (alias === topic) throw ValidationError.of("alias", "an alias must differ from its topic");
      return prismaOf(ctx).$transaction(async (tx) => {
        // One level only: an alias never names another alias, so matching needs no recursion.
        if (await tx.topicAlias.findUnique({ where: { alias: topic } }))
          throw ValidationError.of("topic", `"${topic}" is an alias itself: name the topic it stands for`);
        if (await tx.topicAlias.findFirst({ where: { topic: alias } }))
          throw ValidationError.of("alias", `"${alias}" is a topic with aliases of its own`);
        const row = await tx.topicAlias.upsert({ where: { alias }, create: { alias, topic }, update: { topic } });
        await recordAudit(tx, ctx, { action: "topicAlias.set", entityType: "TopicAlias", entityId: alias, after: row });
        return row;
      });
    },
  }),
);
