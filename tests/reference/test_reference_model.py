"""Every list of the API answers as the reference model says, for arguments drawn from the schema.

For each connection field of the schema (root lists, and the lists nested in states, roll calls
and alliances), hypothesis draws valid arguments by walking the schema's input types: a `where`
of scalar operators and relation filters with `and`/`or`/`not`, an `orderBy` of one to three
keys in either direction, an `asOf` day (often a start or end day of the data, or the day
before or after), and a page (`first`, `last`, `after`, `before`). The API's answer (ids in
order, `totalCount`, `pageInfo`, cursors) must equal the model's (reference_model.py), which
shares no code with the app's list machinery, on SQLite and PostgreSQL and on every execution
path. A field or input field the model does not know fails the test: a new filter must be
modelled before it ships.

``ATLAS_REFERENCE_EXAMPLES`` sets the number of drawn examples per nested field, backend and path
on the compiled path (three times as many for a root list, which costs less to ask; a half and a
third as many on the resolvers and on graphql-core).
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import string
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_app import PATHS, Reference
from reference_model import SCALARS, Model, fold, page_of

from app.graphql.schema import schema as atlas_schema

SCHEMA = atlas_schema._schema
EXAMPLES = int(os.environ.get("ATLAS_REFERENCE_EXAMPLES", "30"))
# Types with nested lists: the root lists that reach every one of them (retired alliances are
# only in the list that asks for them), and their table.
PARENTS = {"State": ("states(first: 100)",), "Resolution": ("resolutions(first: 100)",),
           "Alliance": ("alliances(first: 100)", "alliances(first: 100, where: { retired: true })")}
TABLE_OF = {"State": "state", "Resolution": "resolution", "Alliance": "alliance"}
PAGE_ARGS = ("first", "after", "last", "before")
PATH_SHARE = {"compiled": 1, "resolvers": 2, "graphql-core": 3}


def _named(gql_type: Any) -> Any:
    while isinstance(gql_type, GraphQLNonNull | GraphQLList):
        gql_type = gql_type.of_type
    return gql_type


def _is_list(gql_type: Any) -> bool:
    if isinstance(gql_type, GraphQLNonNull):
        gql_type = gql_type.of_type
    return isinstance(gql_type, GraphQLList)


def _list_fields() -> list[tuple[str | None, str]]:
    """(parent type or None for the root, field) of every connection in the schema."""
    found: list[tuple[str | None, str]] = []
    for type_name in ("Query", *PARENTS):
        gql_type = SCHEMA.type_map[type_name]
        assert isinstance(gql_type, GraphQLObjectType)
        for name, gql_field in gql_type.fields.items():
            if _named(gql_field.type).name.endswith("Connection"):
                found.append((None if type_name == "Query" else type_name, name))
    return found


LIST_FIELDS = _list_fields()


def _field(parent: str | None, name: str) -> Any:
    return SCHEMA.type_map[parent or "Query"].fields[name]  # type: ignore[union-attr]


# --- drawing arguments from the schema -----------------------------------------------------


class Pools:
    """Values to draw from: the data's own values, and their neighbours, so filters match."""

    def __init__(self, model: Model) -> None:
        t = model.tables
        self.model = model
        dates: set[dt.date] = set()
        for rows in t.values():
            for row in rows:
                dates.update(v for v in row.values() if isinstance(v, dt.date))
        around = {d + dt.timedelta(days=k) for d in dates for k in (-1, 0, 1)}
        self.dates = sorted(d.isoformat() for d in around)
        self.periods = {table: ([r[start] for r in t[table]], [r[end] for r in t[table]])
                        for table, (start, end) in PERIODS.items()}
        self.years = sorted({y + k for r in t["arms_transfer"]
                             for y in (r["first_delivery_year"], r["last_delivery_year"])
                             if y is not None for k in (-1, 0, 1)})
        self.symbols = sorted({r["symbol"] for r in t["resolution"]}) + ["A/RES/none"]
        self.tables = {"StateWhere": "state", "ResolutionWhere": "resolution",
                       "VoteWhere": "vote", "SanctionsRegimeWhere": "sanctions_regime",
                       "ArmsTransferWhere": "arms_transfer", "AllianceWhere": "alliance",
                       "MembershipWhere": "alliance_membership", "SourceWhere": "source"}

    def day(self, table: str) -> st.SearchStrategy[str]:
        """A day for `asOf`/`inForceOn` over rows of ``table``: often exactly a start or an end
        day of one of them (where the boundaries are decided), else any day near the data."""
        starts, ends = self.periods[table]
        exact = [sorted({d.isoformat() for d in days if d is not None}) for days in (ends, starts)]
        return st.one_of(*(st.sampled_from(days) for days in exact if days),
                         st.sampled_from(self.dates))

    def column_values(self, where_type: str, field_name: str) -> tuple[list[Any], str]:
        column, kind = SCALARS[where_type][field_name]  # KeyError: a filter the model lacks
        values = [r[column] for r in self.model.tables[self.tables[where_type]]]
        if (where_type, field_name) == ("StateWhere", "name"):  # aliases, and folded spellings
            values += [a["name"] for a in self.model.tables["state_alias"]]
            values += [fold(v) for v in values]
        return sorted({v for v in values if v is not None}, key=repr), kind


# Tables whose rows have a period, with its start and end columns; and which rows the `asOf`
# or `inForceOn` of an input field or of a list (by its connection type) tests.
PERIODS = {"sanctions_regime": ("started_on", "ended_on"), "alliance": ("signed_on", "ended_on"),
           "alliance_membership": ("joined_on", "left_on")}
DAY_OF = {("SanctionsRegimeWhere", "inForceOn"): "sanctions_regime",
          ("AllianceWhere", "inForceOn"): "alliance",
          ("SanctionedByFilter", "asOf"): "sanctions_regime",
          ("MemberOfFilter", "asOf"): "alliance_membership",
          "SanctionsRegimeConnection": "sanctions_regime", "AllianceConnection": "alliance",
          "AllianceMembershipConnection": "alliance_membership",
          "StateConnection": "alliance_membership"}


def _swap_ascii_case(text: str, flips: list[bool]) -> str:
    return "".join(c.swapcase() if c in string.ascii_letters and flip else c
                   for c, flip in zip(text, flips + [False] * len(text), strict=False))


@st.composite
def _substring(draw: st.DrawFn, values: list[str]) -> str:
    if not values or draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["%", "_", "'", "zz-no-such"]))
    text = draw(st.sampled_from(values))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    end = draw(st.integers(start, len(text)))
    flips = draw(st.lists(st.booleans(), max_size=len(text)))
    part = _swap_ascii_case(text[start:end], flips)
    if draw(st.integers(0, 3)) == 0:  # the other apostrophe style
        part = part.translate(str.maketrans("'’", "’'"))
    return part


def _operand(values: list[Any], kind: str, gql_type: Any, pools: Pools) -> st.SearchStrategy[Any]:
    if kind == "bool":
        return st.booleans()
    if isinstance(_named(gql_type), GraphQLEnumType):
        return st.sampled_from(list(_named(gql_type).values))
    if kind == "date":
        near = sorted({(v + dt.timedelta(days=k)).isoformat() for v in values for k in (-1, 0, 1)})
        return st.sampled_from(near or pools.dates)
    if kind == "int":
        return st.sampled_from(sorted({v + k for v in values for k in (-1, 0, 1)}) or [0])
    return st.one_of(st.sampled_from(values or ["none"]), st.just("zz-no-such"))


@st.composite
def _operators(draw: st.DrawFn, filter_type: GraphQLInputObjectType, where_type: str,
               field_name: str, pools: Pools) -> dict[str, Any]:
    values, kind = pools.column_values(where_type, field_name)
    chosen = draw(st.lists(st.sampled_from(sorted(filter_type.fields)), min_size=1, max_size=2,
                           unique=True))
    ops: dict[str, Any] = {}
    for op in chosen:
        gql_type = filter_type.fields[op].type
        if op == "isNull":
            ops[op] = draw(st.booleans())
        elif op in ("contains", "startsWith"):
            ops[op] = draw(_substring([str(v) for v in values]))
        elif _is_list(gql_type):
            ops[op] = draw(st.lists(_operand(values, kind, gql_type, pools), max_size=3))
        else:
            ops[op] = draw(_operand(values, kind, gql_type, pools))
    return ops


@st.composite
def where_input(draw: st.DrawFn, type_name: str, pools: Pools, depth: int) -> dict[str, Any]:
    """A valid value of the input type ``type_name``, its fields drawn from the schema."""
    input_type = SCHEMA.type_map[type_name]
    assert isinstance(input_type, GraphQLInputObjectType)
    names = sorted(n for n in input_type.fields
                   if depth > 0 or not isinstance(_named(input_type.fields[n].type),
                                                  GraphQLInputObjectType)
                   or _named(input_type.fields[n].type).name in FILTER_TYPES)
    chosen = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    # Scalar operators make most of the fields; half the time add one of the others (relation
    # filters, `inForceOn`, `denied`, `measuresInclude` ...), where a wrong join hides.
    special = [n for n in names if _named(input_type.fields[n].type).name not in FILTER_TYPES
               and n not in ("and", "or", "not")]
    if special and draw(st.booleans()):
        chosen = sorted({*chosen, draw(st.sampled_from(special))})
    where: dict[str, Any] = {}
    for name in chosen:
        gql_type = input_type.fields[name].type
        named = _named(gql_type)
        if name in ("and", "or"):
            where[name] = draw(st.lists(where_input(type_name, pools, depth - 1), max_size=2))
        elif name == "not":
            where[name] = draw(where_input(type_name, pools, depth - 1))
        elif isinstance(named, GraphQLInputObjectType) and named.name in FILTER_TYPES:
            where[name] = draw(_operators(named, type_name, name, pools))
        elif isinstance(named, GraphQLInputObjectType):
            where[name] = draw(where_input(named.name, pools, depth - 1))
        elif isinstance(named, GraphQLEnumType):
            values = st.sampled_from(list(named.values))
            where[name] = draw(st.lists(values, max_size=3) if _is_list(gql_type) else values)
        elif named.name == "Date":
            where[name] = draw(pools.day(DAY_OF[type_name, name]))
        elif named.name == "Int":
            where[name] = draw(st.sampled_from(pools.years))
        elif named.name == "Boolean":
            where[name] = draw(st.booleans())
        elif named.name == "String" and name == "resolution":
            where[name] = draw(st.sampled_from(pools.symbols))
        else:
            raise AssertionError(f"no strategy for {type_name}.{name}: {gql_type}")
    return where


FILTER_TYPES = {name for name, t in SCHEMA.type_map.items()
                if isinstance(t, GraphQLInputObjectType) and name.endswith("Filter")
                and "eq" in t.fields}


@st.composite
def list_arguments(draw: st.DrawFn, gql_field: Any, pools: Pools) -> dict[str, Any]:
    """`where`, `orderBy` and `asOf` of one list field (the page is drawn later)."""
    args: dict[str, Any] = {}
    for name, arg in gql_field.args.items():
        named = _named(arg.type)
        if name == "where" and draw(st.integers(0, 4)):
            args[name] = draw(where_input(named.name, pools, depth=2))
        elif name == "orderBy" and draw(st.booleans()):
            keys = sorted(named.fields)
            items = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(["ASC", "DESC"])),
                                  min_size=1, max_size=3))
            args[name] = [{key: direction} for key, direction in items]
        elif name == "asOf" and draw(st.booleans()):
            args[name] = draw(pools.day(DAY_OF[_named(gql_field.type).name]))
        elif name not in ("where", "orderBy", "asOf", *PAGE_ARGS):
            raise AssertionError(f"the test does not know the argument {name!r}")
    return args


@st.composite
def window(draw: st.DrawFn, total: int) -> dict[str, Any]:
    """`first`/`last` (0-6) and `after`/`before` as positions of rows (< total)."""
    kind = draw(st.sampled_from(["none", "first", "last"]))
    args: dict[str, Any] = {}
    if kind != "none":
        args[kind] = draw(st.integers(0, 6))
    if total:
        for cursor in ("after", "before"):
            if draw(st.integers(0, 2)) == 0:
                args[cursor] = draw(st.integers(0, total - 1))
    return args


# --- asking the API ------------------------------------------------------------------------

SELECTION = ("{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
             "edges { cursor node { id } } nodes { id } }")
VARIABLE_TYPES = {"where": None, "orderBy": None, "asOf": "Date", "first": "Int",
                  "after": "String", "last": "Int", "before": "String"}


def _variables_clause(gql_field: Any, names: list[str]) -> tuple[str, str]:
    declared, passed = [], []
    for name in names:
        declared.append(f"${name}: {gql_field.args[name].type}")
        passed.append(f"{name}: ${name}")
    if not names:
        return "", ""
    return f"({', '.join(declared)})", f"({', '.join(passed)})"


def _pk(global_id: str) -> int:
    return int(base64.urlsafe_b64decode(global_id).decode().partition(":")[2])


def _post(reference: Reference, path: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = reference.client(path).post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, (query, variables, body)
    assert body.get("data") is not None, body
    return body["data"]


def ask(reference: Reference, path: str, parent: str | None, name: str,
        args: dict[str, Any], parent_id: str | None = None) -> dict[int | None, dict[str, Any]]:
    """The connection the API returns, per parent pk (None for a root list)."""
    gql_field = _field(parent, name)
    declared, passed = _variables_clause(gql_field, sorted(args))
    if parent is None:
        query = f"query{declared} {{ list: {name}{passed} {SELECTION} }}"
        return {None: _post(reference, path, query, args)["list"]}
    if parent_id is not None:
        declared = declared[:-1] + ", $parent: ID!)" if declared else "($parent: ID!)"
        query = (f"query{declared} {{ node(id: $parent) {{ id ... on {parent} "
                 f"{{ list: {name}{passed} {SELECTION} }} }} }}")
        node = _post(reference, path, query, {**args, "parent": parent_id})["node"]
        return {_pk(node["id"]): node["list"]}
    lists = " ".join(f"p{i}: {root} {{ nodes {{ id list: {name}{passed} {SELECTION} }} }}"
                     for i, root in enumerate(PARENTS[parent]))
    data = _post(reference, path, f"query{declared} {{ {lists} }}", args)
    return {_pk(node["id"]): node["list"] for i in range(len(PARENTS[parent]))
            for node in data[f"p{i}"]["nodes"]}


def check_page(got: dict[str, Any], rows: list[dict[str, Any]], page_args: dict[str, Any],
               cursors: dict[int, str], context: Any) -> None:
    """The API's connection equals the model's page of ``rows``."""
    positions = {cursor: i for i, cursor in enumerate(cursors[r["id"]] for r in rows)}
    expected = page_of(rows, page_args, positions.__getitem__)
    ids = expected.ids
    assert [_pk(n["id"]) for n in got["nodes"]] == ids, context
    assert [_pk(e["node"]["id"]) for e in got["edges"]] == ids, context
    assert [e["cursor"] for e in got["edges"]] == [cursors[i] for i in ids], context
    assert got["totalCount"] == len(rows), context
    info = got["pageInfo"]
    assert (info["hasPreviousPage"], info["hasNextPage"]) == (expected.has_previous,
                                                            expected.has_next), context
    assert info["startCursor"] == (cursors[ids[0]] if ids else None), context
    assert info["endCursor"] == (cursors[ids[-1]] if ids else None), context


# --- the property ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize(("parent", "name"), LIST_FIELDS,
                         ids=[f"{p or 'Query'}.{n}" for p, n in LIST_FIELDS])
def test_list_answers_as_the_model(reference: Reference, path: str, parent: str | None,
                                   name: str) -> None:
    model = reference.model
    pools = Pools(model)
    gql_field = _field(parent, name)

    # Root lists cost one request per example; nested ones read every parent's list. The two
    # resolver paths share their loaders, and the filters with the compiled path: they get fewer.
    examples = max(1, EXAMPLES * (3 if parent is None else 1) // PATH_SHARE[path])

    @settings(max_examples=examples, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        args = data.draw(list_arguments(gql_field, pools), label="arguments")
        everything = ask(reference, path, parent, name, {**args, "first": 100})
        expected_rows: dict[int | None, list[dict[str, Any]]] = {}
        cursors: dict[int | None, dict[int, str]] = {}
        for pid, got in everything.items():
            rows = (model.root(name, args) if pid is None else
                    model.child(parent, name, model.by_id[TABLE_OF[parent]][pid], args))
            assert len(rows) <= 100, "the reference dataset keeps every list within one page"
            expected_rows[pid] = rows
            cursors[pid] = {_pk(e["node"]["id"]): e["cursor"] for e in got["edges"]}
            check_page(got, rows, {"first": 100}, cursors[pid], (parent, name, args, pid))
        if parent is not None:
            assert set(everything) == {r["id"] for r in model.tables[TABLE_OF[parent]]}
        # A page of it: one parent when cursors are involved (a cursor is a position in the
        # list it came from), every parent otherwise.
        pid = data.draw(st.sampled_from(sorted(expected_rows, key=lambda k: k or 0)), label="parent")
        rows = expected_rows[pid]
        positions = data.draw(window(len(rows)), label="page")
        page_args = {k: (cursors[pid][rows[v]["id"]] if k in ("after", "before") else v)
                     for k, v in positions.items()}
        if parent is not None and ("after" in page_args or "before" in page_args):
            parent_id = base64.urlsafe_b64encode(f"{parent}:{pid}".encode()).decode()
            got_pages = ask(reference, path, parent, name, {**args, **page_args}, parent_id)
        else:
            got_pages = ask(reference, path, parent, name, {**args, **page_args})
        for got_pid, got in got_pages.items():
            check_page(got, expected_rows[got_pid], page_args, cursors[got_pid],
                       (parent, name, args, page_args, got_pid))

    check()



def test_every_list_field_is_modelled() -> None:
    # Root lists and the lists nested in states, roll calls and alliances: a new one must be
    # added to the model (Model.root / Model.child) before this passes.
    assert {(p, n) for p, n in LIST_FIELDS} == {
        (None, "states"), (None, "resolutions"), (None, "sanctionsRegimes"),
        (None, "armsTransfers"), (None, "alliances"), (None, "sources"),
        ("State", "votes"), ("State", "armsSupplied"), ("State", "armsReceived"),
        ("State", "sanctionsAgainst"), ("State", "sanctionsImposed"), ("State", "memberships"),
        ("State", "allies"), ("Resolution", "votes"), ("Alliance", "members"),
        ("Alliance", "memberships"),
    }
