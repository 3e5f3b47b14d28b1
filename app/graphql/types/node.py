"""The Relay `Node` interface and opaque global ids (base64 of ``Type:primary key``)."""

from __future__ import annotations

import base64
import binascii

import strawberry

from app.graphql.errors import InputError
from app.graphql.pagination import MAX_PAGE_SIZE


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    pk: strawberry.Private[int]

    @strawberry.field(description="Opaque global id (Relay).")
    def id(self) -> strawberry.ID:
        # Encoded on demand: most queries never ask for ids of the many rows they list.
        return global_id(type(self).__strawberry_definition__.name, self.pk)  # type: ignore[attr-defined]


def global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode())


def parse_global_id(value: str, argument: str, known: set[str]) -> tuple[str, int]:
    """The type name and primary key of a global id; a clear error when it is not one of ours."""
    try:
        type_name, _, pk = base64.urlsafe_b64decode(value.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        type_name, pk = "", ""
    if type_name not in known or not pk.isdigit():
        raise InputError(
            f"{argument}: {value!r} is not a global id of this API; pass the `id` field of an "
            f"object of one of these types: {', '.join(sorted(known))}.",
            argument=argument,
        )
    return type_name, int(pk)


def parse_node_ids(ids: list[str], known: set[str]) -> list[tuple[str, int]]:
    """The type and key of each id of `nodes(ids:)`, in the order asked; at most a page of them."""
    if len(ids) > MAX_PAGE_SIZE:
        raise InputError(f"ids: {len(ids)} ids is more than the maximum of {MAX_PAGE_SIZE}; "
                         "ask in several requests.", code="PAGE_SIZE_EXCEEDED", argument="ids")
    return [parse_global_id(value, f"ids[{index}]", known) for index, value in enumerate(ids)]


def node_ids_by_type(parsed: list[tuple[str, int]]) -> dict[str, set[int]]:
    """The keys asked for, grouped by type (one statement per type)."""
    wanted: dict[str, set[int]] = {}
    for type_name, pk in parsed:
        wanted.setdefault(type_name, set()).add(pk)
    return wanted
