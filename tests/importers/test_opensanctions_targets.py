"""OpenSanctions programmes and their target territories, as the API answers after an import.

The importer's documented rule (app/importers/opensanctions.py, README): a programme with exactly
one target territory gets that state as its `target`; thematic programmes and programmes with
several target territories (EU-UKR: Ukraine, Crimea, the DPR, the LPR and Russia) get none.
The expected targets are read here from the programme YAML files themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import load_settings

FOLDER = Path("opensanctions-programs")
REGIMES = """query ($after: String) {
  sanctionsRegimes(first: 100, after: $after) {
    nodes { code target { iso2 } }
    pageInfo { hasNextPage endCursor } } }"""
TARGETING = """query ($iso2: String!) {
  sanctionsRegimes(first: 100, where: { target: { iso2: { eq: $iso2 } } }) {
    totalCount nodes { code } } }"""


def programme_targets(folder: Path) -> dict[str, list[str]]:
    """Programme key -> its target territories, upper-case, as the YAML file lists them."""
    targets = {}
    for path in sorted((folder / "programs").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        targets[document["key"]] = [code.upper() for code in document.get("target_territories")
                                    or []]
    return targets


@pytest.fixture
def imported(migrated_db: str, shared_data: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, str]]:
    """The served API over a new database after `atlas import opensanctions-programs`."""
    monkeypatch.setenv("ATLAS_DATABASE_URL", migrated_db)
    result = CliRunner().invoke(cli, ["import", "opensanctions-programs",
                                      str(shared_data / FOLDER)])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(load_settings(database_url=migrated_db))) as client:
        yield client, " ".join(result.output.split())


def _data(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def _api_targets(client: TestClient) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    after = None
    while True:
        page = _data(client, REGIMES, after=after)["sanctionsRegimes"]
        found.update({node["code"]: node["target"] and node["target"]["iso2"]
                      for node in page["nodes"]})
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


@pytest.mark.shared_data
def test_programmes_with_several_targets_have_no_target_state(
        imported: tuple[TestClient, str], shared_data: Path) -> None:
    client, output = imported
    expected = programme_targets(shared_data / FOLDER)
    several = {key: codes for key, codes in expected.items() if len(codes) > 1}
    assert len(several) >= 10, "the real folder holds about 20 such programmes"
    targets = _api_targets(client)
    assert set(targets) == set(expected)

    wrongly_targeted = {key: (codes, targets[key]) for key, codes in several.items()
                        if targets[key] is not None}
    assert not wrongly_targeted, f"several-territory programmes given one target: {wrongly_targeted}"

    for key, codes in expected.items():
        if len(codes) != 1:
            continue
        code = codes[0]
        if targets[key] is None:
            # Not a state: OpenSanctions' pseudo-territories, or one the importer says it skipped.
            assert code in {"ZZ", "IP"} or f"target territory {code!r} is not a known state" in (
                output), f"{key}: single target {code} not stored and not reported"
        else:
            assert targets[key] == code, f"{key}: target {targets[key]}, the file says {code}"


@pytest.mark.shared_data
def test_regimes_targeting_russia_are_those_with_russia_as_only_target(
        imported: tuple[TestClient, str], shared_data: Path) -> None:
    client, _ = imported
    expected = programme_targets(shared_data / FOLDER)
    only_russia = sorted(key for key, codes in expected.items() if codes == ["RU"])
    with_others = sorted(key for key, codes in expected.items() if "RU" in codes and len(codes) > 1)
    assert only_russia and with_others  # EU-RUS ...; EU-UKR, US-CAATSA ...
    found = _data(client, TARGETING, iso2="RU")["sanctionsRegimes"]
    assert sorted(node["code"] for node in found["nodes"]) == only_russia
    assert found["totalCount"] == len(only_russia)
