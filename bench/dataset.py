"""Synthetic rows shaped like the real data: states, sources, roll calls and votes.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so a given scale and seed
always yields the same rows (and the same primary keys, which are assigned here, not by the
database). States are the real ones from ``seeds/states.csv`` plus a few former states, so states
join the UN over time and early roll calls have fewer voters, as in the real record.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HEADLINE_SYMBOL = "A/RES/ES-11/4"
HEADLINE_DATE = dt.date(2022, 10, 12)
FULL_ROLL_CALLS = 9_500
FIRST_YEAR, LAST_YEAR = 1946, 2024

# Former states that voted, with their membership periods (ISO 3166-3 codes).
FORMER_STATES = [
    ("SUN", "Union of Soviet Socialist Republics", "Europe", "1945-10-24", "1991-12-24"),
    ("YUG", "Yugoslavia", "Europe", "1945-10-24", "1992-09-22"),
    ("CSK", "Czechoslovakia", "Europe", "1945-10-24", "1992-12-31"),
    ("DDR", "German Democratic Republic", "Europe", "1973-09-18", "1990-10-03"),
    ("YMD", "Democratic Yemen", "Asia", "1967-12-14", "1990-05-22"),
]
# A coarse voting bloc per state, so that agreement rankings have structure to find.
EASTERN = {"RUS", "BLR", "PRK", "SYR", "NIC", "CUB", "IRN", "VEN", "ERI", "SUN", "DDR", "CSK", "MLI"}
WESTERN_REGIONS = {"Europe", "Oceania"}
WESTERN = {"USA", "CAN", "ISR", "JPN", "KOR", "AUS", "NZL"}
PERMANENT = ["USA", "GBR", "FRA", "CHN", "RUS"]


@dataclass
class Tables:
    """Rows per table, as tuples in the column order of ``columns``."""

    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        self.columns[table] = columns
        self.rows[table] = rows


@dataclass(frozen=True)
class StateInfo:
    id: int
    iso3: str
    region: str
    joined: dt.date
    left: dt.date | None
    bloc: int  # 0 western, 1 eastern, 2 non-aligned


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def states(tables: Tables) -> list[StateInfo]:
    """The real states of the seed list plus former states; ids in ISO3 order."""
    with (SEEDS / "states.csv").open(newline="", encoding="utf-8") as handle:
        raw = [(r["iso3"], r["iso2"] or None, int(r["m49"]) if r["m49"] else None,
                int(r["cow_code"]) if r["cow_code"] else None, r["name"], r["region"] or None,
                r["subregion"] or None, _date(r["un_member_from"]), None, r["un_observer"] == "true")
               for r in csv.DictReader(handle)]
    for iso3, name, region, joined, left in FORMER_STATES:
        raw.append((iso3, None, None, None, name, region, None, _date(joined), _date(left), False))
    raw.sort(key=lambda r: r[0])
    rows, infos = [], []
    for pk, (iso3, iso2, m49, cow, name, region, subregion, joined, left, observer) in enumerate(raw, 1):
        rows.append((pk, iso3, iso2, m49, cow, name, f"The {name}", region, subregion, joined, left,
                     observer, f"Q{1000 + pk}"))
        if joined is None:  # observers never vote; keep them out of roll calls
            continue
        if iso3 in EASTERN:
            bloc = 1
        elif iso3 in WESTERN or region in WESTERN_REGIONS:
            bloc = 0
        else:
            bloc = 2
        infos.append(StateInfo(pk, iso3, region or "", joined, left, bloc))
    tables.add("state", ("id", "iso3", "iso2", "m49", "cow_code", "name", "official_name", "region",
                         "subregion", "un_member_from", "un_member_until", "un_observer",
                         "wikidata_id"), rows)
    tables.add("state_source", ("state_id", "source_id"), [(pk, 1) for pk, *_ in rows])
    return infos


def _roll_call_dates(rng: random.Random, count: int) -> list[dt.date]:
    """Dates weighted towards later sessions, as roll calls grew with membership."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    weights = [1 + (year - FIRST_YEAR) / 200 for year in years]
    picked = rng.choices(years, weights=weights, k=count)
    return sorted(dt.date(year, rng.randint(9, 12), rng.randint(1, 28)) for year in picked)


def _headline_positions() -> dict[str, str]:
    with (SEEDS / "votes" / "a-res-es-11-4.csv").open(newline="", encoding="utf-8") as handle:
        return {row["iso3"]: row["position"] for row in csv.DictReader(handle)}


def _position(rng: random.Random, bloc: int, contested: int | None) -> str:
    """Mostly YES; a contested roll call draws NO and ABSTAIN from the bloc that opposes it."""
    r = rng.random()
    if contested is not None and bloc == contested:
        return "NO" if r < 0.55 else "ABSTAIN" if r < 0.8 else "YES" if r < 0.93 else "NON_VOTING"
    return "YES" if r < 0.8 else "ABSTAIN" if r < 0.9 else "NO" if r < 0.93 else "NON_VOTING"


def roll_calls(tables: Tables, rng: random.Random, infos: list[StateInfo], scale: float,
               first_source: int) -> int:
    """Roll calls with every member's vote; returns the next free source id."""
    count = max(50, round(FULL_ROLL_CALLS * scale))
    dates = _roll_call_dates(rng, count - 1)
    dates.append(HEADLINE_DATE)
    dates.sort()
    headline_index = dates.index(HEADLINE_DATE)
    headline = _headline_positions()
    by_iso3 = {s.iso3: s for s in infos}
    resolutions, votes, links = [], [], []
    numbers: dict[tuple[str, int], int] = {}
    vote_id = 0
    for index, day in enumerate(dates):
        pk = index + 1
        council = index != headline_index and rng.random() < 0.25
        members = [s for s in infos if s.joined <= day and (s.left is None or s.left > day)]
        if council:
            permanent = {by_iso3["SUN" if day.year < 1992 else "RUS"].id} | {
                by_iso3[c].id for c in PERMANENT if c != "RUS"}
            others = [s for s in members if s.id not in permanent]
            members = [s for s in members if s.id in permanent] + rng.sample(others, 10)
            members.sort(key=lambda s: s.id)
        body = "SECURITY_COUNCIL" if council else "GENERAL_ASSEMBLY"
        session = str(day.year - 1945)
        numbers[(body, day.year)] = number = numbers.get((body, day.year), 0) + 1
        if index == headline_index:
            symbol, session = HEADLINE_SYMBOL, "ES-11"
        elif council:
            symbol = f"S/RES/{pk} ({day.year})"
        else:
            symbol = f"A/RES/{session}/{number}"
        contested = rng.choice((0, 1, 2)) if rng.random() < 0.35 else None
        counts = {"YES": 0, "NO": 0, "ABSTAIN": 0, "NON_VOTING": 0}
        for state in members:
            if index == headline_index:
                position = headline.get(state.iso3, "NON_VOTING")
            else:
                position = _position(rng, state.bloc, contested)
            counts[position] += 1
            vote_id += 1
            votes.append((vote_id, pk, state.id, position))
        outcome = "ADOPTED" if counts["YES"] > counts["NO"] else "REJECTED"
        if council and outcome == "ADOPTED" and rng.random() < 0.05:
            outcome = "VETOED"
        resolutions.append((pk, symbol, str(3_000_000 + pk), body, session, day,
                            f"Roll call {number} of {day.year}", "synthetic; benchmark",
                            counts["YES"], counts["NO"], counts["ABSTAIN"], counts["NON_VOTING"],
                            outcome))
        # One UN Digital Library record per session-year, as the voting data are published.
        links.append((pk, first_source + day.year - FIRST_YEAR))
    tables.add("resolution", ("id", "symbol", "undl_record_id", "body", "session", "voted_on",
                              "title", "tags", "yes_count", "no_count", "abstain_count",
                              "non_voting_count", "outcome"), resolutions)
    tables.add("vote", ("id", "resolution_id", "state_id", "position"), votes)
    tables.add("resolution_source", ("resolution_id", "source_id"), links)
    return first_source + LAST_YEAR - FIRST_YEAR + 1


def sources(tables: Tables, rng: random.Random, count: int) -> list[tuple[Any, ...]]:
    """``count`` sources: source 1 is the state list, then one per voting year, then reports."""
    publishers = ["SIPRI", "UN Digital Library", "Reuters", "Associated Press", "Official Journal",
                  "US Treasury", "Conflict Armament Research", "The Guardian", "ATOP project"]
    rows = [(1, "bench:state-list", "Member States of the United Nations", "United Nations",
             "https://www.un.org/en/about-us/member-states", dt.date(2024, 1, 1), None)]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        rows.append((len(rows) + 1, f"bench:undl-{year}", f"UN voting records, {year}",
                     "UN Digital Library", f"https://digitallibrary.un.org/search?year={year}",
                     dt.date(year + 1, 1, 15), dt.date(2025, 3, 1)))
    while len(rows) < count:
        pk = len(rows) + 1
        published = None if rng.random() < 0.1 else dt.date(rng.randint(1990, 2024),
                                                             rng.randint(1, 12), rng.randint(1, 28))
        publisher = rng.choice(publishers)
        rows.append((pk, f"bench:report-{pk}", f"{publisher} report no. {pk}", publisher,
                     None if rng.random() < 0.15 else f"https://example.org/{publisher.split()[0].lower()}/{pk}",
                     published, dt.date(2025, 3, 1)))
    tables.add("source", ("id", "key", "title", "publisher", "url", "published_on", "retrieved_on"),
               rows)
    return rows
