// The document GraphiQL opens with: a real traversal an integrator can run at once against the demo data.
export const graphiqlExample = `# Welcome to intrograph: who opens doors, not who has followers.
# Send your API key as a header (bottom panel): { "Authorization": "Bearer ig_..." }
# The start command prints a demo admin key and a demo partner key.

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
