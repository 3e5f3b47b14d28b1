"""`atlas import country-codes`: the country code crosswalk and the list of UN members.

Inputs (``../shared/data/country-codes``): ``codelist_without_cldr.csv`` (one row per country:
ISO codes, UN M49, Correlates of War, names in several languages, UN regions, and a regular
expression matching the country's English names) and ``un_members.csv`` (no header;
"name, Wikipedia URL, admission date, original member, note", commas inside notes written as
``&comma;``).

Decisions:
- The two files are imported together, in one transaction: the members list has no codes and
  is joined to the codelist through the codelist's English-name pattern. A member name that
  matches no codelist row, or several, stops the import with its line.
- States written: every UN member (codes, names, UN region, admission date), plus the codelist
  codes of states the database already holds (e.g. Taiwan or Kosovo, created by another
  importer). Codelist rows for territories that are neither are counted, not imported.
- Columns these files do not carry (official name, observer flag, membership end, Wikidata id)
  are never touched, so the seeds' values for them stay.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from app.db import all_or_nothing
from app.importers.errors import ImportFailure
from app.importers.provenance import add_source_links, record_source
from app.importers.reading import DataFile, read_data_file, table_rows
from app.importers.report import ImportReport, Progress, no_progress
from app.models import State
from app.models.links import state_source
from app.services.upsert import sync_rows

FORMAT = "country-codes"
CODELIST = "codelist_without_cldr.csv"
UN_MEMBERS = "un_members.csv"
_NEEDED = ("iso3c", "iso2c", "un", "cown", "country.name.en", "country.name.en.regex",
           "un.name.en", "un.region.name", "un.regionsub.name")


@dataclass
class Member:
    line: int
    name: str
    admitted_on: dt.date


def find_inputs(paths: list[Path]) -> tuple[Path, Path]:
    """(codelist, members) from a folder holding both or from the two files in either order."""
    if len(paths) == 1 and paths[0].is_dir():
        paths = [paths[0] / CODELIST, paths[0] / UN_MEMBERS]
    if len(paths) != 2:
        raise ImportFailure(paths[0] if paths else Path("."), None,
                            f"give the folder holding {CODELIST} and {UN_MEMBERS}, or both files")
    first, second = paths
    return (second, first) if first.name == UN_MEMBERS or second.name == CODELIST else (first, second)


def _members(data: DataFile) -> list[Member]:
    members = []
    for number, line in enumerate(data.text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(", ")
        if len(parts) < 4:
            raise ImportFailure(data.path, number, f"{len(parts)} fields where 'name, URL, "
                                "admission date, original member[, note]' has at least 4")
        try:
            admitted = dt.datetime.strptime(parts[2].strip(), "%d %B %Y").date()
        except ValueError:
            raise ImportFailure(data.path, number, f"admission date {parts[2]!r} is not a date "
                                "like '24 October 1945'") from None
        members.append(Member(number, parts[0].replace("&comma;", ",").strip(), admitted))
    return members


def _state_row(row: dict[str, str]) -> dict[str, Any]:
    return {
        "iso3": row["iso3c"], "iso2": row["iso2c"] or None,
        "m49": int(row["un"]) if row["un"] else None,
        "cow_code": int(row["cown"]) if row["cown"] else None,
        "name": row["un.name.en"] or row["country.name.en"],
        "region": row["un.region.name"] or None, "subregion": row["un.regionsub.name"] or None,
    }


def import_country_codes(engine: Engine, codelist: Path, members: Path, *, dry_run: bool = False,
                         progress: Progress = no_progress) -> ImportReport:
    """Import the codelist and the UN members list together, in one transaction."""
    codes_data, members_data = read_data_file(codelist), read_data_file(members)
    report = ImportReport(FORMAT, codelist, dry_run)
    with all_or_nothing(engine, dry_run=dry_run) as connection:
        _import(connection, codes_data, members_data, report)
    progress(1, 1)
    return report


def _import(connection: Connection, codes_data: DataFile, members_data: DataFile,
            report: ImportReport) -> None:
    coded = [(line, row) for line, row in table_rows(codes_data, _NEEDED, "is this the countrycode package's codelist?") if row["iso3c"]]
    patterns = []
    for line, row in coded:
        try:
            patterns.append((re.compile(row["country.name.en.regex"], re.IGNORECASE), row))
        except re.error as exc:
            raise ImportFailure(codes_data.path, line, f"country.name.en.regex is not a valid "
                                f"pattern ({exc})") from None
    wanted: dict[str, dict[str, Any]] = {}
    for member in _members(members_data):
        hits = [row for pattern, row in patterns if pattern.search(member.name)]
        if len(hits) != 1:
            found = ", ".join(row["iso3c"] for row in hits) or "no country"
            raise ImportFailure(members_data.path, member.line, f"{member.name!r} matches {found} "
                                f"in {codes_data.name}; fix the name or the codelist")
        wanted[hits[0]["iso3c"]] = {**_state_row(hits[0]), "un_member_from": member.admitted_on}
    table = State.__table__
    present = set(connection.execute(sa.select(table.c.iso3)).scalars())
    for _line, row in coded:
        if row["iso3c"] in present and row["iso3c"] not in wanted:
            wanted[row["iso3c"]] = _state_row(row)
    report.facts["UN members"] = len(_members(members_data))
    report.facts["codelist rows not imported (neither members nor known states)"] = sum(
        1 for _line, row in coded if row["iso3c"] not in wanted)
    result = sync_rows(connection, table, ("iso3",), list(wanted.values()))
    report.add("state", result.counts)
    for data, title, publisher in (
        (codes_data, "countrycode: country code crosswalk (codelist_without_cldr)",
         "countrycode R package (Arel-Bundock et al.)"),
        (members_data, "Member states of the United Nations, with admission dates",
         "Wikipedia, via World_Countries"),
    ):
        source_id, counts = record_source(connection, data, kind=FORMAT, title=title,
                                          publisher=publisher)
        report.add("source", counts)
        report.add("state_source", add_source_links(connection, state_source,
                                                    result.ids.values(), source_id))
