// `rebuildCredit`: the ledger is derived data, so an admin can always throw it away and compute it again.
import { builder } from "../../builder.ts";
import { prismaOf } from "../../context.ts";
import { writeErrors } from "../../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { computeMarkovInThread } from "@intrograph/jobs/markov";
import { type CreditRebuild, rebuildCredit } from "@intrograph/ledger";

const CreditRebuildRef = builder.objectRef<CreditRebuild>("CreditRebuild").implement({
  fields: (t) => ({
    outcomes: t.exposeInt("outcomes", { description: "Outcomes credited." }),
    credits: t.exposeInt("credits", { description: "Credit rows written, over every model." }),
    durationMs: t.exposeInt("durationMs"),
  }),
});

builder.mutationField("rebuildCredit", (t) =>
  t.field({
    type: CreditRebuildRef,
    description:
      "Recomputes the whole credit ledger from introductions, consent, outcomes and adjudicated disputes (admins): the per-outcome models in short batches, then MARKOV.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "rebuild" } },
    resolve: async (_root, _args, ctx) => {
      const prisma = prismaOf(ctx);
      const result = await rebuildCredit(prisma, { computeMarkov: computeMarkovInThread });
      await prisma.$transaction((tx) =>
        recordAudit(tx, ctx, { action: "credit.rebuild", entityType: "Credit", entityId: null, after: result }),
      );
      return result;
    },
  }),
);
