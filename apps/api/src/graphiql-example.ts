// The document GraphiQL opens with: a real traversal an integrator can run at once against the demo data.
export const graphiqlExample = `# Welcome to intrograph: who opens doors, not who has followers.
# Headers (bottom panel): replace <API key> with a key; \`npm start\` prints a demo admin and a demo partner key.
# Run TopConnectors first (cursor inside it, Ctrl-Enter); then paste its person ids into the variables of
# WhyTheyEarnIt and WarmIntro. The book icon (top left) opens the docs explorer.

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
          headline
          role {
            role
            reason
          }
        }
      }
    }
  }
}

# Why a connector earns it, e.g. variables { "id": "<a person id from TopConnectors>" }
query WhyTheyEarnIt($id: ID!) {
  person(id: $id) {
    displayName
    metrics { betweenness constraint brokerage { liaison gatekeeper total } reach(maxHops: 2) { decisionMakers organizations } }
    credit(model: SHAPLEY) {
      totals { currency amount outcomes }
      allocations(first: 3) {
        edges { node { amount share summary outcome { title value currency creditSummary } } }
      }
    }
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
