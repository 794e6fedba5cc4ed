-- CreateTable
CREATE TABLE "TopicAlias" (
    "alias" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TopicAlias_pkey" PRIMARY KEY ("alias")
);

-- CreateIndex
CREATE INDEX "TopicAlias_topic_idx" ON "TopicAlias"("topic");
