// @intrograph/sdk: `createClient` for partners and the admin app, plus every generated operation type and document.
export { createClient, IntrographError } from "./client.ts";
export type {
  ClientOptions,
  CreditChange,
  IntroductionChange,
  OutcomeChange,
  ResumableSubscription,
  GraphQLErrorShape,
  IntrographClient,
  IntrographErrorCode,
} from "./client.ts";
export * from "./generated/graphql.ts";
export { verifyWebhook, WebhookVerificationError } from "./webhooks.ts";
export type {
  ApiKeyRevokedEvent,
  CreditChangedEvent,
  CreditDisputeEvent,
  CreditOutcomeChangeData,
  ImportBatchEvent,
  ImportedRecords,
  IntroductionEvent,
  IntroductionEventData,
  IntrographEvent,
  IntrographEventType,
  OutcomeEvent,
  PeopleMergedEvent,
  RelationshipCuratedEvent,
  VerifyWebhookOptions,
  WebhookHeaders,
} from "./webhooks.ts";
