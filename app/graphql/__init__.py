"""The GraphQL layer: schema, types, filters, loaders, limits."""
