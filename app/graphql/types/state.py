"""States, with their votes, arms transfers, sanctions and alliances."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import sqlalchemy as sa
import strawberry

from app.graphql.arguments import (
    After,
    AsOf,
    AsOfToday,
    Before,
    First,
    Last,
    MembershipWhereArg,
    RegimeOrderArg,
    RegimeWhereArg,
    StateOrderArg,
    StateWhereArg,
    TransferOrderArg,
    TransferWhereArg,
    VoteOrderArg,
    VoteWhereArg,
)
from app.graphql.filters import (
    ALLIANCE,
    MEMBERSHIP,
    REGIME,
    RESOLUTION,
    STATE,
    VOTE,
    active_on,
    retired_is,
    where_condition,
)
from app.graphql.loaders import PageSpec, child_connection, related_rows, rows_by_id
from app.graphql.ordering import order_clauses
from app.graphql.pagination import Connection, Window
from app.graphql.types.arms import ArmsTransfer, transfers_of
from app.graphql.types.discrepancy import DISCREPANCIES, Discrepancy, discrepancies_of
from app.graphql.types.node import Node
from app.graphql.types.source import Source, sources_of
from app.graphql.types.state_alias import StateAlias, aliases_of
from app.services.paging import Restrict

if TYPE_CHECKING:
    from app.graphql.filters import StateWhere
    from app.graphql.ordering import StateOrderBy
    from app.graphql.types.alliance import AllianceMembership
    from app.graphql.types.resolution import Vote
    from app.graphql.types.sanctions import SanctionsRegime

VoteRef = Annotated["Vote", strawberry.lazy("app.graphql.types.resolution")]
RegimeRef = Annotated["SanctionsRegime", strawberry.lazy("app.graphql.types.sanctions")]
MembershipRef = Annotated["AllianceMembership", strawberry.lazy("app.graphql.types.alliance")]


@strawberry.type(description="A state: UN member, observer, or a former or other state that facts need.")
class State(Node):
    iso3: str = strawberry.field(description="ISO 3166-1 alpha-3 code (ISO 3166-3 for former states).")
    iso2: str | None = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    m49: int | None = strawberry.field(description="UN M49 numeric code.")
    cow_code: int | None = strawberry.field(description="Correlates of War state number.")
    name: str = strawberry.field(description="Common English name, our display name (every other "
                                             "name is in `aliases`).")
    official_name: str | None = strawberry.field(description="Official name.")
    region: str | None = strawberry.field(description="UN M49 region.")
    subregion: str | None = strawberry.field(description="UN M49 sub-region.")
    un_member_from: dt.date | None = strawberry.field(description="Date of admission to the UN.")
    un_member_until: dt.date | None = strawberry.field(description="Date UN membership ended (former states).")
    un_observer: bool = strawberry.field(description="A non-member observer state of the General Assembly.")
    wikidata_id: str | None = strawberry.field(description="Wikidata item id.")
    pk: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Any) -> State:
        return cls(
            pk=row.id, iso3=row.iso3, iso2=row.iso2, m49=row.m49,
            cow_code=row.cow_code, name=row.name, official_name=row.official_name,
            region=row.region, subregion=row.subregion, un_member_from=row.un_member_from,
            un_member_until=row.un_member_until, un_observer=row.un_observer,
            wikidata_id=row.wikidata_id,
        )

    @strawberry.field(description="This state's positions on roll calls (default: latest first).")
    async def votes(
        self, info: strawberry.Info, where: VoteWhereArg = None,
        order_by: VoteOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[VoteRef]:
        from app.graphql.types.resolution import votes_page

        return await votes_page(info, self.pk, VOTE.c.state_id, where, order_by,
                                Window.from_args(first, after, last, before), latest_first=True)

    @strawberry.field(description="This state's position on one roll call; null if it was not a member.")
    async def vote(
        self, info: strawberry.Info,
        resolution: Annotated[str, strawberry.argument(description="Symbol of the roll call, e.g. A/RES/ES-11/4.")],
    ) -> VoteRef | None:
        from app.graphql.types.resolution import Vote

        def statement(parents: list[int]) -> sa.Select[Any]:
            return (
                sa.select(VOTE, VOTE.c.state_id.label("paging_parent"))
                .join(RESOLUTION, RESOLUTION.c.id == VOTE.c.resolution_id)
                .where(VOTE.c.state_id.in_(parents), RESOLUTION.c.symbol == resolution)
                .order_by(RESOLUTION.c.voted_on.desc(), RESOLUTION.c.id.desc())
            )

        rows = await related_rows(info.context, f"vote-on:{resolution}", statement).load(self.pk)
        return Vote.from_row(rows[0]) if rows else None

    @strawberry.field(description="Transfers this state supplied.")
    async def arms_supplied(
        self, info: strawberry.Info, where: TransferWhereArg = None,
        order_by: TransferOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[ArmsTransfer]:
        return await transfers_of(info, self.pk, "supplier_state_id", where, order_by,
                                  Window.from_args(first, after, last, before))

    @strawberry.field(description="Transfers this state received.")
    async def arms_received(
        self, info: strawberry.Info, where: TransferWhereArg = None,
        order_by: TransferOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[ArmsTransfer]:
        return await transfers_of(info, self.pk, "recipient_state_id", where, order_by,
                                  Window.from_args(first, after, last, before))

    @strawberry.field(description="Sanctions regimes aimed at this state (all, or those in force on "
                                  "`asOf`).")
    async def sanctions_against(
        self, info: strawberry.Info, as_of: AsOf = None, where: RegimeWhereArg = None,
        order_by: RegimeOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[RegimeRef]:
        from app.graphql.types.sanctions import regimes_of

        return await regimes_of(info, self.pk, REGIME.c.target_state_id, as_of, where, order_by,
                                Window.from_args(first, after, last, before))

    @strawberry.field(description="Sanctions regimes this state imposes (all, or those in force on "
                                  "`asOf`).")
    async def sanctions_imposed(
        self, info: strawberry.Info, as_of: AsOf = None, where: RegimeWhereArg = None,
        order_by: RegimeOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[RegimeRef]:
        from app.graphql.types.sanctions import regimes_of

        return await regimes_of(info, self.pk, REGIME.c.authority_state_id, as_of, where, order_by,
                                Window.from_args(first, after, last, before))

    @strawberry.field(description="This state's alliance memberships (all periods, or those in force "
                                  "on `asOf`: joined on or before that day and not yet left).")
    async def memberships(
        self, info: strawberry.Info, as_of: AsOf = None, where: MembershipWhereArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[MembershipRef]:
        from app.graphql.types.alliance import memberships_page

        return await memberships_page(info, self.pk, MEMBERSHIP.c.state_id, as_of, where,
                                      Window.from_args(first, after, last, before))

    @strawberry.field(
        description="States sharing at least one alliance with this one on `asOf` (default: today): "
                    "both memberships joined on or before that day and not yet left (retired "
                    "memberships and alliances do not count)."
    )
    async def allies(
        self, info: strawberry.Info, as_of: AsOfToday = None, where: StateWhereArg = None,
        order_by: StateOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[State]:
        return await child_connection(info, self.pk, allies_spec(as_of, where, order_by),
                                      Window.from_args(first, after, last, before), State.from_row)

    @strawberry.field(description="Every name a dataset uses for this state (our name, the "
                                  "official, UN, ISO, SIPRI ... spellings), sorted by name "
                                  "ignoring case and accents, then dataset.")
    async def aliases(self, info: strawberry.Info) -> list[StateAlias]:
        return await aliases_of(info, self.pk)

    @strawberry.field(description="Where this state's data come from.")
    async def sources(self, info: strawberry.Info) -> list[Source]:
        return await sources_of(info, "state", self.pk)

    @strawberry.field(description=DISCREPANCIES)
    async def discrepancies(self, info: strawberry.Info) -> list[Discrepancy]:
        return await discrepancies_of(info, "state", self.pk)


def allies_spec(as_of: dt.date | None, where: StateWhere | None,
                order_by: list[StateOrderBy] | None) -> PageSpec:
    """States sharing an alliance with the parent state on ``as_of`` (default: today)."""
    day = as_of or dt.date.today()
    mine, theirs = MEMBERSHIP.alias("mine"), MEMBERSHIP.alias("theirs")
    # Retired memberships and alliances make no one an ally.
    current_alliances = sa.select(ALLIANCE.c.id).where(retired_is(ALLIANCE, False)).correlate(None)

    def base(restrict: Restrict) -> sa.Select[Any]:
        shared = (
            sa.select(theirs.c.state_id.label("ally"), mine.c.state_id.label("owner"))
            .join(mine, mine.c.alliance_id == theirs.c.alliance_id)
            .where(restrict(mine.c.state_id), theirs.c.state_id != mine.c.state_id,
                   retired_is(mine, False), retired_is(theirs, False),
                   mine.c.alliance_id.in_(current_alliances),
                   active_on(mine.c.joined_on, mine.c.left_on, day),
                   active_on(theirs.c.joined_on, theirs.c.left_on, day))
            .distinct()
            .subquery()
        )
        return (sa.select(STATE, shared.c.owner.label("paging_parent"))
                .join(shared, shared.c.ally == STATE.c.id)
                .where(where_condition(where, STATE)))

    return PageSpec(base, state_order(order_by, STATE))


async def state_by_id(info: strawberry.Info, state_id: int | None) -> State | None:
    """The state a foreign key points at, through this request's batched loader."""
    if state_id is None:
        return None
    row = await rows_by_id(info.context, STATE).load(state_id)
    return State.from_row(row) if row else None


def state_order(order_by: list[StateOrderBy] | None, t: Any) -> list[Any]:
    columns = {name: t.c[name] for name in ("iso3", "name", "m49", "region", "un_member_from")}
    return order_clauses(order_by, columns, [t.c.iso3], t.c.id)
