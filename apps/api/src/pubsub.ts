// In-process event bus for GraphQL subscriptions. Credit recomputation publishes `creditChanged` here; subscribers get
// it over SSE. One process only: with several replicas, pass a Redis event target (@graphql-yoga/redis-event-target)
// to createPubSub so every replica sees every event.
import { createPubSub } from "graphql-yoga";

export interface CreditChange {
  /** Database id of the outcome whose credit was recomputed. */
  outcomeId: string;
  /** Database ids of the people whose credit changed. */
  personIds: string[];
  /** The attribution model recomputed (e.g. "SHAPLEY"), or null when every model was. */
  model: string | null;
  /** The partner that reported the outcome, if any: only that partner and admins receive the event. */
  reportedByPartnerId: string | null;
  changedAt: Date;
}

export const pubsub = createPubSub<{ creditChanged: [CreditChange] }>();

/** Call after the transaction that changed credit has committed, so subscribers never see uncommitted credit. */
export function publishCreditChanged(change: CreditChange): void {
  pubsub.publish("creditChanged", change);
}
