"""SIPRI deal identities: derived from a deal's content, never from its place in the file.

SIPRI's trade register has no deal id. A deal is named by what the register writes for it:
recipient, supplier, year of order and weapon designation (``deal_group``). Several deals can
share those four values (the United States sold Afghanistan three HMMWV batches in 2010); they
are told apart by a number within the group, given by content (``number_within_group``) so that
the same deal keeps its id whichever order a release lists it in, and a newer release that
revises a deal's details is matched to the deal it revises (``match_release``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any


def deal_group(recipient: str, supplier: str, year_of_order: int | str, designation: str) -> str:
    """``sipri:<20 hex>``: the group of deals with these four values as the register writes them."""
    identity = "\x1f".join((recipient.strip(), supplier.strip(), str(year_of_order).strip(),
                            designation.strip()))
    return "sipri:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


def deal_id(group: str, number: int) -> str:
    """The external id of the ``number``-th deal (from 1) of a group."""
    return f"{group}:{number}"


# What tells two deals of one group apart, most telling first.
CONTENT = ("number_ordered", "number_delivered", "delivery_years", "sipri_status", "comments",
           "sipri_tiv_per_unit", "sipri_tiv_total", "sipri_tiv_delivered", "weapon_description",
           "ordered_year_estimate", "number_ordered_estimate", "number_delivered_estimate")


def _content(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple((row.get(name) is None, str(row.get(name))) for name in CONTENT)


def match_release(rows: Sequence[Mapping[str, Any]],
                  held: Mapping[int, Mapping[str, Any]]) -> list[int]:
    """The number within the group of each of ``rows`` (one group, one release).

    ``held`` maps the numbers this dataset already holds in the group to their last content.
    A row takes the held number with the same content, else one with the same number ordered
    and delivered, else the same number ordered, else a free held number (content order); rows
    left over get new numbers after the highest held, in content order.
    """
    order = sorted(range(len(rows)), key=lambda i: _content(rows[i]))
    numbers: dict[int, int] = {}
    free = dict(held)
    tests = (
        lambda row, old: _content(row) == _content(old),
        lambda row, old: (row.get("number_ordered"), row.get("number_delivered"))
        == (old.get("number_ordered"), old.get("number_delivered")),
        lambda row, old: row.get("number_ordered") == old.get("number_ordered"),
        lambda row, old: True,
    )
    for test in tests:
        for index in order:
            if index in numbers:
                continue
            for number in sorted(free, key=lambda n: (_content(free[n]), n)):
                if test(rows[index], free[number]):
                    numbers[index] = number
                    del free[number]
                    break
    next_number = max(held, default=0) + 1
    for index in order:
        if index not in numbers:
            numbers[index] = next_number
            next_number += 1
    return [numbers[i] for i in range(len(rows))]
