-- CreateTable
CREATE TABLE "OutcomeCreditRun" (
    "outcomeId" UUID NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "txid" BIGINT NOT NULL,

    CONSTRAINT "OutcomeCreditRun_pkey" PRIMARY KEY ("outcomeId")
);

-- AddForeignKey
ALTER TABLE "OutcomeCreditRun" ADD CONSTRAINT "OutcomeCreditRun_outcomeId_fkey" FOREIGN KEY ("outcomeId") REFERENCES "Outcome"("id") ON DELETE CASCADE ON UPDATE CASCADE;
