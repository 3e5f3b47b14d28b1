"""The node-cost limit (GitHub's method): first/last multiplied down the nesting."""

from __future__ import annotations

from typing import Any

from graphql import parse
from starlette.testclient import TestClient
from toy_schema import SETTINGS, assert_ok, codes, post, refusal, run, toy_schema

from app.graphql.cost import query_cost
from app.main import create_app
from app.settings import load_settings


def costing(total: int) -> str:
    """items(first: 100) { children(first: n) }: 100 + 100 * n nodes."""
    assert (total - 100) % 100 == 0
    return "{ items(first: 100) { children(first: %d) { name } } }" % ((total - 100) // 100)


def test_cost_at_limit_is_accepted_and_one_page_past_is_refused() -> None:
    limit = 200_000
    settings = load_settings(max_cost=limit)
    assert_ok(run(costing(limit), settings))
    error = refusal(run(costing(limit + 100), settings), "COST_LIMIT_EXCEEDED")
    assert error.extensions == {"code": "COST_LIMIT_EXCEEDED", "limit": limit, "value": limit + 100}
    assert "200,100 nodes" in error.message and "200,000" in error.message


def test_cost_reads_variables_and_their_defaults() -> None:
    settings = load_settings(max_cost=1_000)
    query = "query($n: Int = 100, $m: Int) { items(first: $n) { children(first: $m) { name } } }"
    refusal(run(query, settings, variable_values={"m": 10}), "COST_LIMIT_EXCEEDED")  # 1,100
    assert_ok(run(query, settings, variable_values={"n": 10, "m": 10}))  # 110


def test_cost_method_multiplies_page_sizes_down_the_nesting() -> None:
    schema = toy_schema(SETTINGS)._schema

    def cost(query: str, variables: dict[str, Any] | None = None) -> int:
        return query_cost(schema, parse(query), None, variables)

    assert cost("{ item { name } }") == 0
    assert cost("{ items(first: 10) { name } }") == 10
    # No first/last: the default page size, 50.
    assert cost("{ items { children { name } } }") == 50 + 50 * 50
    assert cost("{ items(last: 4) { children(first: 3) { children(first: 2) { name } } } }") == (
        4 + 4 * (3 + 3 * 2)
    )
    # A fragment counts wherever it is spread; only the chosen operation counts.
    assert cost("{ items(first: 2) { ...C } item { ...C } } "
                "fragment C on Item { children(first: 5) { name } }") == 2 + 2 * 5 + 5
    document = "query A { items(first: 7) { name } } query B { items(first: 9) { name } }"
    assert query_cost(schema, parse(document), "B") == 9


def test_app_computes_cost_on_its_schema(migrated_db: str) -> None:
    app = create_app(load_settings(database_url=migrated_db, max_cost=5_000))
    query = "{ states(first: 100) { nodes { votes(first: %d) { totalCount } } } }"
    with TestClient(app) as client:
        assert codes(post(client, query % 49)) == []  # 100 + 100 * 49 = 5,000
        assert codes(post(client, query % 50)) == ["COST_LIMIT_EXCEEDED"]  # 5,100
        # A connection given no page size counts as 50: 100 + 100 * 50 again.
        assert codes(post(client, query.replace("(first: %d)", ""))) == ["COST_LIMIT_EXCEEDED"]
