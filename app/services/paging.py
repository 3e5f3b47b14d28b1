"""Page windows in SQL: one statement returns a page of each parent's list with its total.

Given a SELECT of an entity (plus a ``paging_parent`` column for nested lists), add ``row_number()``
and ``count(*)`` window columns, partitioned by parent, and keep the rows of the wanted window.
Rows come back ordered, each with ``paging_rn`` (0-based position) and ``paging_total``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

PARENT = "paging_parent"


@dataclass(frozen=True)
class Slice:
    """The rows wanted: offsets [start, start+limit), or the last ``from_end`` rows."""

    start: int = 0
    limit: int | None = None
    from_end: int | None = None


@dataclass
class Page:
    rows: list[Any]
    first_offset: int
    total: int


def _key_and_direction(clause: Any) -> tuple[Any, bool]:
    """Split an ORDER BY clause into its expression and whether it sorts descending."""
    modifier = getattr(clause, "modifier", None)
    if modifier is sa.sql.operators.desc_op:
        return clause.element, True
    if modifier is sa.sql.operators.asc_op:
        return clause.element, False
    return clause, False


def _reverse(order: Sequence[sa.ColumnElement[Any]]) -> list[sa.ColumnElement[Any]]:
    reversed_order = []
    for clause in order:
        key, descending = _key_and_direction(clause)
        reversed_order.append(key.asc() if descending else key.desc())
    return reversed_order


def windowed(
    base: sa.Select[Any],
    order: Sequence[sa.ColumnElement[Any]],
    window: Slice,
    partition: sa.ColumnElement[Any] | None = None,
) -> sa.Select[Any]:
    """Wrap ``base`` so that it returns only the window's rows, with ``paging_rn`` and ``paging_total``."""
    partition_by = [partition] if partition is not None else None
    columns = [
        (sa.func.row_number().over(partition_by=partition_by, order_by=list(order)) - 1).label("paging_rn"),
        sa.func.count().over(partition_by=partition_by).label("paging_total"),
    ]
    if window.from_end is not None:
        columns.append(
            (sa.func.row_number().over(partition_by=partition_by, order_by=_reverse(order)) - 1)
            .label("paging_rrn")
        )
    inner = base.add_columns(*columns).subquery("paged")
    query = sa.select(inner)
    if window.start:
        query = query.where(inner.c.paging_rn >= window.start)
    if window.limit is not None:
        query = query.where(inner.c.paging_rn < window.start + window.limit)
    if window.from_end is not None:
        query = query.where(inner.c.paging_rrn < window.from_end)
    ordering = [inner.c[PARENT]] if partition is not None else []
    return query.order_by(*ordering, inner.c.paging_rn)


def group_pages(rows: Sequence[Any], parents: Sequence[Any], window: Slice) -> dict[Any, Page | None]:
    """Split windowed rows by parent. A parent with no row maps to None (total unknown)."""
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.paging_parent].append(row)
    pages: dict[Any, Page | None] = {}
    for parent in parents:
        found = grouped.get(parent)
        pages[parent] = Page(found, found[0].paging_rn, found[0].paging_total) if found else None
    return pages


def needs_count(window: Slice) -> bool:
    """Whether an empty window can hide a non-zero total (so a COUNT must settle it)."""
    return bool(window.start) or window.limit == 0 or window.from_end == 0


Restrict = Callable[[Any], sa.ColumnElement[bool]]


def _parent_ids(parents: Sequence[Any], dialect: str) -> Any:
    """The parent ids as a one-column CTE (``pid``) fed by ONE bound parameter.

    One parameter, not one per id, so that the statement's text, and so SQLAlchemy's compiled
    cache entry, is the same whatever the number of parents (compiling costs milliseconds).
    """
    if dialect == "postgresql":
        ids = sa.bindparam("paging_ids", list(parents), type_=postgresql.ARRAY(sa.Integer))
        return sa.select(sa.func.unnest(ids).label("pid")).cte("paging_parents")
    listed = sa.func.json_each(sa.bindparam("paging_ids", json.dumps(list(parents)))).table_valued(
        "value")
    return sa.select(sa.cast(listed.c.value, sa.Integer).label("pid")).cte("paging_parents")


def top_per_parent(
    base: Callable[[Restrict], sa.Select[Any]],
    entity_id: Any,
    parents: Sequence[Any],
    order: Sequence[Any],
    start: int,
    limit: int,
    dialect: str,
) -> sa.Select[Any]:
    """Rows ``start .. start+limit`` of each parent's ordered list, one statement for all parents.

    Unlike ``windowed``, it never numbers a parent's whole list: each parent's page is an
    ordered, limited sub-query that an index can answer by reading only the rows it returns
    (LATERAL on PostgreSQL; a correlated ``id IN (... LIMIT)`` on SQLite, which has no LATERAL).
    ``base(restrict)`` must select the entity with a ``paging_parent`` column and apply
    ``restrict(parent_column)``. Rows come back ordered by parent, then by ``order``.
    """
    parent_values = _parent_ids(parents, dialect)
    if dialect == "postgresql":
        keys = [_key_and_direction(clause) for clause in order]
        page = (
            base(lambda column: column == parent_values.c.pid)
            .add_columns(*(key.label(f"paging_k{i}") for i, (key, _) in enumerate(keys)))
            .order_by(*order).offset(start).limit(limit)
            .lateral("paging_page")
        )
        outer_order = [page.c[f"paging_k{i}"].desc() if desc else page.c[f"paging_k{i}"].asc()
                       for i, (_, desc) in enumerate(keys)]
        return (sa.select(page).select_from(parent_values).join(page, sa.true())
                .order_by(page.c[PARENT], *outer_order))
    wanted = (
        base(lambda column: column == parent_values.c.pid)
        .with_only_columns(entity_id)
        .order_by(*order).offset(start).limit(limit)
        .correlate(parent_values)
    )
    outer = base(lambda column: column == parent_values.c.pid).where(entity_id.in_(wanted))
    return outer.order_by(parent_values.c.pid, *order)
