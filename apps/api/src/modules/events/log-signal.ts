// "The event log moved", over Redis: followers of the log (subscriptions, the graph snapshot, webhook fan-out) read it
// on a timer (100–250 ms), in every process. With Redis, each API process announces, after every mutation it answered
// (its transactions committed by then), that the log moved, and every follower in every process reads at once. The
// timers stay: a lost announcement, or a write no mutation made (a job's), costs one tick of delay, nothing more.
import { getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { RedisBus } from "../../redis.ts";

const CHANNEL = "events:log-moved";

/** Announces the log moved after each mutation. */
export function useLogMovedSignal(bus: RedisBus): Plugin {
  return {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== "mutation") return;
      return {
        onExecuteDone() {
          void bus.publish(CHANNEL);
        },
      };
    },
  };
}

/** Has each follower read the log soon whenever any process announces that it moved. */
export function followLogSignal(bus: RedisBus, followers: { pollSoon(): void }[]): Promise<void> {
  return bus.subscribe(CHANNEL, () => {
    for (const follower of followers) follower.pollSoon();
  });
}
