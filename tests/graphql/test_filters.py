"""Every filter operator and relation filter, checked against answers computed in the test."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

STATES = "query($w: StateWhere) { states(where: $w, first: 100) { totalCount nodes { iso3 } } }"


def _states(api, where: dict[str, Any]) -> set[str]:
    result = api.data(STATES, {"w": where})["states"]
    assert result["totalCount"] <= 100 or len(result["nodes"]) == 100
    codes = {node["iso3"] for node in result["nodes"]}
    if result["totalCount"] > 100:  # fetch the rest so sets compare whole
        after = None
        codes = set()
        while True:
            page = api.data("query($w: StateWhere, $a: String) { states(where: $w, first: 100, after: $a) "
                            "{ nodes { iso3 } pageInfo { hasNextPage endCursor } } }", {"w": where, "a": after})
            codes |= {n["iso3"] for n in page["states"]["nodes"]}
            if not page["states"]["pageInfo"]["hasNextPage"]:
                break
            after = page["states"]["pageInfo"]["endCursor"]
    return codes


@pytest.fixture
def rows(sql) -> list[Any]:
    return list(sql.execute(sa.text("SELECT iso3, name, m49, un_member_from, un_observer, region FROM state")))


CASES = [
    ({"iso3": {"eq": "FRA"}}, lambda r: r.iso3 == "FRA"),
    ({"iso3": {"neq": "FRA"}}, lambda r: r.iso3 != "FRA"),
    ({"iso3": {"in": ["FRA", "DEU", "XXX"]}}, lambda r: r.iso3 in {"FRA", "DEU"}),
    ({"iso3": {"notIn": ["FRA", "DEU"]}}, lambda r: r.iso3 not in {"FRA", "DEU"}),
    ({"iso3": {"lt": "BEL"}}, lambda r: r.iso3 < "BEL"),
    ({"iso3": {"lte": "BEL"}}, lambda r: r.iso3 <= "BEL"),
    ({"iso3": {"gt": "VEN"}}, lambda r: r.iso3 > "VEN"),
    ({"iso3": {"gte": "VEN"}}, lambda r: r.iso3 >= "VEN"),
    ({"name": {"contains": "guinea"}}, lambda r: "guinea" in r.name.lower()),
    ({"name": {"startsWith": "s"}}, lambda r: r.name.lower().startswith("s")),
    ({"m49": {"isNull": True}}, lambda r: r.m49 is None),
    ({"m49": {"gte": 800}}, lambda r: r.m49 is not None and r.m49 >= 800),
    ({"unMemberFrom": {"gt": "2000-01-01"}},
     lambda r: r.un_member_from is not None and str(r.un_member_from) > "2000-01-01"),
    ({"unObserver": {"eq": True}}, lambda r: bool(r.un_observer)),
    ({"or": [{"iso3": {"eq": "FRA"}}, {"iso3": {"eq": "DEU"}}]}, lambda r: r.iso3 in {"FRA", "DEU"}),
    ({"and": [{"iso3": {"startsWith": "B"}}, {"name": {"contains": "ia"}}]},
     lambda r: r.iso3.startswith("B") and "ia" in r.name.lower()),
    ({"not": {"region": {"eq": "Europe"}}}, lambda r: r.region != "Europe"),
]


@pytest.mark.parametrize(("where", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_scalar_operators(api, rows, where, expected) -> None:
    assert _states(api, where) == {r.iso3 for r in rows if expected(r)}


def _codes(sql, query: str) -> set[str]:
    return {row[0] for row in sql.execute(sa.text(query))}


def test_voted_relation(api, sql) -> None:
    expected = _codes(sql, "SELECT s.iso3 FROM state s JOIN vote v ON v.state_id = s.id JOIN resolution r "
                           "ON r.id = v.resolution_id WHERE r.symbol = 'A/RES/ES-11/1' AND v.position = 'ABSTAIN'")
    assert _states(api, {"voted": {"resolution": "A/RES/ES-11/1", "position": "ABSTAIN"}}) == expected
    both = _states(api, {"voted": {"resolution": "A/RES/ES-11/4", "positionIn": ["NO", "ABSTAIN"]}})
    assert {"RUS", "CHN", "IND"} <= both and "UKR" not in both


def test_arms_relations(api, sql) -> None:
    suppliers = _codes(sql, "SELECT DISTINCT s.iso3 FROM state s JOIN arms_transfer t ON t.supplier_state_id = s.id "
                            "JOIN state r ON r.id = t.recipient_state_id WHERE r.iso3 = 'RUS'")
    assert _states(api, {"armsSupplied": {"recipient": {"iso3": {"eq": "RUS"}}}}) == suppliers
    assert {"IRN", "PRK"} <= suppliers
    assert _states(api, {"armsReceived": {"supplier": {"iso3": {"eq": "IRN"}}}}) >= {"RUS"}
    uav = _states(api, {"armsSupplied": {"category": {"eq": "UAV"}, "recipient": {"iso3": {"eq": "RUS"}}}})
    assert "IRN" in uav and "PRK" not in uav


def test_sanctioned_by_and_member_of(api, sql) -> None:
    targets = _codes(sql, "SELECT DISTINCT s.iso3 FROM state s JOIN sanctions_regime r ON r.target_state_id = s.id "
                          "WHERE r.authority = 'European Union'")
    assert _states(api, {"sanctionedBy": {"regime": {"authority": {"eq": "European Union"}}}}) == targets
    assert "RUS" in targets
    nato_2021 = _states(api, {"memberOf": {"alliance": {"key": {"eq": "NATO"}}, "asOf": "2021-06-01"}})
    assert len(nato_2021) == 30 and "FIN" not in nato_2021


def test_transfer_filters(api, sql) -> None:
    query = "query($w: ArmsTransferWhere) { armsTransfers(where: $w, first: 100) { totalCount nodes { weaponDesignation } } }"
    shahed = api.data(query, {"w": {"supplier": {"iso3": {"eq": "IRN"}}, "recipient": {"iso3": {"eq": "RUS"}},
                                     "weaponDesignation": {"startsWith": "shahed"}}})["armsTransfers"]
    assert {"Shahed-131", "Shahed-136", "Shahed-238"} <= {n["weaponDesignation"] for n in shahed["nodes"]}
    for field, value in (("evidence", "CONFIRMED"), ("status", "DELIVERED")):
        expected = sql.execute(sa.text(f"SELECT count(*) FROM arms_transfer WHERE {field} = :v"), {"v": value}).scalar()
        got = api.data(query, {"w": {field: {"eq": value}}})["armsTransfers"]["totalCount"]
        assert got == expected, field
    years = api.data(query, {"w": {"orderedYear": {"gte": 2023, "lte": 2024}}})["armsTransfers"]["totalCount"]
    assert years == sql.execute(sa.text(
        "SELECT count(*) FROM arms_transfer WHERE ordered_year BETWEEN 2023 AND 2024")).scalar()


def test_resolution_filters(api) -> None:
    query = "query($w: ResolutionWhere) { resolutions(where: $w) { totalCount nodes { symbol } } }"
    es11 = api.data(query, {"w": {"symbol": {"startsWith": "A/RES/ES-11/"}, "body": {"eq": "GENERAL_ASSEMBLY"}}})
    assert es11["resolutions"]["totalCount"] == 6
    since_2023 = api.data(query, {"w": {"votedOn": {"gte": dt.date(2023, 1, 1).isoformat()}}})
    assert {n["symbol"] for n in since_2023["resolutions"]["nodes"]} == {"A/RES/ES-11/6"}
    russia_no = api.data(query, {"w": {"votes": {"state": {"iso3": {"eq": "RUS"}}, "position": {"eq": "NO"}}}})
    assert russia_no["resolutions"]["totalCount"] == 7


def test_where_compiles_to_one_statement(api) -> None:
    query = ('{ states(where: { voted: { resolution: "A/RES/ES-11/4", position: NO }, '
             'armsSupplied: { recipient: { iso3: { eq: "RUS" } }, violates: { code: { contains: "1718" } } }, '
             'or: [{ memberOf: { alliance: { key: { eq: "CSTO" } } } }, { name: { contains: "korea" } }] }) '
             '{ nodes { iso3 } } }')
    assert api.count_statements(query) == 1
    # The total, when asked for, is counted in the same statement.
    assert api.count_statements(query.replace("{ nodes", "{ totalCount nodes")) == 1
