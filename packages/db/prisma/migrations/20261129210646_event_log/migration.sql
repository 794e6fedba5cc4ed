-- CreateTable
CREATE TABLE "DomainEvent" (
    "id" BIGSERIAL NOT NULL,
    "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,
    "type" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "actorId" TEXT,
    "partnerId" UUID,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DomainEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditModelRun" (
    "model" "CreditModel" NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "throughTxid" BIGINT NOT NULL,
    "throughEventId" BIGINT NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "outcomes" INTEGER NOT NULL,

    CONSTRAINT "CreditModelRun_pkey" PRIMARY KEY ("model")
);

-- CreateIndex
CREATE INDEX "DomainEvent_txid_id_idx" ON "DomainEvent"("txid", "id");
