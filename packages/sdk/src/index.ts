// @intrograph/sdk: `createClient` for partners and the admin app, plus every generated operation type and document.
export { createClient, IntrographError } from "./client.ts";
export type {
  ClientOptions,
  CreditChange,
  GraphQLErrorShape,
  IntrographClient,
  IntrographErrorCode,
} from "./client.ts";
export * from "./generated/graphql.ts";
