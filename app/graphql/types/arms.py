"""Arms transfers, with who denies them, transit states and the regimes they breach."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import sqlalchemy as sa
import strawberry

from app.graphql import enums as gql_enums
from app.graphql.filters import (
    DENIAL,
    REGIME,
    STATE,
    TRANSFER,
    TRANSIT,
    VIOLATION,
    listed_condition,
)
from app.graphql.loaders import PageSpec, child_connection, related_rows
from app.graphql.ordering import order_clauses
from app.graphql.pagination import Connection, Window
from app.graphql.types.discrepancy import DISCREPANCIES, RETIRED_BY, Discrepancy, discrepancies_of
from app.graphql.types.node import Node
from app.graphql.types.source import SOURCE, Source, source_by_id, sources_of
from app.services.paging import Restrict

if TYPE_CHECKING:
    from app.graphql.filters import ArmsTransferWhere
    from app.graphql.ordering import ArmsTransferOrderBy
    from app.graphql.types.sanctions import SanctionsRegime
    from app.graphql.types.state import State

StateRef = Annotated["State", strawberry.lazy("app.graphql.types.state")]
RegimeRef = Annotated["SanctionsRegime", strawberry.lazy("app.graphql.types.sanctions")]


@strawberry.type(description="SIPRI trend-indicator values (millions), as SIPRI publishes them.")
class SipriTiv:
    per_unit: float | None = strawberry.field(description="TIV of one item.")
    total: float | None = strawberry.field(description="TIV of the whole order.")
    delivered: float | None = strawberry.field(description="TIV of the items delivered.")


@strawberry.type(description="A state's public denial of a transfer.")
class Denial:
    state: StateRef = strawberry.field(description="The state that denies it.")
    denied_on: dt.date | None = strawberry.field(description="When it denied it.")
    statement: str | None = strawberry.field(description="What it said, in our words.")
    source: Source = strawberry.field(description="Where the denial is recorded.")


@strawberry.type(description="A declared or suspected stop-over state on a transfer's route.")
class Transit:
    state: StateRef = strawberry.field(description="The transit state.")
    kind: gql_enums.TransitKind = strawberry.field(description="Declared or suspected.")
    source: Source | None = strawberry.field(description="Where it is reported.")


@strawberry.type(description="A sanctions regime a transfer is reported to breach.")
class Violation:
    regime: RegimeRef = strawberry.field(description="The regime breached.")
    claimed_by: str | None = strawberry.field(description="Who says so.")
    source: Source | None = strawberry.field(description="Where the claim is made.")


@strawberry.type(description="A deal or documented delivery of weapons from a supplier to a recipient.")
class ArmsTransfer(Node):
    external_id: str = strawberry.field(description="Key of the record in its source.")
    supplier_name: str = strawberry.field(description="Supplier as the source names it.")
    supplier_kind: gql_enums.PartyKind = strawberry.field(description="What the supplier is.")
    recipient_name: str = strawberry.field(description="Recipient as the source names it.")
    recipient_kind: gql_enums.PartyKind = strawberry.field(description="What the recipient is.")
    weapon_designation: str = strawberry.field(description="e.g. Shahed-136.")
    weapon_description: str | None = strawberry.field(description="e.g. loitering munition.")
    category: gql_enums.WeaponCategory = strawberry.field(description="Weapon category.")
    ordered_year: int | None = strawberry.field(description="Year of order.")
    ordered_year_estimate: bool = strawberry.field(description="The order year is uncertain (SIPRI '?').")
    number_ordered: int | None = strawberry.field(description="Items ordered.")
    number_ordered_estimate: bool = strawberry.field(description="The number ordered is uncertain.")
    delivery_years: str | None = strawberry.field(description="Years of delivery as published, e.g. '2022; 2023'.")
    first_delivery_year: int | None = strawberry.field(description="First year of delivery.")
    last_delivery_year: int | None = strawberry.field(description="Last year of delivery.")
    number_delivered: int | None = strawberry.field(description="Items delivered.")
    number_delivered_estimate: bool = strawberry.field(description="The number delivered is uncertain.")
    status: gql_enums.TransferStatus = strawberry.field(description="Stage of the transfer.")
    evidence: gql_enums.Evidence = strawberry.field(description="How well the transfer is established.")
    sipri_status: str | None = strawberry.field(description="SIPRI's note: New, Second hand ...")
    sipri_tiv: SipriTiv = strawberry.field(description="SIPRI trend-indicator values.")
    comments: str | None = strawberry.field(description="What to know, in our words.")
    pk: strawberry.Private[int]
    supplier_state_id: strawberry.Private[int | None]
    recipient_state_id: strawberry.Private[int | None]
    retired_by_source_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: Any) -> ArmsTransfer:
        return cls(
            pk=row.id, external_id=row.external_id,
            supplier_state_id=row.supplier_state_id, recipient_state_id=row.recipient_state_id,
            retired_by_source_id=row.retired_by_source_id,
            supplier_name=row.supplier_name, supplier_kind=row.supplier_kind,
            recipient_name=row.recipient_name, recipient_kind=row.recipient_kind,
            weapon_designation=row.weapon_designation, weapon_description=row.weapon_description,
            category=row.category, ordered_year=row.ordered_year,
            ordered_year_estimate=row.ordered_year_estimate, number_ordered=row.number_ordered,
            number_ordered_estimate=row.number_ordered_estimate, delivery_years=row.delivery_years,
            first_delivery_year=row.first_delivery_year, last_delivery_year=row.last_delivery_year,
            number_delivered=row.number_delivered,
            number_delivered_estimate=row.number_delivered_estimate, status=row.status,
            evidence=row.evidence, sipri_status=row.sipri_status, comments=row.comments,
            sipri_tiv=SipriTiv(per_unit=row.sipri_tiv_per_unit, total=row.sipri_tiv_total,
                               delivered=row.sipri_tiv_delivered),
        )

    @strawberry.field(description="The supplying state; null when the supplier is not a state.")
    async def supplier(self, info: strawberry.Info) -> StateRef | None:
        return await _state(info, self.supplier_state_id)

    @strawberry.field(description="The receiving state; null when the recipient is not a state.")
    async def recipient(self, info: strawberry.Info) -> StateRef | None:
        return await _state(info, self.recipient_state_id)

    @strawberry.field(description="States that publicly deny this transfer took place.")
    async def denied_by(self, info: strawberry.Info) -> list[StateRef]:
        return [denial.state for denial in await self.denials(info)]

    @strawberry.field(description="Each denial with its date, statement and source.")
    async def denials(self, info: strawberry.Info) -> list[Denial]:
        from app.graphql.types.state import State

        rows = await _linked(info, "denials", DENIAL, STATE, DENIAL.c.state_id, self.pk,
                             DENIAL.c.source_id, [DENIAL.c.denied_on, DENIAL.c.statement])
        return [Denial(state=State.from_row(r.entity), denied_on=r.denied_on,
                       statement=r.statement, source=Source.from_row(r.source))
                for r in rows]

    @strawberry.field(description="Declared or suspected stop-over states.")
    async def transit_states(self, info: strawberry.Info) -> list[StateRef]:
        return [transit.state for transit in await self.transits(info)]

    @strawberry.field(description="Each transit state with how it is known and the source.")
    async def transits(self, info: strawberry.Info) -> list[Transit]:
        from app.graphql.types.state import State

        rows = await _linked(info, "transits", TRANSIT, STATE, TRANSIT.c.state_id, self.pk,
                             TRANSIT.c.source_id, [TRANSIT.c.kind])
        return [Transit(state=State.from_row(r.entity), kind=r.kind,
                        source=Source.from_row(r.source) if r.source else None) for r in rows]

    @strawberry.field(description="Sanctions regimes this transfer is reported to breach.")
    async def violates(self, info: strawberry.Info) -> list[RegimeRef]:
        return [violation.regime for violation in await self.violations(info)]

    @strawberry.field(description="Each reported breach with who claims it and the source.")
    async def violations(self, info: strawberry.Info) -> list[Violation]:
        from app.graphql.types.sanctions import SanctionsRegime

        rows = await _linked(info, "violations", VIOLATION, REGIME, VIOLATION.c.regime_id, self.pk,
                             VIOLATION.c.source_id, [VIOLATION.c.claimed_by])
        return [Violation(regime=SanctionsRegime.from_row(r.entity), claimed_by=r.claimed_by,
                          source=Source.from_row(r.source) if r.source else None) for r in rows]

    @strawberry.field(description=RETIRED_BY)
    async def retired_by(self, info: strawberry.Info) -> Source | None:
        return await source_by_id(info, self.retired_by_source_id)

    @strawberry.field(description="Where this transfer is documented.")
    async def sources(self, info: strawberry.Info) -> list[Source]:
        return await sources_of(info, "arms_transfer", self.pk)

    @strawberry.field(description=DISCREPANCIES)
    async def discrepancies(self, info: strawberry.Info) -> list[Discrepancy]:
        return await discrepancies_of(info, "arms_transfer", self.pk)


async def _state(info: strawberry.Info, state_id: int | None) -> Any:
    # Imported here: app.graphql.types.state imports this module.
    from app.graphql.types.state import state_by_id

    return await state_by_id(info, state_id)


class _Linked:
    """A link row with its entity and source rows split out of one joined result row."""

    def __init__(self, row: Any, entity_cols: list[str], source_cols: list[str], extra: list[str]):
        mapping = row._mapping
        self.entity = _Row({name: mapping[f"e_{name}"] for name in entity_cols})
        has_source = mapping.get("s_id") is not None
        self.source = _Row({name: mapping[f"s_{name}"] for name in source_cols}) if has_source else None
        for name in extra:
            setattr(self, name, mapping[name])


class _Row:
    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


async def _linked(
    info: strawberry.Info, name: str, link: sa.Table, entity: sa.Table, entity_fk: Any,
    transfer_id: int, source_fk: Any, extra: list[Any],
) -> list[_Linked]:
    """Rows of a transfer's link table joined to their entity and (optional) source."""
    entity_cols = [c.name for c in entity.c]
    source_cols = [c.name for c in SOURCE.c]

    def statement(parents: list[int]) -> sa.Select[Any]:
        return (
            sa.select(
                link.c.transfer_id.label("paging_parent"), *extra,
                *(entity.c[c].label(f"e_{c}") for c in entity_cols),
                *(SOURCE.c[c].label(f"s_{c}") for c in source_cols),
            )
            .join(entity, entity.c.id == entity_fk)
            .outerjoin(SOURCE, SOURCE.c.id == source_fk)
            .where(link.c.transfer_id.in_(parents))
            .order_by(entity.c.id)
        )

    rows = await related_rows(info.context, f"transfer:{name}", statement).load(transfer_id)
    return [_Linked(row, entity_cols, source_cols, [e.name for e in extra]) for row in rows]


def transfer_order(order_by: list[ArmsTransferOrderBy] | None, t: Any) -> list[Any]:
    columns = {name: t.c[name] for name in (
        "ordered_year", "first_delivery_year", "number_ordered", "number_delivered",
        "weapon_designation", "supplier_name", "recipient_name")}
    columns["sipri_tiv_total"] = t.c.sipri_tiv_total
    return order_clauses(order_by, columns,
                         [t.c.ordered_year.is_(None), t.c.ordered_year.desc(), t.c.weapon_designation],
                         t.c.id)


def transfers_spec(
    side: str, where: ArmsTransferWhere | None, order_by: list[ArmsTransferOrderBy] | None
) -> PageSpec:
    """The transfers a state supplied (``side='supplier_state_id'``) or received."""

    def base(restrict: Restrict) -> sa.Select[Any]:
        return sa.select(TRANSFER, TRANSFER.c[side].label("paging_parent")).where(
            restrict(TRANSFER.c[side]), listed_condition(where, TRANSFER))

    return PageSpec(base, transfer_order(order_by, TRANSFER), TRANSFER.c.id)


async def transfers_of(
    info: strawberry.Info, parent: int, side: str, where: ArmsTransferWhere | None,
    order_by: list[ArmsTransferOrderBy] | None, window: Window,
) -> Connection[ArmsTransfer]:
    return await child_connection(info, parent, transfers_spec(side, where, order_by), window,
                                  ArmsTransfer.from_row)
