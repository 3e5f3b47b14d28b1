"""Sources for imported files.

Each imported file becomes one ``source`` row keyed by its checksum, so importing the same bytes
again finds the same source, and a newer release (other bytes) gets a source of its own; a file
the seeds describe by checksum is cited under the seeds' entry. The links from rows to sources
follow from the statements (``app.services.merge``).
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.importers.reading import DataFile
from app.models import Source
from app.services.statements import ensure_datasets
from app.services.upsert import Counts

_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def release_date_from_name(name: str) -> dt.date | None:
    """The release date a file name states (``..._2025-06-01.csv``), if it states one."""
    match = _FILE_DATE.search(name)
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def source_key(kind: str, data: DataFile) -> str:
    """The source key of an imported file: its dataset (``kind``) and checksum."""
    return f"import:{kind}:{data.sha256}"


def file_source_key(connection: Connection, kind: str, data: DataFile) -> str:
    """The key of the source that stands for these bytes: a source the seeds describe with this
    checksum (the same file is one source), else the import's own ``import:<kind>:<sha256>``."""
    table = Source.__table__
    own = source_key(kind, data)
    keys = set(connection.execute(sa.select(table.c.key).where(
        sa.or_(table.c.key == own, table.c.sha256 == data.sha256))).scalars())
    described = sorted(key for key in keys if not key.startswith("import:"))
    return described[0] if described else own


def record_source(
    connection: Connection,
    data: DataFile,
    *,
    kind: str,
    title: str,
    publisher: str,
    url: str | None = None,
    published_on: dt.date | None = None,
    retrieved_on: dt.date | None = None,
    notes: str | None = None,
) -> tuple[int, Counts]:
    """Return the id of the source row for ``data`` (inserted on first import of these bytes).

    ``kind`` is the dataset the file belongs to (``app.services.statements.DATASETS``). An
    existing source is left as it is: its retrieved date is the first import's.
    """
    table = Source.__table__
    found = connection.execute(sa.select(table.c.id).where(
        table.c.key == file_source_key(connection, kind, data))).scalar()
    if found is not None:
        return found, Counts(unchanged=1)
    key = source_key(kind, data)
    dataset_id = ensure_datasets(connection, [kind])[kind]
    source_id = connection.execute(
        sa.insert(table).returning(table.c.id),
        {
            "key": key,
            "title": title[:500],
            "publisher": publisher,
            "url": url,
            "published_on": published_on,
            "retrieved_on": retrieved_on or dt.date.today(),
            "file_name": data.name,
            "sha256": data.sha256,
            "notes": notes,
            "dataset_id": dataset_id,
        },
    ).scalar_one()
    return source_id, Counts(inserted=1)
