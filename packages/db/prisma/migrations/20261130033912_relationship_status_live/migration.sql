-- DropIndex
DROP INDEX "Relationship_status_idx";

-- CreateIndex
CREATE INDEX "Relationship_status_deletedAt_idx" ON "Relationship"("status", "deletedAt");
