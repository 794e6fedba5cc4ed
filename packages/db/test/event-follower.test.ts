// The event log's follower hands over every event once, in final order: a transaction that took its id first but
// commits last is not skipped (its events wait until it ends, then come before the later ones), a handler that fails
// gets the same page again, and a follower started at a position resumes right after it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLogFollower } from "../src/event-follower.ts";
import { appendEvents, type DomainEventRow, formatPosition, logHead } from "../src/events.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

async function until(condition: () => boolean, timeoutMs = 50_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("EventLogFollower on PostgreSQL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(() => database?.drop());

  const append = (entityId: string) =>
    database.prisma.$transaction((tx) =>
      appendEvents(tx, [{ type: "person.updated", entityType: "Person", entityId }]),
    );

  it("waits for a transaction still running before it, then delivers both in final order", async () => {
    const { prisma } = database;
    const seen: DomainEventRow[] = [];
    const follower = new EventLogFollower(prisma, {
      pollIntervalMs: 20,
      onEvents: (events) => void seen.push(...events),
    });
    await follower.start();
    let commitSlow!: () => void;
    const slowMayCommit = new Promise<void>((resolve) => {
      commitSlow = resolve;
    });
    let slowAppended!: () => void;
    const appended = new Promise<void>((resolve) => {
      slowAppended = resolve;
    });
    // Takes its transaction id first, commits last.
    const slow = prisma.$transaction(
      async (tx) => {
        await appendEvents(tx, [{ type: "person.updated", entityType: "Person", entityId: "slow" }]);
        slowAppended();
        await slowMayCommit;
      },
      { timeout: 30_000 },
    );
    await appended;
    await append("fast");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // "fast" is committed, but an event before it may still come: nothing is handed over yet.
    expect(seen.map((event) => event.entityId)).toEqual([]);
    commitSlow();
    await slow;
    await until(() => seen.length === 2);
    expect(seen.map((event) => event.entityId)).toEqual(["slow", "fast"]);
    await follower.stop();
  });

  it("hands a page over again after its handler failed, and resumes after a given position", async () => {
    const { prisma } = database;
    const start = await logHead(prisma);
    let failures = 1;
    const handled: string[] = [];
    const follower = new EventLogFollower(prisma, {
      from: start,
      pollIntervalMs: 20,
      onEvents: (events) => {
        if (failures-- > 0) throw new Error("the receiver is down");
        handled.push(...events.map((event) => event.entityId!));
      },
      onError: () => {},
    });
    await follower.start();
    await append("one");
    await append("two");
    await until(() => handled.length === 2);
    expect(handled).toEqual(["one", "two"]);
    await follower.stop();

    const first = (await prisma.domainEvent.findFirstOrThrow({ where: { entityId: "one" } })) as DomainEventRow;
    const resumed: string[] = [];
    const again = new EventLogFollower(prisma, {
      from: first,
      pollIntervalMs: 20,
      onEvents: (events) => void resumed.push(...events.map((event) => formatPosition(event))),
    });
    await again.start();
    await until(() => resumed.length === 1);
    const second = await prisma.domainEvent.findFirstOrThrow({ where: { entityId: "two" } });
    expect(resumed).toEqual([formatPosition(second)]);
    await again.stop();
  });
});
