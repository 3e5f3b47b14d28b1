"""Queries and writes shared by the API, the seed loader and the importers (no GraphQL here)."""
