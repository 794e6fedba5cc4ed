-- AlterTable
ALTER TABLE "CreditModelRun" ADD COLUMN     "throughSnapshot" TEXT;
