-- AlterTable
ALTER TABLE "SocialAccount" ADD COLUMN     "audienceFlags" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "audienceQualityComputedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "audienceQualitySignals" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "followerSampleAt" TIMESTAMP(3),
ADD COLUMN     "inactiveFollowers" INTEGER,
ADD COLUMN     "openedAt" TIMESTAMP(3),
ADD COLUMN     "sampledFollowers" INTEGER,
ADD COLUMN     "suspiciousFollowers" INTEGER,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "SocialAccountSnapshot" (
    "id" UUID NOT NULL,
    "socialAccountId" UUID NOT NULL,
    "followers" INTEGER NOT NULL,
    "following" INTEGER NOT NULL,
    "engagementRate" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SocialAccountSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SocialAccountSnapshot_socialAccountId_at_idx" ON "SocialAccountSnapshot"("socialAccountId", "at");

-- AddForeignKey
ALTER TABLE "SocialAccountSnapshot" ADD CONSTRAINT "SocialAccountSnapshot_socialAccountId_fkey" FOREIGN KEY ("socialAccountId") REFERENCES "SocialAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The counts each existing account has now are its first observation.
INSERT INTO "SocialAccountSnapshot" ("id", "socialAccountId", "followers", "following", "engagementRate", "at")
SELECT gen_random_uuid(), "id", "followers", "following", "engagementRate", "updatedAt" FROM "SocialAccount";
