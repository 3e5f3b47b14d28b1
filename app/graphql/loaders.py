"""Per-request DataLoaders and SQL helpers: rows by id, sources, and pages of nested lists.

Each batch opens its own short connection: resolvers run concurrently and must not share one.
Loaders are keyed by the field's path in the query (list indices dropped), so one field of a
query costs one statement however many parents it has.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import strawberry
from strawberry.dataloader import DataLoader

from app.graphql.pagination import Connection, Window, build_connection
from app.services.paging import (
    PARENT,
    Restrict,
    Slice,
    group_pages,
    needs_count,
    top_per_parent,
    windowed,
)

if TYPE_CHECKING:
    from app.graphql.context import Context


@dataclass(frozen=True)
class PageSpec:
    """What a nested list field selects, shared by the resolvers and the compiled path.

    ``base(restrict)`` selects the entity's columns plus a ``paging_parent`` column, applying
    ``restrict(parent_column)`` and the field's filter; ``order`` is expressed on that select's
    columns; ``entity_id`` is the entity's primary key column, or None when the select can
    list an entity twice for one parent (then pages are numbered with a window function).
    """

    base: Callable[[Restrict], sa.Select[Any]]
    order: list[Any]
    entity_id: Any = None


async def fetch(context: Context, statement: sa.Executable) -> Sequence[sa.Row[Any]]:
    async with context.engine.connect() as connection:
        return (await connection.execute(statement)).all()


def get_loader(
    context: Context, key: Any, load: Callable[[list[Any]], Awaitable[list[Any]]]
) -> DataLoader[Any, Any]:
    loader = context.loaders.get(key)
    if loader is None:
        loader = context.loaders[key] = DataLoader(load_fn=load)
    return loader


def field_key(info: strawberry.Info[Any, Any]) -> tuple[Any, ...]:
    """The field's place in the query, the same for every item of the lists above it."""
    return tuple(part for part in info.path.as_list() if not isinstance(part, int))


def rows_by_id(context: Context, table: sa.Table) -> DataLoader[int, sa.Row[Any] | None]:
    async def load(ids: list[int]) -> list[sa.Row[Any] | None]:
        rows = await fetch(context, sa.select(table).where(table.c.id.in_(ids)))
        by_id = {row.id: row for row in rows}
        return [by_id.get(i) for i in ids]

    return get_loader(context, ("by_id", table.name), load)


def related_rows(
    context: Context, name: str, statement: Callable[[list[int]], sa.Select[Any]]
) -> DataLoader[int, list[sa.Row[Any]]]:
    """Rows grouped by the ``paging_parent`` column of ``statement(parent_ids)``, in statement order."""

    async def load(parents: list[int]) -> list[list[sa.Row[Any]]]:
        grouped: dict[int, list[sa.Row[Any]]] = {parent: [] for parent in parents}
        for row in await fetch(context, statement(parents)):
            grouped[row.paging_parent].append(row)
        return [grouped[parent] for parent in parents]

    return get_loader(context, ("related", name), load)


def _slice(window: Window) -> Slice:
    return Slice(start=window.start, limit=window.limit, from_end=window.from_end)


def _known_page(items: list[Any], first_offset: int, total: int) -> Connection[Any]:
    return build_connection(items, first_offset, has_next=first_offset + len(items) < total,
                            known_total=total)


def _empty_page_offset(window: Window, total: int) -> int:
    """Where an empty page sits in a list of ``total`` rows: `last: 0` (no `before`) at its
    end, as on the root lists; otherwise at the window's start, or the end when that is past it."""
    if window.from_end is not None:
        return max(min(window.start, total), total - window.from_end)
    return min(window.start, total)


async def root_connection(
    context: Context,
    base: sa.Select[Any],
    order: list[Any],
    window: Window,
    convert: Callable[[sa.Row[Any]], Any],
) -> Connection[Any]:
    """A top-level connection: LIMIT/OFFSET for the page; COUNT only if `totalCount` is asked."""

    async def count() -> int:
        return (await fetch(context, sa.select(sa.func.count()).select_from(base.subquery())))[0][0]

    if window.from_end is not None:  # the last N: where they start depends on the total
        total = await count()
        start = max(window.start, total - window.from_end)
        rows = await fetch(context, base.order_by(*order).offset(start).limit(total - start))
        return _known_page([convert(row) for row in rows], start, total)
    assert window.limit is not None
    rows = await fetch(context, base.order_by(*order).offset(window.start).limit(window.limit + 1))
    return build_connection([convert(row) for row in rows[: window.limit]], window.start,
                            has_next=len(rows) > window.limit, counter=count)


async def child_connection(
    info: strawberry.Info[Context, Any],
    parent: int,
    spec: PageSpec,
    window: Window,
    convert: Callable[[sa.Row[Any]], Any],
) -> Connection[Any]:
    """A nested connection, batched over every parent reached by this field of the query.

    With ``spec.entity_id``, each parent's page is read with its own limit (``top_per_parent``),
    so a long list costs only the rows returned.
    """
    base, order, entity_id = spec.base, spec.order, spec.entity_id
    context = info.context
    slice_ = _slice(window)
    path = field_key(info)

    async def count_all(parents: list[int]) -> list[int]:
        inner = base(lambda column: column.in_(parents)).subquery()
        counted = sa.select(inner.c[PARENT], sa.func.count()).group_by(inner.c[PARENT])
        totals = {row[0]: row[1] for row in await fetch(context, counted)}
        return [totals.get(p, 0) for p in parents]

    counts = get_loader(context, ("count", *path), count_all)

    async def load_windowed(parents: list[int]) -> list[Connection[Any]]:
        select = base(lambda column: column.in_(parents))
        partition = select.selected_columns[PARENT]
        rows = await fetch(context, windowed(select, order, slice_, partition=partition))
        pages = group_pages(rows, parents, slice_)
        missing = [p for p, page in pages.items() if page is None]
        totals = dict(zip(missing, await count_all(missing), strict=True)) if (
            missing and needs_count(slice_)) else {}
        result = []
        for p in parents:
            page = pages[p]
            if page is None:
                total = totals.get(p, 0)
                result.append(_known_page([], _empty_page_offset(window, total), total))
            else:
                result.append(_known_page([convert(r) for r in page.rows], page.first_offset,
                                          page.total))
        return result

    async def load_top(parents: list[int]) -> list[Connection[Any]]:
        assert window.limit is not None
        statement = top_per_parent(base, entity_id, parents, order, window.start,
                                   window.limit + 1, context.backend)
        grouped: dict[int, list[Any]] = {p: [] for p in parents}
        for row in await fetch(context, statement):
            grouped[row.paging_parent].append(row)
        return [
            build_connection([convert(r) for r in grouped[p][: window.limit]], window.start,
                             has_next=len(grouped[p]) > window.limit,
                             counter=lambda p=p: counts.load(p))
            for p in parents
        ]

    use_top = entity_id is not None and window.from_end is None
    load = load_top if use_top else load_windowed
    return await get_loader(context, ("page", *path), load).load(parent)
