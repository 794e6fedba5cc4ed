// Background work as admins see it: each job queue's depth and failures, and how fresh the globally computed credit
// model (MARKOV) is.
import { type QueueStats, readQueueStats } from "@intrograph/jobs/runner";
import { builder } from "../../builder.ts";
import { prismaOf } from "../../context.ts";

const JobQueueRef = builder.objectRef<QueueStats>("JobQueue").implement({
  description: "A durable job queue: jobs survive restarts and are retried with backoff.",
  fields: (t) => ({
    name: t.exposeString("name"),
    queued: t.exposeInt("queued", { description: "Waiting to run, including retries." }),
    active: t.exposeInt("active", { description: "Running now." }),
    failed: t.exposeInt("failed", { description: "Gave up after every retry; kept for inspection." }),
  }),
});

builder.queryField("jobQueues", (t) =>
  t.field({
    type: [JobQueueRef],
    description: "The background job queues with their depth and failures (admins).",
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => readQueueStats(prismaOf(ctx)),
  }),
);
