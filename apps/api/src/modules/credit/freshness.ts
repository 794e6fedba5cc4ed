// How fresh credit is. The per-outcome models are recomputed in the transaction of every write that changes an
// outcome's chains, so they are current once computed at all; MARKOV is recomputed by a background job over the whole
// ledger, so it lags the writes committed after its last run.
import DataLoader from "dataloader";
import type { CreditModel } from "@intrograph/db";
import { formatPosition } from "@intrograph/db/events";
import { markovCreditIsStale } from "@intrograph/jobs/markov";
import { builder } from "../../builder.ts";
import { type Context, prismaOf } from "../../context.ts";
import { Outcome } from "../outcomes/outcome.ts";
import { CreditModelEnum } from "./credit.ts";

interface CreditFreshness {
  model: CreditModel;
  computedAt: Date | null;
  position: string | null;
  stale: boolean;
}

const CreditFreshnessRef = builder.objectRef<CreditFreshness>("CreditFreshness").implement({
  description:
    "When credit under a model was computed and which event-log position it reflects. Per-outcome models are recomputed by the write that changes the outcome's chains; MARKOV by a background job after writes.",
  fields: (t) => ({
    model: t.field({ type: CreditModelEnum, resolve: (freshness) => freshness.model }),
    computedAt: t.expose("computedAt", {
      type: "DateTime",
      nullable: true,
      description: "Null while not computed yet (an outcome loaded without credit waits for the start-up pass).",
    }),
    position: t.exposeString("position", {
      nullable: true,
      description:
        'Event-log position ("txid.id") the credit reflects: for per-outcome models the write that last recomputed them, for MARKOV the last event its run read.',
    }),
    stale: t.exposeBoolean("stale", {
      description: "True when not computed yet, or (MARKOV) when events that can move it came after its last run.",
    }),
  }),
});

// One of each per request: a page of outcomes asks about MARKOV once and about its writes' events in one query.
const markovFreshnessOf = new WeakMap<Context, Promise<CreditFreshness>>();
const lastEventLoaders = new WeakMap<Context, DataLoader<bigint, bigint | null>>();

function markovFreshness(ctx: Context): Promise<CreditFreshness> {
  let freshness = markovFreshnessOf.get(ctx);
  if (!freshness) {
    const prisma = prismaOf(ctx);
    freshness = Promise.all([
      prisma.creditModelRun.findUnique({ where: { model: "MARKOV" } }),
      markovCreditIsStale(prisma),
    ]).then(([run, stale]) => ({
      model: "MARKOV",
      computedAt: run?.computedAt ?? null,
      position: run ? formatPosition({ txid: run.throughTxid, id: run.throughEventId }) : null,
      stale,
    }));
    markovFreshnessOf.set(ctx, freshness);
  }
  return freshness;
}

/** The last event a transaction appended (the write's position), or null when it appended none. */
function lastEventOf(ctx: Context): DataLoader<bigint, bigint | null> {
  let loader = lastEventLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<bigint, bigint | null>(async (txids) => {
      const rows = await prismaOf(ctx).$queryRaw<{ txid: bigint; id: bigint }[]>`
        SELECT txid, max(id) AS id FROM "DomainEvent" WHERE txid = ANY(${[...txids]}::bigint[]) GROUP BY txid`;
      const last = new Map(rows.map((row) => [row.txid, row.id]));
      return txids.map((txid) => last.get(txid) ?? null);
    });
    lastEventLoaders.set(ctx, loader);
  }
  return loader;
}

builder.prismaObjectFields(Outcome, (t) => ({
  creditFreshness: t.field({
    type: CreditFreshnessRef,
    description: "When this outcome's credit under `model` was computed, the position it reflects, and whether stale.",
    args: { model: t.arg({ type: CreditModelEnum, required: false, defaultValue: "SHAPLEY" }) },
    select: { creditRun: { select: { computedAt: true, txid: true } } },
    resolve: async (outcome, args, ctx) => {
      const model = args.model ?? "SHAPLEY";
      if (model === "MARKOV") return markovFreshness(ctx);
      const run = outcome.creditRun;
      if (!run) return { model, computedAt: null, position: null, stale: true };
      const eventId = await lastEventOf(ctx).load(run.txid);
      return {
        model,
        computedAt: run.computedAt,
        position: formatPosition({ txid: run.txid, id: eventId ?? 0n }),
        stale: false,
      };
    },
  }),
}));

interface ModelRun {
  model: CreditModel;
  computedAt: Date;
  position: string;
  durationMs: number;
  outcomes: number;
  stale: boolean;
}

const CreditModelRunRef = builder.objectRef<ModelRun>("CreditModelRun").implement({
  description: "The last run of a credit model computed across the whole ledger (MARKOV) by its background job.",
  fields: (t) => ({
    model: t.field({ type: CreditModelEnum, resolve: (run) => run.model }),
    computedAt: t.expose("computedAt", { type: "DateTime" }),
    position: t.exposeString("position", { description: 'The last event-log position ("txid.id") the run read.' }),
    durationMs: t.exposeInt("durationMs"),
    outcomes: t.exposeInt("outcomes", { description: "Outcomes credited." }),
    stale: t.exposeBoolean("stale", { description: "Events that can move this model came after the run." }),
  }),
});

builder.queryField("creditModelRuns", (t) =>
  t.field({
    type: [CreditModelRunRef],
    description:
      "The last run of each globally computed credit model, and whether writes since have made it stale (admins).",
    authScopes: { admin: true },
    resolve: async (_root, _args, ctx) => {
      const prisma = prismaOf(ctx);
      const runs = await prisma.creditModelRun.findMany({ orderBy: { model: "asc" } });
      return Promise.all(
        runs.map(async (run) => ({
          model: run.model,
          computedAt: run.computedAt,
          position: formatPosition({ txid: run.throughTxid, id: run.throughEventId }),
          durationMs: run.durationMs,
          outcomes: run.outcomes,
          // MARKOV is the one model computed in runs.
          stale: run.model === "MARKOV" && (await markovCreditIsStale(prisma)),
        })),
      );
    },
  }),
);
