"""The compiled and batched paths give byte-for-byte the answers of graphql-core's executor.

Every query of the API tests, the README, GraphiQL's tabs and the benchmark, plus generated
queries, runs through three apps: the default one (root fields compiled to one SQL statement
each where the compiler understands them, the rest batched), one with batched execution only,
and one with graphql-core's executor only. The JSON responses must be equal, and equal is not
enough (three paths failing alike would pass): a query meant to succeed must come back with
`data` and no `errors`, a query meant to be refused with the expected error code. The batched
path must not have fallen back on valid queries, and the queries the compiler is meant to cover
must run one SQL statement per root field (counted on the engine, not read from logs).
`test_random_selections.py` adds random valid queries drawn from the schema itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from pathlib import Path

import graphql
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries
from starlette.testclient import TestClient

from app.graphql import compiled
from app.graphql.examples import EXAMPLE_TABS

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.queries import QUERIES as BENCH_QUERIES

README_QUERIES = re.findall(r"```graphql\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)


def _test_queries() -> list[tuple[str, dict[str, object]]]:
    """Query strings written in the API tests (triple-quoted literals); each must run as is."""
    found = []
    for path in sorted((ROOT / "tests" / "graphql").glob("test_*.py")):
        for literal in re.findall(r'"""(.*?)"""', path.read_text(), re.DOTALL):
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
]

# Errors must come out the same way too (the batched executor hands them over): each with the
# error code it must carry (None: graphql-core's own variable error, which has no code) and
# whether `data` is null (a refused root field) or holds the field as null.
REFUSED: list[tuple[str, dict[str, object], str | None, object]] = [
    ('{ states(first: 500) { nodes { iso3 } } }', {}, "PAGE_SIZE_EXCEEDED", None),
    ('{ node(id: "bogus") { id } }', {}, "BAD_USER_INPUT", {"node": None}),
    ('{ state(iso3: "RUS") { votes(after: "bogus") { totalCount } } }', {}, "BAD_USER_INPUT",
     {"state": None}),
    ('query($n: Int!) { states(first: $n) { totalCount } }', {}, None, None),
]
# What a generated (mostly invalid) query may be refused with; anything else is a bug.
REFUSAL_CODES = {"BAD_USER_INPUT", "PAGE_SIZE_EXCEEDED", "COST_LIMIT_EXCEEDED",
                 "DEPTH_LIMIT_EXCEEDED", "ALIAS_LIMIT_EXCEEDED", "TOKEN_LIMIT_EXCEEDED",
                 "DIRECTIVE_LIMIT_EXCEEDED", "GRAPHQL_VALIDATION_FAILED"}


# Queries every root field of which the compiler must compile (checked, not just compared).
COMPILED = [
    *((query, {}) for name, query in BENCH_QUERIES.items() if name in ("Q1", "Q2", "Q4")),
    ('query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on State { iso3 } '
     '... on Vote { position state { iso3 } } } a: node(id: "U3RhdGU6MQ==") { id } }',
     {"ids": ["U3RhdGU6MQ==", "Vm90ZToxMA==", "Vm90ZTo5OTk5OTk5", "U291cmNlOjE="]}),
    ('{ states(first: 3, after: "b2Zmc2V0OjE=", where: { iso3: { in: ["RUS", "BLR", "PRK", "IRN", "SYR"] } }) '
     '{ __typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename } '
     'edges { __typename cursor node { id iso3 unObserver unMemberFrom m49 '
     'armsReceived(first: 2, orderBy: [{ weaponDesignation: DESC }]) { totalCount pageInfo { endCursor } '
     'nodes { supplier { iso3 } transitStates { iso3 } violates { code } ordered: orderedYear } } '
     'sanctionsAgainst(asOf: "2023-01-01", first: 0) { totalCount pageInfo { hasNextPage startCursor } nodes { code } } '
     'memberships(first: 1) { nodes { alliance { key memberships(first: 1, after: "b2Zmc2V0OjA=") { '
     'pageInfo { hasPreviousPage } nodes { state { iso3 } } } } } } } } } }', {}),
    ('{ a: state(iso3: "rus") { name sources { key } } b: resolution(symbol: "A/RES/ES-11/4") { symbol '
     'votes(first: 4, where: { position: { eq: NO } }) { nodes { position state { iso3 } resolution { votedOn } } } } '
     'c: sanctionsRegime(code: "EU-RUS") { code target { name } authorityState { iso3 } } '
     'd: alliance(key: "NATO") { name kind } e: state(iso3: "XXX") { iso3 } }', {}),
    ('{ resolutions(first: 2, orderBy: [{ votedOn: ASC }]) { nodes { symbol body outcome sources { url } } } '
     'alliances(asOf: "2000-01-01", first: 2) { nodes { key signedOn } } sources(first: 2) { nodes { title } } '
     'armsTransfers(first: 3) { nodes { externalId evidence status category numberOrderedEstimate '
     'recipient { iso3 } deniedBy { iso3 } sources { title } } } }', {}),
    ('{ armsTransfers(first: 40, orderBy: [{ sipriTivTotal: DESC }]) { nodes { weaponDesignation '
     'sipriTiv { __typename perUnit total delivered } denials { deniedOn statement state { iso3 } '
     'source { title } } transits { kind state { iso3 } source { key } } violations { claimedBy '
     'regime { code measures inForce(asOf: "2023-01-01") } source { key } } } } '
     'resolutions(first: 3) { nodes { url publishedTally { yes no total } '
     'tally { __typename yes no abstain nonVoting total } } } '
     'state(iso3: "PRK") { vote(resolution: "A/RES/ES-11/4") { position resolution { symbol } } '
     'other: vote(resolution: "nope") { position } } }', {}),
    ('{ alliances(first: 4, orderBy: [{ signedOn: DESC }]) { nodes { key '
     'members(asOf: "2020-01-01", first: 3) { totalCount nodes { iso3 allies(first: 2) { nodes { iso3 } } } } '
     'today: members(first: 2, orderBy: [{ name: DESC }]) { nodes { name } } } } }', {}),
]


@pytest.fixture
def apps(seeded_db: str, every_path) -> tuple[TestClient, ...]:
    return every_path(seeded_db)


def _failed_alike(content: bytes, reference: bytes) -> bool:
    """Two answers that differ only by which errors came first, when several root fields fail.

    graphql-core resolves the root fields of a query concurrently: when more than one fails
    (each after a statement), which errors are reported, and in which order, depends on which
    failed first (a failing non-null root field ends the operation), from run to run. Such
    answers agree on `data` and both carry errors of those root fields.
    """
    body, expected = orjson.loads(content), orjson.loads(reference)
    failed = {str((error.get("path") or [None])[0]) for answer in (body, expected)
              for error in answer.get("errors") or []}
    return (body.get("data") == expected.get("data") and bool(body.get("errors"))
            and bool(expected.get("errors")) and len(failed) > 1)


def _compare(apps: tuple[TestClient, ...], query: str, variables: dict[str, object]) -> dict:
    payload = {"query": query, "variables": variables}
    responses = [client.post("/graphql", json=payload) for client in apps]
    reference = responses[-1].content
    for response in responses[:-1]:
        assert response.content == reference or _failed_alike(response.content, reference), query
    return responses[0].json()


def _succeeded(body: dict, query: str) -> dict:
    """The answer of a query meant to succeed: no errors, and data with every root field."""
    assert "errors" not in body, (query, body["errors"])
    data = body.get("data")
    assert isinstance(data, dict) and data, (query, body)
    return data


def _root_fields(query: str) -> int:
    """How many root fields the (single) operation of ``query`` selects, fragments expanded."""
    document = graphql.parse(query)
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, graphql.FragmentDefinitionNode)}
    [operation] = [d for d in document.definitions
                   if isinstance(d, graphql.OperationDefinitionNode)]

    def count(selection_set: graphql.SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, graphql.FieldNode):
                total += selection.name.value != "__typename"
            elif isinstance(selection, graphql.FragmentSpreadNode):
                total += count(fragments[selection.name.value].selection_set)
            else:
                total += count(selection.selection_set)
        return total

    return count(operation.selection_set)


@pytest.mark.parametrize(("query", "variables"), CORPUS + COMPILED + _test_queries(),
                         ids=lambda value: str(value)[:40] if isinstance(value, str) else "")
def test_same_answers_as_graphql_core(apps, caplog, query: str, variables: dict[str, object]) -> None:
    caplog.set_level(logging.DEBUG, logger="app.graphql.batched")
    _succeeded(_compare(apps, query, variables), query)
    assert not [r for r in caplog.records if "fell back" in r.getMessage()], query


@pytest.mark.parametrize(("query", "variables", "code", "data"), REFUSED,
                         ids=lambda value: str(value)[:40] if isinstance(value, str) else "")
def test_same_refusals_as_graphql_core(apps, query: str, variables: dict[str, object],
                                       code: str | None, data: object) -> None:
    body = _compare(apps, query, variables)
    assert body["errors"], body
    assert [(error.get("extensions") or {}).get("code") for error in body["errors"]] == [code]
    assert body["data"] == data


@pytest.mark.parametrize(("query", "variables"), COMPILED, ids=lambda value: str(value)[:40])
def test_compiled_one_statement_per_root_field(api, query: str, variables: dict) -> None:
    """The compiler covers these queries: each root field is one SQL statement (counted by the
    `before_cursor_execute` listener of conftest's `Api` on the app's engine), on the first
    request and when the plan is taken from the cache, with the same answer both times."""
    compiled.PLANS.clear()
    expected = _root_fields(query)
    answers, counts = [], []
    for _ in range(2):
        before = api.statements
        response = api.client.post("/graphql", json={"query": query, "variables": variables})
        counts.append(api.statements - before)
        answers.append(response.content)
        _succeeded(response.json(), query)
    assert answers[0] == answers[1]
    assert counts == [expected, expected], query


def test_generated_queries_same_answers(apps) -> None:
    fast = apps[0]
    introspection = fast.post("/graphql", json={"query": graphql.get_introspection_query()}).json()
    schema = graphql.build_client_schema(introspection["data"])
    dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2026, 12, 31))
    scalars = {"Date": dates.map(lambda day: graphql.StringValueNode(value=day.isoformat()))}

    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(query=queries(schema, custom_scalars=scalars, mode=Mode.POSITIVE, allow_x00=False))
    def check(query: str) -> None:
        # Drawn freely, most of these are refused (an id that is not ours, a page of -3). Equal
        # bytes are not enough: each answer is data without errors, or a refusal with one of
        # the codes a client is meant to get, never an unexpected (internal) error.
        body = _compare(apps, query, {})
        if "errors" not in body:
            _succeeded(body, query)
        codes = {(error.get("extensions") or {}).get("code") for error in body.get("errors", [])}
        assert codes <= REFUSAL_CODES, (query, body)

    check()


DEEP = ('{ sanctionsRegimes(first: 3) { nodes { code target { iso3 armsSupplied(first: 2) { nodes { '
        'recipient { iso3 memberships(first: 2) { nodes { alliance { name memberships(first: 2) { '
        'nodes { state { iso3 votes(first: 1) { nodes { position } } } } } } } } } } } } } } }')


def test_nesting_deeper_than_sqlite_parses(seeded_db, every_path) -> None:
    """Five nested lists exceed SQLite's parser depth: the resolvers answer instead, every time
    (PostgreSQL compiles it). Either way the answer is graphql-core's."""
    default, _, ordinary = every_path(seeded_db, max_depth=20)
    expected = ordinary.post("/graphql", json={"query": DEEP}).content
    _succeeded(orjson.loads(expected), DEEP)
    for _ in range(2):
        assert default.post("/graphql", json={"query": DEEP}).content == expected


# Floats that a careless JSON path changes: integral (5.0 must not become 5), 17 significant
# digits, very large and very small, negative zero.
TRICKY_FLOATS = [0.30000000000000004, 5.0, 1e16, 1.5e-7, 123456789.123, -0.0, 2.5e300, 1 / 3, None]


def test_floats_come_back_exactly(migrated_db, every_path, api) -> None:
    from app.db import create_sync_engine
    from app.graphql.filters import TRANSFER

    engine = create_sync_engine(migrated_db)
    with engine.begin() as connection:
        connection.execute(TRANSFER.insert(), [
            {"external_id": f"test:{i}", "supplier_name": "A", "supplier_kind": "UNKNOWN",
             "recipient_name": "B", "recipient_kind": "UNKNOWN", "weapon_designation": f"W{i}",
             "category": "OTHER", "status": "ORDERED", "evidence": "REPORTED",
             "ordered_year_estimate": False, "number_ordered_estimate": False,
             "number_delivered_estimate": False, "sipri_tiv_per_unit": value,
             "sipri_tiv_total": value, "sipri_tiv_delivered": None}
            for i, value in enumerate(TRICKY_FLOATS)])
    engine.dispose()
    # totalCount makes the paths countable: compiled, one statement; resolvers, page + count.
    query = ("{ armsTransfers(orderBy: [{ weaponDesignation: ASC }]) "
             "{ totalCount nodes { weaponDesignation sipriTiv { perUnit total delivered } } } }")
    default, _, ordinary = every_path(migrated_db)
    counted = type(api)(default)  # conftest's statement counter, on the default app's engine
    expected = ordinary.post("/graphql", json={"query": query})
    assert default.post("/graphql", json={"query": query}).content == expected.content
    assert counted.statements == 1  # the compiler answered: one statement for the root field
    totals = [node["sipriTiv"]["total"] for node in _succeeded(expected.json(), query)
              ["armsTransfers"]["nodes"]]
    assert totals == TRICKY_FLOATS
