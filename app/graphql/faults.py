"""Database faults turned into errors a client can act on.

When PostgreSQL is down or restarting, resolvers fail with a driver error ("Connect call
failed ('127.0.0.1', 5432)"): internals in development, a masked "internal error" in
production, and in neither case a hint that retrying will work. This extension recognises
outages and server-side statement time-outs and replaces them with a plain message and a
stable code. Nothing is cached about the outage: the engine's pre-ping reconnects on the next
request once the database is back, so no restart is needed.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

# SQLSTATE class 08 is "connection exception"; 57P01-57P03 are admin shutdown, crash
# shutdown and "the database system is starting up"; 57014 is a cancelled statement
# (statement_timeout).
_OUTAGE_STATES = ("57P01", "57P02", "57P03")
_CANCELLED = "57014"

UNAVAILABLE = "unavailable"
CANCELLED = "cancelled"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (SQLAlchemy's ``orig``) and what caused it, each once."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for linked in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)


def database_fault(error: BaseException | None) -> str | None:
    """``unavailable``, ``cancelled`` or None (not a database fault) for an exception."""
    if error is None:
        return None
    for cause in _causes(error):
        if isinstance(cause, OSError):  # refused, reset, unreachable, connect time-out
            return UNAVAILABLE
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(state, str):
            if state == _CANCELLED:
                return CANCELLED
            if state.startswith("08") or state in _OUTAGE_STATES:
                return UNAVAILABLE
        if getattr(cause, "connection_invalidated", False):
            return UNAVAILABLE
    return None


class DatabaseFaults(SchemaExtension):
    """Replaces outage and statement time-out errors with DATABASE_UNAVAILABLE / TIMEOUT."""

    def __init__(self, statement_timeout_seconds: float) -> None:
        self.statement_timeout_seconds = statement_timeout_seconds

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [self._explain(error) for error in errors]  # type: ignore[union-attr]

    def _explain(self, error: GraphQLError) -> GraphQLError:
        fault = database_fault(error.original_error)
        if fault is None:
            return error
        if fault == CANCELLED:
            message = (
                f"The database cancelled a statement that ran past the "
                f"{self.statement_timeout_seconds:g} s limit. Ask for fewer nodes or narrow "
                "the query with `where`."
            )
            code = "TIMEOUT"
        else:
            message = (
                "The database is unavailable right now (down or restarting), so this field "
                "could not be loaded. Retry in a few seconds; GET /healthz answers 200 again "
                "once it is back."
            )
            code = "DATABASE_UNAVAILABLE"
        return GraphQLError(
            message, nodes=error.nodes, source=error.source, positions=error.positions,
            path=error.path, extensions={"code": code},
        )
