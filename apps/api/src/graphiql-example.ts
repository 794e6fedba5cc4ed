// The document GraphiQL opens with: a real traversal an integrator can run at once against the demo data.
export const graphiqlExample = `# Welcome to intrograph: who opens doors, not who has followers.
# Send your API key as a header (bottom panel): { "Authorization": "Bearer ig_..." }
# The start command prints a demo admin key and a demo partner key.
# Run TopConnectors first; then paste two of its person ids into the variables of WarmIntro.

query TopConnectors {
  connectorLeaderboard(model: SHAPLEY, currency: "USD", first: 5) {
    edges {
      node {
        rank
        amount
        currency
        outcomes
        person {
          id
          displayName
          role { role reason }
          metrics { betweenness constraint brokerage { liaison gatekeeper total } reach(maxHops: 2) { decisionMakers organizations } }
          credit(model: SHAPLEY) {
            totals { currency amount outcomes }
            allocations(first: 2) {
              edges { node { amount share summary outcome { title value currency creditSummary } } }
            }
          }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}

# Variables, e.g.: { "from": "<a person id>", "to": "<another person id>" }
query WarmIntro($from: ID!, $to: ID!) {
  warmIntroPaths(from: $from, to: $to, k: 3, maxHops: 4) {
    ... on WarmIntroPathsSuccess {
      paths { score hopCount people { displayName headline } hops { strength } }
    }
    ... on Error { message }
  }
}

query ConnectorsAndTheirTies {
  people(first: 5, orderBy: { field: DISPLAY_NAME }) {
    totalCount
    edges {
      cursor
      node {
        id
        displayName
        headline
        socialAccounts { platform followers audienceQuality qualifiedAudience }
        introductionsMade(first: 3) {
          totalCount
          edges { node { occurredAt status consented to { displayName } outcomes { kind title value currency } } }
        }
        relationships(first: 5, orderBy: { field: STRENGTH, direction: DESC }) {
          edges { node { strength kind status otherPerson { displayName headline } } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
