"""Importers for the public datasets: UN votes, SIPRI, OpenSanctions, ATOP and country codes.

Each importer reads one file (or folder) in a single transaction, writes through the idempotent
upserts in ``app.services.upsert`` (or the driver's bulk path for the million-row vote table),
links what it writes to a ``Source`` row describing the file, and returns an ``ImportReport``.
"""

from app.importers.errors import ImportFailure
from app.importers.report import ImportReport

__all__ = ["ImportFailure", "ImportReport"]
