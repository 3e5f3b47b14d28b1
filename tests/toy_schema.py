"""A small throw-away schema for the hardening tests: nests without bound, sleeps, fails.

The API's own schema is shallow where its data is; the limits must hold for any schema, so
they are also tested here on one that can nest, stall and raise at will.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLError
from starlette.testclient import TestClient

from app.graphql.security import security_extensions
from app.settings import Settings, load_settings

SETTINGS = load_settings()
# What the slow resolver saw: "finished" or "cancelled" (tests read and clear it).
SLOW_OUTCOMES: list[str] = []
# Set by a test to run a real database statement inside the `query` field.
STATEMENT_RUNNER: dict[str, Callable[[], Awaitable[Any]]] = {}


@strawberry.type
class Item:
    name: str

    @strawberry.field(description="A connection-like list: takes first/last.")
    def children(self, first: int | None = None, last: int | None = None) -> list[Item]:
        return [Item(name=f"{self.name}.{index}") for index in range(min(first or 2, 3))]


@strawberry.enum
class Colour(Enum):
    RED = "red"
    GREEN = "green"


@strawberry.input
class Filter:
    name: str | None = None
    not_: Filter | None = strawberry.field(default=None, name="not")
    any: list[Filter] | None = None


@strawberry.type
class Query:
    @strawberry.field
    def count(self, where: Filter | None = None) -> int:
        return 0

    @strawberry.field
    def items(self, first: int | None = None, last: int | None = None) -> list[Item]:
        return [Item(name=str(index)) for index in range(min(first or 2, 3))]

    @strawberry.field
    def tags(self, names: list[str]) -> int:
        return len(names)

    @strawberry.field
    def item(self) -> Item:
        return Item(name="one")

    @strawberry.field
    def colour(self, colour: Colour) -> str:
        return colour.value

    @strawberry.field
    async def slow(self, seconds: float) -> str:
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError:
            SLOW_OUTCOMES.append("cancelled")
            raise
        SLOW_OUTCOMES.append("finished")
        return "done"

    @strawberry.field
    async def query(self) -> str:
        return str(await STATEMENT_RUNNER["run"]())

    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("connection string postgresql://admin:hunter2@db/atlas")

    @strawberry.field
    def refused(self) -> str:
        raise GraphQLError("iso3: 'XXX' is not a state; pass an ISO 3166 alpha-3 code.",
                           extensions={"code": "BAD_USER_INPUT"})


def toy_schema(settings: Settings) -> strawberry.Schema:
    """The toy schema guarded by the same extensions as the API."""
    return strawberry.Schema(query=Query, extensions=security_extensions(settings))


def children(levels: int, leaf: str = "name") -> str:
    """``levels`` nested children fields (one of each, so the cost stays small) around a leaf."""
    inner = leaf
    for _ in range(levels):
        inner = f"children(first: 1) {{ {inner} }}"
    return inner


def filter_of(depth: int) -> str:
    """A Filter literal of ``depth`` nested objects: { not: { not: ... { name: "x" } } }."""
    return "{ not: " * (depth - 1) + '{ name: "x" }' + " }" * (depth - 1)


def nested(depth: int, leaf: str = "name") -> str:
    """A selection ``depth`` fields deep: items { children { ... { name } } }."""
    assert depth >= 2
    return f"items(first: 1) {{ {children(depth - 2, leaf)} }}"


def run(query: str, settings: Settings = SETTINGS, **kwargs: Any) -> Any:
    """Execute on the toy schema guarded by ``settings``."""
    return asyncio.run(toy_schema(settings).execute(query, **kwargs))


def assert_ok(result: Any) -> None:
    assert result.errors is None, [error.message for error in result.errors]


def refusal(result: Any, code: str) -> Any:
    """The one error of a refused query, checked to carry ``code`` and no data."""
    assert result.data is None
    assert result.errors, "expected a refusal"
    codes = [error.extensions.get("code") for error in result.errors]
    assert code in codes, [error.message for error in result.errors]
    return result.errors[codes.index(code)]


def post(client: TestClient, query: str) -> dict[str, Any]:
    """POST a query to the app; GraphQL errors still come with 200."""
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    return response.json()


def codes(body: dict[str, Any]) -> list[str]:
    """The `extensions.code` of each error in a response body."""
    return [error.get("extensions", {}).get("code") for error in body.get("errors", [])]
