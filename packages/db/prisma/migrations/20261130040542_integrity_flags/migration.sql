-- CreateEnum
CREATE TYPE "IntegrityFlagKind" AS ENUM ('SELF_DEALING', 'RECIPROCAL_RING', 'INTRODUCTION_AFTER_OUTCOME', 'CONTESTED_CLAIM', 'REPORTER_BURST');

-- CreateEnum
CREATE TYPE "IntegrityFlagStatus" AS ENUM ('OPEN', 'DISMISSED', 'DISPUTED');

-- CreateTable
CREATE TABLE "IntegrityFlag" (
    "id" UUID NOT NULL,
    "kind" "IntegrityFlagKind" NOT NULL,
    "key" TEXT NOT NULL,
    "outcomeId" UUID,
    "introductionId" UUID,
    "personId" UUID,
    "partnerId" UUID,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "status" "IntegrityFlagStatus" NOT NULL DEFAULT 'OPEN',
    "disputeId" UUID,
    "note" TEXT,
    "resolvedBy" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "IntegrityFlag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IntegrityFlag_key_key" ON "IntegrityFlag"("key");

-- CreateIndex
CREATE INDEX "IntegrityFlag_status_detectedAt_idx" ON "IntegrityFlag"("status", "detectedAt");

-- CreateIndex
CREATE INDEX "IntegrityFlag_outcomeId_idx" ON "IntegrityFlag"("outcomeId");

-- AddForeignKey
ALTER TABLE "IntegrityFlag" ADD CONSTRAINT "IntegrityFlag_outcomeId_fkey" FOREIGN KEY ("outcomeId") REFERENCES "Outcome"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrityFlag" ADD CONSTRAINT "IntegrityFlag_introductionId_fkey" FOREIGN KEY ("introductionId") REFERENCES "Introduction"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrityFlag" ADD CONSTRAINT "IntegrityFlag_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrityFlag" ADD CONSTRAINT "IntegrityFlag_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "CreditDispute"("id") ON DELETE SET NULL ON UPDATE CASCADE;
