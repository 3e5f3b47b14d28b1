"""Generated queries against the app on the seeded database: no 5xx, always a GraphQL answer.

hypothesis-graphql builds queries from the schema the app itself publishes (so the test
follows the schema as it changes): valid ones, and ones with exactly one schema violation.
The run is bounded (``ATLAS_FUZZ_EXAMPLES``, default 50 per database) and derandomised, so
CI sees the same queries every time; raise the number locally to search further.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import graphql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries
from starlette.testclient import TestClient

from app.main import create_app
from app.settings import load_settings

EXAMPLES = int(os.environ.get("ATLAS_FUZZ_EXAMPLES", "50"))
RESPONSE_KEYS = {"data", "errors", "extensions"}


def published_schema(client: TestClient) -> graphql.GraphQLSchema:
    response = client.post("/graphql", json={"query": graphql.get_introspection_query()})
    assert response.status_code == 200, response.text
    return graphql.build_client_schema(response.json()["data"])


def scalar_strategies(schema: graphql.GraphQLSchema) -> dict[str, st.SearchStrategy[Any]]:
    """Values for the schema's own scalars: dates as dates, anything else as a string."""
    dates = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2030, 12, 31))
    custom: dict[str, st.SearchStrategy[Any]] = {}
    for name, type_ in schema.type_map.items():
        if isinstance(type_, graphql.GraphQLScalarType) and not graphql.is_specified_scalar_type(
            type_
        ):
            is_date = "date" in name.lower()
            values = dates.map(dt.date.isoformat) if is_date else st.text(max_size=12)
            custom[name] = values.map(lambda text: graphql.StringValueNode(value=text))
    return custom


def assert_graphql_response(body: Any) -> None:
    """The shape the GraphQL spec requires of a response."""
    assert isinstance(body, dict) and body, body
    assert set(body) <= RESPONSE_KEYS, body
    assert "data" in body or "errors" in body, body
    assert body.get("data") is None or isinstance(body["data"], dict)
    for error in body.get("errors", []):
        assert isinstance(error, dict) and isinstance(error.get("message"), str), error
        assert set(error) <= {"message", "locations", "path", "extensions"}, error
        # Masked means an unexpected exception: a bug the fuzzer found.
        assert error.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR", error


def test_generated_queries_get_graphql_answers(seeded_db: str) -> None:
    # Production mode: what the public sees, with unexpected errors masked (and so findable).
    app = create_app(load_settings(database_url=seeded_db, env="production"))
    with TestClient(app, raise_server_exceptions=False) as client:
        schema = published_schema(client)
        scalars = scalar_strategies(schema)
        generated = st.one_of(
            queries(schema, custom_scalars=scalars, mode=Mode.POSITIVE, allow_x00=False),
            queries(schema, custom_scalars=scalars, mode=Mode.NEGATIVE, allow_x00=False),
        )

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(query=generated)
        def check(query: str) -> None:
            response = client.post("/graphql", json={"query": query})
            assert response.status_code == 200, (query, response.status_code, response.text)
            assert_graphql_response(response.json())

        check()
