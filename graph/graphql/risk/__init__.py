"""The risk domain of the supply-network API: scores, explanations, exposure, portfolio, history and alerts. Same
inner shape as graph/graphql (schema, types, resolvers, filters, enums, mutations)."""
