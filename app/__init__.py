"""Alignment Atlas: a GraphQL API over sanctions, UN votes, arms transfers and alliances."""

__version__ = "0.1.0"
