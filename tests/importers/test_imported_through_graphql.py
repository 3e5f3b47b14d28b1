"""After an import, the GraphQL API answers from the imported rows as it does from the seeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.importers.sipri import import_sipri
from app.importers.undl_votes import import_undl_votes
from app.main import create_app
from app.settings import load_settings


@pytest.fixture
def client(migrated_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(database_url=migrated_db))) as test_client:
        yield test_client


def _data(client: TestClient, query: str) -> dict:
    body = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    return body["data"]


def test_un_votes_import_answers_like_the_seeds(engine, client, shared_data: Path) -> None:
    import_undl_votes(engine, shared_data / "unga-ukraine-votes" / "unga_ukraine_resolutions_extract.csv")
    data = _data(client, """{ resolution(symbol: "A/RES/ES-11/4") {
        publishedTally { yes no abstain nonVoting } tally { yes no abstain nonVoting }
        votes(where: { position: { eq: NO } }) { nodes { state { iso3 } } } sources { title } } }""")
    resolution = data["resolution"]
    assert resolution["publishedTally"] == {"yes": 143, "no": 5, "abstain": 35, "nonVoting": 10}
    assert resolution["tally"] == resolution["publishedTally"]
    assert [n["state"]["iso3"] for n in resolution["votes"]["nodes"]] == ["BLR", "NIC", "PRK", "RUS", "SYR"]
    assert resolution["sources"], "the imported file is recorded as the source"


def test_sipri_import_holds_the_shahed_deals(engine, client, shared_data: Path) -> None:
    import_sipri(engine, shared_data / "sipri-trade-register" / "trade-register.csv")
    data = _data(client, """{ armsTransfers(where: { supplier: { iso3: { eq: "IRN" } },
        recipient: { iso3: { eq: "RUS" } }, weaponDesignation: { startsWith: "Shahed" } }) {
        nodes { weaponDesignation orderedYear numberOrdered numberOrderedEstimate numberDelivered
                deliveryYears category evidence sources { publisher } } } }""")
    deals = {n["weaponDesignation"]: n for n in data["armsTransfers"]["nodes"]}
    assert {"Shahed-131", "Shahed-136", "Shahed-238"} <= set(deals)
    shahed_136 = deals["Shahed-136"]
    assert (shahed_136["orderedYear"], shahed_136["numberOrdered"], shahed_136["numberDelivered"]) == (2022, 6600, 4600)
    assert shahed_136["numberOrderedEstimate"] is True
    assert shahed_136["category"] == "UAV"
    assert shahed_136["sources"] and shahed_136["sources"][0]["publisher"]
