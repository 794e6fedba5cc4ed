-- CreateIndex
CREATE INDEX "RelationshipSide_personId_id_idx" ON "RelationshipSide"("personId", "id");
