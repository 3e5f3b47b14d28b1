"""Retired rows: what a newer release dropped is left out of lists and relation filters unless a
filter's `retired` asks for it, and says which release dropped it (`retiredBy`).

Rows are written here with plain INSERTs: South Korea supplied one transfer, which the 2025
release dropped; Iran supplied a current one. A regime, an alliance and a membership are
retired likewise. Every execution path (compiled, batched resolvers, graphql-core) must give
the same answers, and the number of SQL statements must not depend on how many rows are retired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from app.db import create_sync_engine
from app.graphql.types.node import global_id
from app.models import metadata
from tests.graphql.conftest import Api

DROPPED_BY = "SIPRI trade register, March 2025"


def _write(url: str) -> dict[str, int]:
    t = metadata.tables
    engine = create_sync_engine(url)
    ids: dict[str, int] = {}
    with engine.begin() as connection:
        def insert(table: str, key: str, row: dict[str, Any]) -> int:
            ids[key] = connection.execute(
                t[table].insert().returning(t[table].c.id), row).scalar_one()
            return ids[key]

        for iso3, name in (("IRN", "Iran"), ("KOR", "South Korea"), ("RUS", "Russia"),
                           ("UKR", "Ukraine"), ("USA", "United States")):
            insert("state", iso3, {"iso3": iso3, "name": name})
        insert("source", "2024", {"key": "sipri-2024", "title": "SIPRI 2024", "publisher": "SIPRI"})
        dropped = insert("source", "2025", {"key": "sipri-2025", "title": DROPPED_BY,
                                            "publisher": "SIPRI"})
        for key, supplier, recipient, retired in (("t:current", "IRN", "RUS", None),
                                                  ("t:dropped", "KOR", "UKR", dropped)):
            insert("arms_transfer", key, {
                "external_id": key, "supplier_state_id": ids[supplier], "supplier_name": supplier,
                "supplier_kind": "STATE", "recipient_state_id": ids[recipient],
                "recipient_name": recipient, "recipient_kind": "STATE",
                "weapon_designation": key, "category": "UAV", "status": "DELIVERED",
                "evidence": "REPORTED", "retired_by_source_id": retired})
        for code, target, retired in (("US-RUS", "RUS", None), ("US-IRN", "IRN", dropped)):
            insert("sanctions_regime", code, {
                "code": code, "name": code, "authority": "United States",
                "authority_state_id": ids["USA"], "target_state_id": ids[target],
                "retired_by_source_id": retired})
        for key, retired in (("NATO", None), ("OLD-PACT", dropped)):
            insert("alliance", key, {"key": key, "name": key, "kind": "DEFENSE_PACT",
                                     "retired_by_source_id": retired})
        for alliance, iso3, retired in (("NATO", "USA", None), ("NATO", "KOR", dropped),
                                        ("OLD-PACT", "UKR", None)):
            insert("alliance_membership", f"{alliance}:{iso3}", {
                "alliance_id": ids[alliance], "state_id": ids[iso3],
                "joined_on": dt.date(2000, 1, 1), "retired_by_source_id": retired})
    engine.dispose()
    return ids


@pytest.fixture
def written(migrated_db: str, every_path: Callable[..., tuple[TestClient, ...]]
            ) -> tuple[dict[str, int], tuple[TestClient, ...], str]:
    return _write(migrated_db), every_path(migrated_db), migrated_db


def _answers(clients: tuple[TestClient, ...], query: str) -> dict[str, Any]:
    """The query's data, the same on every execution path."""
    answers = []
    for client in clients:
        body = client.post("/graphql", json={"query": query}).json()
        assert "errors" not in body, body
        answers.append(body["data"])
    assert all(answer == answers[0] for answer in answers), answers
    return answers[0]


def _keys(connection: dict[str, Any], key: str = "externalId") -> list[str]:
    return [node[key] for node in connection["nodes"]]


def test_a_retired_transfer_is_left_out_unless_asked_for(written: Any) -> None:
    _, clients, _ = written
    data = _answers(clients, """{
      current: armsTransfers { totalCount nodes { externalId retiredBy { title } } }
      retired: armsTransfers(where: { retired: true }) {
        totalCount nodes { externalId retiredBy { title } } }
      notRetired: armsTransfers(where: { retired: false }) { nodes { externalId } }
      korea: state(iso3: "KOR") {
        armsSupplied { totalCount nodes { externalId } }
        dropped: armsSupplied(where: { retired: true }) { nodes { externalId retiredBy { title } } }
      }
      ukraine: state(iso3: "UKR") { armsReceived { nodes { externalId } } }
      suppliers: states(where: { armsSupplied: {} }) { nodes { iso3 } }
      retiredSuppliers: states(where: { armsSupplied: { retired: true } }) { nodes { iso3 } }
    }""")
    assert data["current"] == {"totalCount": 1,
                               "nodes": [{"externalId": "t:current", "retiredBy": None}]}
    assert data["retired"] == {"totalCount": 1, "nodes": [
        {"externalId": "t:dropped", "retiredBy": {"title": DROPPED_BY}}]}
    assert _keys(data["notRetired"]) == ["t:current"]
    assert data["korea"]["armsSupplied"] == {"totalCount": 0, "nodes": []}
    assert data["korea"]["dropped"]["nodes"] == [
        {"externalId": "t:dropped", "retiredBy": {"title": DROPPED_BY}}]
    assert _keys(data["ukraine"]["armsReceived"]) == []
    assert _keys(data["suppliers"], "iso3") == ["IRN"]
    assert _keys(data["retiredSuppliers"], "iso3") == ["KOR"]


def test_the_default_applies_once_at_the_top_not_inside_not(written: Any) -> None:
    _, clients, _ = written
    data = _answers(clients, """{
      notCurrent: armsTransfers(where: { not: { weaponDesignation: { eq: "t:current" } } }) {
        nodes { externalId } }
      notRetired: armsTransfers(where: { not: { retired: true } }) { nodes { externalId } }
      inOr: armsTransfers(where: { or: [{ retired: true }, { weaponDesignation: { eq: "t:current" } }] }) {
        nodes { externalId } }
      retiredNotCurrent: armsTransfers(where: { retired: true,
                                                not: { weaponDesignation: { eq: "t:current" } } }) {
        nodes { externalId } }
      nonSuppliers: states(where: { not: { armsSupplied: {} } }) { nodes { iso3 } }
    }""")
    # `not` of a condition is not `not` of "current and the condition": no retired row appears.
    assert _keys(data["notCurrent"]) == []
    assert _keys(data["notRetired"]) == ["t:current"]
    # Inside `or` the default of the top still holds.
    assert _keys(data["inOr"]) == ["t:current"]
    assert _keys(data["retiredNotCurrent"]) == ["t:dropped"]
    # South Korea supplied only a retired transfer: it supplied no current one.
    assert _keys(data["nonSuppliers"], "iso3") == ["KOR", "RUS", "UKR", "USA"]


def test_retired_regimes_alliances_and_memberships(written: Any) -> None:
    _, clients, _ = written
    data = _answers(clients, """{
      regimes: sanctionsRegimes { nodes { code } }
      retiredRegimes: sanctionsRegimes(where: { retired: true }) { nodes { code retiredBy { title } } }
      iran: state(iso3: "IRN") {
        sanctionsAgainst { nodes { code } }
        dropped: sanctionsAgainst(where: { retired: true }) { nodes { code } }
      }
      sanctioned: states(where: { sanctionedBy: {} }) { nodes { iso3 } }
      sanctionedRetired: states(where: { sanctionedBy: { regime: { retired: true } } }) { nodes { iso3 } }
      alliances { nodes { key } }
      retiredAlliances: alliances(where: { retired: true }) { nodes { key retiredBy { title } } }
      nato: alliance(key: "NATO") {
        memberships { nodes { state { iso3 } retiredBy { title } } }
        dropped: memberships(where: { retired: true }) { nodes { state { iso3 } retiredBy { title } } }
        members(asOf: "2024-01-01") { nodes { iso3 } }
      }
      members: states(where: { memberOf: {} }) { nodes { iso3 } }
      inRetiredAlliance: states(where: { memberOf: { alliance: { retired: true } } }) { nodes { iso3 } }
      withKorea: alliances(where: { hasMember: { iso3: { eq: "KOR" } } }) { nodes { key } }
    }""")
    assert _keys(data["regimes"], "code") == ["US-RUS"]
    assert data["retiredRegimes"]["nodes"] == [{"code": "US-IRN", "retiredBy": {"title": DROPPED_BY}}]
    assert data["iran"] == {"sanctionsAgainst": {"nodes": []},
                            "dropped": {"nodes": [{"code": "US-IRN"}]}}
    assert _keys(data["sanctioned"], "iso3") == ["RUS"]
    assert _keys(data["sanctionedRetired"], "iso3") == ["IRN"]
    assert _keys(data["alliances"], "key") == ["NATO"]
    assert data["retiredAlliances"]["nodes"] == [{"key": "OLD-PACT", "retiredBy": {"title": DROPPED_BY}}]
    assert data["nato"] == {
        "memberships": {"nodes": [{"state": {"iso3": "USA"}, "retiredBy": None}]},
        "dropped": {"nodes": [{"state": {"iso3": "KOR"}, "retiredBy": {"title": DROPPED_BY}}]},
        "members": {"nodes": [{"iso3": "USA"}]},
    }
    # Ukraine's membership is current, but of a retired alliance; Korea's is retired.
    assert _keys(data["members"], "iso3") == ["USA"]
    assert _keys(data["inRetiredAlliance"], "iso3") == ["UKR"]
    assert _keys(data["withKorea"], "key") == []


def test_node_still_returns_a_retired_row(written: Any) -> None:
    ids, clients, _ = written
    transfer = global_id("ArmsTransfer", ids["t:dropped"])
    regime = global_id("SanctionsRegime", ids["US-IRN"])
    data = _answers(clients, (
        f'{{ node(id: "{transfer}") {{ ... on ArmsTransfer {{ externalId retiredBy {{ title }} }} }} '
        f'nodes(ids: ["{regime}"]) {{ ... on SanctionsRegime {{ code retiredBy {{ title }} }} }} '
        '  sanctionsRegime(code: "US-IRN") { code retiredBy { title } } }'))
    assert data["node"] == {"externalId": "t:dropped", "retiredBy": {"title": DROPPED_BY}}
    assert data["nodes"] == [{"code": "US-IRN", "retiredBy": {"title": DROPPED_BY}}]
    assert data["sanctionsRegime"] == {"code": "US-IRN", "retiredBy": {"title": DROPPED_BY}}


def test_statements_do_not_depend_on_retired_rows(written: Any) -> None:
    ids, clients, url = written
    query = ("{ states { nodes { iso3 armsSupplied(where: { retired: true }) { nodes { "
             "externalId retiredBy { title } } } memberships { nodes { retiredBy { title } } } } } }")
    counts = []
    for client in clients:
        api = Api(client)
        counts.append(api.count_statements(query))
    engine = create_sync_engine(url)
    with engine.begin() as connection:  # retire everything else too: the same statements
        for table in ("arms_transfer", "alliance_membership"):
            t = metadata.tables[table]
            connection.execute(sa.update(t).values(retired_by_source_id=ids["2025"]))
    engine.dispose()
    assert [Api(client).count_statements(query) for client in clients] == counts
    assert counts[0] == 1  # compiled: one statement, retiredBy joined in
