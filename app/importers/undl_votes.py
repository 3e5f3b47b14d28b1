"""`atlas import undl-votes`: the UN Digital Library voting CSV, one row per roll call.

Layout: named columns (``Council, Date, Title, Resolution, tags``, the tallies ``YES COUNT, NO
COUNT, ABSTAIN COUNT, NO-VOTE COUNT, TOTAL VOTES``, ``Link`` and ``token``) then one column per
member state, headed by its ISO3 code, holding YES / NO / ABSTAIN or nothing.

Decisions:
- A roll call is identified by its UN Digital Library record id (``token``, else the number at
  the end of ``Link``), never by its symbol: placeholder symbols such as ``A/RES/79/xxx`` repeat.
  The symbol and title are kept as published.
- An empty General Assembly cell is NON_VOTING when the state was a UN member on the day (per
  the ``state`` table's admission dates, or the importer's carried list) and no vote at all
  when it was not yet (or no longer) a member. Security Council rows store only the cells that
  hold a position: the other columns are states not on the Council.
- Blank tallies count as zero (the file leaves zeros blank) unless all four are blank. Rows
  whose cells disagree with their own tallies are imported and listed as warnings.
- An ISO3 column for a state missing from the database is created from the carried list
  (``reference_states``); a code in neither stops the import and is named.
- A roll call's row is this dataset's statement (``app.services.merge``): the roll call's
  fields and its map of positions by ISO3 code. A seeded roll call with the same record id is
  the same row; per state, the seeds' position wins by precedence and a differing one stays as
  a discrepancy (``votes.<ISO3>``); the seeds' titles and vote notes stay.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, Engine

from app.db import all_or_nothing
from app.importers.errors import ImportFailure
from app.importers.provenance import file_source_key, record_source, release_date_from_name
from app.importers.reading import DataFile, csv_records, parse_count, parse_iso_date, read_data_file
from app.importers.reference_states import KnownState, UnknownStates, ensure_states
from app.importers.report import ImportReport, Progress, no_progress
from app.models import Body, Outcome, Position
from app.services.merge import Claim, claim_values, merge_claims
from app.services.statements import register_datasets

FORMAT = "undl-votes"
BATCH_ROWS = 500
_ISO3 = re.compile(r"[A-Z]{3}")
_RECORD_IN_LINK = re.compile(r"/record/(\d+)")
_SESSION = re.compile(r"^A/RES/((?:ES-|S-)?\d+)/")
_BODIES = {"general assembly": Body.GENERAL_ASSEMBLY, "security council": Body.SECURITY_COUNCIL}
_CELLS = {"YES": Position.YES, "NO": Position.NO, "ABSTAIN": Position.ABSTAIN, "": None,
          "NV": Position.NON_VOTING, "NON-VOTING": Position.NON_VOTING}
_TALLIES = {Position.YES: "YES COUNT", Position.NO: "NO COUNT",
            Position.ABSTAIN: "ABSTAIN COUNT", Position.NON_VOTING: "NO-VOTE COUNT"}
# The named columns as the UN Digital Library export orders them, before the ISO3 columns.
NAMED_COLUMNS = ("id", "Council", "Date", "Title", "Resolution", "country", "subregion",
                 "continent", "tags", "TOTAL VOTES", "NO-VOTE COUNT", "ABSTAIN COUNT", "NO COUNT",
                 "YES COUNT", "Link", "token", "Scrape_Year")
REQUIRED = ("Council", "Date", "Title", "Resolution", "token", "Link", *_TALLIES.values())


@dataclass
class RollCall:
    """One parsed row: the resolution columns and the position of each state column."""

    line: int
    record_id: str
    row: dict[str, Any]
    positions: list[Position | None]  # one per state column; None = not stored


class _Layout:
    """Where each named column and each state column sits in the header."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.width = len(header)
        self.named = {name.strip(): index for index, name in enumerate(header)}
        missing = [name for name in REQUIRED if name not in self.named]
        if missing:
            raise ImportFailure(path, 1, f"missing column(s) {', '.join(missing)}; is this the "
                                "UN Digital Library voting CSV?")
        self.states = [(index, name.strip()) for index, name in enumerate(header)
                       if _ISO3.fullmatch(name.strip())]
        if not self.states:
            raise ImportFailure(path, 1, "no ISO3 state columns (AFG, AGO, ...) in the header")

    def cell(self, cells: list[str], name: str) -> str:
        return cells[self.named[name]].strip()


def _record_id(layout: _Layout, cells: list[str], line: int) -> str:
    token = parse_count(layout.cell(cells, "token")) if layout.cell(cells, "token") else None
    if token is not None:
        return str(token)
    match = _RECORD_IN_LINK.search(layout.cell(cells, "Link"))
    if match is None:
        raise ImportFailure(layout.path, line, "no UN Digital Library record id: both token and "
                            "Link are empty; the record id is what identifies a roll call")
    return match.group(1)


def _parse_row(layout: _Layout, line: int, cells: list[str],
               states: dict[str, KnownState], report: ImportReport) -> RollCall:
    path = layout.path
    if len(cells) != layout.width:
        raise ImportFailure(path, line, f"{len(cells)} cells where the header has {layout.width}; "
                            "a cell or a separator is missing or extra")
    try:
        voted_on = parse_iso_date(layout.cell(cells, "Date"))
        tallies = {position: parse_count(layout.cell(cells, column))
                   for position, column in _TALLIES.items()}
    except ValueError as exc:
        raise ImportFailure(path, line, str(exc)) from None
    body = _BODIES.get(layout.cell(cells, "Council").lower())
    if body is None:
        raise ImportFailure(path, line, f"Council {layout.cell(cells, 'Council')!r} is neither "
                            "'General Assembly' nor 'Security Council'")
    record_id = _record_id(layout, cells, line)
    symbol = layout.cell(cells, "Resolution")
    title = layout.cell(cells, "Title") or symbol
    positions: list[Position | None] = []
    for index, code in layout.states:
        raw = cells[index].strip().upper()
        if raw not in _CELLS:
            raise ImportFailure(path, line, f"column {code}: {cells[index]!r} is not a vote; "
                                "expected YES, NO, ABSTAIN or an empty cell")
        position = _CELLS[raw]
        if (position is None and body is Body.GENERAL_ASSEMBLY
                and states[code].member_on(voted_on) is not False):
            position = Position.NON_VOTING
        positions.append(position)
    row: dict[str, Any] = {
        "undl_record_id": record_id, "symbol": symbol, "body": body, "voted_on": voted_on,
        "title": title, "session": _session(symbol),
        "tags": layout.cell(cells, "tags") if "tags" in layout.named else None,
        "yes_count": None, "no_count": None, "abstain_count": None, "non_voting_count": None,
    }
    if any(value is not None for value in tallies.values()):
        row.update(yes_count=tallies[Position.YES] or 0, no_count=tallies[Position.NO] or 0,
                   abstain_count=tallies[Position.ABSTAIN] or 0,
                   non_voting_count=tallies[Position.NON_VOTING] or 0)
        _check_tallies(line, symbol, record_id, body, row, positions, report)
    if "adopted" in title.lower():
        row["outcome"] = Outcome.ADOPTED
    return RollCall(line, record_id, row, positions)


def _session(symbol: str) -> str | None:
    match = _SESSION.match(symbol)
    return match.group(1) if match else None


def _check_tallies(line: int, symbol: str, record_id: str, body: Body, row: dict[str, Any],
                   positions: list[Position | None], report: ImportReport) -> None:
    counted = Counter(position for position in positions if position is not None)
    checks = [(Position.YES, "yes_count"), (Position.NO, "no_count"),
              (Position.ABSTAIN, "abstain_count")]
    if body is Body.GENERAL_ASSEMBLY:
        checks.append((Position.NON_VOTING, "non_voting_count"))
    wrong = [f"{position.value.lower()} {counted[position]} (tally {row[column]})"
             for position, column in checks if counted[position] != row[column]]
    if wrong:
        report.facts["rows whose votes contradict their tallies"] = (
            report.facts.get("rows whose votes contradict their tallies", 0) + 1)
        report.warnings.append(f"line {line}: {symbol} (record {record_id}): the cells give "
                               + ", ".join(wrong) + "; kept as published")


def _write_batch(connection: Connection, batch: list[RollCall], state_codes: list[str],
                 release: str, report: ImportReport) -> None:
    claims = []
    for roll_call in batch:
        votes = {code: position for code, position in zip(state_codes, roll_call.positions,
                                                          strict=True) if position is not None}
        claims.append(Claim((roll_call.record_id,), claim_values(
            roll_call.row, votes=votes, sources=[release])))
    result = merge_claims(connection, "resolution", FORMAT, claims, release_key=release,
                          keep_earlier_sources=True)
    report.add("resolution", result.counts)
    for table, counts in result.links.items():
        report.add(table, counts)


def _batches(items: Iterator[RollCall], size: int) -> Iterator[list[RollCall]]:
    batch: list[RollCall] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_undl_votes(engine: Engine, path: Path, *, dry_run: bool = False,
                      progress: Progress = no_progress) -> ImportReport:
    """Import one UN Digital Library voting CSV in one transaction (rolled back on a dry run)."""
    data = read_data_file(path)
    report = ImportReport(FORMAT, path, dry_run)
    with all_or_nothing(engine, dry_run=dry_run) as connection:
        _import(connection, data, report, progress)
    return report


def _import(connection: Connection, data: DataFile, report: ImportReport,
            progress: Progress) -> None:
    report.add("dataset", register_datasets(connection))
    records = csv_records(data.text)
    header = next(records, None)
    if header is None:
        raise ImportFailure(data.path, None, "the file is empty")
    layout = _Layout(data.path, header.cells)
    try:
        states, created = ensure_states(connection, [code for _, code in layout.states],
                                        report.add)
    except UnknownStates as exc:
        raise ImportFailure(data.path, 1, f"unknown ISO3 column(s) {exc}: not in the state table "
                            "nor in the importer's list; import them first (atlas import "
                            "country-codes) or fix the header") from None
    report.add("state", created)
    state_codes = [code for _, code in layout.states]
    _source_id, source_counts = record_source(
        connection, data, kind=FORMAT, publisher="United Nations Digital Library",
        title=f"UN Digital Library voting data ({data.name})",
        url="https://digitallibrary.un.org/", published_on=release_date_from_name(data.name))
    report.add("source", source_counts)
    total = max(data.text.count("\n") - 1, 1)
    seen: dict[str, int] = {}

    def roll_calls() -> Iterator[RollCall]:
        for record in records:
            roll_call = _parse_row(layout, record.line, record.cells, states, report)
            if roll_call.record_id in seen:
                raise ImportFailure(data.path, record.line, f"record {roll_call.record_id} is "
                                    f"already on line {seen[roll_call.record_id]}; one row per "
                                    "UN Digital Library record")
            seen[roll_call.record_id] = record.line
            yield roll_call

    release = file_source_key(connection, FORMAT, data)
    done = 0
    for batch in _batches(roll_calls(), BATCH_ROWS):
        _write_batch(connection, batch, state_codes, release, report)
        done += len(batch)
        progress(done, total)
    report.facts["roll calls in file"] = done
