"""The batched executor gives byte-for-byte the answers of graphql-core's executor.

Every query of the API tests, the README and GraphiQL's tabs, plus generated queries, runs
through an app with batched execution and one without; the JSON responses must be equal, and
the batched app must not have fallen back on the valid ones.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries
from starlette.testclient import TestClient

from app.graphql.examples import EXAMPLE_TABS
from app.main import create_app
from app.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
README_QUERIES = re.findall(r"```graphql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


def _test_queries() -> list[tuple[str, dict[str, object]]]:
    """Query strings written in the API tests (module constants and string literals)."""
    found = []
    for path in sorted((ROOT / "tests" / "graphql").glob("test_*.py")):
        for literal in re.findall(r'"""(.*?)"""', path.read_text(), re.S):
            if literal.lstrip().startswith(("{", "query")):
                found.append(literal)
    return [(query, {}) for query in found]


CORPUS: list[tuple[str, dict[str, object]]] = [
    *((query, {}) for query in README_QUERIES),
    *((query, {}) for query in EXAMPLE_TABS),
    ("query($codes: [String!]) { states(where: { iso3: { in: $codes } }) { nodes { iso3 "
     "votes(first: 3, orderBy: [{ symbol: ASC }]) { edges { cursor node { position "
     "resolution { symbol } state { iso3 } } } pageInfo { hasNextPage endCursor } } } } }",
     {"codes": ["RUS", "UKR", "USA"]}),
    ("query($skip: Boolean!) { a: state(iso3: \"PRK\") { ...S name @skip(if: $skip) } "
     "b: state(iso3: \"IRN\") { ...S __typename } } fragment S on State { iso3 "
     "armsSupplied(last: 2) { totalCount nodes { ... on ArmsTransfer { weaponDesignation "
     "supplier { iso3 } recipient { iso3 } violates { code target { iso3 } } "
     "transits { state { iso3 } kind } denials { state { iso3 } source { title } } "
     "sipriTiv { total } } } } }", {"skip": True}),
    ('{ alliances(first: 3, orderBy: [{ signedOn: DESC }]) { nodes { key kind '
     'members(asOf: "2020-01-01", first: 3) { totalCount nodes { iso3 allies(first: 2) { nodes { iso3 } } } } '
     'memberships(last: 2) { nodes { joinedOn leftOn state { iso3 } alliance { key } sources { title } } } } } }', {}),
    ('{ sanctionsRegimes(asOf: "2014-06-01", first: 5) { totalCount nodes { code inForce(asOf: "2020-01-01") '
     'target { iso3 } authorityState { iso3 } measures sources { publisher } } } }', {}),
    ('{ resolutions { nodes { symbol tags url tally { total } publishedTally { total } } } '
     'sources(first: 2, where: { publisher: { contains: "un" } }) { nodes { id key } } }', {}),
    ('{ states(first: 2, where: { iso3: { in: ["RUS", "BLR"] } }) { nodes { sanctionsImposed { totalCount } '
     'sanctionsAgainst(first: 2) { nodes { code } } memberships(asOf: "2024-01-01") { nodes { alliance { name } } } } } }', {}),
    # Errors must come out the same way too (the batched executor hands them over).
    ('{ states(first: 500) { nodes { iso3 } } }', {}),
    ('{ node(id: "bogus") { id } }', {}),
    ('{ state(iso3: "RUS") { votes(after: "bogus") { totalCount } } }', {}),
    ('query($n: Int!) { states(first: $n) { totalCount } }', {}),
]


@pytest.fixture
def both(seeded_db: str) -> Iterator[tuple[TestClient, TestClient]]:
    batched = create_app(load_settings(database_url=seeded_db))
    ordinary = create_app(load_settings(database_url=seeded_db, batched_execution=False))
    with TestClient(batched) as fast, TestClient(ordinary) as slow:
        yield fast, slow


def _compare(both: tuple[TestClient, TestClient], query: str, variables: dict[str, object]) -> dict:
    fast, slow = both
    payload = {"query": query, "variables": variables}
    fast_response, slow_response = fast.post("/graphql", json=payload), slow.post("/graphql", json=payload)
    assert fast_response.content == slow_response.content, query
    return fast_response.json()


@pytest.mark.parametrize(("query", "variables"), CORPUS + _test_queries(),
                         ids=lambda value: str(value)[:40] if isinstance(value, str) else "")
def test_same_answers_as_graphql_core(both, caplog, query: str, variables: dict[str, object]) -> None:
    caplog.set_level(logging.DEBUG, logger="app.graphql.batched")
    body = _compare(both, query, variables)
    if "errors" not in body:
        assert not [r for r in caplog.records if "fell back" in r.getMessage()], query


def test_generated_queries_same_answers(both) -> None:
    fast, _ = both
    introspection = fast.post("/graphql", json={"query": graphql.get_introspection_query()}).json()
    schema = graphql.build_client_schema(introspection["data"])
    dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2026, 12, 31))
    scalars = {"Date": dates.map(lambda day: graphql.StringValueNode(value=day.isoformat()))}

    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(query=queries(schema, custom_scalars=scalars, mode=Mode.POSITIVE, allow_x00=False))
    def check(query: str) -> None:
        _compare(both, query, {})

    check()
