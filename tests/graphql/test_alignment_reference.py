"""`alignedWith` and `agreement` against a reference computed in plain Python from the seed files.

The expected answers never come from our code: the roll calls are read from
seeds/resolutions.yaml and every state's position from seeds/votes/*.csv, and the definition is
applied here by hand. Over the roll calls a `where` selects: compared = roll calls on which both
states voted YES, NO or ABSTAIN; agreed = of those, the ones with the same position; ratio =
agreed / compared; `alignedWith` ranks by ratio descending, then ISO3 ascending, and leaves out
states compared on fewer than `minCompared` roll calls.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CAST = {"YES", "NO", "ABSTAIN"}


def _seed_votes() -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """The roll calls of resolutions.yaml, and iso3 -> {symbol: position} from votes/*.csv."""
    rollcalls = yaml.safe_load((SEEDS / "resolutions.yaml").read_text(encoding="utf-8"))
    positions: dict[str, dict[str, str]] = {}
    for rollcall in rollcalls:
        with (SEEDS / rollcall["votes"]).open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                positions.setdefault(row["iso3"], {})[rollcall["symbol"]] = row["position"]
    return rollcalls, positions


ROLLCALLS, POSITIONS = _seed_votes()


def _symbols(selects: Callable[[dict[str, Any]], bool]) -> list[str]:
    return [rollcall["symbol"] for rollcall in ROLLCALLS if selects(rollcall)]


def _count(a: str, b: str, symbols: list[str]) -> tuple[int, int]:
    mine, theirs = POSITIONS[a], POSITIONS[b]
    both = [s for s in symbols if mine.get(s) in CAST and theirs.get(s) in CAST]
    return len(both), sum(mine[s] == theirs[s] for s in both)


def _ranking(iso3: str, symbols: list[str], min_compared: int) -> list[tuple[str, int, int]]:
    """(iso3, compared, agreed) of every other state, best first, minCompared applied."""
    rows = []
    for other in POSITIONS:
        if other == iso3:
            continue
        compared, agreed = _count(iso3, other, symbols)
        if compared >= max(min_compared, 1):
            rows.append((-Fraction(agreed, compared), other, compared, agreed))
    return [(other, compared, agreed) for _, other, compared, agreed in sorted(rows)]


def _all(_: dict[str, Any]) -> bool:
    return True


def _spring_to_autumn_2022(rollcall: dict[str, Any]) -> bool:
    return dt.date(2022, 3, 24) <= rollcall["voted_on"] <= dt.date(2022, 10, 12)


def _es11(rollcall: dict[str, Any]) -> bool:
    return rollcall["symbol"].startswith("A/RES/ES-11/")


def _three_symbols(rollcall: dict[str, Any]) -> bool:
    return rollcall["symbol"] in ("A/RES/68/262", "A/RES/ES-11/1", "A/RES/ES-11/5")


# (the GraphQL `where`, the same selection as a Python predicate over resolutions.yaml)
SPRING_TO_AUTUMN_2022 = ({"votedOn": {"gte": "2022-03-24", "lte": "2022-10-12"}},
                         _spring_to_autumn_2022)
ES11 = ({"symbol": {"startsWith": "A/RES/ES-11/"}}, _es11)
THREE_SYMBOLS = ({"symbol": {"in": ["A/RES/68/262", "A/RES/ES-11/1", "A/RES/ES-11/5"]}},
                 _three_symbols)

# Defaults make each query runnable as it stands (test_batched.py runs it on every path).
ALIGNED = """query($iso3: String! = "RUS", $where: ResolutionWhere, $first: Int! = 10,
                 $min: Int! = 2) {
  alignedWith(iso3: $iso3, where: $where, first: $first, minCompared: $min) {
    state { iso3 } compared agreed ratio } }"""

AGREEMENT = """query($a: String! = "RUS", $b: String! = "IRN", $where: ResolutionWhere) {
  agreement(a: $a, b: $b, where: $where) { a { iso3 } b { iso3 } compared agreed ratio } }"""


def test_reference_cases_discriminate() -> None:
    """The cases below can catch a wrong answer: the `where` changes the ranking, and the
    minCompared left out states that would otherwise rank high."""
    symbols = _symbols(_spring_to_autumn_2022)
    assert len(symbols) == 3 and len(_symbols(_all)) == 7
    with_where = _ranking("RUS", symbols, 3)
    assert with_where != _ranking("RUS", _symbols(_all), 3)
    ignoring_min = _ranking("RUS", symbols, 1)
    left_out = {iso3 for iso3, compared, _ in ignoring_min if compared < 3}
    assert "IRN" in left_out and len(left_out) >= 10
    assert [row[0] for row in ignoring_min[:6]] == ["BLR", "PRK", "SYR", "ERI", "NIC", "IRN"]


@pytest.mark.parametrize(("iso3", "selection", "first", "min_compared"), [
    ("RUS", SPRING_TO_AUTUMN_2022, 100, 3),   # IRN (2 compared, ratio 1/2) is left out
    ("RUS", SPRING_TO_AUTUMN_2022, 10, 1),    # ... and ranks sixth when minCompared allows it
    ("RUS", SPRING_TO_AUTUMN_2022, 10, 4),    # nobody: only three roll calls are selected
    ("RUS", THREE_SYMBOLS, 100, 2),
    ("USA", ES11, 100, 6),
    ("RUS", (None, _all), 7, 2),              # no where: VEN (1 compared, ratio 1) left out
], ids=["rus-2022-min3", "rus-2022-min1", "rus-2022-min4", "rus-three-min2", "usa-es11-min6",
        "rus-all-min2"])
def test_aligned_with_matches_the_seed_votes(api, iso3, selection, first, min_compared) -> None:
    where, selects = selection
    expected = _ranking(iso3, _symbols(selects), min_compared)[:first]
    data = api.data(ALIGNED, {"iso3": iso3, "where": where, "first": first, "min": min_compared})
    got = data["alignedWith"]
    assert [(row["state"]["iso3"], row["compared"], row["agreed"]) for row in got] == expected
    for row in got:
        assert row["ratio"] == pytest.approx(row["agreed"] / row["compared"], rel=1e-12)
    if min_compared > 1:
        # Some state was compared, but on too few roll calls: it must not be listed.
        short = {other for other, compared, _ in _ranking(iso3, _symbols(selects), 1)
                 if compared < min_compared}
        assert short and not short & {row["state"]["iso3"] for row in got}


@pytest.mark.parametrize(("a", "b", "selection", "expected"), [
    ("RUS", "IRN", SPRING_TO_AUTUMN_2022, (2, 1)),
    ("RUS", "IRN", (None, _all), (5, 2)),
    ("RUS", "CHN", ES11, None),
    ("IND", "CHN", THREE_SYMBOLS, None),
    ("USA", "CHN", SPRING_TO_AUTUMN_2022, (3, 0)),
    ("RUS", "VEN", SPRING_TO_AUTUMN_2022, (0, 0)),  # Venezuela cast no vote then: ratio null
], ids=["rus-irn-2022", "rus-irn-all", "rus-chn-es11", "ind-chn-three", "usa-chn-2022",
        "rus-ven-2022"])
def test_agreement_matches_the_seed_votes(api, a, b, selection, expected) -> None:
    where, selects = selection
    compared, agreed = _count(a, b, _symbols(selects))
    if expected is not None:  # hand-counted from the CSV files, for the cases it is written for
        assert (compared, agreed) == expected
    data = api.data(AGREEMENT, {"a": a, "b": b, "where": where})["agreement"]
    assert (data["a"]["iso3"], data["b"]["iso3"]) == (a, b)
    assert (data["compared"], data["agreed"]) == (compared, agreed)
    if compared:
        assert data["ratio"] == pytest.approx(agreed / compared, rel=1e-12)
    else:
        assert data["ratio"] is None
    if where is not None:
        assert (compared, agreed) != _count(a, b, _symbols(_all)), "the where must matter here"


def test_seeded_votes_are_the_seed_files(sql) -> None:
    """The reference reads the files; the API reads the database: they hold the same votes."""
    rows = sql.execute(sa.text(
        "SELECT s.iso3, r.symbol, v.position FROM vote v JOIN state s ON s.id = v.state_id "
        "JOIN resolution r ON r.id = v.resolution_id"))
    stored: dict[str, dict[str, str]] = {}
    for iso3, symbol, position in rows:
        stored.setdefault(iso3, {})[symbol] = str(getattr(position, "name", position))
    assert stored == POSITIONS
