"""Relay connections resolved in SQL: offset cursors, page windows, PageInfo, edges."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry

from app.graphql.errors import InputError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
_CURSOR_PREFIX = "offset:"

T = TypeVar("T")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith(_CURSOR_PREFIX) or not text[len(_CURSOR_PREFIX):].isdigit():
        raise InputError(
            f"{argument}: {cursor!r} is not a cursor of this API; pass a `cursor` or "
            "`pageInfo.endCursor`/`startCursor` value from an earlier page.",
            argument=argument,
        )
    return int(text[len(_CURSOR_PREFIX):])


@dataclass(frozen=True)
class Window:
    """Which slice of an ordered list a connection asks for.

    Rows are numbered from 0. ``start`` is the first offset wanted; ``limit`` how many rows
    from there, or ``from_end`` when `last` is asked without `before` (the last N rows).
    """

    start: int
    limit: int | None
    from_end: int | None = None
    stop: int | None = None  # exclusive bound from `before`

    @classmethod
    def from_args(
        cls, first: int | None, after: str | None, last: int | None, before: str | None
    ) -> Window:
        for name, value in (("first", first), ("last", last)):
            if value is None:
                continue
            if value < 0:
                raise InputError(f"{name}: must be 0 or more, got {value}.", argument=name)
            if value > MAX_PAGE_SIZE:
                raise InputError(
                    f"{name}: {value} is more than the maximum page size of {MAX_PAGE_SIZE}; "
                    f"ask for at most {MAX_PAGE_SIZE} and follow `pageInfo.endCursor` with `after`.",
                    code="PAGE_SIZE_EXCEEDED",
                    argument=name,
                )
        if first is not None and last is not None:
            raise InputError("first, last: pass one of them, not both.", argument="last")
        start = decode_cursor(after, "after") + 1 if after is not None else 0
        stop = decode_cursor(before, "before") if before is not None else None
        if stop is not None and stop < start:
            stop = start
        if last is not None:
            if stop is None:
                return cls(start=start, limit=None, from_end=last)
            begin = max(start, stop - last)
            return cls(start=begin, limit=stop - begin, stop=stop)
        size = DEFAULT_PAGE_SIZE if first is None else first
        if stop is not None:
            size = min(size, stop - start)
        return cls(start=start, limit=size, stop=stop)


@strawberry.type(description="Where a page of a connection sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items come before this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item on the page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item on the page.")


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque position; pass it as `after` or `before`.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list (Relay connection) with the total count.")
class Connection(Generic[T]):
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages exist.")
    items: strawberry.Private[list[T]]
    first_offset: strawberry.Private[int]
    known_total: strawberry.Private[int | None] = None
    # Counting a long list costs more than reading one page of it: count only when asked.
    counter: strawberry.Private[Callable[[], Awaitable[int]] | None] = None

    @strawberry.field(description="The items of this page with cursors.")
    def edges(self) -> list[Edge[T]]:
        start = self.first_offset
        return [Edge(cursor=encode_cursor(start + i), node=item) for i, item in enumerate(self.items)]

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return self.items

    @strawberry.field(description="How many items the whole list holds.")
    async def total_count(self) -> int:
        if self.known_total is not None:
            return self.known_total
        assert self.counter is not None
        return await self.counter()


def build_connection(
    items: list[T],
    first_offset: int,
    *,
    has_next: bool,
    known_total: int | None = None,
    counter: Callable[[], Awaitable[int]] | None = None,
) -> Connection[T]:
    """A connection from one page's items, the offset of its first item, and what follows."""
    last = first_offset + len(items) - 1
    return Connection(
        items=items,
        first_offset=first_offset,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=first_offset > 0,
            start_cursor=encode_cursor(first_offset) if items else None,
            end_cursor=encode_cursor(last) if items else None,
        ),
        known_total=known_total,
        counter=counter,
    )
