"""The query benchmark: a full-scale synthetic database, five queries, their SQL floor, a runner."""
