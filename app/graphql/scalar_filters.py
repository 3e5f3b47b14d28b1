"""Hasura-like operator inputs for scalar columns, and their compilation to SQL conditions.

No ``from __future__ import annotations`` here: ``enum_filter`` builds input classes whose
annotations must be real types, not strings.
"""

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
import strawberry

from app.graphql import enums as gql_enums


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def compare(column: Any, spec: Any) -> list[sa.ColumnElement[bool]]:
    """Conditions for every operator set on ``spec`` (an operator input) against ``column``."""
    if spec is None:
        return []
    conditions: list[sa.ColumnElement[bool]] = []
    get = lambda name: getattr(spec, name, None)
    if get("eq") is not None:
        conditions.append(column == get("eq"))
    if get("neq") is not None:
        conditions.append(sa.or_(column != get("neq"), column.is_(None)))
    if get("in_") is not None:
        conditions.append(column.in_(list(get("in_"))))
    if get("not_in") is not None:
        conditions.append(sa.or_(column.not_in(list(get("not_in"))), column.is_(None)))
    for name, op in (("lt", "__lt__"), ("lte", "__le__"), ("gt", "__gt__"), ("gte", "__ge__")):
        if get(name) is not None:
            conditions.append(getattr(column, op)(get(name)))
    if get("is_null") is not None:
        conditions.append(column.is_(None) if get("is_null") else column.is_not(None))
    if get("contains") is not None:
        conditions.append(column.ilike(f"%{_escape_like(get('contains'))}%", escape="\\"))
    if get("starts_with") is not None:
        conditions.append(column.ilike(f"{_escape_like(get('starts_with'))}%", escape="\\"))
    return conditions


def _in() -> Any:
    return strawberry.field(name="in", default=None, description="Equal to one of these.")


def _not_in() -> Any:
    return strawberry.field(name="notIn", default=None, description="Equal to none of these (or null).")


@strawberry.input(description="Conditions on a text value; contains/startsWith ignore case.")
class StringFilter:
    eq: str | None = strawberry.field(default=None, description="Equal to.")
    neq: str | None = strawberry.field(default=None, description="Not equal to (or null).")
    in_: list[str] | None = _in()
    not_in: list[str] | None = _not_in()
    lt: str | None = strawberry.field(default=None, description="Sorts before.")
    lte: str | None = strawberry.field(default=None, description="Sorts before or equal.")
    gt: str | None = strawberry.field(default=None, description="Sorts after.")
    gte: str | None = strawberry.field(default=None, description="Sorts after or equal.")
    is_null: bool | None = strawberry.field(default=None, description="true: has no value; false: has one.")
    contains: str | None = strawberry.field(default=None, description="Contains this text, ignoring case.")
    starts_with: str | None = strawberry.field(default=None, description="Starts with this text, ignoring case.")


@strawberry.input(description="Conditions on a whole number.")
class IntFilter:
    eq: int | None = strawberry.field(default=None, description="Equal to.")
    neq: int | None = strawberry.field(default=None, description="Not equal to (or null).")
    in_: list[int] | None = _in()
    not_in: list[int] | None = _not_in()
    lt: int | None = strawberry.field(default=None, description="Less than.")
    lte: int | None = strawberry.field(default=None, description="Less than or equal.")
    gt: int | None = strawberry.field(default=None, description="Greater than.")
    gte: int | None = strawberry.field(default=None, description="Greater than or equal.")
    is_null: bool | None = strawberry.field(default=None, description="true: has no value; false: has one.")


@strawberry.input(description="Conditions on a calendar date (YYYY-MM-DD).")
class DateFilter:
    eq: dt.date | None = strawberry.field(default=None, description="On this day.")
    neq: dt.date | None = strawberry.field(default=None, description="Not on this day (or null).")
    in_: list[dt.date] | None = _in()
    not_in: list[dt.date] | None = _not_in()
    lt: dt.date | None = strawberry.field(default=None, description="Before.")
    lte: dt.date | None = strawberry.field(default=None, description="On or before.")
    gt: dt.date | None = strawberry.field(default=None, description="After.")
    gte: dt.date | None = strawberry.field(default=None, description="On or after.")
    is_null: bool | None = strawberry.field(default=None, description="true: has no value; false: has one.")


@strawberry.input(description="Conditions on a true/false value.")
class BooleanFilter:
    eq: bool | None = strawberry.field(default=None, description="Equal to.")
    is_null: bool | None = strawberry.field(default=None, description="true: has no value; false: has one.")


def enum_filter(gql_enum: type[enum.Enum], name: str) -> type:
    """An operator input (eq, neq, in, notIn, isNull) for one enumeration."""

    @strawberry.input(name=name, description=f"Conditions on a value of the enumeration {gql_enum.__name__}.")
    class EnumFilter:
        eq: gql_enum | None = strawberry.field(default=None, description="Equal to.")  # type: ignore[valid-type]
        neq: gql_enum | None = strawberry.field(default=None, description="Not equal to (or null).")  # type: ignore[valid-type]
        in_: list[gql_enum] | None = _in()  # type: ignore[valid-type]
        not_in: list[gql_enum] | None = _not_in()  # type: ignore[valid-type]
        is_null: bool | None = strawberry.field(default=None, description="true: has no value; false: has one.")

    return EnumFilter


BodyFilter = enum_filter(gql_enums.Body, "BodyFilter")
OutcomeFilter = enum_filter(gql_enums.Outcome, "OutcomeFilter")
PositionFilter = enum_filter(gql_enums.Position, "PositionFilter")
PartyKindFilter = enum_filter(gql_enums.PartyKind, "PartyKindFilter")
WeaponCategoryFilter = enum_filter(gql_enums.WeaponCategory, "WeaponCategoryFilter")
TransferStatusFilter = enum_filter(gql_enums.TransferStatus, "TransferStatusFilter")
EvidenceFilter = enum_filter(gql_enums.Evidence, "EvidenceFilter")
AllianceKindFilter = enum_filter(gql_enums.AllianceKind, "AllianceKindFilter")
