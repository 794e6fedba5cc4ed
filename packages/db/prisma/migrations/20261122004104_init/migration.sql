-- CreateEnum
CREATE TYPE "OrganizationKind" AS ENUM ('COMPANY', 'INVESTOR', 'VENDOR', 'PARTNER_PLATFORM', 'COMMUNITY', 'OTHER');

-- CreateEnum
CREATE TYPE "SocialPlatform" AS ENUM ('LINKEDIN', 'X', 'INSTAGRAM', 'TIKTOK', 'YOUTUBE', 'OTHER');

-- CreateEnum
CREATE TYPE "RelationshipKind" AS ENUM ('COLLEAGUE', 'CLIENT', 'ADVISOR', 'INVESTOR', 'FRIEND', 'FAMILY', 'COMMUNITY', 'OTHER');

-- CreateEnum
CREATE TYPE "RelationshipStatus" AS ENUM ('UNVERIFIED', 'VERIFIED', 'DISPUTED');

-- CreateEnum
CREATE TYPE "RecordSource" AS ENUM ('ADMIN', 'PARTNER', 'IMPORT');

-- CreateEnum
CREATE TYPE "InteractionKind" AS ENUM ('MEETING', 'CALL', 'MESSAGE', 'EMAIL', 'EVENT', 'COLLABORATION', 'OTHER');

-- CreateEnum
CREATE TYPE "IntroductionChannel" AS ENUM ('EMAIL', 'MESSAGE', 'CALL', 'IN_PERSON', 'EVENT', 'PLATFORM', 'OTHER');

-- CreateEnum
CREATE TYPE "IntroductionStatus" AS ENUM ('PROPOSED', 'ACCEPTED', 'DECLINED', 'MET');

-- CreateEnum
CREATE TYPE "OutcomeKind" AS ENUM ('DEAL', 'HIRE', 'INVESTMENT', 'ACQUISITION', 'PARTNERSHIP', 'PURCHASE');

-- CreateEnum
CREATE TYPE "CreditModel" AS ENUM ('SHAPLEY', 'LINEAR', 'FIRST_TOUCH', 'LAST_TOUCH', 'POSITION_BASED', 'TIME_DECAY', 'MARKOV');

-- CreateEnum
CREATE TYPE "DisputeStatus" AS ENUM ('OPEN', 'UPHELD', 'REJECTED');

-- CreateEnum
CREATE TYPE "DuplicateStatus" AS ENUM ('OPEN', 'MERGED', 'DISMISSED');

-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('ADMIN', 'PARTNER', 'SYSTEM');

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "displayName" TEXT NOT NULL,
    "headline" TEXT,
    "topics" TEXT[],
    "location" TEXT,
    "email" TEXT,
    "profileUrl" TEXT,
    "mergedIntoId" UUID,
    "mergedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "OrganizationKind" NOT NULL DEFAULT 'COMPANY',
    "domain" TEXT,
    "description" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "title" TEXT,
    "isDecisionMaker" BOOLEAN NOT NULL DEFAULT false,
    "since" TIMESTAMP(3),
    "until" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SocialAccount" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "platform" "SocialPlatform" NOT NULL,
    "handle" TEXT NOT NULL,
    "followers" INTEGER NOT NULL DEFAULT 0,
    "following" INTEGER NOT NULL DEFAULT 0,
    "engagementRate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "audienceQuality" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SocialAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Relationship" (
    "id" UUID NOT NULL,
    "personAId" UUID NOT NULL,
    "personBId" UUID NOT NULL,
    "kind" "RelationshipKind" NOT NULL DEFAULT 'OTHER',
    "status" "RelationshipStatus" NOT NULL DEFAULT 'UNVERIFIED',
    "source" "RecordSource" NOT NULL DEFAULT 'ADMIN',
    "since" TIMESTAMP(3),
    "lastInteractionAt" TIMESTAMP(3),
    "strength" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "strengthEvidence" JSONB NOT NULL DEFAULT '{}',
    "disputeReason" TEXT,
    "reportedByPartnerId" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Relationship_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RelationshipSide" (
    "id" UUID NOT NULL,
    "relationshipId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "otherPersonId" UUID NOT NULL,

    CONSTRAINT "RelationshipSide_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" UUID NOT NULL,
    "relationshipId" UUID NOT NULL,
    "kind" "InteractionKind" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "initiatedById" UUID,
    "note" TEXT,
    "source" "RecordSource" NOT NULL DEFAULT 'ADMIN',
    "reportedByPartnerId" UUID,
    "externalId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Introduction" (
    "id" UUID NOT NULL,
    "connectorId" UUID NOT NULL,
    "fromId" UUID NOT NULL,
    "toId" UUID NOT NULL,
    "organizationId" UUID,
    "channel" "IntroductionChannel" NOT NULL DEFAULT 'EMAIL',
    "status" "IntroductionStatus" NOT NULL DEFAULT 'PROPOSED',
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "fromConsentedAt" TIMESTAMP(3),
    "toConsentedAt" TIMESTAMP(3),
    "consentNote" TEXT,
    "note" TEXT,
    "source" "RecordSource" NOT NULL DEFAULT 'ADMIN',
    "reportedByPartnerId" UUID,
    "externalId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Introduction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntroductionLink" (
    "earlierId" UUID NOT NULL,
    "laterId" UUID NOT NULL,

    CONSTRAINT "IntroductionLink_pkey" PRIMARY KEY ("earlierId","laterId")
);

-- CreateTable
CREATE TABLE "Outcome" (
    "id" UUID NOT NULL,
    "kind" "OutcomeKind" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "value" DECIMAL(24,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "organizationId" UUID,
    "source" "RecordSource" NOT NULL DEFAULT 'ADMIN',
    "reportedByPartnerId" UUID,
    "externalId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Outcome_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutcomeIntroduction" (
    "outcomeId" UUID NOT NULL,
    "introductionId" UUID NOT NULL,

    CONSTRAINT "OutcomeIntroduction_pkey" PRIMARY KEY ("outcomeId","introductionId")
);

-- CreateTable
CREATE TABLE "Credit" (
    "id" UUID NOT NULL,
    "outcomeId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "model" "CreditModel" NOT NULL,
    "share" DECIMAL(12,10) NOT NULL,
    "amount" DECIMAL(24,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "explanation" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Credit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditDispute" (
    "id" UUID NOT NULL,
    "outcomeId" UUID NOT NULL,
    "introductionId" UUID,
    "raisedById" UUID,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "status" "DisputeStatus" NOT NULL DEFAULT 'OPEN',
    "resolution" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CreditDispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuplicateSuggestion" (
    "id" UUID NOT NULL,
    "personAId" UUID NOT NULL,
    "personBId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "status" "DuplicateStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DuplicateSuggestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Partner" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "organizationId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "partnerId" UUID,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "actorKind" "ActorKind" NOT NULL,
    "actorId" TEXT,
    "apiKeyId" UUID,
    "partnerId" UUID,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "requestId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Person_profileUrl_key" ON "Person"("profileUrl");

-- CreateIndex
CREATE INDEX "Person_displayName_idx" ON "Person"("displayName");

-- CreateIndex
CREATE INDEX "Person_email_idx" ON "Person"("email");

-- CreateIndex
CREATE INDEX "Person_mergedIntoId_idx" ON "Person"("mergedIntoId");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_domain_key" ON "Organization"("domain");

-- CreateIndex
CREATE INDEX "Organization_name_idx" ON "Organization"("name");

-- CreateIndex
CREATE INDEX "Membership_organizationId_isDecisionMaker_idx" ON "Membership"("organizationId", "isDecisionMaker");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_personId_organizationId_key" ON "Membership"("personId", "organizationId");

-- CreateIndex
CREATE INDEX "SocialAccount_personId_idx" ON "SocialAccount"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "SocialAccount_platform_handle_key" ON "SocialAccount"("platform", "handle");

-- CreateIndex
CREATE INDEX "Relationship_personBId_idx" ON "Relationship"("personBId");

-- CreateIndex
CREATE INDEX "Relationship_status_idx" ON "Relationship"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Relationship_personAId_personBId_key" ON "Relationship"("personAId", "personBId");

-- CreateIndex
CREATE INDEX "RelationshipSide_otherPersonId_idx" ON "RelationshipSide"("otherPersonId");

-- CreateIndex
CREATE UNIQUE INDEX "RelationshipSide_relationshipId_personId_key" ON "RelationshipSide"("relationshipId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "RelationshipSide_personId_otherPersonId_key" ON "RelationshipSide"("personId", "otherPersonId");

-- CreateIndex
CREATE INDEX "Interaction_relationshipId_occurredAt_idx" ON "Interaction"("relationshipId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_reportedByPartnerId_externalId_key" ON "Interaction"("reportedByPartnerId", "externalId");

-- CreateIndex
CREATE INDEX "Introduction_connectorId_occurredAt_idx" ON "Introduction"("connectorId", "occurredAt");

-- CreateIndex
CREATE INDEX "Introduction_fromId_idx" ON "Introduction"("fromId");

-- CreateIndex
CREATE INDEX "Introduction_toId_idx" ON "Introduction"("toId");

-- CreateIndex
CREATE INDEX "Introduction_organizationId_idx" ON "Introduction"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Introduction_reportedByPartnerId_externalId_key" ON "Introduction"("reportedByPartnerId", "externalId");

-- CreateIndex
CREATE INDEX "IntroductionLink_laterId_idx" ON "IntroductionLink"("laterId");

-- CreateIndex
CREATE INDEX "Outcome_occurredAt_idx" ON "Outcome"("occurredAt");

-- CreateIndex
CREATE INDEX "Outcome_organizationId_idx" ON "Outcome"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Outcome_reportedByPartnerId_externalId_key" ON "Outcome"("reportedByPartnerId", "externalId");

-- CreateIndex
CREATE INDEX "OutcomeIntroduction_introductionId_idx" ON "OutcomeIntroduction"("introductionId");

-- CreateIndex
CREATE INDEX "Credit_personId_model_idx" ON "Credit"("personId", "model");

-- CreateIndex
CREATE INDEX "Credit_model_computedAt_idx" ON "Credit"("model", "computedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Credit_outcomeId_personId_model_key" ON "Credit"("outcomeId", "personId", "model");

-- CreateIndex
CREATE INDEX "CreditDispute_status_createdAt_idx" ON "CreditDispute"("status", "createdAt");

-- CreateIndex
CREATE INDEX "CreditDispute_outcomeId_idx" ON "CreditDispute"("outcomeId");

-- CreateIndex
CREATE INDEX "DuplicateSuggestion_status_score_idx" ON "DuplicateSuggestion"("status", "score");

-- CreateIndex
CREATE UNIQUE INDEX "DuplicateSuggestion_personAId_personBId_key" ON "DuplicateSuggestion"("personAId", "personBId");

-- CreateIndex
CREATE UNIQUE INDEX "Partner_slug_key" ON "Partner"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Partner_organizationId_key" ON "Partner"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "ApiKey_partnerId_idx" ON "ApiKey"("partnerId");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_scope_key_key" ON "IdempotencyRecord"("scope", "key");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_idx" ON "AuditEvent"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_idx" ON "AuditEvent"("occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_idx" ON "AuditEvent"("actorId");

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocialAccount" ADD CONSTRAINT "SocialAccount_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_personAId_fkey" FOREIGN KEY ("personAId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_personBId_fkey" FOREIGN KEY ("personBId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_reportedByPartnerId_fkey" FOREIGN KEY ("reportedByPartnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelationshipSide" ADD CONSTRAINT "RelationshipSide_relationshipId_fkey" FOREIGN KEY ("relationshipId") REFERENCES "Relationship"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelationshipSide" ADD CONSTRAINT "RelationshipSide_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelationshipSide" ADD CONSTRAINT "RelationshipSide_otherPersonId_fkey" FOREIGN KEY ("otherPersonId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_relationshipId_fkey" FOREIGN KEY ("relationshipId") REFERENCES "Relationship"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_initiatedById_fkey" FOREIGN KEY ("initiatedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_reportedByPartnerId_fkey" FOREIGN KEY ("reportedByPartnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_toId_fkey" FOREIGN KEY ("toId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_reportedByPartnerId_fkey" FOREIGN KEY ("reportedByPartnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntroductionLink" ADD CONSTRAINT "IntroductionLink_earlierId_fkey" FOREIGN KEY ("earlierId") REFERENCES "Introduction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntroductionLink" ADD CONSTRAINT "IntroductionLink_laterId_fkey" FOREIGN KEY ("laterId") REFERENCES "Introduction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Outcome" ADD CONSTRAINT "Outcome_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Outcome" ADD CONSTRAINT "Outcome_reportedByPartnerId_fkey" FOREIGN KEY ("reportedByPartnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeIntroduction" ADD CONSTRAINT "OutcomeIntroduction_outcomeId_fkey" FOREIGN KEY ("outcomeId") REFERENCES "Outcome"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutcomeIntroduction" ADD CONSTRAINT "OutcomeIntroduction_introductionId_fkey" FOREIGN KEY ("introductionId") REFERENCES "Introduction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credit" ADD CONSTRAINT "Credit_outcomeId_fkey" FOREIGN KEY ("outcomeId") REFERENCES "Outcome"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credit" ADD CONSTRAINT "Credit_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditDispute" ADD CONSTRAINT "CreditDispute_outcomeId_fkey" FOREIGN KEY ("outcomeId") REFERENCES "Outcome"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditDispute" ADD CONSTRAINT "CreditDispute_introductionId_fkey" FOREIGN KEY ("introductionId") REFERENCES "Introduction"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditDispute" ADD CONSTRAINT "CreditDispute_raisedById_fkey" FOREIGN KEY ("raisedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuplicateSuggestion" ADD CONSTRAINT "DuplicateSuggestion_personAId_fkey" FOREIGN KEY ("personAId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DuplicateSuggestion" ADD CONSTRAINT "DuplicateSuggestion_personBId_fkey" FOREIGN KEY ("personBId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Partner" ADD CONSTRAINT "Partner_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_partnerId_fkey" FOREIGN KEY ("partnerId") REFERENCES "Partner"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Invariants Prisma's schema language cannot state; kept here so every writer (API, importer, raw SQL) obeys them.
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_canonical_order" CHECK ("personAId" < "personBId");
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_strength_range" CHECK ("strength" > 0 AND "strength" <= 1);
ALTER TABLE "RelationshipSide" ADD CONSTRAINT "RelationshipSide_distinct_people" CHECK ("personId" <> "otherPersonId");
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_weight_positive" CHECK ("weight" > 0);
ALTER TABLE "SocialAccount" ADD CONSTRAINT "SocialAccount_audience_quality_range" CHECK ("audienceQuality" >= 0 AND "audienceQuality" <= 1);
ALTER TABLE "SocialAccount" ADD CONSTRAINT "SocialAccount_counts_nonnegative" CHECK ("followers" >= 0 AND "following" >= 0);
ALTER TABLE "Introduction" ADD CONSTRAINT "Introduction_distinct_people" CHECK ("fromId" <> "toId" AND "connectorId" <> "fromId" AND "connectorId" <> "toId");
ALTER TABLE "IntroductionLink" ADD CONSTRAINT "IntroductionLink_not_self" CHECK ("earlierId" <> "laterId");
ALTER TABLE "Outcome" ADD CONSTRAINT "Outcome_value_nonnegative" CHECK ("value" >= 0);
ALTER TABLE "Credit" ADD CONSTRAINT "Credit_share_range" CHECK ("share" >= 0 AND "share" <= 1);
ALTER TABLE "DuplicateSuggestion" ADD CONSTRAINT "DuplicateSuggestion_canonical_order" CHECK ("personAId" < "personBId");
