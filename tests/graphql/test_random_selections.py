"""Property test: random valid queries give the same bytes on every execution path.

hypothesis-graphql (in test_batched.py) draws arguments freely, so most of its queries are
refused (an id that is not ours, a page of -3): they test the error paths. This generator walks
the schema itself and draws only valid queries: random subsets of fields at every level, with
aliases, fragments, `__typename`, `@include`/`@skip`, and arguments from a table of valid
values (pages of 0-5 items with or without cursors, `where` filters and `orderBy` that match
the seed data, real and missing ids, keys and dates). Each query must come back without errors,
with `data` holding every root field, and identical from the compiled, batched and graphql-core
apps.
"""

from __future__ import annotations

import base64

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    parse,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.graphql.schema import schema as atlas_schema

SCHEMA = atlas_schema._schema
NODE_TYPES = ["State", "Resolution", "Vote", "SanctionsRegime", "ArmsTransfer", "Alliance",
              "AllianceMembership", "Source"]
MAX_LEVELS = 4  # object levels below the root: stays within the depth and cost limits

WHERE = {
    "StateWhere": ['{ iso3: { in: ["RUS", "PRK", "IRN", "BLR", "USA", "UKR", "CHN"] } }',
                   '{ region: { eq: "Asia" } }', '{ voted: { resolution: "A/RES/ES-11/4", position: NO } }',
                   '{ armsSupplied: { recipient: { iso3: { eq: "RUS" } } } }',
                   '{ not: { name: { contains: "a" } }, unObserver: { eq: false } }'],
    "ArmsTransferWhere": ['{ recipient: { iso3: { eq: "RUS" } } }', '{ evidence: { eq: CONFIRMED } }',
                          '{ orderedYear: { gte: 2015 } }', '{ denied: true }', '{ retired: true }',
                          '{ not: { retired: true }, evidence: { eq: REPORTED } }'],
    "VoteWhere": ['{ position: { eq: NO } }', '{ positionIn: [YES, ABSTAIN] }',
                  '{ state: { iso3: { in: ["RUS", "USA"] } } }'],
    "ResolutionWhere": ['{ symbol: { startsWith: "A/RES/ES-11/" } }', '{ body: { eq: SECURITY_COUNCIL } }'],
    "SanctionsRegimeWhere": ['{ code: { contains: "RUS" } }', '{ inForceOn: "2020-06-01" }',
                             '{ measuresInclude: [ARMS_EMBARGO] }', '{ retired: false }'],
    "MembershipWhere": ['{ alliance: { key: { in: ["NATO", "CSTO"] } } }', '{ joinedOn: { gte: "1990-01-01" } }',
                        '{ retired: true }'],
    "AllianceWhere": ['{ kind: { eq: DEFENSE_PACT } }', '{ hasMember: { iso3: { eq: "RUS" } } }',
                      '{ retired: false }'],
    "SourceWhere": ['{ publisher: { contains: "United" } }'],
}
KEYS = {"iso3": ["RUS", "prk", "USA", "XXX"], "symbol": ["A/RES/ES-11/4", "S/2022/155", "nope"],
        "code": ["EU-RUS", "UN-SC1718", "nope"], "key": ["NATO", "CSTO", "nope"],
        "resolution": ["A/RES/ES-11/4", "A/RES/ES-11/1"], "a": ["RUS", "USA"], "b": ["PRK", "FRA"]}
DATES = ['"2000-01-01"', '"2014-03-20"', '"2023-01-01"']
# `state(...)` takes exactly one of its codes (any other count is a refused query).
STATE_CODES = ['iso3: "RUS"', 'iso3: "prk"', 'iso3: "XXX"', 'iso2: "ru"', 'iso2: "XX"', "m49: 643",
               "m49: 999", "cowCode: 365", "cowCode: 731", "cowCode: 1"]


def _global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


IDS = st.builds(lambda t, n: f'"{_global_id(t, n)}"', st.sampled_from(NODE_TYPES), st.integers(1, 60))


def _named(gql_type):  # type: ignore[no-untyped-def]
    while isinstance(gql_type, GraphQLNonNull | GraphQLList):
        gql_type = gql_type.of_type
    return gql_type


def _argument(name: str, arg) -> st.SearchStrategy[str] | None:  # type: ignore[no-untyped-def]
    """A strategy of valid literals for one argument, or None when we have none."""
    named = _named(arg.type)
    if name in ("first", "last"):
        return st.integers(0, 5).map(str)
    if name in ("after", "before"):
        return st.integers(0, 6).map(lambda n: f'"{_cursor(n)}"')
    if name == "asOf":
        return st.sampled_from(DATES)
    if name == "where" and named.name in WHERE:
        return st.sampled_from(WHERE[named.name])
    if name == "orderBy":
        assert isinstance(named, GraphQLInputObjectType)
        return st.builds(lambda f, d: f"[{{ {f}: {d} }}]", st.sampled_from(sorted(named.fields)),
                         st.sampled_from(["ASC", "DESC"]))
    if name == "id":
        return IDS
    if name == "ids":
        return st.lists(IDS, min_size=0, max_size=8).map(lambda ids: "[" + ", ".join(ids) + "]")
    if name in KEYS:
        return st.sampled_from([f'"{key}"' for key in KEYS[name]])
    if name == "minCompared":
        return st.integers(1, 5).map(str)
    return None


@st.composite
def _arguments(draw, field) -> str:  # type: ignore[no-untyped-def]
    if set(field.args) == {"iso3", "iso2", "m49", "cowCode"}:
        return f"({draw(st.sampled_from(STATE_CODES))})"
    parts = []
    for name, arg in field.args.items():
        strategy = _argument(name, arg)
        required = isinstance(arg.type, GraphQLNonNull)
        if strategy is None:
            if required:
                raise ValueError(f"no values for required argument {name}")
            continue
        wanted = draw(st.booleans()) or required or name == "first"
        if name == "last" and any(p.startswith("first:") for p in parts):
            continue  # `first` and `last` together is a refused query
        if wanted:
            parts.append(f"{name}: {draw(strategy)}")
    return f"({', '.join(parts)})" if parts else ""


def _selectable(gql_type: GraphQLObjectType, level: int) -> list[str]:
    names = []
    for name, field in gql_type.fields.items():
        named = _named(field.type)
        if not isinstance(named, GraphQLScalarType | GraphQLEnumType) and level >= MAX_LEVELS:
            continue
        if any(_argument(a, arg) is None and isinstance(arg.type, GraphQLNonNull)
               for a, arg in field.args.items()):
            continue
        names.append(name)
    return names


@st.composite
def _selection(draw, gql_type, level: int) -> str:  # type: ignore[no-untyped-def]
    if isinstance(gql_type, GraphQLInterfaceType):  # Node: a few type conditions
        concrete = draw(st.lists(st.sampled_from(NODE_TYPES), min_size=1, max_size=3, unique=True))
        spreads = [f"... on {name} {{ {draw(_selection(SCHEMA.get_type(name), level))} }}"
                   for name in concrete]
        return "__typename id " + " ".join(spreads)
    names = draw(st.lists(st.sampled_from(_selectable(gql_type, level)), min_size=1, max_size=4,
                          unique=True))
    parts = []
    for name in names:
        field = gql_type.fields[name]
        text = name
        if draw(st.integers(0, 4)) == 0:
            text = f"{gql_type.name.lower()}_{name}: {name}"  # unique across type conditions
        text += draw(_arguments(field))
        text += draw(st.sampled_from(["", "", "", " @include(if: true)", " @skip(if: false)",
                                      " @skip(if: true)"]))
        named = _named(field.type)
        if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
            text += " { " + draw(_selection(named, level + 1)) + " }"
        parts.append(text)
    if draw(st.integers(0, 5)) == 0:
        parts.append("__typename")
    if "@skip(if: true)" in " ".join(parts) and all("@skip(if: true)" in p for p in parts):
        parts.append("__typename")  # a selection must keep at least one field
    return " ".join(parts)


ROOTS = [name for name in SCHEMA.query_type.fields if name not in ("agreement", "alignedWith")]


@st.composite
def queries(draw) -> str:  # type: ignore[no-untyped-def]
    roots = draw(st.lists(st.sampled_from(ROOTS), min_size=1, max_size=2, unique=True))
    parts = []
    for index, name in enumerate(roots):
        field = SCHEMA.query_type.fields[name]
        text = f"r{index}: {name}{draw(_arguments(field))}"
        named = _named(field.type)
        if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
            text += " { " + draw(_selection(named, 1)) + " }"
        parts.append(text)
    return "{ " + " ".join(parts) + " }"


def _root_aliases(query: str) -> set[str]:
    [operation] = parse(query).definitions
    return {field.alias.value for field in operation.selection_set.selections}  # r0, r1 ...


# The query limits are tested elsewhere; here they would only refuse some random queries.
ROOMY = {"max_aliases": 1000, "max_depth": 30, "max_cost": 10**9, "max_tokens": 100_000}


def test_random_valid_queries_same_bytes_on_every_path(seeded_db, every_path) -> None:
    apps = every_path(seeded_db, **ROOMY)

    @settings(max_examples=60, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(query=queries())
    def check(query: str) -> None:
        responses = [client.post("/graphql", json={"query": query}) for client in apps]
        reference = responses[-1]
        body = reference.json()
        # Equal bytes alone would let three paths fail alike: each query is valid, so the
        # answer has no errors and data holding every root field asked for (r0, r1 ...).
        assert "errors" not in body, (query, body)
        assert isinstance(body.get("data"), dict), (query, body)
        assert set(body["data"]) == _root_aliases(query), (query, body)
        for response in responses[:-1]:
            assert response.content == reference.content, query

    check()
