"""`atlas import sipri`: the SIPRI Arms Transfers Database trade register (CSV export).

Layout: a preamble of notes (its "Data generated: 13 Mar 2025" line is the release date), then
the header ``Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon
description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI
TIV for total order,SIPRI TIV of delivered weapons``. Each blank-headed column holds ``?`` when
the value before it is uncertain; it becomes that value's ``*_estimate`` flag.

Decisions:
- Identity: SIPRI rows carry no id. ``external_id`` is ``sipri:`` + a hash of recipient,
  supplier, year of order and weapon designation as written, + ``:n``, the deal's number among
  the deals sharing those four values, given by content and matched to the deals an earlier
  release held (``app.services.sipri_ids``), never by position in the file. Numbers, delivery
  years, comments and TIVs are facts that a newer release may revise, so they are compared
  and updated, not part of the identity.
- Parties are mapped through the ``party_name`` crosswalk (``party_names``); unmapped names
  land as UNKNOWN with the name kept and are listed in the report.
- A comment cut by a stray line break (SIPRI does not quote it) leaves a record short of cells
  that the next line completes exactly; the two are joined. Any other short row is an error.
- Status: nothing delivered -> ORDERED; delivered at least the number ordered, or a number
  delivered with none ordered -> DELIVERED; otherwise DELIVERING. SIPRI records deals it has
  confirmed from open sources, so evidence is CONFIRMED.
- Delivery years are kept as published ("2022; 2023") unless the list is longer than the
  column (a few deals delivered over 40 years); those are written as ranges ("1962-1999; 2003").
- The register is a complete release: deals an older release held and a newer one lacks are
  retired (marked with the release that dropped them, left out of lists), never deleted.
- Deals are SIPRI's statements (``app.services.merge``): a seeded deal with the same id is the
  same row, and what the seeds assert about it (denials, violations, curated values) stays.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from app.db import all_or_nothing
from app.importers.errors import ImportFailure
from app.importers.party_names import PartyNames
from app.importers.provenance import file_source_key, record_source
from app.importers.reading import DataFile, Record, csv_records, read_data_file
from app.importers.report import ImportReport, Progress, no_progress
from app.importers.sipri_categories import weapon_category
from app.models import ArmsTransfer, Evidence, TransferStatus
from app.models.datasets import arms_transfer_statement
from app.services.merge import Claim, merge_claims
from app.services.sipri_ids import CONTENT, deal_group, deal_id, match_release
from app.services.statements import encode, ensure_datasets, register_datasets

FORMAT = "sipri"
WIDTH = 16
DELIVERY_YEARS_MAX = 200  # arms_transfer.delivery_years; longer lists are written as ranges
HEADER_START = "Recipient,Supplier,"
_GENERATED = re.compile(r"Data generated:\s*(\d{1,2} [A-Za-z]{3} \d{4})")
_YEAR = re.compile(r"\d{4}")
_NAMED = {0: "Recipient", 1: "Supplier", 2: "Year of order", 4: "Number ordered",
          6: "Weapon designation", 7: "Weapon description", 8: "Number delivered",
          10: "Year(s) of delivery", 11: "status", 12: "Comments", 13: "SIPRI TIV per unit",
          14: "SIPRI TIV for total order", 15: "SIPRI TIV of delivered weapons"}


def _split_preamble(data: DataFile) -> tuple[int, str, dt.date | None]:
    """The header's line number, the text from the header on, and the release date."""
    published_on = None
    offset = 0
    for number, line in enumerate(data.text.splitlines(keepends=True), start=1):
        if line.startswith(HEADER_START):
            return number, data.text[offset:], published_on
        match = _GENERATED.search(line)
        if match:
            published_on = dt.datetime.strptime(match.group(1), "%d %b %Y").date()
        offset += len(line)
    raise ImportFailure(data.path, None, f"no header line starting {HEADER_START!r}; is this "
                        "SIPRI's trade register CSV export?")


# Other spellings SIPRI's exports have used for a column (compared ignoring case): the 2026
# export of armstransfers.sipri.org names column 9 "Deliveries in the Year Range".
_SPELLINGS = {
    8: ("Number delivered", "Deliveries in the Year Range", "Deliveries in the year(s)",
        "Number delivered in the year range"),
    10: ("Year(s) of delivery", "Year(s) of deliveries", "Years of delivery"),
    11: ("status", "Status of the deal"),
}


def _check_header(path: Path, record: Record) -> None:
    cells = [cell.strip() for cell in record.cells]
    problems = [f"column {index + 1} is {cells[index]!r}, expected {name!r}"
                for index, name in _NAMED.items()
                if index >= len(cells) or cells[index].lower() not in
                {spelling.lower() for spelling in _SPELLINGS.get(index, (name,))}]
    if len(cells) != WIDTH or problems:
        raise ImportFailure(path, record.line, "unexpected header: "
                            + ("; ".join(problems) or f"{len(cells)} columns, expected {WIDTH}"))


def _joined(path: Path, records: Iterator[Record], report: ImportReport) -> Iterator[Record]:
    """Records with the cells of a comment cut by a line break joined back together."""
    pending: Record | None = None
    for record in records:
        if pending is not None:
            if len(pending.cells) + len(record.cells) - 1 == WIDTH:
                cells = pending.cells[:-1] + [f"{pending.cells[-1]} {record.cells[0]}".strip()]
                report.facts["rows split over two lines, joined"] = (
                    report.facts.get("rows split over two lines, joined", 0) + 1)
                yield Record(pending.line, cells + record.cells[1:])
                pending = None
                continue
            raise ImportFailure(path, pending.line, f"{len(pending.cells)} cells where the header "
                                f"has {WIDTH}; a cell or a comma is missing")
        if len(record.cells) < WIDTH:
            pending = record
        elif len(record.cells) > WIDTH:
            raise ImportFailure(path, record.line, f"{len(record.cells)} cells where the header "
                                f"has {WIDTH}; quote cells that hold commas")
        else:
            yield record
    if pending is not None:
        raise ImportFailure(path, pending.line, f"{len(pending.cells)} cells where the header "
                            f"has {WIDTH}; a cell or a comma is missing")


def _flag(value: str, after: str) -> bool:
    if value and value != "?":
        raise ValueError(f"uncertainty mark after {after} is {value!r}; expected ? or nothing")
    return value == "?"


def _int(value: str, column: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{column} {value!r} is not a whole number")
    return int(value)


def _float(value: str, column: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{column} {value!r} is not a number") from None


@lru_cache(maxsize=4096)
def _delivery_years(text: str) -> tuple[int, ...]:
    """``2022; 2023`` -> (2022, 2023); the register repeats a few thousand distinct lists."""
    years = tuple(int(year) for year in _YEAR.findall(text))
    if text and ";".join(map(str, years)) != text.replace(" ", ""):
        raise ValueError(f"Year(s) of delivery {text!r}; write years as 2022; 2023")
    return years


def _compact_years(years_text: str, years: list[int]) -> str:
    """The delivery years as published, or as ranges ("1962-1975; 1980") when too long to store."""
    if len(years_text) <= DELIVERY_YEARS_MAX:
        return years_text
    spans: list[list[int]] = []
    for year in sorted(set(years)):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return "; ".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)


def _status(ordered: int | None, delivered: int | None) -> TransferStatus:
    if not delivered:
        return TransferStatus.ORDERED
    if ordered is None or delivered >= ordered:
        return TransferStatus.DELIVERED
    return TransferStatus.DELIVERING


def _transfer(raw: list[str], parties: PartyNames) -> dict[str, Any]:
    """One deal's values (states by ISO3), with ``group``: the deal's group id."""
    cells = [cell.strip() for cell in raw]
    recipient, supplier, designation, description = cells[0], cells[1], cells[6], cells[7]
    if not recipient or not supplier:
        raise ValueError("Recipient and Supplier must both be named")
    ordered_year = _int(cells[2], "Year of order")
    if ordered_year is None:
        raise ValueError("Year of order is empty")
    years = _delivery_years(cells[10])
    ordered, delivered = _int(cells[4], "Number ordered"), _int(cells[8], "Number delivered")
    supplier_party, recipient_party = parties.resolve(supplier), parties.resolve(recipient)
    if supplier_party.state_id is not None and supplier_party.state_id == recipient_party.state_id:
        raise ValueError(f"supplier {supplier!r} and recipient {recipient!r} map to the same state; "
                         "fix one of them in the party_name table")
    deal: dict[str, Any] = {
        "group": deal_group(recipient, supplier, cells[2], designation),
        "supplier_name": supplier, "supplier_kind": supplier_party.kind,
        "recipient_name": recipient, "recipient_kind": recipient_party.kind,
        "weapon_designation": designation,
        "category": weapon_category(description or designation),
        "ordered_year": ordered_year, "ordered_year_estimate": _flag(cells[3], "Year of order"),
        "number_ordered_estimate": _flag(cells[5], "Number ordered"),
        "number_delivered_estimate": _flag(cells[9], "Number delivered"),
        "status": _status(ordered, delivered), "evidence": Evidence.CONFIRMED,
    }
    # Values the register may leave empty: an empty one is no statement, so it is left out.
    for name, value in (
        ("supplier_state", parties.iso3(supplier_party)),
        ("recipient_state", parties.iso3(recipient_party)),
        ("weapon_description", description or None), ("number_ordered", ordered),
        ("number_delivered", delivered),
        ("delivery_years", _compact_years(cells[10], list(years)) or None),
        ("first_delivery_year", min(years) if years else None),
        ("last_delivery_year", max(years) if years else None),
        ("sipri_status", cells[11] or None), ("comments", cells[12] or None),
        ("sipri_tiv_per_unit", _float(cells[13], _NAMED[13])),
        ("sipri_tiv_total", _float(cells[14], _NAMED[14])),
        ("sipri_tiv_delivered", _float(cells[15], _NAMED[15])),
    ):
        if value is not None:
            deal[name] = value
    return deal


def _held_deals(connection: Connection) -> dict[str, dict[int, int]]:
    """The deals this dataset already holds: group -> deal number -> row id."""
    table = arms_transfer_statement
    transfer = ArmsTransfer.__table__
    dataset_id = ensure_datasets(connection, [FORMAT])[FORMAT]
    held: dict[str, dict[int, int]] = {}
    query = (sa.select(transfer.c.external_id, transfer.c.id)
             .join(transfer, transfer.c.id == table.c.arms_transfer_id)
             .where(table.c.dataset_id == dataset_id))
    for external_id, row_id in connection.execute(query):
        group, _, number = external_id.rpartition(":")
        if number.isdigit():
            held.setdefault(group, {})[int(number)] = row_id
    return held


def _held_content(connection: Connection, row_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The last content this dataset gave the deals ``row_ids``."""
    table = arms_transfer_statement
    dataset_id = ensure_datasets(connection, [FORMAT])[FORMAT]
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(row_ids), 5000):
        query = sa.select(table.c.arms_transfer_id, table.c.data).where(
            table.c.dataset_id == dataset_id,
            table.c.arms_transfer_id.in_(row_ids[start:start + 5000]))
        for row_id, data in connection.execute(query):
            found[row_id] = json.loads(data)
    return found


def _deal_ids(connection: Connection, rows: list[dict[str, Any]]) -> list[str]:
    """Each row's external id: numbered within its group by content, matched to held deals."""
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(row["group"], []).append(index)
    held = _held_deals(connection)
    ids = [""] * len(rows)
    several = {group: members for group, members in groups.items()
               if len(members) > 1 or len(held.get(group, {})) > 1}
    for group, members in groups.items():
        if group not in several:
            number = next(iter(held.get(group, {1: None})))
            ids[members[0]] = deal_id(group, number)
    # Only groups of several deals need their held content, to tell the deals apart.
    content = _held_content(connection, sorted(row_id for group in several
                                               for row_id in held.get(group, {}).values()))
    for group, members in several.items():
        encoded = [{name: encode(rows[i].get(name)) for name in CONTENT} for i in members]
        numbers = match_release(encoded, {number: content.get(row_id, {}) for number, row_id
                                          in held.get(group, {}).items()})
        for index, number in zip(members, numbers, strict=True):
            ids[index] = deal_id(group, number)
    return ids


def import_sipri(engine: Engine, path: Path, *, dry_run: bool = False,
                 progress: Progress = no_progress) -> ImportReport:
    """Import SIPRI's trade register in one transaction (rolled back on a dry run)."""
    data = read_data_file(path)
    report = ImportReport(FORMAT, path, dry_run)
    with all_or_nothing(engine, dry_run=dry_run) as connection:
        _import(connection, data, report, progress)
    return report


def _import(connection: Connection, data: DataFile, report: ImportReport,
            progress: Progress) -> None:
    report.add("dataset", register_datasets(connection))
    header_line, text, published_on = _split_preamble(data)
    records = csv_records(text, first_line=header_line)
    header = next(records)
    _check_header(data.path, header)
    parties, crosswalk_counts = PartyNames.load(connection)
    for table, counts in crosswalk_counts.items():
        report.add(table, counts)
    _source_id, source_counts = record_source(
        connection, data, kind=FORMAT, publisher="Stockholm International Peace Research Institute (SIPRI)",
        title=f"SIPRI Arms Transfers Database, trade register ({data.name})",
        url="https://www.sipri.org/databases/armstransfers", published_on=published_on)
    report.add("source", source_counts)
    rows: list[dict[str, Any]] = []
    for record in _joined(data.path, records, report):
        try:
            rows.append(_transfer(record.cells, parties))
        except ValueError as exc:
            raise ImportFailure(data.path, record.line, str(exc)) from None
    progress(len(rows) // 2, len(rows))
    release = file_source_key(connection, FORMAT, data)
    ids = _deal_ids(connection, rows)
    claims = []
    for external_id, row in zip(ids, rows, strict=True):
        del row["group"]
        row["sources"] = [release]
        claims.append(Claim((external_id,), row))  # already claim values: nothing empty
    result = merge_claims(connection, "arms_transfer", FORMAT, claims, release_key=release,
                          complete=True, keep_earlier_sources=True)
    report.add("arms_transfer", result.counts)
    for table, counts in result.links.items():
        report.add(table, counts)
    progress(len(rows), len(rows))
    report.facts["deals in file"] = len(rows)
    if len(claims) != len(rows):  # pragma: no cover - ids are unique by construction
        raise ImportFailure(data.path, None, "two deals got the same id")
    for name, count in sorted(parties.unmapped.items()):
        report.warnings.append(f"party {name!r} ({count} row(s)) is not in the party_name "
                               "crosswalk: imported as UNKNOWN; add it to map it")
    if parties.unmapped:
        report.facts["unmapped party names"] = len(parties.unmapped)


