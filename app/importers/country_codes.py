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
- States asserted (dataset ``country-codes``): every UN member (codes, names, UN region,
  admission date), plus the codelist codes of every state the importers' carried list knows
  (Taiwan, Kosovo, former states ...). Codelist rows for other territories are counted, not
  imported.
- The files' values are this dataset's statements (``app.services.merge``): where the seeds say
  otherwise (our short names, Taiwan's M49 code) the seeds win by precedence, and codes follow
  the code list first (``FIELD_PRECEDENCE``); the disagreements stay visible. Every English name
  the codelist gives (its own, UN, ISO, Correlates of War) and the members list's is an alias.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, Engine

from app.db import all_or_nothing
from app.importers.errors import ImportFailure
from app.importers.provenance import file_source_key, record_source
from app.importers.reading import DataFile, read_data_file, table_rows
from app.importers.reference_states import reference_states
from app.importers.report import ImportReport, Progress, no_progress
from app.services.merge import Claim, claim_values, merge_claims
from app.services.names import sync_dataset_aliases
from app.services.statements import register_datasets

FORMAT = "country-codes"
CODELIST = "codelist_without_cldr.csv"
UN_MEMBERS = "un_members.csv"
# The codelist's English names kept as aliases: its own, the UN's, ISO's and Correlates of War's.
_NAME_COLUMNS = ("country.name.en", "un.name.en", "iso.name.en", "cow.name")
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
    report.add("dataset", register_datasets(connection))
    coded = [(line, row) for line, row in table_rows(codes_data, _NEEDED, "is this the countrycode package's codelist?") if row["iso3c"]]
    patterns = []
    for line, row in coded:
        try:
            patterns.append((re.compile(row["country.name.en.regex"], re.IGNORECASE), row))
        except re.error as exc:
            raise ImportFailure(codes_data.path, line, f"country.name.en.regex is not a valid "
                                f"pattern ({exc})") from None
    wanted: dict[str, dict[str, Any]] = {}
    member_names: dict[str, list[str]] = {}
    for member in _members(members_data):
        hits = [row for pattern, row in patterns if pattern.search(member.name)]
        if len(hits) != 1:
            found = ", ".join(row["iso3c"] for row in hits) or "no country"
            raise ImportFailure(members_data.path, member.line, f"{member.name!r} matches {found} "
                                f"in {codes_data.name}; fix the name or the codelist")
        wanted[hits[0]["iso3c"]] = {**_state_row(hits[0]), "un_member_from": member.admitted_on}
        member_names.setdefault(hits[0]["iso3c"], []).append(member.name)
    # Every state the carried list knows, member or not (Taiwan, Kosovo, the former states):
    # the same set whatever else the database holds, so the order of imports does not matter.
    carried = reference_states()
    for _line, row in coded:
        if row["iso3c"] in carried and row["iso3c"] not in wanted:
            wanted[row["iso3c"]] = _state_row(row)
    report.facts["UN members"] = len(_members(members_data))
    report.facts["codelist rows not imported (neither members nor known states)"] = sum(
        1 for _line, row in coded if row["iso3c"] not in wanted)
    keys = []
    for data, title, publisher in (
        (codes_data, "countrycode: country code crosswalk (codelist_without_cldr)",
         "countrycode R package (Arel-Bundock et al.)"),
        (members_data, "Member states of the United Nations, with admission dates",
         "Wikipedia, via World_Countries"),
    ):
        _source_id, counts = record_source(connection, data, kind=FORMAT, title=title,
                                           publisher=publisher)
        report.add("source", counts)
        keys.append(file_source_key(connection, FORMAT, data))
    by_iso3 = {row["iso3c"]: row for _line, row in coded}
    claims = []
    for iso3, row in wanted.items():
        sources = keys if row.get("un_member_from") else keys[:1]
        claims.append(Claim((iso3,), claim_values(row, sources=sources)))
    result = merge_claims(connection, "state", FORMAT, claims, release_key=keys[0], complete=True)
    report.add("state", result.counts)
    for table, counts in result.links.items():
        report.add(table, counts)
    names = {result.ids[(iso3,)]: sorted({by_iso3[iso3][column] for column in _NAME_COLUMNS
                                          if by_iso3[iso3].get(column)} | set(member_names.get(iso3, [])))
             for iso3 in wanted}
    report.add("state_alias", sync_dataset_aliases(connection, FORMAT, names))
