"""`asOf` / `inForceOn` boundaries: the start day counts, the end day does not.

For every seeded row that has an end date (sanctions regimes with `ended_on`, alliance
memberships with `left_on`) the test asks about the day before its start, its start day, the
day before its end and its end day, and compares the answer with the rows in force on that day
worked out here from seeds/sanctions_regimes.yaml and seeds/alliances.yaml: started on or before
the day (no start date: started) and not yet ended. No seeded alliance has ended, so the root
`alliances(asOf:)` end day is checked on a fresh database with alliances inserted by SQL.
Each test runs on the compiled path and on the resolvers (compiled execution off).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from starlette.testclient import TestClient

from app.db import create_sync_engine
from app.main import create_app
from app.settings import load_settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ONE_DAY = dt.timedelta(days=1)
MAX_ALIASES = 12  # per request, under the default alias limit


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _in_force(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day < end)


def _boundaries(periods: Iterable[tuple[dt.date | None, dt.date | None]]) -> list[dt.date]:
    """The day before each start, each start, the day before each end, each end."""
    days = set()
    for start, end in periods:
        if start is not None:
            days |= {start - ONE_DAY, start}
        if end is not None:
            days |= {end - ONE_DAY, end}
    return sorted(days)


def _load(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((SEEDS / name).read_text(encoding="utf-8"))


REGIMES = [{"code": r["code"], "target": r.get("target_state"), "start": _date(r.get("started_on")),
            "end": _date(r.get("ended_on"))} for r in _load("sanctions_regimes.yaml")]
ALLIANCES = _load("alliances.yaml")
PERIODS = [{"alliance": a["key"], "state": m["state"], "start": _date(m.get("joined_on")),
            "end": _date(m.get("left_on"))} for a in ALLIANCES for m in a.get("members", [])]
ENDED_REGIMES = [r for r in REGIMES if r["end"] is not None]
ENDED_PERIODS = [p for p in PERIODS if p["end"] is not None]
REGIME_DAYS = _boundaries((r["start"], r["end"]) for r in ENDED_REGIMES)


def _regimes_on(day: dt.date) -> list[str]:
    return sorted(r["code"] for r in REGIMES if _in_force(r["start"], r["end"], day))


def _members_on(alliance: str, day: dt.date) -> list[str]:
    return sorted({p["state"] for p in PERIODS
                   if p["alliance"] == alliance and _in_force(p["start"], p["end"], day)})


def _allies_on(state: str, day: dt.date) -> list[str]:
    mine = {p["alliance"] for p in PERIODS
            if p["state"] == state and _in_force(p["start"], p["end"], day)}
    return sorted({iso3 for alliance in mine for iso3 in _members_on(alliance, day)} - {state})


def _chunks(days: list[dt.date]) -> list[list[dt.date]]:
    return [days[i:i + MAX_ALIASES] for i in range(0, len(days), MAX_ALIASES)]


def _ask(api: Any, parent: str | None, template: str, days: list[dt.date],
         pick: Any) -> dict[dt.date, list[str]]:
    """Asks ``template`` (with {day}) for each day under an alias, inside ``parent`` if given;
    ``pick`` turns each alias's value into a sorted list of codes."""
    answers = {}
    for chunk in _chunks(days):
        fields = " ".join(f'd{i}: {template.format(day=day.isoformat())}'
                          for i, day in enumerate(chunk))
        data = api.data("{ " + (f"{parent} {{ {fields} }}" if parent else fields) + " }")
        values = data[parent.split("(")[0]] if parent else data
        answers.update({day: sorted(pick(values[f"d{i}"])) for i, day in enumerate(chunk)})
    return answers


def _codes(connection: dict[str, Any], key: str = "iso3") -> list[str]:
    return [node[key] for node in connection["nodes"]]


class _Client:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def data(self, query: str) -> dict[str, Any]:
        body = self.client.post("/graphql", json={"query": query}).json()
        assert "errors" not in body and body.get("data") is not None, body
        return body["data"]


@pytest.fixture(params=["compiled", "resolvers"])
def client(request: pytest.FixtureRequest, seeded_db: str) -> Iterator[_Client]:
    """The API on the seeded database, compiled (the default) or through the resolvers only."""
    settings = load_settings(database_url=seeded_db, compiled_execution=request.param == "compiled")
    with TestClient(create_app(settings)) as test_client:
        yield _Client(test_client)


def test_the_seeds_have_rows_on_both_sides_of_the_boundaries() -> None:
    """The cases below are real: regimes and memberships that end, and a regime starting on the
    day another ends (so an off-by-one day shows on either side)."""
    assert {"UN-SC1737", "UN-SC2231"} <= {r["code"] for r in ENDED_REGIMES}
    sc1737 = next(r for r in REGIMES if r["code"] == "UN-SC1737")
    sc2231 = next(r for r in REGIMES if r["code"] == "UN-SC2231")
    assert sc1737["end"] == sc2231["start"] == dt.date(2016, 1, 16)
    assert {("CSTO", "UZB"), ("CSTO", "AZE"), ("CSTO", "GEO"), ("CIS", "GEO")} <= {
        (p["alliance"], p["state"]) for p in ENDED_PERIODS}
    assert _regimes_on(dt.date(2016, 1, 16)) != _regimes_on(dt.date(2016, 1, 15))


def test_root_sanctions_regimes_as_of(client) -> None:
    got = _ask(client, None, 'sanctionsRegimes(asOf: "{day}", first: 100) {{ nodes {{ code }} }}',
               REGIME_DAYS, lambda c: _codes(c, "code"))
    assert got == {day: _regimes_on(day) for day in REGIME_DAYS}
    on_the_day = got[dt.date(2016, 1, 16)]
    assert "UN-SC2231" in on_the_day and "UN-SC1737" not in on_the_day


def test_sanctions_regimes_where_in_force_on(client) -> None:
    got = _ask(client, None,
               'sanctionsRegimes(where: {{ inForceOn: "{day}" }}, first: 100) '
               '{{ nodes {{ code }} }}',
               REGIME_DAYS, lambda c: _codes(c, "code"))
    assert got == {day: _regimes_on(day) for day in REGIME_DAYS}


def test_regime_in_force_field(client) -> None:
    for regime in ENDED_REGIMES:
        days = _boundaries([(regime["start"], regime["end"])])
        got = _ask(client, f'sanctionsRegime(code: "{regime["code"]}")', 'inForce(asOf: "{day}")',
                   days, lambda flag: [flag])
        expected = {day: [_in_force(regime["start"], regime["end"], day)] for day in days}
        assert got == expected, regime
        assert got[regime["end"]] == [False] and got[regime["end"] - ONE_DAY] == [True]


def test_sanctioned_by_as_of(client) -> None:
    for regime in ENDED_REGIMES:
        days = _boundaries([(regime["start"], regime["end"])])
        template = ('states(where: {{ sanctionedBy: {{ regime: {{ code: {{ eq: "%s" }} }}, '
                    'asOf: "{day}" }} }}, first: 100) {{ nodes {{ iso3 }} }}') % regime["code"]
        got = _ask(client, None, template, days, _codes)
        assert got == {day: [regime["target"]] if _in_force(regime["start"], regime["end"], day)
                       else [] for day in days}, regime


def test_state_sanctions_against_as_of(client) -> None:
    got = _ask(client, 'state(iso3: "IRN")',
               'sanctionsAgainst(asOf: "{day}", first: 100) {{ nodes {{ code }} }}',
               REGIME_DAYS, lambda c: _codes(c, "code"))
    assert got == {day: [code for code in _regimes_on(day)
                         if next(r for r in REGIMES if r["code"] == code)["target"] == "IRN"]
                   for day in REGIME_DAYS}


ALLIANCES_WITH_ENDS = sorted({p["alliance"] for p in ENDED_PERIODS})
STATES_WITH_ENDS = sorted({p["state"] for p in ENDED_PERIODS})


def _alliance_days(alliance: str) -> list[dt.date]:
    return _boundaries((p["start"], p["end"]) for p in ENDED_PERIODS if p["alliance"] == alliance)


def _state_days(state: str) -> list[dt.date]:
    return _boundaries((p["start"], p["end"]) for p in PERIODS if p["state"] == state)


def test_alliance_members_as_of(client) -> None:
    for alliance in ALLIANCES_WITH_ENDS:
        days = _alliance_days(alliance)
        got = _ask(client, f'alliance(key: "{alliance}")',
                   'members(asOf: "{day}", first: 100) {{ nodes {{ iso3 }} }}', days, _codes)
        assert got == {day: _members_on(alliance, day) for day in days}, alliance
        periods = _ask(client, f'alliance(key: "{alliance}")',
                       'memberships(asOf: "{day}", first: 100) '
                       '{{ nodes {{ state {{ iso3 }} leftOn }} }}', days,
                       lambda c: [(n["state"]["iso3"], n["leftOn"]) for n in c["nodes"]])
        assert periods == {day: sorted((p["state"], p["end"] and p["end"].isoformat())
                                       for p in PERIODS if p["alliance"] == alliance
                                       and _in_force(p["start"], p["end"], day))
                           for day in days}, alliance


def test_member_of_as_of(client) -> None:
    for alliance in ALLIANCES_WITH_ENDS:
        days = _alliance_days(alliance)
        template = ('states(where: {{ memberOf: {{ alliance: {{ key: {{ eq: "%s" }} }}, '
                    'asOf: "{day}" }} }}, first: 100) {{ nodes {{ iso3 }} }}') % alliance
        got = _ask(client, None, template, days, _codes)
        assert got == {day: _members_on(alliance, day) for day in days}, alliance


def test_state_allies_as_of(client) -> None:
    for state in STATES_WITH_ENDS:
        days = _state_days(state)
        got = _ask(client, f'state(iso3: "{state}")',
                   'allies(asOf: "{day}", first: 100) {{ nodes {{ iso3 }} }}', days, _codes)
        assert got == {day: _allies_on(state, day) for day in days}, state


def _periods_of(state: str, day: dt.date) -> list[tuple[str, str | None]]:
    return sorted((p["alliance"], p["start"] and p["start"].isoformat()) for p in PERIODS
                  if p["state"] == state and _in_force(p["start"], p["end"], day))


def test_state_memberships_as_of(client) -> None:
    for state in STATES_WITH_ENDS:
        days = _state_days(state)
        got = _ask(client, f'state(iso3: "{state}")',
                   'memberships(asOf: "{day}", first: 100) '
                   '{{ nodes {{ alliance {{ key }} joinedOn }} }}',
                   days, lambda c: [(n["alliance"]["key"], n["joinedOn"]) for n in c["nodes"]])
        assert got == {day: _periods_of(state, day) for day in days}, state


def test_root_alliances_as_of_start_days_in_the_seeds(client) -> None:
    days = _boundaries((_date(a.get("signed_on")), _date(a.get("ended_on"))) for a in ALLIANCES)
    expected = {day: sorted(a["key"] for a in ALLIANCES
                            if _in_force(_date(a.get("signed_on")), _date(a.get("ended_on")), day))
                for day in days}
    got = _ask(client, None, 'alliances(asOf: "{day}", first: 100) {{ nodes {{ key }} }}', days,
               lambda c: _codes(c, "key"))
    assert got == expected
    where = _ask(client, None,
                 'alliances(where: {{ inForceOn: "{day}" }}, first: 100) {{ nodes {{ key }} }}',
                 days, lambda c: _codes(c, "key"))
    assert where == expected


# Alliances that end (none in the seeds): one ends the day another starts, one has no start.
MADE_UP = [("TEST-ENDS", dt.date(2000, 1, 1), dt.date(2010, 6, 30)),
           ("TEST-FOLLOWS", dt.date(2010, 6, 30), None),
           ("TEST-NO-START", None, dt.date(2005, 1, 1))]


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "resolvers"])
def test_root_alliances_as_of_end_day(migrated_db: str, compiled: bool) -> None:
    engine = create_sync_engine(migrated_db)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO alliance (key, name, kind, signed_on, ended_on) "
                "VALUES (:key, :key, 'DEFENSE_PACT', :signed_on, :ended_on)"),
                [{"key": key, "signed_on": start, "ended_on": end} for key, start, end in MADE_UP])
    finally:
        engine.dispose()
    days = _boundaries((start, end) for _, start, end in MADE_UP)
    expected = {day: sorted(key for key, start, end in MADE_UP if _in_force(start, end, day))
                for day in days}
    assert expected[dt.date(2010, 6, 30)] == ["TEST-FOLLOWS"]
    assert expected[dt.date(2010, 6, 29)] == ["TEST-ENDS"]
    settings = load_settings(database_url=migrated_db, compiled_execution=compiled)
    with TestClient(create_app(settings)) as test_client:
        api = _Client(test_client)
        got = _ask(api, None, 'alliances(asOf: "{day}", first: 100) {{ nodes {{ key }} }}', days,
                   lambda c: _codes(c, "key"))
        where = _ask(api, None,
                     'alliances(where: {{ inForceOn: "{day}" }}, first: 100) {{ nodes {{ key }} }}',
                     days, lambda c: _codes(c, "key"))
    assert got == expected
    assert where == expected
