"""Alliances and the periods states belonged to them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import strawberry

from app.graphql import enums as gql_enums
from app.graphql.arguments import (
    After,
    AsOf,
    AsOfToday,
    Before,
    First,
    Last,
    MembershipWhereArg,
    StateOrderArg,
    StateWhereArg,
)
from app.graphql.filters import (
    ALLIANCE,
    MEMBERSHIP,
    STATE,
    active_on,
    listed_condition,
    retired_is,
    where_condition,
)
from app.graphql.loaders import PageSpec, child_connection, rows_by_id
from app.graphql.ordering import order_clauses
from app.graphql.pagination import Connection, Window
from app.graphql.types.discrepancy import DISCREPANCIES, RETIRED_BY, Discrepancy, discrepancies_of
from app.graphql.types.node import Node
from app.graphql.types.source import Source, source_by_id, sources_of
from app.graphql.types.state import State, state_order
from app.services.paging import Restrict

if TYPE_CHECKING:
    from app.graphql.filters import MembershipWhere, StateWhere
    from app.graphql.ordering import AllianceOrderBy, StateOrderBy



@strawberry.type(description="A treaty or organisation binding states.")
class Alliance(Node):
    key: str = strawberry.field(description="Our key, e.g. NATO, CSTO, RUS-PRK-2024.")
    name: str = strawberry.field(description="Name.")
    short_name: str | None = strawberry.field(description="Acronym, e.g. CSTO.")
    kind: gql_enums.AllianceKind = strawberry.field(description="What it binds its members to.")
    signed_on: dt.date | None = strawberry.field(description="Date signed.")
    ended_on: dt.date | None = strawberry.field(
        description="Date it ended (no longer in force from this day); null while in force.")
    atop_id: int | None = strawberry.field(description="ATOP alliance id.")
    notes: str | None = strawberry.field(description="What to know, in our words.")
    pk: strawberry.Private[int]
    retired_by_source_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> Alliance:
        return cls(
            pk=row.id, key=row.key, name=row.name,
            short_name=row.short_name, kind=row.kind, signed_on=row.signed_on,
            ended_on=row.ended_on, atop_id=row.atop_id, notes=row.notes,
            retired_by_source_id=row.retired_by_source_id,
        )

    @strawberry.field(description="States that were members on `asOf` (default: today): joined on "
                                  "or before that day and not yet left (retired memberships do "
                                  "not count).")
    async def members(
        self, info: strawberry.Info, as_of: AsOfToday = None, where: StateWhereArg = None,
        order_by: StateOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[State]:
        return await child_connection(info, self.pk, members_spec(as_of, where, order_by),
                                      Window.from_args(first, after, last, before), State.from_row)

    @strawberry.field(description="Membership periods (all, or those in force on `asOf`: joined on "
                                  "or before that day and not yet left).")
    async def memberships(
        self, info: strawberry.Info, as_of: AsOf = None, where: MembershipWhereArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[AllianceMembership]:
        return await memberships_page(info, self.pk, MEMBERSHIP.c.alliance_id, as_of, where,
                                      Window.from_args(first, after, last, before))

    @strawberry.field(description=RETIRED_BY)
    async def retired_by(self, info: strawberry.Info) -> Source | None:
        return await source_by_id(info, self.retired_by_source_id)

    @strawberry.field(description="The treaty texts and records this alliance rests on.")
    async def sources(self, info: strawberry.Info) -> list[Source]:
        return await sources_of(info, "alliance", self.pk)

    @strawberry.field(description=DISCREPANCIES)
    async def discrepancies(self, info: strawberry.Info) -> list[Discrepancy]:
        return await discrepancies_of(info, "alliance", self.pk)


@strawberry.type(description="A period during which a state belonged to an alliance.")
class AllianceMembership(Node):
    joined_on: dt.date | None = strawberry.field(description="Date the state joined.")
    left_on: dt.date | None = strawberry.field(
        description="Date it left (no longer a member from this day); null while a member.")
    notes: str | None = strawberry.field(description="What to know, in our words.")
    pk: strawberry.Private[int]
    state_id: strawberry.Private[int]
    alliance_id: strawberry.Private[int]
    retired_by_source_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> AllianceMembership:
        return cls(pk=row.id, joined_on=row.joined_on,
                   left_on=row.left_on, notes=row.notes, state_id=row.state_id,
                   alliance_id=row.alliance_id, retired_by_source_id=row.retired_by_source_id)

    @strawberry.field(description="The member state.")
    async def state(self, info: strawberry.Info) -> State:
        return State.from_row(await rows_by_id(info.context, STATE).load(self.state_id))

    @strawberry.field(description="The alliance.")
    async def alliance(self, info: strawberry.Info) -> Alliance:
        return Alliance.from_row(await rows_by_id(info.context, ALLIANCE).load(self.alliance_id))

    @strawberry.field(description=RETIRED_BY)
    async def retired_by(self, info: strawberry.Info) -> Source | None:
        return await source_by_id(info, self.retired_by_source_id)

    @strawberry.field(description="Where this membership is recorded.")
    async def sources(self, info: strawberry.Info) -> list[Source]:
        return await sources_of(info, "alliance_membership", self.pk)

    @strawberry.field(description=DISCREPANCIES)
    async def discrepancies(self, info: strawberry.Info) -> list[Discrepancy]:
        return await discrepancies_of(info, "alliance_membership", self.pk)


def members_spec(as_of: dt.date | None, where: StateWhere | None,
                 order_by: list[StateOrderBy] | None) -> PageSpec:
    """States that were members of the parent alliance on ``as_of`` (default: today)."""
    day = as_of or dt.date.today()

    def base(restrict: Restrict) -> sa.Select[Any]:
        current = (
            sa.select(MEMBERSHIP.c.state_id, MEMBERSHIP.c.alliance_id)
            .where(restrict(MEMBERSHIP.c.alliance_id), retired_is(MEMBERSHIP, False),
                   active_on(MEMBERSHIP.c.joined_on, MEMBERSHIP.c.left_on, day))
            .distinct()
            .subquery()
        )
        return (sa.select(STATE, current.c.alliance_id.label("paging_parent"))
                .join(current, current.c.state_id == STATE.c.id)
                .where(where_condition(where, STATE)))

    return PageSpec(base, state_order(order_by, STATE))


def alliance_order(order_by: list[AllianceOrderBy] | None, t: Any) -> list[Any]:
    columns = {name: t.c[name] for name in ("name", "signed_on", "key")}
    return order_clauses(order_by, columns, [t.c.name], t.c.id)


def memberships_spec(parent_column: Any, as_of: dt.date | None, where: MembershipWhere | None) -> PageSpec:
    """Membership periods of one state or of one alliance, oldest first."""

    def base(restrict: Restrict) -> sa.Select[Any]:
        condition = listed_condition(where, MEMBERSHIP)
        if as_of is not None:
            condition = sa.and_(condition, active_on(MEMBERSHIP.c.joined_on, MEMBERSHIP.c.left_on, as_of))
        return sa.select(MEMBERSHIP, parent_column.label("paging_parent")).where(
            restrict(parent_column), condition)

    order = [MEMBERSHIP.c.joined_on.is_(None), MEMBERSHIP.c.joined_on, MEMBERSHIP.c.id]
    return PageSpec(base, order, MEMBERSHIP.c.id)


async def memberships_page(
    info: strawberry.Info, parent: int, parent_column: Any, as_of: dt.date | None,
    where: MembershipWhere | None, window: Window,
) -> Connection[AllianceMembership]:
    return await child_connection(info, parent, memberships_spec(parent_column, as_of, where),
                                  window, AllianceMembership.from_row)
