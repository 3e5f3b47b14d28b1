"""`discrepancies`: where two datasets' current statements about a row disagree, both values.

The rows and their statements are written here with plain INSERTs (the loaders that write
statements are not needed for what the API reads): a transfer that the seeds say had 2,000
items ordered and SIPRI 1,000, a roll call on which they record Russia's vote differently, and
statements that must not count (a retired one, wording). Every execution path must answer the
same; the compiled path cannot compile `discrepancies` and hands the root field to the batched
resolvers. Statements per request do not grow with the rows listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from app.db import create_sync_engine
from app.graphql.types.node import global_id
from app.models import STATEMENTS, metadata
from app.services.statements import dumps, ensure_datasets
from tests.graphql.conftest import Api

SEEDS_RELEASE = "Alignment Atlas seeds, November 2026"
SIPRI_RELEASE = "SIPRI trade register, March 2025"
TRANSFERS = 6  # rows with a discrepancy each, to show the statements do not grow with them


def _write(url: str) -> dict[str, int]:
    """States, sources, transfers and a roll call, with statements of two datasets each."""
    t = metadata.tables
    engine = create_sync_engine(url)
    with engine.begin() as connection:
        datasets = ensure_datasets(connection, ["seeds", "sipri", "atop"])

        def insert(table: str, row: dict[str, Any]) -> int:
            return connection.execute(t[table].insert().returning(t[table].c.id), row).scalar_one()

        states = {iso3: insert("state", {"iso3": iso3, "name": name})
                  for iso3, name in (("IRN", "Iran"), ("RUS", "Russia"))}
        seeds = insert("source", {"key": "seeds", "title": SEEDS_RELEASE, "publisher": "Atlas"})
        sipri = insert("source", {"key": "sipri-2025", "title": SIPRI_RELEASE, "publisher": "SIPRI"})
        atop = insert("source", {"key": "atop", "title": "ATOP v4", "publisher": "ATOP"})
        ids: dict[str, int] = {}
        statements = STATEMENTS["arms_transfer"]
        for n in range(TRANSFERS):
            external_id = f"t:{n}"
            ids[external_id] = insert("arms_transfer", {
                "external_id": external_id, "supplier_state_id": states["IRN"],
                "supplier_name": "Iran", "supplier_kind": "STATE",
                "recipient_state_id": states["RUS"], "recipient_name": "Russia",
                "recipient_kind": "STATE", "weapon_designation": f"Shahed-{136 + n}",
                "category": "UAV", "ordered_year": 2022, "number_ordered": 2000 + n,
                "status": "DELIVERING", "evidence": "REPORTED"})
            connection.execute(statements.insert(), [
                # The seeds (precedence 0) win: 2000 + n is served; SIPRI says 1000.
                {"arms_transfer_id": ids[external_id], "dataset_id": datasets["seeds"],
                 "source_id": seeds, "retired_by_source_id": None, "data": dumps({
                     "number_ordered": 2000 + n, "ordered_year": 2022, "supplier_state": "IRN",
                     "comments": "ours"})},
                {"arms_transfer_id": ids[external_id], "dataset_id": datasets["sipri"],
                 "source_id": sipri, "retired_by_source_id": None, "data": dumps({
                     "number_ordered": 1000, "ordered_year": 2022, "supplier_state": "IRN",
                     "comments": "theirs"})},  # wording: never a discrepancy
                # Retired: a value no current dataset holds is not listed.
                {"arms_transfer_id": ids[external_id], "dataset_id": datasets["atop"],
                 "source_id": atop, "retired_by_source_id": atop,
                 "data": dumps({"number_ordered": 7, "ordered_year": 1999})},
            ])
        # A transfer both datasets agree on.
        ids["t:agreed"] = insert("arms_transfer", {
            "external_id": "t:agreed", "supplier_state_id": states["RUS"], "supplier_name": "Russia",
            "supplier_kind": "STATE", "recipient_state_id": states["IRN"], "recipient_name": "Iran",
            "recipient_kind": "STATE", "weapon_designation": "Su-35", "category": "AIRCRAFT",
            "number_ordered": 24, "status": "PLANNED", "evidence": "REPORTED"})
        connection.execute(statements.insert(), [
            {"arms_transfer_id": ids["t:agreed"], "dataset_id": datasets[key], "source_id": source,
             "data": dumps({"number_ordered": 24})}
            for key, source in (("seeds", seeds), ("sipri", sipri))])
        # A roll call on which the datasets record Russia's vote differently, Iran's alike.
        ids["resolution"] = insert("resolution", {
            "symbol": "A/RES/ES-11/4", "body": "GENERAL_ASSEMBLY", "voted_on": dt.date(2022, 10, 12),
            "title": "Territorial integrity of Ukraine", "undl_record_id": "3990673"})
        connection.execute(STATEMENTS["resolution"].insert(), [
            {"resolution_id": ids["resolution"], "dataset_id": datasets[key], "source_id": source,
             "data": dumps({"votes": {"RUS": russia, "IRN": "ABSTAIN"},
                            "voted_on": "2022-10-12"})}
            for key, source, russia in (("seeds", seeds, "NO"), ("sipri", sipri, "NON_VOTING"))])
    engine.dispose()
    return ids


FIELDS = "discrepancies { field values { value dataset source { title } } }"


def _number_ordered(n: int) -> list[dict[str, Any]]:
    return [{"field": "numberOrdered", "values": [
        {"value": str(2000 + n), "dataset": "seeds", "source": {"title": SEEDS_RELEASE}},
        {"value": "1000", "dataset": "sipri", "source": {"title": SIPRI_RELEASE}}]}]


def _data(client: TestClient, query: str) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
def written(migrated_db: str, every_path: Callable[..., tuple[TestClient, ...]]
            ) -> tuple[dict[str, int], tuple[TestClient, ...]]:
    return _write(migrated_db), every_path(migrated_db)


def test_discrepancies_list_every_current_value_in_precedence_order(written: Any) -> None:
    _, clients = written
    query = ("{ armsTransfers(orderBy: [{ numberOrdered: ASC }]) { nodes { externalId numberOrdered "
             + FIELDS + " } } }")
    expected = {"armsTransfers": {"nodes": [
        {"externalId": "t:agreed", "numberOrdered": 24, "discrepancies": []},
        *({"externalId": f"t:{n}", "numberOrdered": 2000 + n, "discrepancies": _number_ordered(n)}
          for n in range(TRANSFERS))]}}
    for client in clients:  # compiled (falls back to the resolvers), resolvers, graphql-core
        assert _data(client, query) == expected


def test_a_vote_recorded_differently_is_named_by_the_state(written: Any) -> None:
    _, clients = written
    query = '{ resolution(symbol: "A/RES/ES-11/4") { symbol ' + FIELDS + " } }"
    expected = {"resolution": {"symbol": "A/RES/ES-11/4", "discrepancies": [
        {"field": "votes.RUS", "values": [
            {"value": "NO", "dataset": "seeds", "source": {"title": SEEDS_RELEASE}},
            {"value": "NON_VOTING", "dataset": "sipri", "source": {"title": SIPRI_RELEASE}}]}]}}
    for client in clients:
        assert _data(client, query) == expected


def test_discrepancies_by_node_and_nested(written: Any) -> None:
    ids, clients = written
    node = global_id("ArmsTransfer", ids["t:3"])
    query = (f'{{ node(id: "{node}") {{ ... on ArmsTransfer {{ {FIELDS} }} }} '
             '  state(iso3: "IRN") { discrepancies { field } '
             f'    armsSupplied(first: 2) {{ nodes {{ externalId {FIELDS} }} }} }} }}')
    for client in clients:
        data = _data(client, query)
        assert data["node"]["discrepancies"] == _number_ordered(3)
        assert data["state"]["discrepancies"] == []  # no statements about Iran itself
        for transfer in data["state"]["armsSupplied"]["nodes"]:
            n = int(transfer["externalId"].removeprefix("t:"))
            assert transfer["discrepancies"] == _number_ordered(n)


def test_statements_per_request_do_not_grow_with_rows(written: Any) -> None:
    _, clients = written
    nested = ('{ states { nodes { iso3 discrepancies { field } armsSupplied(first: %d) '
              '{ nodes { ' + FIELDS + ' } } armsReceived(first: %d) { nodes { ' + FIELDS + ' } } } } }')
    root = "{ armsTransfers(first: %d) { nodes { " + FIELDS + " } } }"
    for client in clients:
        api = Api(client)
        # The page, the statements of its transfers, their sources: one statement each.
        assert api.count_statements(root % 1) == api.count_statements(root % TRANSFERS) == 3
        # The states, their supplied and their received pages, the statements of the states and
        # of the transfers (one per entity type, both lists), and the sources: six, however
        # many rows.
        few, many = (api.count_statements(nested % (n, n)) for n in (1, TRANSFERS))
        assert few == many == 6, (few, many)
    # The compiled path answers a root field in one statement, but cannot compile
    # `discrepancies` (worked out in Python): that root field goes to the batched resolvers.
    compiled = Api(clients[0])
    assert compiled.count_statements("{ armsTransfers { nodes { externalId } } }") == 1
    assert compiled.count_statements("{ armsTransfers { nodes { externalId " + FIELDS + " } } }") == 3
