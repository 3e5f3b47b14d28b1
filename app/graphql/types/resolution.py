"""UN roll calls, their tallies, and each state's vote."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import strawberry

from app.graphql import enums as gql_enums
from app.graphql.arguments import After, Before, First, Last, VoteOrderArg, VoteWhereArg
from app.graphql.filters import RESOLUTION, STATE, VOTE, where_condition
from app.graphql.loaders import PageSpec, child_connection, related_rows, rows_by_id
from app.graphql.ordering import order_clauses
from app.graphql.pagination import Connection, Window
from app.graphql.types.discrepancy import DISCREPANCIES, Discrepancy, discrepancies_of
from app.graphql.types.node import Node
from app.graphql.types.source import Source, sources_of
from app.graphql.types.state import State
from app.models import Position
from app.services.paging import Restrict

if TYPE_CHECKING:
    from app.graphql.filters import VoteWhere
    from app.graphql.ordering import ResolutionOrderBy, VoteOrderBy

UNDL_RECORD_URL = "https://digitallibrary.un.org/record/"


@strawberry.type(description="Counts of positions on a roll call.")
class Tally:
    yes: int | None = strawberry.field(description="YES votes.")
    no: int | None = strawberry.field(description="NO votes.")
    abstain: int | None = strawberry.field(description="Abstentions.")
    non_voting: int | None = strawberry.field(description="Members that did not vote.")

    @strawberry.field(description="Members counted (sum of the four counts).")
    def total(self) -> int | None:
        parts = (self.yes, self.no, self.abstain, self.non_voting)
        return None if any(part is None for part in parts) else sum(parts)  # type: ignore[arg-type]


@strawberry.type(description="A recorded vote (roll call) of the General Assembly or Security Council.")
class Resolution(Node):
    symbol: str = strawberry.field(description="Symbol as published, e.g. A/RES/ES-11/4.")
    body: gql_enums.Body = strawberry.field(description="The organ that voted.")
    session: str | None = strawberry.field(description="Session, e.g. 68 or ES-11.")
    voted_on: dt.date = strawberry.field(description="Date of the vote.")
    title: str = strawberry.field(description="Title.")
    undl_record_id: str | None = strawberry.field(description="UN Digital Library record id.")
    outcome: gql_enums.Outcome | None = strawberry.field(description="Adopted, rejected or vetoed.")
    notes: str | None = strawberry.field(description="Disagreements between sources and other notes.")
    published_tally: Tally = strawberry.field(description="The counts as published with the record.")
    pk: strawberry.Private[int]
    tag_text: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: Any) -> Resolution:
        return cls(
            pk=row.id, symbol=row.symbol, body=row.body,
            session=row.session, voted_on=row.voted_on, title=row.title,
            undl_record_id=row.undl_record_id, outcome=row.outcome, notes=row.notes,
            tag_text=row.tags,
            published_tally=Tally(yes=row.yes_count, no=row.no_count, abstain=row.abstain_count,
                                  non_voting=row.non_voting_count),
        )

    @strawberry.field(description="Subject tags of the UN Digital Library.")
    def tags(self) -> list[str]:
        return [tag.strip() for tag in (self.tag_text or "").split(";") if tag.strip()]

    @strawberry.field(description="The record in the UN Digital Library.")
    def url(self) -> str | None:
        if not self.undl_record_id:
            return None
        return f"{UNDL_RECORD_URL}{self.undl_record_id}"

    @strawberry.field(description="Counts computed from the stored votes.")
    async def tally(self, info: strawberry.Info) -> Tally:
        def statement(parents: list[int]) -> sa.Select[Any]:
            return (
                sa.select(VOTE.c.resolution_id.label("paging_parent"), VOTE.c.position, sa.func.count())
                .where(VOTE.c.resolution_id.in_(parents))
                .group_by(VOTE.c.resolution_id, VOTE.c.position)
            )

        rows = await related_rows(info.context, "tally", statement).load(self.pk)
        counts = {row.position: row[2] for row in rows}
        return Tally(yes=counts.get(Position.YES, 0), no=counts.get(Position.NO, 0),
                     abstain=counts.get(Position.ABSTAIN, 0),
                     non_voting=counts.get(Position.NON_VOTING, 0))

    @strawberry.field(description="Every member's position (default: by ISO3 code).")
    async def votes(
        self, info: strawberry.Info, where: VoteWhereArg = None,
        order_by: VoteOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Vote]:
        return await votes_page(info, self.pk, VOTE.c.resolution_id, where, order_by,
                                Window.from_args(first, after, last, before), latest_first=False)

    @strawberry.field(description="Where this roll call is recorded (its votes rest on these too).")
    async def sources(self, info: strawberry.Info) -> list[Source]:
        return await sources_of(info, "resolution", self.pk)

    @strawberry.field(description=DISCREPANCIES)
    async def discrepancies(self, info: strawberry.Info) -> list[Discrepancy]:
        return await discrepancies_of(info, "resolution", self.pk)


@strawberry.type(description="One member state's position on one roll call.")
class Vote(Node):
    position: gql_enums.Position = strawberry.field(description="YES, NO, ABSTAIN or NON_VOTING.")
    notes: str | None = strawberry.field(description="Doubts or disagreements between sources.")
    pk: strawberry.Private[int]
    state_id: strawberry.Private[int]
    resolution_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: Any) -> Vote:
        return cls(pk=row.id, position=row.position, notes=row.notes,
                   state_id=row.state_id, resolution_id=row.resolution_id)

    @strawberry.field(description="The voting state.")
    async def state(self, info: strawberry.Info) -> State:
        return State.from_row(await rows_by_id(info.context, STATE).load(self.state_id))

    @strawberry.field(description="The roll call.")
    async def resolution(self, info: strawberry.Info) -> Resolution:
        return Resolution.from_row(await rows_by_id(info.context, RESOLUTION).load(self.resolution_id))


def resolution_order(order_by: list[ResolutionOrderBy] | None, t: Any) -> list[Any]:
    columns = {name: t.c[name] for name in ("voted_on", "symbol", "yes_count")}
    return order_clauses(order_by, columns, [t.c.voted_on.desc()], t.c.id.desc())


def votes_spec(
    parent_column: Any, where: VoteWhere | None, order_by: list[VoteOrderBy] | None, *,
    latest_first: bool,
) -> PageSpec:
    """The votes of one state or of one roll call."""

    def base(restrict: Restrict) -> sa.Select[Any]:
        return (
            sa.select(VOTE, RESOLUTION.c.voted_on, RESOLUTION.c.symbol, STATE.c.iso3,
                      parent_column.label("paging_parent"))
            .join(RESOLUTION, RESOLUTION.c.id == VOTE.c.resolution_id)
            .join(STATE, STATE.c.id == VOTE.c.state_id)
            .where(restrict(parent_column), where_condition(where, VOTE))
        )

    columns = {"voted_on": RESOLUTION.c.voted_on, "symbol": RESOLUTION.c.symbol,
               "iso3": STATE.c.iso3, "position": VOTE.c.position}
    default = [RESOLUTION.c.voted_on.desc(), RESOLUTION.c.id.desc()] if latest_first else [STATE.c.iso3]
    return PageSpec(base, order_clauses(order_by, columns, default, VOTE.c.id), VOTE.c.id)


async def votes_page(
    info: strawberry.Info, parent: int, parent_column: Any, where: VoteWhere | None,
    order_by: list[VoteOrderBy] | None, window: Window, *, latest_first: bool,
) -> Connection[Vote]:
    spec = votes_spec(parent_column, where, order_by, latest_first=latest_first)
    return await child_connection(info, parent, spec, window, Vote.from_row)
