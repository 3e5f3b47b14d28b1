"""GraphQL errors users can act on: each names the argument and carries a stable code."""

from __future__ import annotations

from graphql import GraphQLError


class InputError(GraphQLError):
    """A bad argument: the message names it and says how to fix it."""

    def __init__(self, message: str, *, code: str = "BAD_USER_INPUT", argument: str | None = None):
        extensions: dict[str, object] = {"code": code}
        if argument:
            extensions["argument"] = argument
        super().__init__(message, extensions=extensions)
