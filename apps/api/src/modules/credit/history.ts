// Credit over time: `Outcome.creditHistory` and `Person.creditHistory` read the append-only history (every change of an
// allocation, with its cause), and `lockOutcomeCredit` makes an outcome's credit final ahead of its lock date.
import { CreditChangeCause } from "@intrograph/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../builder.ts";
import { prismaOf } from "../../context.ts";
import { NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { reportedVisibleTo } from "../access/visibility.ts";
import { recordAudit } from "../audit/record.ts";
import { plannedQuery } from "../planned-query.ts";
import { Outcome } from "../outcomes/outcome.ts";
import { Person } from "../people/person.ts";
import { minorUnitsFor } from "@intrograph/ledger";
import { CreditModelEnum } from "./credit.ts";

export const CreditChangeCauseEnum = builder.enumType(CreditChangeCause, {
  name: "CreditChangeCause",
  description:
    "Why an allocation changed: the write that moved it (an outcome recorded or updated, an introduction updated, consent given or withdrawn, a dispute adjudicated, people merged, an import), a rebuild, a MARKOV run, or BASELINE for the allocation that stood when history began.",
});

/** The global id of the record a history row names as its cause, for the record types the API serves as nodes. */
const NODE_TYPES = new Set(["Outcome", "Introduction", "Person", "CreditDispute"]);

export const CreditHistoryEntry = builder.prismaObject("CreditHistory", {
  name: "CreditHistoryEntry",
  description:
    "One change of one connector's credit on one outcome under one model: the amount from then on, the amount before, and why. The history is append-only: entries are never changed or removed.",
  fields: (t) => ({
    model: t.expose("model", { type: CreditModelEnum }),
    person: t.relation("person", { description: "The connector whose credit moved." }),
    outcome: t.relation("outcome"),
    share: t.float({
      description: "The share from this change on (0..1).",
      resolve: (entry) => entry.share.toNumber(),
    }),
    amount: t.field({
      type: "Decimal",
      description: "The amount from this change on (0 when the connector lost the credit).",
      resolve: (entry) => entry.amount.toFixed(minorUnitsFor(entry.currency.trim(), entry.amount.toFixed())),
    }),
    previousAmount: t.field({
      type: "Decimal",
      resolve: (entry) =>
        entry.previousAmount.toFixed(minorUnitsFor(entry.currency.trim(), entry.previousAmount.toFixed())),
    }),
    currency: t.string({ resolve: (entry) => entry.currency.trim() }),
    cause: t.expose("cause", { type: CreditChangeCauseEnum }),
    causeId: t.id({
      nullable: true,
      description:
        "The record whose change caused it (the introduction, the dispute, the surviving person of a merge).",
      resolve: (entry) =>
        entry.causeEntityType && entry.causeEntityId && NODE_TYPES.has(entry.causeEntityType)
          ? encodeGlobalID(entry.causeEntityType, entry.causeEntityId)
          : null,
    }),
    actor: t.string({
      nullable: true,
      description: "Who made the change (an API key's label, or the job). Admins only: null for partners.",
      resolve: (entry, _args, ctx) => (ctx.viewer.kind === "admin" ? entry.actorId : null),
    }),
    recordedAt: t.expose("recordedAt", { type: "DateTime" }),
  }),
});

const historyModelArg = {
  type: CreditModelEnum,
  required: false,
  description: "Only this model's entries; every model when left out.",
} as const;

builder.prismaObjectFields(Outcome, (t) => ({
  creditHistory: t.relatedConnection("creditHistory", {
    description: "How this outcome's credit moved over time, oldest first.",
    cursor: "id",
    args: { model: t.arg(historyModelArg) },
    query: (args) => ({ where: args.model ? { model: args.model } : {}, orderBy: { id: "asc" } }),
  }),
}));

builder.prismaObjectFields(Person, (t) => ({
  creditHistory: t.relatedConnection("creditHistory", {
    description: "How this person's credit moved over time, oldest first, on the outcomes the viewer may see.",
    cursor: "id",
    args: { model: t.arg(historyModelArg) },
    query: (args, ctx) => ({
      where: { ...(args.model ? { model: args.model } : {}), outcome: { deletedAt: null, ...reportedVisibleTo(ctx) } },
      orderBy: { id: "asc" },
    }),
  }),
}));

const LockOutcomeCreditInput = builder.inputType("LockOutcomeCreditInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    at: t.field({
      type: "DateTime",
      required: false,
      description: "When the credit locks: now when left out. Only ever earlier than the current lock date.",
    }),
  }),
});

builder.mutationField("lockOutcomeCredit", (t) =>
  t.prismaField({
    type: Outcome,
    description:
      "Brings an outcome's credit lock forward (now, or a given moment before its current lock date). A lock is never lifted or postponed: after it, only an adjudicated dispute changes the outcome's credit.",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "outcome" } },
    args: { input: t.arg({ type: LockOutcomeCreditInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = decodeId(input.id, "Outcome", "input.id");
      const at = input.at ?? new Date();
      return prismaOf(ctx).$transaction(async (tx) => {
        const before = await tx.outcome.findFirst({ where: { id, deletedAt: null } });
        if (!before) throw new NotFoundError("Outcome", input.id);
        if (before.creditLocksAt && before.creditLocksAt <= at)
          throw ValidationError.of(
            ["input", "at"],
            `the credit locks at ${before.creditLocksAt.toISOString()} already; a lock is only ever brought forward`,
          );
        const outcome = await tx.outcome.update({ where: { id }, data: { creditLocksAt: at } });
        await recordAudit(tx, ctx, {
          action: "outcome.lockCredit",
          entityType: "Outcome",
          entityId: id,
          before: { creditLocksAt: before.creditLocksAt },
          after: { creditLocksAt: outcome.creditLocksAt },
        });
        return tx.outcome.findUniqueOrThrow({ ...plannedQuery(query), where: { id } });
      });
    },
  }),
);
