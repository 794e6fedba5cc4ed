// `creditChanged`: a live feed of credit recomputations over SSE, filtered to what the subscriber may see.
import { encodeGlobalID } from "@pothos/plugin-relay";
import { filter, pipe } from "graphql-yoga";
import { builder } from "../../builder.ts";
import { decodeOptionalId } from "../../ids.ts";
import { type CreditChange, pubsub } from "../../pubsub.ts";

builder.subscriptionType({
  description: "Live updates, over Server-Sent Events (graphql-sse distinct connections mode).",
});

const CreditChangedEvent = builder.objectRef<CreditChange>("CreditChangedEvent").implement({
  description: "Credit was recomputed for an outcome: re-read the credit of the people listed.",
  fields: (t) => ({
    outcomeId: t.id({ resolve: (change) => encodeGlobalID("Outcome", change.outcomeId) }),
    personIds: t.idList({ resolve: (change) => change.personIds.map((id) => encodeGlobalID("Person", id)) }),
    model: t.exposeString("model", { nullable: true }),
    changedAt: t.expose("changedAt", { type: "DateTime" }),
  }),
});

builder.subscriptionField("creditChanged", (t) =>
  t.field({
    type: CreditChangedEvent,
    description: "Credit changes, optionally only those touching one person or one outcome.",
    authScopes: { authenticated: true },
    args: { personId: t.arg.id({ required: false }), outcomeId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => {
      const personId = decodeOptionalId(args.personId, "Person", "personId");
      const outcomeId = decodeOptionalId(args.outcomeId, "Outcome", "outcomeId");
      const viewer = ctx.viewer;
      return pipe(
        pubsub.subscribe("creditChanged"),
        filter(
          (change: CreditChange) =>
            // The same isolation as reads: another partner's private outcome is invisible.
            (viewer.kind === "admin" ||
              change.reportedByPartnerId === null ||
              change.reportedByPartnerId === viewer.partnerId) &&
            (!personId || change.personIds.includes(personId)) &&
            (!outcomeId || change.outcomeId === outcomeId),
        ),
      );
    },
    resolve: (change) => change,
  }),
);
