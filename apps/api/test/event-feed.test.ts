// The process's event feed: a subscriber that falls too far behind is ended (not buffered without bound), and
// resuming after the last event it had reads the rest from the log, in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendEvents, logHead } from "@intrograph/db/events";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { EventFeed } from "../src/modules/events/feed.ts";

describe("EventFeed (pglite)", () => {
  let database: TestDatabase;
  let feed: EventFeed;
  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    feed = new EventFeed(database, { pollIntervalMs: 20, maxBacklog: 2 });
  });
  afterAll(async () => {
    await feed?.stop();
    await database?.drop();
  });

  it("ends a subscriber that falls behind; resuming after its last event reads the rest from the log", async () => {
    const start = await logHead(database.prisma);
    const slow = await feed.subscribe(null);
    for (const entityId of ["a", "b", "c", "d"])
      await database.prisma.$transaction((tx) =>
        appendEvents(tx, [{ type: "person.updated", entityType: "Person", entityId }]),
      );
    const deadline = Date.now() + 10_000;
    while (feed.subscriberCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(feed.subscriberCount).toBe(0);
    expect(await slow.next()).toEqual({ done: true, value: undefined });

    const resumed = await feed.subscribe(start);
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      const next = await resumed.next();
      ids.push(next.value!.entityId!);
    }
    expect(ids).toEqual(["a", "b", "c", "d"]);
    await resumed.return();
    expect(feed.subscriberCount).toBe(0);
  });
});
