"""`atlas import atop`: ATOP (Alliance Treaty Obligations and Provisions) v4 CSVs.

Inputs: the alliance-level file (one row per alliance, ``atopid``, begin/end dates and the
obligation flags ``defense, offense, neutral, nonagg, consul``) and the member-level file (one
row per member and phase: ``atopid, member`` (a Correlates of War state code), entry and exit
dates; a year of 0 means still in force).

Decisions:
- An alliance is identified by ``atop_id``: ATOP asserts the key ``ATOP-<atopid>`` and a plain
  name (ATOP files carry no names); where the seeds name the same ``atop_id`` (NATO) it is the
  same row, and the seeds' key, names, kind and dates win by precedence (``app.services.merge``).
- Kind, from the strongest obligation: defence (or offence) -> DEFENSE_PACT, then neutrality,
  non-aggression, consultation.
- A member's consecutive or overlapping phases merge into one membership (ATOP splits NATO
  into phases; a member was in it throughout). A missing day is taken as the 1st (counted).
- COW codes map to states through ``state.cow_code`` and the importers' carried list, with
  ISO 3166-3 codes for former states: 365 is SUN before 25 Dec 1991 and RUS after, 260 (West
  Germany) DEU, 678 (Yemen Arab Republic) YEM, 817 (Republic of Vietnam) VNM. States with no
  ISO code at all (Bavaria, Austria-Hungary ...) cannot be stored; their memberships are
  skipped and listed in the report.
- A membership is the row of the same alliance and state whose period overlaps (the seeds and
  ATOP date some accessions days apart); the seeds' dates win, ATOP's stay as discrepancies.
  Alliances and memberships a newer release lacks are retired, never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from app.db import all_or_nothing
from app.importers.errors import ImportFailure
from app.importers.provenance import file_source_key, record_source
from app.importers.reading import DataFile, read_data_file, table_rows
from app.importers.reference_states import ensure_states, reference_states
from app.importers.report import ImportReport, Progress, no_progress
from app.models import AllianceKind, State
from app.services.merge import Claim, claim_values, merge_claims
from app.services.statements import register_datasets

FORMAT = "atop"
ALLIANCE_FILE = "atop-alliance-level.csv"
MEMBER_FILE = "atop-member-level.csv"
COW_ALIASES = {260: "DEU", 678: "YEM", 817: "VNM"}
_KINDS = (("defense", AllianceKind.DEFENSE_PACT), ("offense", AllianceKind.DEFENSE_PACT),
          ("neutral", AllianceKind.NEUTRALITY), ("nonagg", AllianceKind.NON_AGGRESSION),
          ("consul", AllianceKind.CONSULTATION))
_ALLIANCE_COLUMNS = ("atopid", "begyr", "begmo", "begday", "endyr", "endmo", "endday",
                     *(flag for flag, _ in _KINDS))
_MEMBER_COLUMNS = ("atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit")
_HINT = "is this an ATOP v4 CSV?"


@dataclass
class Span:
    """A member's time in an alliance, from one or more ATOP phases."""

    atop_id: int
    cow: int
    joined_on: dt.date
    left_on: dt.date | None


def find_inputs(paths: list[Path]) -> tuple[Path, Path]:
    """(alliance-level, member-level) from a folder or the two files in either order."""
    if len(paths) == 1 and paths[0].is_dir():
        paths = [paths[0] / ALLIANCE_FILE, paths[0] / MEMBER_FILE]
    if len(paths) != 2:
        raise ImportFailure(paths[0] if paths else Path("."), None,
                            f"give the folder holding {ALLIANCE_FILE} and {MEMBER_FILE}, or both")
    first, second = paths
    return (second, first) if "member" in first.name else (first, second)


def _int(data: DataFile, line: int, row: dict[str, str], column: str) -> int:
    try:
        return int(float(row[column] or 0))
    except ValueError:
        raise ImportFailure(data.path, line, f"{column} {row[column]!r} is not a number") from None


def _date(data: DataFile, line: int, row: dict[str, str], columns: tuple[str, str, str],
          report: ImportReport) -> dt.date | None:
    year, month, day = (_int(data, line, row, column) for column in columns)
    if year == 0:
        return None
    if day <= 0:
        report.facts["dates without a day (1st used)"] = report.facts.get(
            "dates without a day (1st used)", 0) + 1
        day = 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ImportFailure(data.path, line, f"{columns[0]}/{columns[1]}/{columns[2]} "
                            f"{year}-{month}-{day} is not a date") from None


def _spans(data: DataFile, report: ImportReport) -> list[Span]:
    phases: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for line, row in table_rows(data, _MEMBER_COLUMNS, _HINT):
        joined = _date(data, line, row, ("yrent", "moent", "dayent"), report)
        if joined is None:
            raise ImportFailure(data.path, line, "yrent is 0: a membership needs an entry year")
        left = _date(data, line, row, ("yrexit", "moexit", "dayexit"), report)
        phases[(_int(data, line, row, "atopid"), _int(data, line, row, "member"))].append((joined, left))
    spans = []
    for (atop_id, cow), periods in phases.items():
        periods.sort()
        current = Span(atop_id, cow, *periods[0])
        for joined, left in periods[1:]:
            if current.left_on is not None and joined <= current.left_on:
                current.left_on = None if left is None else max(left, current.left_on)
            else:
                spans.append(current)
                current = Span(atop_id, cow, joined, left)
        spans.append(current)
    return spans


def _cow_states(connection: Connection) -> dict[int, list[tuple[str, dt.date | None]]]:
    """COW code -> candidate (iso3, end of membership) from the database and the carried list."""
    found: dict[int, dict[str, dt.date | None]] = defaultdict(dict)
    for iso3, row in reference_states().items():
        if row["cow_code"] is not None:
            found[row["cow_code"]][iso3] = row["un_member_until"]
    carried = set(found)
    table = State.__table__
    # The state table only adds codes the carried list lacks (states the data team added), so
    # the same file maps to the same states whatever else was loaded before.
    for iso3, cow, until in connection.execute(sa.select(
            table.c.iso3, table.c.cow_code, table.c.un_member_until).where(table.c.cow_code.is_not(None))):
        if cow not in carried:
            found[cow][iso3] = until
    for cow, iso3 in COW_ALIASES.items():
        found[cow].setdefault(iso3, None)
    return {cow: sorted(states.items(), key=lambda s: s[1] or dt.date.max)
            for cow, states in found.items()}


def _state_for(candidates: list[tuple[str, dt.date | None]], joined: dt.date) -> str:
    # Former states (with an end date) first: 365 joined in 1955 is SUN, in 1992 RUS.
    for iso3, until in candidates:
        if until is None or joined <= until:
            return iso3
    return candidates[-1][0]


def import_atop(engine: Engine, alliances: Path, members: Path, *, dry_run: bool = False,
                progress: Progress = no_progress) -> ImportReport:
    """Import ATOP's alliance-level and member-level files together, in one transaction."""
    alliance_data, member_data = read_data_file(alliances), read_data_file(members)
    report = ImportReport(FORMAT, alliances, dry_run)
    with all_or_nothing(engine, dry_run=dry_run) as connection:
        _import(connection, alliance_data, member_data, report)
    progress(1, 1)
    return report


def _alliance_rows(data: DataFile, report: ImportReport) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for line, row in table_rows(data, _ALLIANCE_COLUMNS, _HINT):
        atop_id = _int(data, line, row, "atopid")
        if atop_id in rows:
            raise ImportFailure(data.path, line, f"atopid {atop_id} appears twice")
        signed = _date(data, line, row, ("begyr", "begmo", "begday"), report)
        kind = next((k for flag, k in _KINDS if _int(data, line, row, flag) > 0), None)
        if kind is None:
            raise ImportFailure(data.path, line, f"atopid {atop_id} has none of the obligations "
                                "defense, offense, neutral, nonagg, consul")
        ended = _date(data, line, row, ("endyr", "endmo", "endday"), report)
        rows[atop_id] = {
            "key": f"ATOP-{atop_id}", "atop_id": atop_id, "kind": kind,
            "name": f"ATOP alliance {atop_id} ({kind.value.replace('_', ' ').lower()}"
                    f"{f', {signed.year}' if signed else ''})",
            "signed_on": signed,
            "ended_on": ended,
        }
    return rows


def _import(connection: Connection, alliance_data: DataFile, member_data: DataFile,
            report: ImportReport) -> None:
    report.add("dataset", register_datasets(connection))
    alliances = _alliance_rows(alliance_data, report)
    spans = _spans(member_data, report)
    unknown_ids = sorted({span.atop_id for span in spans} - set(alliances))
    if unknown_ids:
        raise ImportFailure(member_data.path, None, f"atopid(s) {unknown_ids[:5]} are not in "
                            f"{alliance_data.name}; give matching files")
    keys = {}
    for data, title in ((alliance_data, "alliance level"), (member_data, "member level")):
        _source_id, counts = record_source(
            connection, data, kind=FORMAT, publisher="ATOP project (Leeds, Ritter, Mitchell and Long)",
            title=f"Alliance Treaty Obligations and Provisions v4.01, {title} ({data.name})",
            url="http://www.atopdata.org/")
        report.add("source", counts)
        keys[title] = file_source_key(connection, FORMAT, data)
    result = merge_claims(connection, "alliance", FORMAT, [
        Claim((row["key"],), claim_values(row, sources=[keys["alliance level"]]))
        for row in alliances.values()], release_key=keys["alliance level"], complete=True,
        keep_earlier_sources=True)
    report.add("alliance", result.counts)
    for table, counts in result.links.items():
        report.add(table, counts)
    ids = {atop_id: result.ids[(row["key"],)] for atop_id, row in alliances.items()}
    candidates = _cow_states(connection)
    chosen: list[tuple[Span, str]] = []
    skipped: dict[int, int] = defaultdict(int)
    for span in spans:
        if span.cow in candidates:
            chosen.append((span, _state_for(candidates[span.cow], span.joined_on)))
        else:
            skipped[span.cow] += 1
    states, created = ensure_states(connection, {iso3 for _, iso3 in chosen}, report.add)
    report.add("state", created)
    claims = {}
    for span, iso3 in chosen:
        identity = (ids[span.atop_id], states[iso3].id, span.joined_on)
        claims[identity] = Claim(identity, claim_values({
            "joined_on": span.joined_on, "left_on": span.left_on},
            sources=[keys["member level"]]))
    members = merge_claims(connection, "alliance_membership", FORMAT, list(claims.values()),
                           release_key=keys["member level"], complete=True,
                           keep_earlier_sources=True)
    report.add("alliance_membership", members.counts)
    for table, counts in members.links.items():
        report.add(table, counts)
    for code, count in sorted(skipped.items()):
        report.warnings.append(f"COW code {code}: {count} membership(s) skipped, the state has no "
                               "ISO 3166 code (add it to the state table with cow_code to keep them)")
    report.facts["alliances in file"] = len(alliances)
    report.facts["memberships (phases merged)"] = len(spans)
