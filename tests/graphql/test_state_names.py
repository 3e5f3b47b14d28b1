"""A state's names and codes: the `name` filter over every alias, `aliases`, and `state(...)` by
ISO3, ISO2, M49 or COW code, on both databases and every execution path.

The states and aliases are written here (the names are those of the seeds and of the real
country-codes list), so each answer is known exactly whatever the loaders write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from app.db import create_sync_engine
from app.models import State
from app.services.names import sync_aliases
from app.services.statements import ensure_datasets

# iso3, iso2, m49, cow, display name, official name, UN membership ended
STATES = [
    ("CHN", "CN", 156, 710, "China", None, None),
    ("PRK", "KP", 408, 731, "North Korea", None, None),
    ("LAO", "LA", 418, 812, "Laos", "Lao People's Democratic Republic", None),
    ("RUS", "RU", 643, 365, "Russia", None, None),
    ("CIV", "CI", 384, 437, "Côte d'Ivoire", None, None),
    ("KOR", "KR", 410, 732, "South Korea", "Republic of Korea", None),
    ("TUR", "TR", 792, 640, "Türkiye", None, None),  # no alias at all
    # Shares Russia's COW number, and is written after it (a later id).
    ("SUN", None, 810, 365, "Soviet Union", None, dt.date(1991, 12, 24)),
]

# As the country-codes list writes them (UN, ISO names): curly and straight apostrophes.
COUNTRY_CODES = {
    "CHN": ["China", "China (the People's Republic of)"],
    "PRK": ["North Korea", "Democratic People’s Republic of Korea"],
    "LAO": ["Laos", "Lao People’s Democratic Republic"],
    "RUS": ["Russia", "Russian Federation", "Russian Federation (the)"],
    "CIV": ["Côte d’Ivoire", "Côte d'Ivoire"],
}

STATES_QUERY = "query($w: StateWhere) { states(where: $w, first: 100) { nodes { iso3 } } }"


class Names:
    """The database and one client per execution path."""

    def __init__(self, url: str, clients: tuple[TestClient, ...]) -> None:
        self.url = url
        self.clients = clients

    def write(self, dataset: str, names: dict[str, list[str]]) -> None:
        """``dataset``'s aliases of these states, as a loader writes them."""
        engine = create_sync_engine(self.url)
        try:
            with engine.begin() as connection:
                ids = dict(connection.execute(sa.select(State.iso3, State.id)).all())
                dataset_id = ensure_datasets(connection, [dataset])[dataset]
                sync_aliases(connection, dataset_id, {ids[iso3]: n for iso3, n in names.items()})
        finally:
            engine.dispose()

    def bodies(self, query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The response of every path, checked to be the same."""
        bodies = [client.post("/graphql", json={"query": query, "variables": variables or {}}).json()
                  for client in self.clients]
        assert all(body == bodies[0] for body in bodies[1:]), bodies
        return bodies

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.bodies(query, variables)[0]
        assert "errors" not in body, body
        return body["data"]

    def error(self, query: str) -> dict[str, Any]:
        body = self.bodies(query)[0]
        assert body.get("errors") and body.get("data") == {"state": None}, body
        return body["errors"][0]

    def states(self, name: dict[str, Any]) -> list[str]:
        return [n["iso3"] for n in self.data(STATES_QUERY, {"w": {"name": name}})["states"]["nodes"]]


@pytest.fixture
def names(migrated_db: str, every_path: Callable[..., tuple[TestClient, ...]]) -> Iterator[Names]:
    engine = create_sync_engine(migrated_db)
    try:
        with engine.begin() as connection:
            connection.execute(sa.insert(State), [
                {"iso3": iso3, "iso2": iso2, "m49": m49, "cow_code": cow, "name": name,
                 "official_name": official, "un_member_until": until, "un_observer": False}
                for iso3, iso2, m49, cow, name, official, until in STATES])
    finally:
        engine.dispose()
    found = Names(migrated_db, every_path(migrated_db))
    # What the seed loader writes: each state's display and official names.
    found.write("seeds", {iso3: [n for n in (name, official) if n]
                          for iso3, _, _, _, name, official, _ in STATES if iso3 != "TUR"})
    yield found


def test_an_alias_is_found_once_its_dataset_wrote_it(names: Names) -> None:
    assert names.states({"contains": "Russian Federation"}) == []
    names.write("country-codes", COUNTRY_CODES)
    assert names.states({"contains": "Russian Federation"}) == ["RUS"]
    assert names.states({"eq": "russian federation (the)"}) == ["RUS"]


def test_either_apostrophe_finds_names_written_with_either(names: Names) -> None:
    names.write("country-codes", COUNTRY_CODES)
    # China only by "China (the People's Republic of)", North Korea only by a curly apostrophe,
    # Laos by both.
    assert names.states({"contains": "People's"}) == ["CHN", "LAO", "PRK"]
    assert names.states({"contains": "People’s"}) == ["CHN", "LAO", "PRK"]
    assert names.states({"eq": "Democratic People's Republic of Korea"}) == ["PRK"]


def test_accents_and_case_are_ignored(names: Names) -> None:
    names.write("country-codes", COUNTRY_CODES)
    for spelling in ("Cote d'Ivoire", "Côte d’Ivoire", "COTE D'IVOIRE", "cote divoire"):
        assert names.states({"eq": spelling}) == ["CIV"], spelling
    assert names.states({"startsWith": "CÔTE"}) == ["CIV"]
    assert names.states({"in": ["RUSSIA", "laos", "Nowhere"]}) == ["LAO", "RUS"]


def test_a_state_without_aliases_matches_its_folded_display_name(names: Names) -> None:
    # Türkiye has no alias row: its display name is folded in SQL.
    assert names.states({"eq": "turkiye"}) == ["TUR"]
    assert names.states({"startsWith": "TÜR"}) == ["TUR"]
    assert names.states({"contains": "rkiy"}) == ["TUR"]


def test_negative_and_ordering_operators(names: Names) -> None:
    names.write("country-codes", COUNTRY_CODES)
    everyone = sorted(row[0] for row in STATES)
    # neq and notIn: no name of the state may match.
    assert names.states({"neq": "Russian Federation"}) == [c for c in everyone if c != "RUS"]
    assert names.states({"notIn": ["lao people's democratic republic", "china"]}) == [
        c for c in everyone if c not in ("CHN", "LAO")]
    # One name must meet every positive operator.
    assert names.states({"startsWith": "Democratic", "contains": "Korea"}) == ["PRK"]
    assert names.states({"startsWith": "North", "contains": "Democratic"}) == []
    # lt, gte ... compare the display name only: "Russia" < "Russian", whatever its aliases.
    assert names.states({"gte": "Russian"}) == ["KOR", "SUN", "TUR"]
    assert names.states({"isNull": False}) == everyone
    # `not` of a name filter.
    data = names.data(STATES_QUERY, {"w": {"not": {"name": {"contains": "korea"}}}})
    assert [n["iso3"] for n in data["states"]["nodes"]] == [
        c for c in everyone if c not in ("KOR", "PRK")]


def test_wildcards_in_a_name_filter_are_literal(names: Names) -> None:
    assert names.states({"contains": "%"}) == []
    assert names.states({"startsWith": "_"}) == []


def test_aliases_are_listed_sorted_with_their_dataset(names: Names) -> None:
    names.write("country-codes", COUNTRY_CODES)
    expected = [
        {"name": "Côte d'Ivoire", "dataset": "country-codes"},
        {"name": "Côte d'Ivoire", "dataset": "seeds"},
        {"name": "Côte d’Ivoire", "dataset": "country-codes"},
    ]
    assert names.data('{ state(iso3: "CIV") { aliases { name dataset } } }')["state"] == {
        "aliases": expected}
    data = names.data("{ states(first: 100) { nodes { iso3 aliases { __typename name } } } }")
    by_state = {n["iso3"]: [a["name"] for a in n["aliases"]] for n in data["states"]["nodes"]}
    assert by_state["TUR"] == []
    assert by_state["PRK"] == ["Democratic People’s Republic of Korea", "North Korea", "North Korea"]
    assert by_state["RUS"] == ["Russia", "Russia", "Russian Federation", "Russian Federation (the)"]


@pytest.mark.parametrize(("argument", "value", "expected"), [
    ("iso3", '"rus"', "RUS"), ("iso2", '"ru"', "RUS"), ("m49", "643", "RUS"),
    ("m49", "810", "SUN"), ("cowCode", "731", "PRK"),
    # Russia and the Soviet Union share COW 365: the state that has not left the UN.
    ("cowCode", "365", "RUS"),
    ("iso2", '"XX"', None), ("m49", "999", None), ("cowCode", "1", None),
])
def test_state_by_any_code(names: Names, argument: str, value: str, expected: str | None) -> None:
    state = names.data(f"{{ state({argument}: {value}) {{ iso3 }} }}")["state"]
    assert state == ({"iso3": expected} if expected else None)


def test_state_needs_exactly_one_code(names: Names) -> None:
    error = names.error("{ state { iso3 } }")
    assert "iso3, iso2, m49, cowCode" in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    error = names.error('{ state(iso3: "RUS", cowCode: 365) { iso3 } }')
    assert "iso3 and cowCode" in error["message"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "cowCode"}


def test_a_name_filter_is_one_statement(names: Names) -> None:
    client = names.clients[0]  # the compiled path
    engine = client.app.state.engine  # type: ignore[attr-defined]
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])
    sa.event.listen(engine.sync_engine, "before_cursor_execute", listen)
    try:
        names.clients[0].post("/graphql", json={"query": STATES_QUERY,
                                                "variables": {"w": {"name": {"contains": "korea"}}}})
    finally:
        sa.event.remove(engine.sync_engine, "before_cursor_execute", listen)
    assert len(statements) == 1 and "state_alias" in statements[0]
