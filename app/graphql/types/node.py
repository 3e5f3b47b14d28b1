"""The Relay `Node` interface and opaque global ids (base64 of ``Type:primary key``)."""

from __future__ import annotations

import base64
import binascii

import strawberry

from app.graphql.errors import InputError


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
