// Merging two records of the same human: everything the merged record held moves to the survivor in one transaction,
// and the merged record stays behind as a tombstone (mergedInto) so old ids still lead somewhere.
import { Prisma } from "@intrograph/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../builder.ts";
import { plannedQuery } from "../planned-query.ts";
import { prismaOf } from "../../context.ts";
import { NotFoundError, ValidationError, writeErrors } from "../../errors.ts";
import { decodeId } from "../../ids.ts";
import { recordAudit, type Transaction } from "../audit/record.ts";
import { announceMovedCredit } from "../events/moved-credit.ts";
import { outcomesDownstreamOf, recomputeCreditForOutcomes } from "@intrograph/ledger";
import { appendCreditHistory, type CreditCause, type CreditMove } from "@intrograph/ledger/history";
import { refreshStrength } from "../relationships/relationship.ts";
import { writeAtVersion } from "../versioned-update.ts";

export const MergeChoice = builder.enumType("MergeChoice", {
  description: "Which record's value the survivor keeps.",
  values: ["SURVIVOR", "MERGED"] as const,
});

export const MergeListChoice = builder.enumType("MergeListChoice", {
  description: "Which record's list the survivor keeps, or both (union, survivor's first).",
  values: ["SURVIVOR", "MERGED", "UNION"] as const,
});

const MergePeopleFields = builder.inputType("MergePeopleFields", {
  description: "Per field, whose value the survivor ends up with. Unset fields keep the survivor's value.",
  fields: (t) => ({
    displayName: t.field({ type: MergeChoice, required: false }),
    headline: t.field({ type: MergeChoice, required: false }),
    email: t.field({ type: MergeChoice, required: false }),
    location: t.field({ type: MergeChoice, required: false }),
    profileUrl: t.field({ type: MergeChoice, required: false }),
    topics: t.field({ type: MergeListChoice, required: false }),
  }),
});

const MergePeopleInput = builder.inputType("MergePeopleInput", {
  fields: (t) => ({
    survivorId: t.id({ required: true, description: "The person who remains." }),
    mergedId: t.id({ required: true, description: "The person who becomes a tombstone pointing at the survivor." }),
    survivorVersion: t.int({
      required: true,
      description: "The survivor's version you compared; stale is a ConflictError.",
    }),
    mergedVersion: t.int({
      required: true,
      description: "The merged person's version you compared; stale is a ConflictError.",
    }),
    fields: t.field({ type: MergePeopleFields, required: false }),
  }),
});

/** What moved, for the audit log and for tests. */
interface MergeCounts {
  relationshipsMoved: number;
  relationshipsCombined: number;
  relationshipsDeleted: number;
  introductionsMoved: number;
  introductionsRetired: number;
  membershipsMoved: number;
  membershipsCombined: number;
  socialAccountsMoved: number;
  creditsMoved: number;
  creditsCombined: number;
  duplicateSuggestionsClosed: number;
}

const pick = <T>(choice: typeof MergeChoice.$inferInput | null | undefined, survivor: T, merged: T): T =>
  choice === "MERGED" ? merged : survivor;

/** Status of two relationship records about the same tie: verified wins, then disputed, then unverified. */
function combinedStatus(a: string, b: string): "VERIFIED" | "DISPUTED" | "UNVERIFIED" {
  if (a === "VERIFIED" || b === "VERIFIED") return "VERIFIED";
  if (a === "DISPUTED" || b === "DISPUTED") return "DISPUTED";
  return "UNVERIFIED";
}

const earliest = (a: Date | null, b: Date | null): Date | null => (a && b ? (a < b ? a : b) : (a ?? b));
const latest = (a: Date, b: Date): Date => (a > b ? a : b);

async function moveRelationships(
  tx: Transaction,
  survivorId: string,
  mergedId: string,
  counts: MergeCounts,
): Promise<string[]> {
  const touched: string[] = [];
  const mergedTies = await tx.relationship.findMany({
    where: { OR: [{ personAId: mergedId }, { personBId: mergedId }] },
  });
  const survivorTies = await tx.relationship.findMany({
    where: { OR: [{ personAId: survivorId }, { personBId: survivorId }] },
  });
  const otherOf = (tie: { personAId: string; personBId: string }, self: string) =>
    tie.personAId === self ? tie.personBId : tie.personAId;
  // Ties combine within their scope only (the public tie, or one partner's private report): a partner's private tie
  // never folds into the public one, nor into another partner's.
  const scopeKey = (otherId: string, tie: { reportedByPartnerId: string | null }) =>
    `${otherId}|${tie.reportedByPartnerId ?? ""}`;
  const survivorTieWith = new Map(survivorTies.map((tie) => [scopeKey(otherOf(tie, survivorId), tie), tie]));

  for (const tie of mergedTies) {
    const otherId = otherOf(tie, mergedId);
    if (otherId === survivorId) {
      // A tie between two records of one human says nothing; its sides and evidence go with it (cascade).
      await tx.relationship.delete({ where: { id: tie.id } });
      counts.relationshipsDeleted += 1;
      continue;
    }
    const existing = survivorTieWith.get(scopeKey(otherId, tie));
    if (existing) {
      // Both records knew the same third person: one tie with the evidence of both.
      await tx.interaction.updateMany({ where: { relationshipId: tie.id }, data: { relationshipId: existing.id } });
      await tx.relationship.delete({ where: { id: tie.id } });
      const bothLive = existing.deletedAt === null || tie.deletedAt === null;
      await tx.relationship.update({
        where: { id: existing.id },
        data: {
          kind: existing.kind === "OTHER" ? tie.kind : existing.kind,
          status: combinedStatus(existing.status, tie.status),
          disputeReason: existing.disputeReason ?? tie.disputeReason,
          since: earliest(existing.since, tie.since),
          deletedAt: bothLive ? null : existing.deletedAt,
          version: { increment: 1 },
        },
      });
      touched.push(existing.id);
      counts.relationshipsCombined += 1;
      continue;
    }
    // Re-point the tie, keeping canonical order (personAId < personBId, a CHECK in the database).
    const [personAId, personBId] = survivorId < otherId ? [survivorId, otherId] : [otherId, survivorId];
    await tx.relationshipSide.deleteMany({ where: { relationshipId: tie.id } });
    await tx.relationship.update({ where: { id: tie.id }, data: { personAId, personBId, version: { increment: 1 } } });
    await tx.relationshipSide.createMany({
      data: [
        { relationshipId: tie.id, personId: personAId, otherPersonId: personBId },
        { relationshipId: tie.id, personId: personBId, otherPersonId: personAId },
      ],
    });
    touched.push(tie.id);
    counts.relationshipsMoved += 1;
  }
  return touched;
}

/** Re-points the merged record's introductions; returns the ids of every introduction touched. */
async function moveIntroductions(
  tx: Transaction,
  survivorId: string,
  mergedId: string,
  counts: MergeCounts,
): Promise<string[]> {
  const intros = await tx.introduction.findMany({
    where: { OR: [{ connectorId: mergedId }, { fromId: mergedId }, { toId: mergedId }] },
    select: { id: true, connectorId: true, fromId: true, toId: true },
  });
  const now = new Date();
  for (const intro of intros) {
    const swap = (id: string) => (id === mergedId ? survivorId : id);
    const next = { connectorId: swap(intro.connectorId), fromId: swap(intro.fromId), toId: swap(intro.toId) };
    if (new Set(Object.values(next)).size < 3) {
      // The survivor would introduce themselves (or be introduced to themselves): the record stays with the tombstone,
      // retired, because a person cannot play two parts in one introduction.
      await tx.introduction.update({ where: { id: intro.id }, data: { deletedAt: now, version: { increment: 1 } } });
      counts.introductionsRetired += 1;
      continue;
    }
    await tx.introduction.update({ where: { id: intro.id }, data: { ...next, version: { increment: 1 } } });
    counts.introductionsMoved += 1;
  }
  return intros.map((intro) => intro.id);
}

async function moveMemberships(
  tx: Transaction,
  survivorId: string,
  mergedId: string,
  counts: MergeCounts,
): Promise<void> {
  const memberships = await tx.membership.findMany({ where: { personId: mergedId } });
  const survivorMemberships = new Map(
    (await tx.membership.findMany({ where: { personId: survivorId } })).map((membership) => [
      membership.organizationId,
      membership,
    ]),
  );
  for (const membership of memberships) {
    const existing = survivorMemberships.get(membership.organizationId);
    if (!existing) {
      await tx.membership.update({
        where: { id: membership.id },
        data: { personId: survivorId, version: { increment: 1 } },
      });
      counts.membershipsMoved += 1;
      continue;
    }
    // One membership per (person, organization): keep the survivor's, filling its gaps from the merged one.
    await tx.membership.delete({ where: { id: membership.id } });
    await tx.membership.update({
      where: { id: existing.id },
      data: {
        title: existing.title ?? membership.title,
        isDecisionMaker: existing.isDecisionMaker || membership.isDecisionMaker,
        since: earliest(existing.since, membership.since),
        // A membership without an end is still current; otherwise the later end.
        until: existing.until && membership.until ? latest(existing.until, membership.until) : null,
        version: { increment: 1 },
      },
    });
    counts.membershipsCombined += 1;
  }
}

/** Moves ledger rows off the tombstone (summed per outcome × model); the recompute below then replaces them. */
/**
 * The merged record's credit becomes the survivor's, summed where both earned credit on one outcome under one model;
 * each moved amount is a history entry. Outcomes whose credit has locked keep exactly these rows (an explicit
 * adjustment: the same money, now under the one human), since the recompute after the merge leaves them alone.
 */
async function moveCredit(
  tx: Transaction,
  survivorId: string,
  mergedId: string,
  counts: MergeCounts,
  cause: CreditCause,
): Promise<void> {
  const credits = await tx.credit.findMany({ where: { personId: mergedId } });
  if (credits.length === 0) return;
  const survivorCredits = await tx.credit.findMany({
    where: { personId: survivorId, outcomeId: { in: [...new Set(credits.map((credit) => credit.outcomeId))] } },
  });
  const moves: CreditMove[] = [];
  for (const credit of credits) {
    const existing = survivorCredits.find((row) => row.outcomeId === credit.outcomeId && row.model === credit.model);
    const move = { outcomeId: credit.outcomeId, model: credit.model, currency: credit.currency };
    moves.push({ ...move, personId: mergedId, share: "0", amount: "0", previousAmount: credit.amount.toFixed() });
    moves.push({
      ...move,
      personId: survivorId,
      share: (existing?.share ?? new Prisma.Decimal(0)).plus(credit.share).toFixed(),
      amount: (existing?.amount ?? new Prisma.Decimal(0)).plus(credit.amount).toFixed(),
      previousAmount: (existing?.amount ?? new Prisma.Decimal(0)).toFixed(),
    });
    if (!existing) {
      await tx.credit.update({ where: { id: credit.id }, data: { personId: survivorId } });
      counts.creditsMoved += 1;
      continue;
    }
    // Both records earned credit on one outcome under one model: the human earned the sum (decimal arithmetic).
    await tx.credit.delete({ where: { id: credit.id } });
    await tx.credit.update({
      where: { id: existing.id },
      data: {
        share: existing.share.plus(credit.share),
        amount: existing.amount.plus(credit.amount),
        explanation: { combined: [existing.explanation, credit.explanation] } as Prisma.InputJsonValue,
        computedAt: new Date(),
      },
    });
    counts.creditsCombined += 1;
  }
  await appendCreditHistory(tx, moves, cause, new Date());
}

async function moveDuplicateSuggestions(
  tx: Transaction,
  survivorId: string,
  mergedId: string,
  counts: MergeCounts,
): Promise<void> {
  const suggestions = await tx.duplicateSuggestion.findMany({
    where: { OR: [{ personAId: mergedId }, { personBId: mergedId }] },
  });
  for (const suggestion of suggestions) {
    const otherId = suggestion.personAId === mergedId ? suggestion.personBId : suggestion.personAId;
    const [personAId, personBId] = survivorId < otherId ? [survivorId, otherId] : [otherId, survivorId];
    const clash =
      otherId === survivorId ||
      (await tx.duplicateSuggestion.findUnique({ where: { personAId_personBId: { personAId, personBId } } }));
    if (clash) {
      // This pair is the merge itself, or the survivor already has the same suggestion: this one is settled.
      await tx.duplicateSuggestion.update({ where: { id: suggestion.id }, data: { status: "MERGED" } });
      counts.duplicateSuggestionsClosed += 1;
    } else {
      // The merged record may still duplicate someone else: keep the suggestion, now about the survivor.
      await tx.duplicateSuggestion.update({ where: { id: suggestion.id }, data: { personAId, personBId } });
    }
  }
}

builder.mutationField("mergePeople", (t) =>
  t.prismaField({
    type: "Person",
    description:
      "Merges a duplicate person into a survivor: relationships, introductions, memberships, social accounts, credit and " +
      "duplicate suggestions move to the survivor; the merged record becomes a tombstone (`mergedInto`).",
    authScopes: { admin: true },
    errors: { types: writeErrors, dataField: { name: "survivor" } },
    args: { input: t.arg({ type: MergePeopleInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const survivorId = decodeId(input.survivorId, "Person", "input.survivorId");
      const mergedId = decodeId(input.mergedId, "Person", "input.mergedId");
      if (survivorId === mergedId)
        throw ValidationError.of(["input", "mergedId"], "a person cannot be merged into themselves");
      const fields = input.fields ?? {};
      return prismaOf(ctx).$transaction(
        async (tx) => {
          const people = await tx.person.findMany({ where: { id: { in: [survivorId, mergedId] }, deletedAt: null } });
          const survivor = people.find((person) => person.id === survivorId);
          const merged = people.find((person) => person.id === mergedId);
          if (!survivor) throw new NotFoundError("Person", input.survivorId);
          if (!merged) throw new NotFoundError("Person", input.mergedId);
          if (survivor.mergedIntoId) {
            throw ValidationError.of(
              ["input", "survivorId"],
              "this person was already merged into someone else; merge into that record instead",
            );
          }
          if (merged.mergedIntoId) throw ValidationError.of(["input", "mergedId"], "this person was already merged");

          // Claim both rows at the versions the admin compared: a concurrent edit or merge makes this a conflict, and on
          // PostgreSQL the row locks keep anyone else out until the merge commits.
          for (const [person, version, globalId] of [
            [survivor, input.survivorVersion, input.survivorId],
            [merged, input.mergedVersion, input.mergedId],
          ] as const) {
            await writeAtVersion(tx.person, { entityType: "Person", id: person.id, conflictId: globalId, version });
          }

          const counts: MergeCounts = {
            relationshipsMoved: 0,
            relationshipsCombined: 0,
            relationshipsDeleted: 0,
            introductionsMoved: 0,
            introductionsRetired: 0,
            membershipsMoved: 0,
            membershipsCombined: 0,
            socialAccountsMoved: 0,
            creditsMoved: 0,
            creditsCombined: 0,
            duplicateSuggestionsClosed: 0,
          };

          // Evidence the merged record initiated is the survivor's now; strengths below read it.
          await tx.interaction.updateMany({ where: { initiatedById: mergedId }, data: { initiatedById: survivorId } });
          const touchedTies = await moveRelationships(tx, survivorId, mergedId, counts);
          for (const tieId of touchedTies) await refreshStrength(tx, tieId);
          const touchedIntroductions = await moveIntroductions(tx, survivorId, mergedId, counts);
          await moveMemberships(tx, survivorId, mergedId, counts);
          counts.socialAccountsMoved = (
            await tx.socialAccount.updateMany({ where: { personId: mergedId }, data: { personId: survivorId } })
          ).count;
          const creditedOutcomes = await tx.credit.findMany({
            where: { personId: mergedId },
            select: { outcomeId: true },
            distinct: ["outcomeId"],
          });
          const cause: CreditCause = {
            cause: "PEOPLE_MERGED",
            entityType: "Person",
            entityId: survivorId,
            actorId: ctx.viewer.label,
          };
          await moveCredit(tx, survivorId, mergedId, counts, cause);
          await tx.creditDispute.updateMany({ where: { raisedById: mergedId }, data: { raisedById: survivorId } });
          await moveDuplicateSuggestions(tx, survivorId, mergedId, counts);
          // Credit is derived: recompute every outcome the moved introductions lead to. Connectors who were one human
          // now share one Shapley player, and retired introductions no longer count.
          const affectedOutcomes = new Set([
            ...(await outcomesDownstreamOf(tx, touchedIntroductions)),
            ...creditedOutcomes.map((row) => row.outcomeId),
          ]);
          const recomputed = affectedOutcomes.size
            ? await recomputeCreditForOutcomes(tx, [...affectedOutcomes], { cause })
            : null;
          await announceMovedCredit(
            tx,
            creditedOutcomes.map((row) => row.outcomeId),
            recomputed?.changes ?? [],
            { survivorId, mergedId },
          );
          // Older tombstones of the merged record point straight at the survivor, so mergedInto is never a chain.
          await tx.person.updateMany({ where: { mergedIntoId: mergedId }, data: { mergedIntoId: survivorId } });

          const profileUrl =
            pick(fields.profileUrl, survivor.profileUrl, merged.profileUrl) ?? survivor.profileUrl ?? merged.profileUrl;
          const topics =
            fields.topics === "MERGED"
              ? merged.topics
              : fields.topics === "UNION"
                ? [...new Set([...survivor.topics, ...merged.topics])]
                : survivor.topics;
          // profileUrl is unique: the tombstone gives it up before the survivor may take it.
          await tx.person.update({
            where: { id: mergedId },
            data: { mergedIntoId: survivorId, mergedAt: new Date(), profileUrl: null },
          });
          await tx.person.update({
            where: { id: survivorId },
            data: {
              displayName: pick(fields.displayName, survivor.displayName, merged.displayName),
              headline: pick(fields.headline, survivor.headline, merged.headline),
              email: pick(fields.email, survivor.email, merged.email),
              location: pick(fields.location, survivor.location, merged.location),
              profileUrl,
              topics,
            },
          });

          const after = await tx.person.findUniqueOrThrow({ where: { id: survivorId } });
          await recordAudit(tx, ctx, {
            action: "person.merge",
            entityType: "Person",
            entityId: survivorId,
            before: { survivor, merged },
            after: { survivor: after, mergedId, mergedGlobalId: encodeGlobalID("Person", mergedId), fields, counts },
          });
          return tx.person.findUniqueOrThrow({ ...plannedQuery(query), where: { id: survivorId } });
        },
        { timeout: 60_000, maxWait: 10_000 },
      );
    },
  }),
);
