"""Sanctions regimes: who imposes them, on whom, which measures, since when."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import sqlalchemy as sa
import strawberry

from app.graphql import enums as gql_enums
from app.graphql.filters import IN_FORCE_ON_A_DAY, MEASURE, REGIME, active_on, listed_condition
from app.graphql.loaders import PageSpec, child_connection, related_rows
from app.graphql.ordering import order_clauses
from app.graphql.pagination import Connection, Window
from app.graphql.types.discrepancy import DISCREPANCIES, RETIRED_BY, Discrepancy, discrepancies_of
from app.graphql.types.node import Node
from app.graphql.types.source import Source, source_by_id, sources_of
from app.graphql.types.state import State, state_by_id
from app.services.paging import Restrict

if TYPE_CHECKING:
    from app.graphql.filters import SanctionsRegimeWhere
    from app.graphql.ordering import SanctionsRegimeOrderBy


@strawberry.type(description="A sanctions programme of one authority, usually aimed at one state.")
class SanctionsRegime(Node):
    code: str = strawberry.field(description="Code, e.g. UN-SC1718, EU-RUS, US-RUS.")
    name: str = strawberry.field(description="Name of the programme.")
    authority: str = strawberry.field(description="Who imposes it, e.g. European Union.")
    legal_basis: str | None = strawberry.field(description="Legal acts, e.g. Regulation (EU) No 833/2014.")
    started_on: dt.date | None = strawberry.field(description="Date the regime took effect.")
    ended_on: dt.date | None = strawberry.field(
        description="Date it ended (no longer in force from this day); null while in force.")
    summary: str | None = strawberry.field(description="What it does, in our words.")
    url: str | None = strawberry.field(description="The authority's page for the programme.")
    pk: strawberry.Private[int]
    target_state_id: strawberry.Private[int | None]
    authority_state_id: strawberry.Private[int | None]
    retired_by_source_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> SanctionsRegime:
        return cls(
            pk=row.id, code=row.code, name=row.name,
            authority=row.authority, legal_basis=row.legal_basis, started_on=row.started_on,
            ended_on=row.ended_on, summary=row.summary, url=row.url,
            target_state_id=row.target_state_id, authority_state_id=row.authority_state_id,
            retired_by_source_id=row.retired_by_source_id,
        )

    @strawberry.field(description="The targeted state; null for thematic regimes.")
    async def target(self, info: strawberry.Info) -> State | None:
        return await state_by_id(info, self.target_state_id)

    @strawberry.field(description="The imposing state; null for the UN and the EU.")
    async def authority_state(self, info: strawberry.Info) -> State | None:
        return await state_by_id(info, self.authority_state_id)

    @strawberry.field(description="Kinds of measures imposed.")
    async def measures(self, info: strawberry.Info) -> list[gql_enums.Measure]:
        def statement(parents: list[int]) -> sa.Select[Any]:
            return (sa.select(MEASURE.c.regime_id.label("paging_parent"), MEASURE.c.measure)
                    .where(MEASURE.c.regime_id.in_(parents)).order_by(MEASURE.c.measure))

        rows = await related_rows(info.context, "measures", statement).load(self.pk)
        return [row.measure for row in rows]

    @strawberry.field(description="Whether the regime was in force on a day (from startedOn to "
                                  "endedOn).")
    def in_force(
        self, as_of: Annotated[dt.date, strawberry.argument(
            description="The day (YYYY-MM-DD). " + IN_FORCE_ON_A_DAY)]
    ) -> bool:
        started = self.started_on is None or self.started_on <= as_of
        return started and (self.ended_on is None or self.ended_on > as_of)

    @strawberry.field(description=RETIRED_BY)
    async def retired_by(self, info: strawberry.Info) -> Source | None:
        return await source_by_id(info, self.retired_by_source_id)

    @strawberry.field(description="The legal acts and pages this regime rests on.")
    async def sources(self, info: strawberry.Info) -> list[Source]:
        return await sources_of(info, "sanctions_regime", self.pk)

    @strawberry.field(description=DISCREPANCIES)
    async def discrepancies(self, info: strawberry.Info) -> list[Discrepancy]:
        return await discrepancies_of(info, "sanctions_regime", self.pk)


def regime_order(order_by: list[SanctionsRegimeOrderBy] | None, t: Any) -> list[Any]:
    columns = {name: t.c[name] for name in ("code", "started_on", "authority")}
    return order_clauses(order_by, columns, [t.c.code], t.c.id)


def regime_filter(t: Any, as_of: dt.date | None, where: SanctionsRegimeWhere | None) -> Any:
    condition = listed_condition(where, t)  # retired regimes only when `where` asks
    if as_of is not None:
        condition = sa.and_(condition, active_on(t.c.started_on, t.c.ended_on, as_of))
    return condition


def regimes_spec(
    parent_column: Any, as_of: dt.date | None, where: SanctionsRegimeWhere | None,
    order_by: list[SanctionsRegimeOrderBy] | None,
) -> PageSpec:
    """Regimes aimed at, or imposed by, one state."""

    def base(restrict: Restrict) -> sa.Select[Any]:
        return sa.select(REGIME, parent_column.label("paging_parent")).where(
            restrict(parent_column), regime_filter(REGIME, as_of, where))

    return PageSpec(base, regime_order(order_by, REGIME), REGIME.c.id)


async def regimes_of(
    info: strawberry.Info, parent: int, parent_column: Any, as_of: dt.date | None,
    where: SanctionsRegimeWhere | None, order_by: list[SanctionsRegimeOrderBy] | None,
    window: Window,
) -> Connection[SanctionsRegime]:
    spec = regimes_spec(parent_column, as_of, where, order_by)
    return await child_connection(info, parent, spec, window, SanctionsRegime.from_row)
