"""Sources: the documents and datasets facts rest on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
import strawberry

from app.graphql.loaders import related_rows, rows_by_id
from app.graphql.types.node import Node
from app.models import Source as SourceRow
from app.models.links import SOURCE_LINKS

SOURCE = SourceRow.__table__


@strawberry.type(description="A document, dataset release or statement that facts rest on.")
class Source(Node):
    key: str = strawberry.field(description="Our stable key for the source.")
    title: str = strawberry.field(description="Title as published.")
    publisher: str = strawberry.field(description="Who published it.")
    url: str | None = strawberry.field(description="Where to read it.")
    published_on: dt.date | None = strawberry.field(description="Publication date.")
    retrieved_on: dt.date | None = strawberry.field(description="When we read or downloaded it.")
    file_name: str | None = strawberry.field(description="Imported file name, for dataset releases.")
    sha256: str | None = strawberry.field(description="SHA-256 of an imported file.")
    notes: str | None = strawberry.field(description="What to know about this source.")
    pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Any) -> Source:
        return cls(
            pk=row.id, key=row.key, title=row.title,
            publisher=row.publisher, url=row.url, published_on=row.published_on,
            retrieved_on=row.retrieved_on, file_name=row.file_name, sha256=row.sha256,
            notes=row.notes,
        )


async def sources_of(info: strawberry.Info[Any, Any], owner: str, pk: int) -> list[Source]:
    """The sources linked to one fact row of table ``owner``, oldest first."""
    link = SOURCE_LINKS[owner]
    owner_column = link.c[f"{owner}_id"]

    def statement(parents: list[int]) -> sa.Select[Any]:
        return (
            sa.select(SOURCE, owner_column.label("paging_parent"))
            .join(link, link.c.source_id == SOURCE.c.id)
            .where(owner_column.in_(parents))
            .order_by(SOURCE.c.published_on.is_(None), SOURCE.c.published_on, SOURCE.c.id)
        )

    rows = await related_rows(info.context, f"sources:{owner}", statement).load(pk)
    return [Source.from_row(row) for row in rows]


async def source_by_id(info: strawberry.Info[Any, Any], source_id: int | None) -> Source | None:
    """The source a foreign key points at, through this request's batched loader."""
    if source_id is None:
        return None
    row = await rows_by_id(info.context, SOURCE).load(source_id)
    return Source.from_row(row) if row else None
