// plugin-prisma plans `select: {}` when a mutation's result is read without its data field (e.g. only `__typename`),
// and Prisma rejects an empty select; asking for the id keeps such requests working.
export function plannedQuery<Query extends { select?: unknown }>(query: Query): Query {
  const { select } = query;
  return select && typeof select === "object" && Object.keys(select).length === 0
    ? { ...query, select: { id: true } }
    : query;
}
