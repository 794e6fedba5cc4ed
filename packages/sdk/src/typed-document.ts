// The document types the SDK's API mentions, declared here so that the built package needs no graphql types at install
// time. They are structural: documents typed with graphql's DocumentNode and @graphql-typed-document-node/core's
// TypedDocumentNode (what graphql-codegen emits) fit them, so `execute` takes documents from your own codegen.

/** A parsed GraphQL document (graphql's DocumentNode, as far as the SDK needs to know it). */
export interface DocumentNode {
  readonly kind: string;
  readonly definitions: ReadonlyArray<unknown>;
}

/** A document that carries its result and variables types, as graphql-codegen's typed documents do. */
export interface TypedDocumentNode<
  // biome-ignore lint/suspicious/noExplicitAny: the same defaults as @graphql-typed-document-node/core
  TResult = { [key: string]: any },
  // biome-ignore lint/suspicious/noExplicitAny: the same defaults as @graphql-typed-document-node/core
  TVariables = { [key: string]: any },
> extends DocumentNode {
  __apiType?: (variables: TVariables) => TResult;
}
