"""Reading source files: bytes to text with a checksum, CSV records with their line numbers."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.importers.errors import ImportFailure

_WHOLE_NUMBER = re.compile(r"\d+(?:\.0*)?")


@dataclass(frozen=True)
class DataFile:
    """A source file read whole: its text, checksum and the encoding it was decoded with."""

    path: Path
    text: str
    sha256: str
    encoding: str

    @property
    def name(self) -> str:
        return self.path.name


def read_data_file(path: Path) -> DataFile:
    """Read ``path`` as UTF-8 (with or without BOM), falling back to Windows-1252.

    SIPRI's exports are Windows-1252 ("Curaçao" as byte 0xE7); every other source is UTF-8.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure(path, None, "file not found; check the path") from None
    except IsADirectoryError:
        raise ImportFailure(path, None, "is a folder; give the CSV file itself") from None
    digest = hashlib.sha256(raw).hexdigest()
    try:
        return DataFile(path, raw.decode("utf-8-sig"), digest, "utf-8")
    except UnicodeDecodeError:
        return DataFile(path, raw.decode("cp1252", errors="strict"), digest, "cp1252")


@dataclass(frozen=True)
class Record:
    """One CSV record and the physical line it starts on."""

    line: int
    cells: list[str]


def csv_records(text: str, *, first_line: int = 1) -> Iterator[Record]:
    """Yield the CSV records of ``text``, numbering lines from ``first_line``; skip blank lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    for cells in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        yield Record(start + first_line - 1, cells)


def table_rows(data: DataFile, needed: tuple[str, ...], hint: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV with a header line, as (line number, {column: cell}).

    A missing column or a row whose cell count differs from the header's is an ImportFailure
    naming the file and line; ``hint`` ends the missing-column message (e.g. "is this an ATOP
    v4 CSV?").
    """
    records = csv_records(data.text)
    header = next(records, None)
    if header is None:
        raise ImportFailure(data.path, None, "the file is empty")
    missing = [name for name in needed if name not in header.cells]
    if missing:
        raise ImportFailure(data.path, header.line, f"missing column(s) {', '.join(missing)}; {hint}")
    rows = []
    for record in records:
        if len(record.cells) != len(header.cells):
            raise ImportFailure(data.path, record.line, f"{len(record.cells)} cells where the "
                                f"header has {len(header.cells)}")
        rows.append((record.line, dict(zip(header.cells, record.cells, strict=True))))
    return rows


def parse_count(value: str) -> int | None:
    """A whole number written as ``193``, ``193.0`` or ``015``; blank gives ``None``."""
    value = value.strip()
    if not value:
        return None
    if not _WHOLE_NUMBER.fullmatch(value):
        raise ValueError(f"{value!r} is not a whole number")
    return int(value.split(".", 1)[0])


def parse_iso_date(value: str) -> dt.date:
    """A date written YYYY-MM-DD (a time part, as some exports add, is ignored)."""
    text = value.strip()[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
