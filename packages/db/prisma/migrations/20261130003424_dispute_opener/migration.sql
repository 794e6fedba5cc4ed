-- AlterTable
ALTER TABLE "CreditDispute" ADD COLUMN     "reportedByPartnerId" UUID;

-- AddForeignKey
ALTER TABLE "CreditDispute" ADD CONSTRAINT "CreditDispute_reportedByPartnerId_fkey" FOREIGN KEY ("reportedByPartnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Disputes opened before the column existed: one on a partner's private outcome can only have been that partner's.
UPDATE "CreditDispute" d SET "reportedByPartnerId" = o."reportedByPartnerId"
FROM "Outcome" o WHERE o.id = d."outcomeId" AND o."reportedByPartnerId" IS NOT NULL;
