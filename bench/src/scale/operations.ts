// The GraphQL documents the scale benchmark sends: the SDK's own operations (packages/sdk/src/operations), copied as
// they were when the benchmark was written, so the new API and the reference (an older commit) run the very same
// documents even after the SDK grows fields the reference does not know.

const ERROR_FIELDS = `
fragment ErrorFields on Error {
  __typename
  message
  ... on ValidationError { issues { path message } }
  ... on NotFoundError { entityType entityId }
  ... on ConflictError { entityType entityId currentVersion }
}`;

const PERSON_SUMMARY = `
fragment PersonSummary on Person { id displayName headline topics location profileUrl version }`;

const INTRODUCTION_SUMMARY = `
fragment IntroductionSummary on Introduction {
  id status channel occurredAt consented source version
  connector { id displayName }
  from { id displayName }
  to { id displayName }
}`;

const OUTCOME_SUMMARY = `
fragment OutcomeSummary on Outcome { id kind title value currency occurredAt source version }`;

const RELATIONSHIP_SUMMARY = `
fragment RelationshipSummary on Relationship {
  id kind status source since strength lastInteractionAt disputeReason version
  personA { id displayName }
  personB { id displayName }
}`;

export const CREATE_INTRODUCTION = `
mutation CreateIntroduction($input: CreateIntroductionInput!) {
  createIntroduction(input: $input) {
    __typename
    ... on CreateIntroductionSuccess { introduction { ...IntroductionSummary } }
    ...ErrorFields
  }
}${INTRODUCTION_SUMMARY}${ERROR_FIELDS}`;

export const RECORD_OUTCOME = `
mutation RecordOutcome($input: RecordOutcomeInput!) {
  recordOutcome(input: $input) {
    __typename
    ... on RecordOutcomeSuccess { outcome { ...OutcomeSummary } }
    ...ErrorFields
  }
}${OUTCOME_SUMMARY}${ERROR_FIELDS}`;

export const ADD_INTERACTION = `
mutation AddInteraction($input: AddInteractionInput!) {
  addInteraction(input: $input) {
    __typename
    ... on AddInteractionSuccess { relationship { ...RelationshipSummary } }
    ...ErrorFields
  }
}${RELATIONSHIP_SUMMARY}${ERROR_FIELDS}`;

export const CREATE_PERSON = `
mutation CreatePerson($input: CreatePersonInput!) {
  createPerson(input: $input) {
    __typename
    ... on CreatePersonSuccess { person { ...PersonSummary } }
    ...ErrorFields
  }
}${PERSON_SUMMARY}${ERROR_FIELDS}`;

export const MERGE_PEOPLE = `
mutation MergePeople($input: MergePeopleInput!) {
  mergePeople(input: $input) {
    __typename
    ... on MergePeopleSuccess { survivor { ...PersonSummary } }
    ...ErrorFields
  }
}${PERSON_SUMMARY}${ERROR_FIELDS}`;

export const WARM_INTRO_PATHS = `
query WarmIntroPaths($from: ID!, $to: ID, $toOrganization: ID, $k: Int, $maxHops: Int, $verifiedOnly: Boolean, $exclude: [ID!]) {
  warmIntroPaths(from: $from, to: $to, toOrganization: $toOrganization, k: $k, maxHops: $maxHops, verifiedOnly: $verifiedOnly, exclude: $exclude) {
    __typename
    ... on WarmIntroPathsSuccess {
      paths { score hopCount people { id displayName } hops { fromId toId strength } }
    }
    ...ErrorFields
  }
}${ERROR_FIELDS}`;

export const PERSON_METRICS = `
query PersonMetrics($id: ID!) {
  person(id: $id) {
    id
    displayName
    metrics { degree betweenness constraint effectiveSize reach { decisionMakers organizations } }
    role { role reason }
  }
}`;

export const CONNECTOR_LEADERBOARD = `
query ConnectorLeaderboard($model: CreditModel, $period: CreditPeriod, $currency: String, $first: Int, $after: String) {
  connectorLeaderboard(model: $model, period: $period, currency: $currency, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { rank amount currency outcomes person { id displayName } } }
  }
}`;
