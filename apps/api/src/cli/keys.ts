// Creates, lists and revokes API keys from a shell, e.g. the first admin key of a new deployment:
//   pnpm keys create --admin --name ops
//   pnpm keys create --partner acme-crm [--create-partner "Acme CRM"] [--name "Acme prod"] [--expires 2027-01-01]
//   pnpm keys list
//   pnpm keys revoke <prefix>
//   pnpm keys demo      the demo admin and partner keys (issued if missing or no longer working), as `npm start` prints
// It opens the same database as the API (embedded PGlite, or DATABASE_URL) and audits every write as a SYSTEM actor.
import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { openDatabase, type Database } from "@intrograph/db";
import { type Context, databaseHandle } from "../context.ts";
import { describeDemoKeys, ensureDemoKeys } from "../demo-keys.ts";
import { issueApiKey } from "../modules/access/api-keys.ts";
import { redisRevocations } from "../modules/access/revocations.ts";
import { recordAudit } from "../modules/audit/record.ts";
import { connectRedis, RedisBus } from "../redis.ts";

const usage = `usage:
  pnpm keys create --admin --name <name> [--expires <date>]
  pnpm keys create --partner <slug> [--create-partner "<Partner name>"] [--name <name>] [--expires <date>]
  pnpm keys list
  pnpm keys revoke <prefix>
  pnpm keys demo`;

class UsageError extends Error {}

function cliContext(database: Database): Context {
  return {
    // Not a request: the audit log records it as SYSTEM with the operating-system user.
    viewer: { kind: "anonymous", label: `cli:${userInfo().username}` },
    db: databaseHandle(database),
    requestId: `cli-${randomUUID()}`,
    apiKeys: { forget: async () => {} },
  };
}

async function create(database: Database, options: Record<string, string | boolean | undefined>): Promise<void> {
  const expiresAt = typeof options.expires === "string" ? new Date(options.expires) : null;
  if (expiresAt && Number.isNaN(expiresAt.getTime()))
    throw new UsageError(`--expires: "${options.expires}" is not a date`);
  const ctx = cliContext(database);
  const issued = await database.prisma.$transaction(async (tx) => {
    let partnerId: string | null = null;
    if (options.admin === true) {
      if (typeof options.name !== "string") throw new UsageError("an admin key needs --name");
    } else if (typeof options.partner === "string") {
      const slug = options.partner;
      let partner = await tx.partner.findUnique({ where: { slug } });
      if (!partner && typeof options["create-partner"] === "string") {
        partner = await tx.partner.create({ data: { slug, name: options["create-partner"] } });
        await recordAudit(tx, ctx, {
          action: "partner.create",
          entityType: "Partner",
          entityId: partner.id,
          after: partner,
        });
      }
      if (!partner) throw new UsageError(`no partner with slug "${slug}" (add --create-partner "<Name>" to create it)`);
      partnerId = partner.id;
    } else {
      throw new UsageError("say --admin or --partner <slug>");
    }
    const name = typeof options.name === "string" ? options.name : `${options.partner} key`;
    const key = await issueApiKey(tx, {
      name,
      scopes: [partnerId ? "partner" : "admin"],
      partnerId,
      expiresAt,
      createdBy: ctx.viewer.label,
    });
    const { secretHash: _hidden, ...after } = await tx.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    await recordAudit(tx, ctx, { action: "apiKey.create", entityType: "ApiKey", entityId: key.id, after });
    return key;
  });
  console.log(`created ${options.admin === true ? "admin" : `partner (${options.partner})`} key ${issued.prefix}`);
  console.log(`\n  ${issued.key}\n\nStore it now: only its hash is kept. Send it as "Authorization: Bearer <key>".`);
}

async function list(database: Database): Promise<void> {
  const keys = await database.prisma.apiKey.findMany({
    include: { partner: { select: { slug: true } } },
    orderBy: { createdAt: "asc" },
  });
  const now = new Date();
  const rows = keys.map((key) => ({
    prefix: key.prefix,
    name: key.name,
    scopes: key.scopes.join(","),
    partner: key.partner?.slug ?? "",
    state: key.revokedAt ? "revoked" : key.expiresAt && key.expiresAt <= now ? "expired" : "active",
    lastUsed: key.lastUsedAt?.toISOString() ?? "never",
    expires: key.expiresAt?.toISOString() ?? "",
  }));
  if (rows.length === 0) console.log("no API keys yet: pnpm keys create --admin --name ops");
  else console.table(rows);
}

async function revoke(database: Database, prefix: string | undefined): Promise<void> {
  if (!prefix) throw new UsageError("which key? pnpm keys revoke <prefix>");
  const ctx = cliContext(database);
  const revokedId = await database.prisma.$transaction(async (tx) => {
    const row = await tx.apiKey.findUnique({ where: { prefix } });
    if (!row) throw new UsageError(`no key with prefix ${prefix}`);
    if (row.revokedAt) return row.id;
    const { secretHash: _hidden, ...before } = row;
    const { secretHash: _again, ...after } = await tx.apiKey.update({
      where: { id: before.id },
      data: { revokedAt: new Date() },
    });
    await recordAudit(tx, ctx, { action: "apiKey.revoke", entityType: "ApiKey", entityId: before.id, before, after });
    return before.id;
  });
  // Running API processes cache a verified key for at most 30 s; with Redis they hear of the revocation at once.
  const redis = await connectRedis();
  if (redis) {
    const bus = new RedisBus(redis, (error) => {
      throw error;
    });
    await redisRevocations(bus).announce(revokedId);
    await redis.quit();
    console.log(`revoked ${prefix} (running API processes sharing REDIS_URL refuse it at once)`);
  } else console.log(`revoked ${prefix} (running API processes refuse it within 30 s)`);
}

async function demo(database: Database): Promise<void> {
  const keys = await ensureDemoKeys(database);
  if (!keys) throw new UsageError("an in-memory database keeps no demo keys");
  console.log(describeDemoKeys(keys));
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv.filter((arg) => arg !== "--"),
    allowPositionals: true,
    options: {
      admin: { type: "boolean" },
      partner: { type: "string" },
      "create-partner": { type: "string" },
      name: { type: "string" },
      expires: { type: "string" },
    },
  });
  const [command, argument] = positionals;
  if (!command || !["create", "list", "revoke", "demo"].includes(command))
    throw new UsageError(command ? `unknown command "${command}"` : "which command?");
  const database = await openDatabase();
  try {
    if (command === "create") await create(database, values);
    else if (command === "list") await list(database);
    else if (command === "demo") await demo(database);
    else await revoke(database, argument);
  } finally {
    await database.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n\n${usage}`);
  process.exitCode = 2;
}
