"""GraphQL object types. Each is built from a database row by ``from_row``."""
