"""`orderBy` inputs: a list of one-key objects, e.g. ``[{votedOn: DESC}, {symbol: ASC}]``.

Every ordering ends with the primary key, so pages are stable and cursors never skip or repeat.
"""

from typing import Any

import strawberry

from app.graphql.enums import SortDirection
from app.graphql.errors import InputError

_D = SortDirection | None


def _key(description: str) -> Any:
    return strawberry.field(default=None, description=description)


@strawberry.input(description="One sort key for states; set exactly one field per list item.")
class StateOrderBy:
    iso3: _D = _key("ISO3 code.")
    name: _D = _key("Name.")
    m49: _D = _key("UN M49 code.")
    region: _D = _key("Region.")
    un_member_from: _D = _key("Date of UN admission.")


@strawberry.input(description="One sort key for roll calls; set exactly one field per list item.")
class ResolutionOrderBy:
    voted_on: _D = _key("Date of the vote.")
    symbol: _D = _key("Symbol.")
    yes_count: _D = _key("Published YES count.")


@strawberry.input(description="One sort key for votes; set exactly one field per list item.")
class VoteOrderBy:
    voted_on: _D = _key("Date of the roll call.")
    symbol: _D = _key("Symbol of the roll call.")
    iso3: _D = _key("ISO3 code of the voting state.")
    position: _D = _key("Position.")


@strawberry.input(description="One sort key for arms transfers; set exactly one field per list item.")
class ArmsTransferOrderBy:
    ordered_year: _D = _key("Year of order.")
    first_delivery_year: _D = _key("First year of delivery.")
    number_ordered: _D = _key("Number ordered.")
    number_delivered: _D = _key("Number delivered.")
    weapon_designation: _D = _key("Weapon designation.")
    supplier_name: _D = _key("Supplier as named by the source.")
    recipient_name: _D = _key("Recipient as named by the source.")
    sipri_tiv_total: _D = _key("SIPRI TIV of the whole order.")


@strawberry.input(description="One sort key for sanctions regimes; set exactly one field per list item.")
class SanctionsRegimeOrderBy:
    code: _D = _key("Code.")
    started_on: _D = _key("Start date.")
    authority: _D = _key("Imposing authority.")


@strawberry.input(description="One sort key for alliances; set exactly one field per list item.")
class AllianceOrderBy:
    name: _D = _key("Name.")
    signed_on: _D = _key("Date signed.")
    key: _D = _key("Our key.")


@strawberry.input(description="One sort key for sources; set exactly one field per list item.")
class SourceOrderBy:
    title: _D = _key("Title.")
    publisher: _D = _key("Publisher.")
    published_on: _D = _key("Publication date.")


def order_clauses(
    order_by: list[Any] | None,
    columns: dict[str, Any],
    default: list[Any],
    tiebreak: Any,
) -> list[Any]:
    """SQL ORDER BY clauses for an `orderBy` list; ``columns`` maps field names to columns."""
    if not order_by:
        return [*default, tiebreak]
    clauses = []
    for index, item in enumerate(order_by):
        chosen = [(name, value) for name, value in vars(item).items() if value is not None]
        if len(chosen) != 1:
            raise InputError(
                f"orderBy[{index}]: set exactly one sort key per item, e.g. "
                "[{votedOn: DESC}, {symbol: ASC}]; got "
                f"{len(chosen)}.",
                argument="orderBy",
            )
        name, direction = chosen[0]
        column = columns[name]
        # NULLs last either way, on both databases.
        clauses.append(column.is_(None))
        clauses.append(column.desc() if direction == SortDirection.DESC else column.asc())
    return [*clauses, tiebreak]
