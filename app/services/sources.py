"""One file, one source: folding an import's source into the seeds' entry for the same file.

The seeds describe some of the files the importers read (the SIPRI register, the country code
list, ATOP's member-level file), with their checksum. Whichever loader runs first, the file ends
up as one ``source`` row under the seeds' key: the importers cite the seeds' entry when its
checksum matches (``app.importers.provenance.file_source_key``), and the seed loader folds an
import's own row for the file into its entry (``fold_source``), here.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.models import (
    SOURCE_LINKS,
    STATEMENTS,
    Source,
    TransferDenial,
    TransferTransit,
    TransferViolation,
)
from app.services.merge import SPECS
from app.services.statements import dumps, loads


def fold_source(connection: Connection, old_key: str, new_key: str) -> bool:
    """Make the source ``old_key`` the source ``new_key``: its links, the statements citing it
    and the rows it retired move over, and ``old_key`` is gone. Returns whether anything moved."""
    table = Source.__table__
    ids = dict(connection.execute(sa.select(table.c.key, table.c.id)
                                  .where(table.c.key.in_([old_key, new_key]))).all())
    old_id, new_id = ids.get(old_key), ids.get(new_key)
    if old_id is None:
        return False
    if new_id is None:
        connection.execute(sa.update(table).where(table.c.id == old_id).values(key=new_key))
    else:
        for link in SOURCE_LINKS.values():
            owner = next(c for c in link.c if c.name != "source_id")
            already = sa.select(owner).where(link.c.source_id == new_id)
            connection.execute(sa.update(link).where(link.c.source_id == old_id,
                                                     owner.not_in(already)).values(source_id=new_id))
            connection.execute(sa.delete(link).where(link.c.source_id == old_id))
        columns = [(t, "source_id") for t in (*STATEMENTS.values(), TransferDenial.__table__,
                                              TransferTransit.__table__, TransferViolation.__table__)]
        columns += [(t, "retired_by_source_id") for t in STATEMENTS.values()]
        columns += [(spec.table, "retired_by_source_id") for spec in SPECS.values()
                    if spec.retires]
        for owner_table, column in columns:
            connection.execute(sa.update(owner_table).where(owner_table.c[column] == old_id)
                               .values({column: new_id}))
        connection.execute(sa.delete(table).where(table.c.id == old_id))
    quoted = dumps(old_key)
    for statements in STATEMENTS.values():
        owner = statements.c[next(c.name for c in statements.primary_key.columns
                                  if c.name != "dataset_id")]
        found = connection.execute(sa.select(owner, statements.c.dataset_id, statements.c.data)
                                   .where(statements.c.data.contains(quoted))).all()
        updates = []
        for row_id, dataset_id, text in found:
            data = loads(text)
            if old_key in (data.get("sources") or []):
                data["sources"] = sorted({*data["sources"], new_key} - {old_key})
                updates.append({"_owner": row_id, "_dataset": dataset_id, "data": dumps(data)})
        if updates:
            connection.execute(sa.update(statements).where(
                owner == sa.bindparam("_owner"), statements.c.dataset_id == sa.bindparam("_dataset"))
                .values(data=sa.bindparam("data")), updates)
    return True


def fold_described_files(connection: Connection, checksums: dict[str, str]) -> int:
    """For each seeds source key -> file checksum, fold any import's source of that file into it.
    Returns how many import sources were folded."""
    table = Source.__table__
    folded = 0
    for key, sha256 in sorted(checksums.items()):
        for old_key in connection.execute(sa.select(table.c.key).where(
                table.c.sha256 == sha256, table.c.key.startswith("import:"))).scalars().all():
            folded += fold_source(connection, old_key, key)
    return folded
