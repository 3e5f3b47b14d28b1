"""Each limit on a query's shape: accepted at the limit, refused one past it with its code.

The limits are tested on a throw-away schema that can nest without bound (the API's own is
shallower than the limits), then once more through the app on the real schema. The cost
limit and the time-outs have their own modules.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from graphql import get_introspection_query, parse
from starlette.testclient import TestClient
from toy_schema import (
    SETTINGS,
    assert_ok,
    children,
    codes,
    filter_of,
    nested,
    post,
    refusal,
    run,
)

from app.graphql.limits import INTROSPECTION_MAX_DEPTH, literal_depth
from app.main import create_app
from app.settings import load_settings

# --- depth -----------------------------------------------------------------------------

def test_depth_at_limit_is_accepted_and_one_past_is_refused() -> None:
    limit = SETTINGS.max_depth
    assert_ok(run("{ " + nested(limit) + " }"))
    error = refusal(run("{ " + nested(limit + 1) + " }"), "DEPTH_LIMIT_EXCEEDED")
    assert error.extensions["limit"] == limit and error.extensions["value"] == limit + 1
    assert f"depth {limit + 1}" in error.message and f"limit of {limit}" in error.message


@pytest.mark.parametrize("query", [
    # GraphQL Armor's bypass: an operation or fragment named like introspection.
    "query __schema { DEEP }",
    "query __type { DEEP }",
    "query { ...__schema } fragment __schema on Query { DEEP }",
    "query { ...__type } fragment __type on Query { DEEP }",
    # An alias named like introspection on a data field.
    "{ __schema: DEEP }",
], ids=["op-__schema", "op-__type", "fragment-__schema", "fragment-__type", "alias"])
def test_depth_limit_is_not_fooled_by_introspection_names(query: str) -> None:
    deep = nested(SETTINGS.max_depth + 1)
    refusal(run(query.replace("DEEP", deep)), "DEPTH_LIMIT_EXCEEDED")


def test_depth_counts_through_fragments() -> None:
    # items + (half - 2) children, then the fragment: the rest of the levels and a leaf.
    half = SETTINGS.max_depth // 2
    rest = SETTINGS.max_depth - half
    fragment = "fragment Deep on Item { " + children(rest) + " }"
    at_limit = "{ " + nested(half, leaf="...Deep") + " } " + fragment
    assert_ok(run(at_limit))
    past = "{ " + nested(half + 1, leaf="...Deep") + " } " + fragment
    refusal(run(past), "DEPTH_LIMIT_EXCEEDED")


def test_standard_introspection_query_is_accepted() -> None:
    result = run(get_introspection_query(descriptions=True))
    assert_ok(result)
    assert result.data["__schema"]["queryType"]["name"] == "Query"


def test_deep_introspection_is_refused() -> None:
    inner = "name"
    for _ in range(INTROSPECTION_MAX_DEPTH):
        inner = f"ofType {{ {inner} }}"
    query = "{ __type(name: \"Item\") { fields { type { " + inner + " } } } }"
    error = refusal(run(query), "DEPTH_LIMIT_EXCEEDED")
    assert error.extensions["limit"] == INTROSPECTION_MAX_DEPTH


# --- aliases ---------------------------------------------------------------------------

def aliased(count: int) -> str:
    return " ".join(f"a{index}: item {{ name }}" for index in range(count))


def test_aliases_at_limit_are_accepted_and_one_past_is_refused() -> None:
    limit = SETTINGS.max_aliases
    assert_ok(run("{ " + aliased(limit) + " }"))
    error = refusal(run("{ " + aliased(limit + 1) + " }"), "ALIAS_LIMIT_EXCEEDED")
    assert error.extensions["value"] == limit + 1
    assert f"{limit + 1} aliases" in error.message and f"limit is {limit}" in error.message


def test_aliases_in_a_fragment_count_each_time_it_is_spread() -> None:
    per_fragment = SETTINGS.max_aliases // 2 + 1
    query = "{ item { ...A } other: item { ...A } } fragment A on Item { " + " ".join(
        f"n{index}: name" for index in range(per_fragment)
    ) + " }"
    error = refusal(run(query), "ALIAS_LIMIT_EXCEEDED")
    assert error.extensions["value"] == 2 * per_fragment + 1


def test_fragments_spreading_each_other_twice_over_are_measured_quickly() -> None:
    # 40 fragments, each spreading the next twice: 2**40 aliased fields once expanded.
    # Measuring must stay linear in the document, and the answer must be a refusal.
    fragments = [f"fragment F{i} on Item {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40)]
    fragments.append("fragment F40 on Item { x: name }")
    query = "{ item { ...F0 } } " + " ".join(fragments)
    settings = load_settings(max_tokens=10_000)
    started = time.perf_counter()
    error = refusal(run(query, settings), "ALIAS_LIMIT_EXCEEDED")
    assert time.perf_counter() - started < 2
    assert error.extensions["value"] == 2**40


# --- tokens ----------------------------------------------------------------------------

def with_tokens(count: int) -> str:
    # `{ tags(names: [` and `]) }` are 9 tokens around the strings, one token each.
    return "{ tags(names: [" + '"x" ' * (count - 9) + "]) }"


def test_tokens_at_limit_are_accepted_and_one_past_is_refused() -> None:
    limit = SETTINGS.max_tokens
    assert_ok(run(with_tokens(limit)))
    error = refusal(run(with_tokens(limit + 1)), "TOKEN_LIMIT_EXCEEDED")
    assert f"more than {limit} tokens" in error.message


def test_huge_document_is_refused_without_being_parsed() -> None:
    started = time.perf_counter()
    refusal(run(with_tokens(2_000_000)), "TOKEN_LIMIT_EXCEEDED")
    assert time.perf_counter() - started < 1


# --- directives ------------------------------------------------------------------------

def with_directives(count: int) -> str:
    return "{ item { " + " ".join(f"n{i}: name @include(if: true)" for i in range(count)) + " } }"


def test_directives_at_limit_are_accepted_and_one_past_is_refused() -> None:
    limit = SETTINGS.max_directives
    # The aliases the query needs are not what this test is about.
    settings = load_settings(max_aliases=limit + 1, max_tokens=20 * limit)
    assert_ok(run(with_directives(limit), settings))
    error = refusal(run(with_directives(limit + 1), settings), "DIRECTIVE_LIMIT_EXCEEDED")
    assert f"{limit + 1} directives" in error.message and f"limit is {limit}" in error.message


# --- input depth -----------------------------------------------------------------------

def test_input_depth_at_limit_is_accepted_and_one_past_is_refused() -> None:
    limit = SETTINGS.max_input_depth
    assert_ok(run("{ count(where: %s) }" % filter_of(limit)))
    past = run("{ count(where: %s) }" % filter_of(limit + 1))
    error = refusal(past, "INPUT_DEPTH_LIMIT_EXCEEDED")
    assert f"{limit + 1} levels deep; the limit is {limit}" in error.message
    assert "'where'" in error.message


def test_input_depth_applies_to_variables_and_their_defaults() -> None:
    limit = SETTINGS.max_input_depth
    query = "query($w: Filter) { count(where: $w) }"

    def variable(depth: int) -> dict[str, Any]:
        value: dict[str, Any] = {"name": "x"}
        for _ in range(depth - 1):
            value = {"not": value}
        return value

    assert_ok(run(query, variable_values={"w": variable(limit)}))
    error = refusal(run(query, variable_values={"w": variable(limit + 1)}),
                    "INPUT_DEPTH_LIMIT_EXCEEDED")
    assert "$w" in error.message
    deep_default = "query($w: Filter = %s) { count(where: $w) }" % filter_of(limit + 1)
    refusal(run(deep_default), "INPUT_DEPTH_LIMIT_EXCEEDED")


def test_lists_count_as_input_levels() -> None:
    value = parse('{ count(where: { any: [{ name: "x" }] }) }').definitions[0]
    argument = value.selection_set.selections[0].arguments[0]  # type: ignore[attr-defined]
    assert literal_depth(argument.value) == 3


# --- through the app, on the real schema -----------------------------------------------

def test_app_enforces_the_limits_on_its_schema(migrated_db: str) -> None:
    app = create_app(load_settings(database_url=migrated_db, max_depth=5))
    with TestClient(app) as client:
        assert post(client, "{ states(first: 1) { nodes { iso3 } } }") == {
            "data": {"states": {"nodes": []}}
        }
        five = "{ states { nodes { armsSupplied { nodes { weaponDesignation } } } } }"
        assert codes(post(client, five)) == []
        six = "{ states { nodes { armsSupplied { nodes { recipient { iso3 } } } } } }"
        assert codes(post(client, six)) == ["DEPTH_LIMIT_EXCEEDED"]


def test_app_page_size_at_limit_is_accepted_and_one_past_is_refused(migrated_db: str) -> None:
    app = create_app(load_settings(database_url=migrated_db))
    with TestClient(app) as client:
        assert codes(post(client, "{ states(first: 100) { totalCount } }")) == []
        assert codes(post(client, "{ states(first: 101) { totalCount } }")) == [
            "PAGE_SIZE_EXCEEDED"
        ]


def test_app_filters_nested_to_the_input_depth_limit_work(migrated_db: str) -> None:
    # Each relation level is a nested EXISTS; at the limit SQLite's parser must still cope.
    limit = SETTINGS.max_input_depth
    relations = (limit - 2) // 2
    assert 2 * relations + 2 == limit, "the chain below assumes an even limit"
    chain = ("{ armsSupplied: { recipient: " * relations + '{ iso3: { eq: "RUS" } }'
             + " } }" * relations)
    past = "{ not: " + chain + " }"
    app = create_app(load_settings(database_url=migrated_db))
    with TestClient(app) as client:
        assert post(client, "{ states(where: %s) { totalCount } }" % chain) == {
            "data": {"states": {"totalCount": 0}}
        }
        body = post(client, "{ states(where: %s) { totalCount } }" % past)
        assert codes(body) == ["INPUT_DEPTH_LIMIT_EXCEEDED"], body


def test_app_alias_token_and_directive_limits(migrated_db: str) -> None:
    settings = load_settings(database_url=migrated_db)

    def aliases(count: int) -> str:
        return "{ " + " ".join(f"a{i}: states(first: 1) {{ totalCount }}"
                               for i in range(count)) + " }"

    def tokens(count: int) -> str:
        # 20 tokens around the list of strings, one token each.
        return ('{ states(where: { iso3: { in: [' + '"X" ' * (count - 20)
                + "] } }) { totalCount } }")

    def directives(count: int) -> str:
        return "{ states(first: 1) { " + " totalCount @include(if: true)" * count + " } }"

    with TestClient(create_app(settings)) as client:
        for build, limit, code in [
            (aliases, settings.max_aliases, "ALIAS_LIMIT_EXCEEDED"),
            (tokens, settings.max_tokens, "TOKEN_LIMIT_EXCEEDED"),
            (directives, settings.max_directives, "DIRECTIVE_LIMIT_EXCEEDED"),
        ]:
            assert codes(post(client, build(limit))) == [], code
            assert codes(post(client, build(limit + 1))) == [code]


def test_app_depth_limit_is_not_fooled_by_an_operation_named_schema(migrated_db: str) -> None:
    app = create_app(load_settings(database_url=migrated_db, max_depth=5))
    six = "{ states { nodes { armsSupplied { nodes { recipient { iso3 } } } } } }"
    with TestClient(app) as client:
        assert codes(post(client, "query __schema " + six)) == ["DEPTH_LIMIT_EXCEEDED"]
        fragment = "query { ...__type } fragment __type on Query " + six
        assert codes(post(client, fragment)) == ["DEPTH_LIMIT_EXCEEDED"]
        # The real introspection query still works with the data limit this low.
        assert codes(post(client, get_introspection_query())) == []
