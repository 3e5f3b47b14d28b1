"""agreement and alignedWith, checked against counts made independently in the test."""

from __future__ import annotations

from collections import defaultdict

import pytest
import sqlalchemy as sa

CAST = {"YES", "NO", "ABSTAIN"}


def _positions(sql, prefix: str) -> dict[str, dict[str, str]]:
    """iso3 -> {symbol: position} for the roll calls whose symbol starts with prefix."""
    rows = sql.execute(sa.text(
        "SELECT s.iso3, r.symbol, v.position FROM vote v JOIN state s ON s.id = v.state_id "
        "JOIN resolution r ON r.id = v.resolution_id WHERE r.symbol LIKE :p"), {"p": prefix + "%"})
    positions: dict[str, dict[str, str]] = defaultdict(dict)
    for iso3, symbol, position in rows:
        positions[iso3][symbol] = position
    return positions


def _expected(positions, a: str, b: str) -> tuple[int, int]:
    common = [s for s in positions[a] if s in positions[b]
              and positions[a][s] in CAST and positions[b][s] in CAST]
    return len(common), sum(positions[a][s] == positions[b][s] for s in common)


def test_agreement_of_russia_and_belarus_on_es11(api, sql) -> None:
    data = api.data('{ agreement(a: "RUS", b: "BLR", where: { symbol: { startsWith: "A/RES/ES-11/" } }) '
                    '{ a { iso3 } b { iso3 } compared agreed ratio } }')["agreement"]
    compared, agreed = _expected(_positions(sql, "A/RES/ES-11/"), "RUS", "BLR")
    assert (data["a"]["iso3"], data["b"]["iso3"]) == ("RUS", "BLR")
    assert (data["compared"], data["agreed"]) == (compared, agreed)
    assert data["ratio"] == pytest.approx(agreed / compared)


def test_agreement_over_all_roll_calls(api, sql) -> None:
    data = api.data('{ agreement(a: "USA", b: "FRA") { compared agreed ratio } }')["agreement"]
    compared, agreed = _expected(_positions(sql, ""), "USA", "FRA")
    assert (data["compared"], data["agreed"]) == (compared, agreed)


def test_aligned_with_ranks_by_ratio_then_iso3(api, sql) -> None:
    data = api.data('{ alignedWith(iso3: "RUS", first: 100) { state { iso3 } compared agreed ratio } }')
    ranking = data["alignedWith"]
    positions = _positions(sql, "")
    expected = []
    for other in positions:
        if other == "RUS":
            continue
        compared, agreed = _expected(positions, "RUS", other)
        if compared:
            expected.append((-agreed / compared, other, compared, agreed))
    expected.sort()
    assert [(r["state"]["iso3"], r["compared"], r["agreed"]) for r in ranking] == \
        [(iso3, compared, agreed) for _, iso3, compared, agreed in expected[:100]]
    assert ranking[0]["ratio"] == pytest.approx(1.0)


def test_unknown_state_names_the_argument(api) -> None:
    error = api.error('{ agreement(a: "RUS", b: "ZZZ") { ratio } }')
    assert error["extensions"]["argument"] == "b" and "ZZZ" in error["message"]
