-- A relationship is unique per pair within a scope: public (reportedByPartnerId NULL, one per pair thanks to NULLS NOT
-- DISTINCT), or one partner's private reports.
-- DropIndex
DROP INDEX "Relationship_personAId_personBId_key";

-- DropIndex
DROP INDEX "RelationshipSide_personId_otherPersonId_key";

-- CreateIndex
CREATE UNIQUE INDEX "Relationship_personAId_personBId_reportedByPartnerId_key" ON "Relationship"("personAId", "personBId", "reportedByPartnerId") NULLS NOT DISTINCT;

-- CreateIndex
CREATE INDEX "RelationshipSide_personId_otherPersonId_idx" ON "RelationshipSide"("personId", "otherPersonId");
