"""Sources, states, resolutions and their votes: reading and checking."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from app.models import Body, Outcome, Position
from app.seeding.errors import SeedError
from app.seeding.files import Record, read_csv, read_yaml_list
from app.seeding.plan import Fact, SeedSet

STATE_COLUMNS = {"iso3", "iso2", "m49", "cow_code", "name", "un_member_from", "sources"}
VOTE_COLUMNS = {"iso3", "position"}
TALLY_FIELDS = {"yes": Position.YES, "no": Position.NO, "abstain": Position.ABSTAIN,
                "non_voting": Position.NON_VOTING}


def parse_sources(root: Path, seeds: SeedSet) -> None:
    for record in read_yaml_list(root, "sources.yaml"):
        key = record.required("key")
        if key in seeds.sources:
            raise record.error(f"source key {key!r} is used twice", "key")
        seeds.sources[key] = {
            "key": key, "title": record.required("title"),
            "publisher": record.required("publisher"),
            "url": record.text("url"), "published_on": record.date("published_on"),
            "retrieved_on": record.date("retrieved_on"), "file_name": record.text("file_name"),
            "sha256": record.text("sha256"), "notes": record.text("notes"),
        }


def parse_states(root: Path, seeds: SeedSet) -> None:
    for record in read_csv(root, "states.csv", STATE_COLUMNS):
        iso3 = record.required("iso3").upper()
        if len(iso3) != 3 or not iso3.isalpha():
            raise record.error(f"iso3 {iso3!r} must be three letters", "iso3")
        if iso3 in seeds.states:
            raise record.error(f"state {iso3} is listed twice", "iso3")
        row = {
            "iso3": iso3, "iso2": record.text("iso2"), "m49": record.integer("m49"),
            "cow_code": record.integer("cow_code"), "name": record.required("name"),
            "official_name": record.text("official_name"), "region": record.text("region"),
            "subregion": record.text("subregion"), "un_member_from": record.date("un_member_from"),
            "un_member_until": record.date("un_member_until"),
            "un_observer": record.flag("un_observer"), "wikidata_id": record.text("wikidata_id"),
        }
        if row["un_member_until"] and row["un_member_from"] and \
                row["un_member_until"] < row["un_member_from"]:
            raise record.error("un_member_until is before un_member_from", "un_member_until")
        sources = seeds.source_keys(record, record.keys("sources"), what=f"state {iso3}")
        seeds.states[iso3] = Fact(row, sources, record)


def _member_on(seeds: SeedSet, iso3: str, day: dt.date) -> bool:
    row = seeds.states[iso3].row
    start, end = row["un_member_from"], row["un_member_until"]
    return start is not None and start <= day and (end is None or end > day)


def parse_resolutions(root: Path, seeds: SeedSet) -> None:
    for record in read_yaml_list(root, "resolutions.yaml"):
        symbol = record.required("symbol")
        if symbol in seeds.resolutions:
            raise record.error(f"resolution {symbol} is listed twice", "symbol")
        voted_on = record.date("voted_on")
        if voted_on is None:
            raise record.error("'voted_on' is required", "voted_on")
        counts = record.child("tally")
        row = {
            "symbol": symbol, "body": record.choice("body", Body),
            "session": record.text("session"),
            "voted_on": voted_on, "title": record.required("title"), "tags": record.text("tags"),
            # The roll call's identity: the UN Digital Library record both datasets name.
            "undl_record_id": record.required("undl_record_id"),
            "outcome": record.choice("outcome", Outcome) if record.raw("outcome") else None,
            "notes": record.text("notes"),
        }
        for name in TALLY_FIELDS:
            row[f"{name}_count"] = counts.integer(name) if counts else None
            if counts and row[f"{name}_count"] is None:
                raise record.error(f"the tally lacks '{name}': give yes, no, abstain and "
                                   "non_voting", "tally")
        twin = next((other for other, fact in seeds.resolutions.items()
                     if fact.row["undl_record_id"] == row["undl_record_id"]), None)
        if twin is not None:
            raise record.error(f"UN Digital Library record {row['undl_record_id']} is already "
                               f"{twin}'s: one record, one roll call", "undl_record_id")
        sources = seeds.source_keys(record, record.keys("sources"), what=f"resolution {symbol}")
        seeds.resolutions[symbol] = Fact(row, sources, record)
        votes_file = record.text("votes")
        if votes_file:
            seeds.votes[symbol] = _parse_votes(root, votes_file, seeds, record, row)


def _parse_votes(root: Path, name: str, seeds: SeedSet, resolution: Record,
                 row: dict[str, object]) -> list[dict[str, object]]:
    voted_on = row["voted_on"]
    assert isinstance(voted_on, dt.date)
    votes: dict[str, dict[str, object]] = {}
    for record in read_csv(root, name, VOTE_COLUMNS):
        iso3 = seeds.state(record, "iso3")
        assert iso3 is not None
        if iso3 in votes:
            raise record.error(f"{iso3} has two positions on {row['symbol']}", "iso3")
        if not _member_on(seeds, iso3, voted_on):
            raise record.error(f"{iso3} was not a UN member on {voted_on}: only members' votes "
                               "are stored (check states.csv un_member_from/until)", "iso3")
        votes[iso3] = {"iso3": iso3, "position": record.choice("position", Position),
                       "notes": record.text("note")}
    absent = sorted(iso3 for iso3 in seeds.states if _member_on(seeds, iso3, voted_on)
                    and iso3 not in votes)
    if absent:
        raise SeedError(name, None, f"no position for member(s) {', '.join(absent)} on "
                        f"{voted_on}: add them (NON_VOTING if they did not vote)")
    found = Counter(vote["position"] for vote in votes.values())
    for name_, position in TALLY_FIELDS.items():
        published = row[f"{name_}_count"]
        if published is not None and published != found[position]:
            raise resolution.error(
                f"{row['symbol']}: the tally says {name_} = {published} but {name} has "
                f"{found[position]} {position.name} votes; fix the tally or the votes", "tally")
    return list(votes.values())
