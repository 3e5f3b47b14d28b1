"""Schema extensions that guard the API: limits, time-out, masking, no suggestions.

The schema builder passes ``security_extensions(settings)`` as ``extensions=`` to
``strawberry.Schema``. Each entry is a factory, so every request gets fresh extension
objects (extension instances shared between concurrent requests would share state).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterator
from functools import partial

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules, MaskErrors, SchemaExtension

from app.graphql.cost import DEFAULT_PAGE_SIZE, query_cost
from app.graphql.faults import DatabaseFaults
from app.graphql.limits import LimitError, json_depth, token_count
from app.graphql.rules import (
    alias_rule,
    depth_rule,
    directive_rule,
    input_depth_error,
    input_depth_rule,
    introspection_rule,
)
from app.settings import Settings

ExtensionFactory = Callable[[], SchemaExtension]

_SUGGESTION = re.compile(r"\s*Did you mean .*$", re.DOTALL)
MASKED_MESSAGE = (
    "Internal server error: the request failed on the server's side and was logged. "
    "Retry later; if it keeps failing, report it with the time of the request."
)


class TokenLimit(SchemaExtension):
    """Refuses a document of more than ``max_tokens`` tokens before it is parsed."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    # Checked when the operation starts, not on parse: a parser cache placed before this
    # extension would otherwise parse (and cache) the document before the check.
    def on_operation(self) -> Iterator[None]:
        query = self.execution_context.query
        if query and self.execution_context.graphql_document is None:
            # Counting stops one past the limit, so a huge document costs no more than that.
            count = token_count(query, stop_after=self.max_tokens)
            if count > self.max_tokens:
                raise LimitError(
                    "TOKEN_LIMIT_EXCEEDED",
                    f"The query has more than {self.max_tokens} tokens (names, punctuation "
                    "and values), the limit. Select fewer fields, reuse a fragment instead "
                    "of repeating a selection, or pass long lists as variables.",
                    limit=self.max_tokens, value=count,
                )
        yield


class CostLimit(SchemaExtension):
    """Refuses, before execution, a query that may return more than ``max_cost`` nodes."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.result is None:
            cost = query_cost(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables,
            )
            if cost > self.max_cost:
                # Setting the result makes Strawberry skip execution: nothing is loaded.
                context.result = GraphQLExecutionResult(data=None, errors=[LimitError(
                    "COST_LIMIT_EXCEEDED",
                    f"The query may return up to {cost:,} nodes; the limit is "
                    f"{self.max_cost:,}. Lower `first`/`last` on nested connections (each "
                    "page size multiplies everything below it; a connection without them "
                    f"counts as {DEFAULT_PAGE_SIZE}), or split the query.",
                    limit=self.max_cost, value=cost,
                )])
        yield


class VariableDepthLimit(SchemaExtension):
    """Refuses variables nested deeper than ``max_input_depth`` (literals: a validation rule)."""

    def __init__(self, max_input_depth: int) -> None:
        self.max_input_depth = max_input_depth

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.result is None:
            for name, value in (context.variables or {}).items():
                depth = json_depth(value)
                if depth > self.max_input_depth:
                    context.result = GraphQLExecutionResult(data=None, errors=[
                        input_depth_error(f"Variable ${name}", depth, self.max_input_depth)
                    ])
                    break
        yield


class ExecutionTimeout(SchemaExtension):
    """Cancels execution (the resolvers' tasks, not only the response) after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def on_execute(self) -> AsyncIterator[None]:
        deadline = asyncio.timeout(self.seconds)
        try:
            async with deadline:
                yield
        except TimeoutError:
            if not deadline.expired():  # a time-out of something else, e.g. a driver's
                raise
            raise LimitError(
                "TIMEOUT",
                f"The query ran longer than the {self.seconds:g} s limit and was cancelled. "
                "Ask for fewer nodes (smaller `first`/`last`, fewer nested connections) or "
                "narrow it with `where`.",
                limit=self.seconds, value=self.seconds,
            ) from None


class HideSuggestions(SchemaExtension):
    """Strips "Did you mean ...?" from error messages, so they do not map the schema."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            error.message = _SUGGESTION.sub("", error.message)


def is_unexpected(error: GraphQLError) -> bool:
    """True for errors that come from a bug or an outage rather than from the request.

    Errors the API raises on purpose carry ``extensions.code`` (or are GraphQL errors of
    their own, such as validation errors): those stay visible. Anything else (a Python
    exception, a database error) would leak internals and is masked.
    """
    if error.extensions and error.extensions.get("code"):
        return False
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """MaskErrors that keeps a stable code on the masked error."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=MASKED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked


def security_extensions(settings: Settings) -> list[ExtensionFactory]:
    """Strawberry schema extension factories for these settings."""
    rules = [
        depth_rule(settings.max_depth),
        alias_rule(settings.max_aliases),
        directive_rule(settings.max_directives),
        input_depth_rule(settings.max_input_depth),
    ]
    if not settings.introspection:
        rules.append(introspection_rule())
    extensions: list[ExtensionFactory] = [
        partial(TokenLimit, settings.max_tokens),
        partial(AddValidationRules, rules),
        partial(VariableDepthLimit, settings.max_input_depth),
        partial(CostLimit, settings.max_cost),
        partial(ExecutionTimeout, settings.execution_timeout_seconds),
    ]
    if settings.is_production:
        extensions += [MaskUnexpectedErrors, HideSuggestions]
    # Last, so that its clean-up runs first: an outage gets its own code before masking.
    extensions.append(partial(DatabaseFaults, settings.execution_timeout_seconds))
    return extensions
