-- CreateEnum
CREATE TYPE "CreditChangeCause" AS ENUM ('BASELINE', 'OUTCOME_RECORDED', 'OUTCOME_UPDATED', 'INTRODUCTION_UPDATED', 'CONSENT_GIVEN', 'CONSENT_WITHDRAWN', 'DISPUTE_ADJUDICATED', 'PEOPLE_MERGED', 'IMPORT', 'REBUILD', 'MARKOV_RUN');

-- CreateEnum
CREATE TYPE "ConsentSide" AS ENUM ('FROM', 'TO');

-- CreateEnum
CREATE TYPE "ConsentAction" AS ENUM ('GIVEN', 'WITHDRAWN');

-- AlterTable
ALTER TABLE "Outcome" ADD COLUMN     "creditLocksAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Partner" ADD COLUMN     "creditLockDays" INTEGER;

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "pathsOptOutAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CreditHistory" (
    "id" BIGSERIAL NOT NULL,
    "outcomeId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "model" "CreditModel" NOT NULL,
    "share" DECIMAL(12,10) NOT NULL,
    "amount" DECIMAL(24,4) NOT NULL,
    "previousAmount" DECIMAL(24,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "cause" "CreditChangeCause" NOT NULL,
    "causeEntityType" TEXT,
    "causeEntityId" TEXT,
    "actorId" TEXT,
    "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentChange" (
    "id" UUID NOT NULL,
    "introductionId" UUID NOT NULL,
    "side" "ConsentSide" NOT NULL,
    "action" "ConsentAction" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "recordedBy" TEXT,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Person_pathsOptOutAt_idx" ON "Person"("pathsOptOutAt");

-- CreateIndex
CREATE INDEX "CreditHistory_outcomeId_model_recordedAt_idx" ON "CreditHistory"("outcomeId", "model", "recordedAt");

-- CreateIndex
CREATE INDEX "CreditHistory_personId_model_recordedAt_idx" ON "CreditHistory"("personId", "model", "recordedAt");

-- CreateIndex
CREATE INDEX "CreditHistory_model_recordedAt_idx" ON "CreditHistory"("model", "recordedAt");

-- CreateIndex
CREATE INDEX "ConsentChange_introductionId_createdAt_idx" ON "ConsentChange"("introductionId", "createdAt");

-- AddForeignKey
ALTER TABLE "CreditHistory" ADD CONSTRAINT "CreditHistory_outcomeId_fkey" FOREIGN KEY ("outcomeId") REFERENCES "Outcome"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditHistory" ADD CONSTRAINT "CreditHistory_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentChange" ADD CONSTRAINT "ConsentChange_introductionId_fkey" FOREIGN KEY ("introductionId") REFERENCES "Introduction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An outcome's credit locks a period after the outcome, or after it was recorded if that is later (an outcome reported
-- late still gets the whole period): the reporting partner's period, else 90 days. Filled in on insert unless given.
CREATE FUNCTION "outcome_credit_locks_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."creditLocksAt" IS NULL THEN
    NEW."creditLocksAt" := greatest(NEW."occurredAt", NEW."createdAt") + make_interval(days => coalesce(
      (SELECT "creditLockDays" FROM "Partner" WHERE id = NEW."reportedByPartnerId"), 90));
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Outcome_credit_locks_at" BEFORE INSERT ON "Outcome"
  FOR EACH ROW EXECUTE FUNCTION "outcome_credit_locks_at"();
UPDATE "Outcome" o SET "creditLocksAt" = greatest(o."occurredAt", o."createdAt") + interval '90 days';

-- Credit history is append-only in the database itself, whoever asks.
CREATE FUNCTION "credit_history_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'CreditHistory is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "CreditHistory_no_update_or_delete" BEFORE UPDATE OR DELETE ON "CreditHistory"
  FOR EACH ROW EXECUTE FUNCTION "credit_history_append_only"();
CREATE TRIGGER "CreditHistory_no_truncate" BEFORE TRUNCATE ON "CreditHistory"
  FOR EACH STATEMENT EXECUTE FUNCTION "credit_history_append_only"();

-- The allocations standing today are where each outcome's history begins.
INSERT INTO "CreditHistory" ("outcomeId", "personId", model, share, amount, "previousAmount", currency, cause, "recordedAt")
SELECT "outcomeId", "personId", model, share, amount, 0, currency, 'BASELINE', "computedAt" FROM "Credit";
