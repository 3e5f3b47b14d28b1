"""Connections: pages in both directions, no gaps or repeats, page-size cap, cursors."""

from __future__ import annotations

import pytest

PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  states(first: $first, after: $after, last: $last, before: $before, orderBy: [{name: ASC}]) {
    totalCount edges { cursor node { iso3 } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


def _all(api) -> list[str]:
    codes, after = [], None
    while True:
        page = api.data(PAGE, {"first": 100, "after": after})["states"]
        codes += [e["node"]["iso3"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return codes
        after = page["pageInfo"]["endCursor"]


def test_forward_pages_cover_the_list_once(api) -> None:
    everything = _all(api)
    assert len(everything) >= 195
    seen, after, pages = [], None, 0
    while True:
        page = api.data(PAGE, {"first": 17, "after": after})["states"]
        assert page["totalCount"] == len(everything)
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += [e["node"]["iso3"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert len(page["edges"]) == 17
        after = page["pageInfo"]["endCursor"]
    assert seen == everything
    assert pages == -(-len(everything) // 17)


def test_backward_pages_cover_the_list_once(api) -> None:
    everything = _all(api)
    seen, before = [], None
    while True:
        page = api.data(PAGE, {"last": 23, "before": before})["states"]
        seen = [e["node"]["iso3"] for e in page["edges"]] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert seen == everything


def test_cursors_are_stable_between_requests(api) -> None:
    first = api.data(PAGE, {"first": 5})["states"]["edges"]
    again = api.data(PAGE, {"first": 5})["states"]["edges"]
    assert first == again
    after_third = api.data(PAGE, {"first": 2, "after": first[2]["cursor"]})["states"]["edges"]
    assert [e["node"] for e in after_third] == [e["node"] for e in first[3:5]]


def test_default_page_is_50(api) -> None:
    page = api.data("{ states { nodes { iso3 } pageInfo { hasNextPage } } }")["states"]
    assert len(page["nodes"]) == 50 and page["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("argument", ["first", "last"])
def test_page_size_is_capped_at_100(api, argument: str) -> None:
    assert len(api.data(f"{{ states({argument}: 100) {{ nodes {{ iso3 }} }} }}")["states"]["nodes"]) == 100
    error = api.error(f"{{ states({argument}: 101) {{ nodes {{ iso3 }} }} }}")
    assert error["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"
    assert argument in error["message"] and "100" in error["message"]


def test_nested_page_size_cap(api) -> None:
    error = api.error('{ state(iso3: "RUS") { votes(first: 500) { totalCount } } }')
    assert error["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"


def test_bad_cursor_names_the_argument(api) -> None:
    error = api.error('{ states(after: "nonsense") { nodes { iso3 } } }')
    assert error["extensions"]["argument"] == "after"


def test_nested_pages(api) -> None:
    query = """query($after: String) { resolution(symbol: "A/RES/ES-11/4") {
      votes(first: 50, after: $after) { totalCount nodes { state { iso3 } } pageInfo { hasNextPage endCursor } } } }"""
    seen, after = [], None
    while True:
        votes = api.data(query, {"after": after})["resolution"]["votes"]
        seen += [n["state"]["iso3"] for n in votes["nodes"]]
        if not votes["pageInfo"]["hasNextPage"]:
            break
        after = votes["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == votes["totalCount"] == 193
    assert seen == sorted(seen)


def test_order_by_needs_one_key_per_item(api) -> None:
    error = api.error("{ states(orderBy: [{name: ASC, iso3: DESC}]) { nodes { iso3 } } }")
    assert error["extensions"]["argument"] == "orderBy"


@pytest.mark.parametrize("cursor", ["nonsense", "b2Zmc2V0OmFiYw==", "c3RhdGU6MTI=", "", "YWJj"],
                         ids=["not-base64", "offset-not-a-number", "a-global-id", "empty",
                              "base64-of-other-text"])
@pytest.mark.parametrize("argument", ["after", "before"])
def test_a_cursor_that_is_not_ours_is_refused_by_name(api, cursor: str, argument: str) -> None:
    # "b2Zmc2V0OmFiYw==" is base64 of "offset:abc"; "c3RhdGU6MTI=" of "state:12" (an id).
    body = api.post(PAGE, {"first": 2, argument: cursor})
    assert body.get("data") is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["message"] == (
        f"{argument}: {cursor!r} is not a cursor of this API; pass a `cursor` or "
        "`pageInfo.endCursor`/`startCursor` value from an earlier page.")
