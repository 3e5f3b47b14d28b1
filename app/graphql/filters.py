"""One `where` input per entity, compiled to a single SQL condition with semi-join sub-queries.

Each input has ``condition(t)`` returning a SQL boolean for the table (or alias) ``t`` of its
entity. Relation filters are uncorrelated semi-joins (``id IN (SELECT ...)``), so filters nest to
any depth and a whole `where` stays one statement: nothing is filtered in Python.
"""

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
import strawberry

from app.graphql import enums as gql_enums
from app.graphql.scalar_filters import (
    AllianceKindFilter,
    BodyFilter,
    BooleanFilter,
    DateFilter,
    EvidenceFilter,
    IntFilter,
    OutcomeFilter,
    PartyKindFilter,
    PositionFilter,
    StringFilter,
    TransferStatusFilter,
    WeaponCategoryFilter,
    compare,
)
from app.graphql.state_names import NAME_FILTER, name_conditions
from app.models import (
    Alliance,
    AllianceMembership,
    ArmsTransfer,
    RegimeMeasure,
    Resolution,
    SanctionsRegime,
    Source,
    State,
    TransferDenial,
    TransferTransit,
    TransferViolation,
    Vote,
)

STATE = State.__table__
RESOLUTION = Resolution.__table__
VOTE = Vote.__table__
REGIME = SanctionsRegime.__table__
MEASURE = RegimeMeasure.__table__
TRANSFER = ArmsTransfer.__table__
DENIAL = TransferDenial.__table__
TRANSIT = TransferTransit.__table__
VIOLATION = TransferViolation.__table__
ALLIANCE = Alliance.__table__
MEMBERSHIP = AllianceMembership.__table__
SOURCE = Source.__table__


def _combine(own: list[sa.ColumnElement[bool]], where: Any, t: Any) -> sa.ColumnElement[bool]:
    """AND the input's own conditions with its `and`, `or` and `not` parts."""
    conditions = list(own)
    if where.and_:
        conditions.extend(part.condition(t) for part in where.and_)
    if where.or_ is not None:
        conditions.append(sa.or_(sa.false(), *(part.condition(t) for part in where.or_)))
    if where.not_ is not None:
        # Two-valued logic: a row whose value is unknown (NULL) does not satisfy the inner filter,
        # so it satisfies `not`.
        conditions.append(sa.not_(sa.func.coalesce(where.not_.condition(t), sa.false())))
    return sa.and_(sa.true(), *conditions)


def _semi_join(table: Any, link: Any, condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """Rows whose side of ``link`` (``inner == outer``) has a match in ``table`` under ``condition``.

    Compiled as an uncorrelated ``outer IN (SELECT inner FROM table WHERE condition)`` rather
    than a correlated EXISTS: SQLite runs a correlated EXISTS once per outer row, an
    uncorrelated IN once per statement; PostgreSQL plans both as the same semi-join. Conditions
    only ever refer to ``table`` and to sub-queries of their own, so nothing needs correlating.
    """
    left, right = link.left, link.right
    inner, outer = (left, right) if left.table is table else (right, left)
    assert inner.table is table and outer.table is not table, "a semi-join links two tables"
    matching = sa.select(inner).select_from(table).where(inner.is_not(None), condition)
    return outer.in_(matching.correlate(None))


def _related_state(where: Optional["StateWhere"], state_id: Any) -> list[sa.ColumnElement[bool]]:
    """A condition that the state ``state_id`` points at matches ``where``."""
    if where is None:
        return []
    other = STATE
    return [_semi_join(other, other.c.id == state_id, where.condition(other))]


# What "in force on a day" means, in every `asOf` / `inForceOn` description (see active_on).
IN_FORCE_ON_A_DAY = (
    "The start day counts, the end day does not: in force on a day means started on or before "
    "it (an unknown start counts as started) and not yet ended, so what ends on a day no longer "
    "counts on that day."
)


def active_on(start: Any, end: Any, day: dt.date) -> sa.ColumnElement[bool]:
    """In force on ``day``: started on or before it (or no start known), not yet ended."""
    return sa.and_(sa.or_(start.is_(None), start <= day), sa.or_(end.is_(None), end > day))


# What `retired` means, on every `where` of a table whose rows can be retired.
RETIRED = (
    "Retired rows: those a newer release of their dataset dropped and no dataset asserts any "
    "more (see `retiredBy`). true: only retired rows; false: only current ones. Omitted at the "
    "top of a filter: only current ones, in every list and relation filter (a retired row is "
    "still returned by `node(id)`). Inside `and`, `or` and `not` it is one more condition, and "
    "the top's default still applies: to reach retired rows, set it at the top."
)


def retired_is(t: Any, retired: bool) -> sa.ColumnElement[bool]:
    """Rows of ``t`` that a newer release retired (``retired``), or current ones."""
    column = t.c.retired_by_source_id
    return column.is_not(None) if retired else column.is_(None)


def listed_condition(where: Any, t: Any) -> sa.ColumnElement[bool]:
    """The condition of a `where` on a table whose rows can be retired, where the where filters
    a list or a relation: current rows only unless the where's own (top-level) `retired` says
    otherwise. Applied once, here, never inside `and`/`or`/`not` (under `not` it would invert)."""
    condition = where_condition(where, t)
    if where is None or where.retired is None:
        condition = sa.and_(condition, retired_is(t, False))
    return condition


@strawberry.input(description="A state's position on a roll call, for `StateWhere.voted`.")
class VotedFilter:
    resolution: str | None = strawberry.field(
        default=None, description="Symbol of the roll call as published, e.g. A/RES/ES-11/4."
    )
    resolution_where: Optional["ResolutionWhere"] = strawberry.field(
        default=None, description="Any roll call matching this filter."
    )
    position: gql_enums.Position | None = strawberry.field(default=None, description="The position taken.")
    position_in: list[gql_enums.Position] | None = strawberry.field(
        default=None, description="Any of these positions."
    )

    def condition(self, state: Any) -> sa.ColumnElement[bool]:
        vote = VOTE
        conditions: list[sa.ColumnElement[bool]] = []
        if self.position is not None:
            conditions.append(vote.c.position == self.position)
        if self.position_in is not None:
            conditions.append(vote.c.position.in_(list(self.position_in)))
        joined: Any = vote
        if self.resolution is not None or self.resolution_where is not None:
            # Joined, not nested: SQLite then starts from the roll call (found by its symbol)
            # and reads that roll call's votes, instead of reading every vote of every state.
            resolution = RESOLUTION
            joined = vote.join(resolution, resolution.c.id == vote.c.resolution_id)
            if self.resolution is not None:
                conditions.append(resolution.c.symbol == self.resolution)
            if self.resolution_where is not None:
                conditions.append(self.resolution_where.condition(resolution))
        voters = sa.select(vote.c.state_id).select_from(joined).where(*conditions)
        return state.c.id.in_(voters.correlate(None))


@strawberry.input(description="Membership of an alliance, for `StateWhere.memberOf` (retired "
                              "memberships do not count).")
class MemberOfFilter:
    alliance: Optional["AllianceWhere"] = strawberry.field(
        default=None, description="The alliance; omitted: any current (not retired) alliance.")
    as_of: dt.date | None = strawberry.field(
        default=None,
        description="Member on this day (YYYY-MM-DD), from joinedOn to leftOn; omitted: at any "
                    "time. " + IN_FORCE_ON_A_DAY,
    )

    def condition(self, state: Any) -> sa.ColumnElement[bool]:
        membership = MEMBERSHIP
        conditions: list[sa.ColumnElement[bool]] = []
        if self.as_of is not None:
            conditions.append(active_on(membership.c.joined_on, membership.c.left_on, self.as_of))
        alliance = ALLIANCE
        conditions.append(_semi_join(alliance, alliance.c.id == membership.c.alliance_id,
                                     listed_condition(self.alliance, alliance)))
        # A retired membership makes no one a member.
        return _semi_join(membership, membership.c.state_id == state.c.id,
                          sa.and_(retired_is(membership, False), *conditions))


@strawberry.input(description="Targeting by sanctions, for `StateWhere.sanctionedBy`.")
class SanctionedByFilter:
    regime: Optional["SanctionsRegimeWhere"] = strawberry.field(
        default=None, description="The regime; omitted: any current (not retired) regime.")
    as_of: dt.date | None = strawberry.field(
        default=None,
        description="The regime in force on this day (YYYY-MM-DD), from startedOn to endedOn; "
                    "omitted: at any time. " + IN_FORCE_ON_A_DAY,
    )

    def condition(self, state: Any) -> sa.ColumnElement[bool]:
        regime = REGIME
        conditions: list[sa.ColumnElement[bool]] = []
        if self.as_of is not None:
            conditions.append(active_on(regime.c.started_on, regime.c.ended_on, self.as_of))
        conditions.append(listed_condition(self.regime, regime))
        return _semi_join(regime, regime.c.target_state_id == state.c.id, sa.and_(sa.true(), *conditions))




@strawberry.input(description="Filter on states; all fields given must hold.")
class StateWhere:
    iso3: StringFilter | None = strawberry.field(default=None, description="Conditions on the ISO3 code.")
    iso2: StringFilter | None = strawberry.field(default=None, description="Conditions on the ISO2 code.")
    name: StringFilter | None = strawberry.field(default=None, description=NAME_FILTER)
    region: StringFilter | None = strawberry.field(default=None, description="Conditions on the region.")
    subregion: StringFilter | None = strawberry.field(default=None, description="Conditions on the subregion.")
    m49: IntFilter | None = strawberry.field(default=None, description="Conditions on the UN M49 code.")
    cow_code: IntFilter | None = strawberry.field(default=None, description="Conditions on the Correlates of War number.")
    un_member_from: DateFilter | None = strawberry.field(default=None, description="Conditions on the date of UN admission.")
    un_member_until: DateFilter | None = strawberry.field(default=None, description="Conditions on the date UN membership ended.")
    un_observer: BooleanFilter | None = strawberry.field(default=None, description="Conditions on observer status.")
    voted: VotedFilter | None = strawberry.field(default=None, description="Took this position on a roll call.")
    arms_supplied: Optional["ArmsTransferWhere"] = strawberry.field(
        default=None, description="Supplied at least one transfer matching this filter."
    )
    arms_received: Optional["ArmsTransferWhere"] = strawberry.field(
        default=None, description="Received at least one transfer matching this filter."
    )
    sanctioned_by: SanctionedByFilter | None = strawberry.field(
        default=None, description="Targeted by a sanctions regime matching this filter."
    )
    member_of: MemberOfFilter | None = strawberry.field(
        default=None, description="Belongs (or belonged) to an alliance matching this filter."
    )
    and_: list["StateWhere"] | None = strawberry.field(name="and", default=None, description="All of these hold.")
    or_: list["StateWhere"] | None = strawberry.field(name="or", default=None, description="At least one holds.")
    not_: Optional["StateWhere"] = strawberry.field(name="not", default=None, description="This does not hold.")

    def condition(self, t: Any) -> sa.ColumnElement[bool]:
        own: list[sa.ColumnElement[bool]] = []
        for name in ("iso3", "iso2", "region", "subregion", "m49", "cow_code",
                     "un_member_from", "un_member_until", "un_observer"):
            own += compare(t.c[name], getattr(self, name))
        own += name_conditions(t, self.name)
        for relation in (self.voted, self.sanctioned_by, self.member_of):
            if relation is not None:
                own.append(relation.condition(t))
        for where, side in ((self.arms_supplied, "supplier_state_id"),
                            (self.arms_received, "recipient_state_id")):
            if where is not None:
                transfer = TRANSFER
                own.append(_semi_join(transfer, transfer.c[side] == t.c.id,
                                      listed_condition(where, transfer)))
        return _combine(own, self, t)


@strawberry.input(description="Filter on roll calls; all fields given must hold.")
class VoteWhere:
    state: StateWhere | None = strawberry.field(default=None, description="The voting state.")
    resolution: Optional["ResolutionWhere"] = strawberry.field(default=None, description="The roll call.")
    position: PositionFilter | None = strawberry.field(default=None, description="Conditions on the position.")  # type: ignore[valid-type]
    position_in: list[gql_enums.Position] | None = strawberry.field(
        default=None, description="Any of these positions."
    )

    def condition(self, t: Any) -> sa.ColumnElement[bool]:
        own = compare(t.c.position, self.position)
        if self.position_in is not None:
            own.append(t.c.position.in_(list(self.position_in)))
        own += _related_state(self.state, t.c.state_id)
        if self.resolution is not None:
            resolution = RESOLUTION
            own.append(_semi_join(resolution, resolution.c.id == t.c.resolution_id,
                               self.resolution.condition(resolution)))
        return sa.and_(sa.true(), *own)


@strawberry.input(description="Filter on roll calls; all fields given must hold.")
class ResolutionWhere:
    symbol: StringFilter | None = strawberry.field(default=None, description="Symbol as published.")
    body: BodyFilter | None = strawberry.field(default=None, description="Conditions on the body.")  # type: ignore[valid-type]
    session: StringFilter | None = strawberry.field(default=None, description="Conditions on the session.")
    voted_on: DateFilter | None = strawberry.field(default=None, description="Conditions on the date of the vote.")
    title: StringFilter | None = strawberry.field(default=None, description="Conditions on the title.")
    tags: StringFilter | None = strawberry.field(default=None, description="Conditions on the tags.")
    undl_record_id: StringFilter | None = strawberry.field(default=None, description="Conditions on the UN Digital Library record id.")
    outcome: OutcomeFilter | None = strawberry.field(default=None, description="Conditions on the outcome.")  # type: ignore[valid-type]
    votes: VoteWhere | None = strawberry.field(
        default=None, description="Has at least one vote matching this filter."
    )
    and_: list["ResolutionWhere"] | None = strawberry.field(name="and", default=None, description="All of these hold.")
    or_: list["ResolutionWhere"] | None = strawberry.field(name="or", default=None, description="At least one holds.")
    not_: Optional["ResolutionWhere"] = strawberry.field(name="not", default=None, description="This does not hold.")

    def condition(self, t: Any) -> sa.ColumnElement[bool]:
        own: list[sa.ColumnElement[bool]] = []
        for name in ("symbol", "body", "session", "voted_on", "title", "tags", "undl_record_id", "outcome"):
            own += compare(t.c[name], getattr(self, name))
        if self.votes is not None:
            vote = VOTE
            own.append(_semi_join(vote, vote.c.resolution_id == t.c.id, self.votes.condition(vote)))
        return _combine(own, self, t)


@strawberry.input(description="Filter on sanctions regimes; all fields given must hold.")
class SanctionsRegimeWhere:
    code: StringFilter | None = strawberry.field(default=None, description="Conditions on the code.")
    name: StringFilter | None = strawberry.field(default=None, description="Conditions on the name.")
    authority: StringFilter | None = strawberry.field(default=None, description="Conditions on the authority.")
    legal_basis: StringFilter | None = strawberry.field(default=None, description="Conditions on the legal acts.")
    started_on: DateFilter | None = strawberry.field(default=None, description="Conditions on the started on.")
    ended_on: DateFilter | None = strawberry.field(default=None, description="Conditions on the ended on.")
    in_force_on: dt.date | None = strawberry.field(
        default=None,
        description="In force on this day (YYYY-MM-DD), from startedOn to endedOn. "
                    + IN_FORCE_ON_A_DAY,
    )
    authority_state: StateWhere | None = strawberry.field(default=None, description="The imposing state.")
    target: StateWhere | None = strawberry.field(default=None, description="The targeted state.")
    measures_include: list[gql_enums.Measure] | None = strawberry.field(
        default=None, description="Imposes every one of these measures."
    )
    retired: bool | None = strawberry.field(default=None, description=RETIRED)
    and_: list["SanctionsRegimeWhere"] | None = strawberry.field(name="and", default=None, description="All of these hold.")
    or_: list["SanctionsRegimeWhere"] | None = strawberry.field(name="or", default=None, description="At least one holds.")
    not_: Optional["SanctionsRegimeWhere"] = strawberry.field(name="not", default=None, description="This does not hold.")

    def condition(self, t: Any) -> sa.ColumnElement[bool]:
        own: list[sa.ColumnElement[bool]] = []
        for name in ("code", "name", "authority", "legal_basis", "started_on", "ended_on"):
            own += compare(t.c[name], getattr(self, name))
        if self.in_force_on is not None:
            own.append(active_on(t.c.started_on, t.c.ended_on, self.in_force_on))
        own += _related_state(self.authority_state, t.c.authority_state_id)
        own += _related_state(self.target, t.c.target_state_id)
        for measure in self.measures_include or []:
            link = MEASURE
            own.append(_semi_join(link, link.c.regime_id == t.c.id, link.c.measure == measure))
        if self.retired is not None:
            own.append(retired_is(t, self.retired))
        return _combine(own, self, t)


@strawberry.input(description="Filter on arms transfers; all fields given must hold.")
class ArmsTransferWhere:
    supplier: StateWhere | None = strawberry.field(default=None, description="The supplying state.")
    recipient: StateWhere | None = strawberry.field(default=None, description="The receiving state.")
    supplier_name: StringFilter | None = strawberry.field(default=None, description="Supplier as the source names it.")
    recipient_name: StringFilter | None = strawberry.field(default=None, description="Recipient as the source names it.")
    supplier_kind: PartyKindFilter | None = strawberry.field(default=None, description="Conditions on the supplier kind.")  # type: ignore[valid-type]
    recipient_kind: PartyKindFilter | None = strawberry.field(default=None, description="Conditions on the recipient kind.")  # type: ignore[valid-type]
    weapon_designation: StringFilter | None = strawberry.field(default=None, description="Conditions on the weapon designation.")
    weapon_description: StringFilter | None = strawberry.field(default=None, description="Conditions on the weapon description.")
    category: WeaponCategoryFilter | None = strawberry.field(default=None, description="Conditions on the category.")  # type: ignore[valid-type]
    status: TransferStatusFilter | None = strawberry.field(default=None, description="Conditions on the status.")  # type: ignore[valid-type]
    evidence: EvidenceFilter | None = strawberry.field(default=None, description="Conditions on the evidence.")  # type: ignore[valid-type]
    ordered_year: IntFilter | None = strawberry.field(default=None, description="Conditions on the ordered year.")
    first_delivery_year: IntFilter | None = strawberry.field(default=None, description="Conditions on the first delivery year.")
    last_delivery_year: IntFilter | None = strawberry.field(default=None, description="Conditions on the last delivery year.")
    delivered_in: int | None = strawberry.field(
        default=None, description="Deliveries took place in this year (within the first-last range)."
    )
    number_ordered: IntFilter | None = strawberry.field(default=None, description="Conditions on the number ordered.")
    number_delivered: IntFilter | None = strawberry.field(default=None, description="Conditions on the number delivered.")
    denied_by: StateWhere | None = strawberry.field(
        default=None, description="Denied by at least one state matching this filter."
    )
    denied: bool | None = strawberry.field(default=None, description="true: denied by someone; false: by no one.")
    transit_states: StateWhere | None = strawberry.field(
        default=None, description="Passes (or is suspected to pass) through such a state."
    )
    violates: SanctionsRegimeWhere | None = strawberry.field(
        default=None, description="Reported to breach a regime matching this filter."
    )
    retired: bool | None = strawberry.field(default=None, description=RETIRED)
    and_: list["ArmsTransferWhere"] | None = strawberry.field(name="and", default=None, description="All of these hold.")
    or_: list["ArmsTransferWhere"] | None = strawberry.field(name="or", default=None, description="At least one holds.")
    not_: Optional["ArmsTransferWhere"] = strawberry.field(name="not", default=None, description="This does not hold.")

    def condition(self, t: Any) -> sa.ColumnElement[bool]:
        own: list[sa.ColumnElement[bool]] = []
        for name in ("supplier_name", "recipient_name", "supplier_kind", "recipient_kind",
                     "weapon_designation", "weapon_description", "category", "status", "evidence",
                     "ordered_year", "first_delivery_year", "last_delivery_year", "number_ordered",
                     "number_delivered"):
            own += compare(t.c[name], getattr(self, name))
        own += _related_state(self.supplier, t.c.supplier_state_id)
        own += _related_state(self.recipient, t.c.recipient_state_id)
        if self.delivered_in is not None:
            own.append(sa.and_(t.c.first_delivery_year <= self.delivered_in,
                               t.c.last_delivery_year >= self.delivered_in))
        if self.denied is not None:
            denial = DENIAL
            denied = _semi_join(denial, denial.c.transfer_id == t.c.id, sa.true())
            own.append(denied if self.denied else sa.not_(denied))
        for where, link_table in ((self.denied_by, DENIAL), (self.transit_states, TRANSIT)):
            if where is not None:
                link = link_table
                own.append(_semi_join(link, link.c.transfer_id == t.c.id,
                                   sa.and_(*_related_state(where, link.c.state_id))))
        if self.violates is not None:
            link, regime = VIOLATION, REGIME
            own.append(_semi_join(link, link.c.transfer_id == t.c.id, _semi_join(
                regime, regime.c.id == link.c.regime_id, listed_condition(self.violates, regime))))
        if self.retired is not None:
            own.append(retired_is(t, self.retired))
        return _combine(own, self, t)


@strawberry.input(description="Filter on alliances; all fields given must hold.")
class AllianceWhere:
    key: StringFilter | None = strawberry.field(default=None, description="Our key, e.g. NATO, CSTO.")
    name: StringFilter | None = strawberry.field(default=None, description="Conditions on the name.")
    short_name: StringFilter | None = strawberry.field(default=None, description="Conditions on the acronym.")
    kind: AllianceKindFilter | None = strawberry.field(default=None, description="Conditions on the kind.")  # type: ignore[valid-type]
    signed_on: DateFilter | None = strawberry.field(default=None, description="Conditions on the signed on.")
    ended_on: DateFilter | None = strawberry.field(default=None, description="Conditions on the ended on.")
    atop_id: IntFilter | None = strawberry.field(default=None, description="Conditions on the ATOP alliance id.")
    in_force_on: dt.date | None = strawberry.field(
        default=None,
        description="In force on this day (YYYY-MM-DD), from signedOn to endedOn. "
                    + IN_FORCE_ON_A_DAY,
    )
    has_member: StateWhere | None = strawberry.field(
        default=None, description="Has (or had) a member matching this filter (retired "
                                  "memberships do not count)."
    )
    retired: bool | None = strawberry.field(default=None, description=RETIRED)
    and_: list["AllianceWhere"] | None = strawberry.field(name="and", default=None, description="All of these hold.")
    or_: list["AllianceWhere"] | None = strawberry.field(name="or", default=None, description="At least one holds.")
    not_: Optional["AllianceWhere"] = strawberry.field(name="not", default=None, description="This does not hold.")

    def condition(self, t: Any) -> sa.ColumnElement[bool]:
        own: list[sa.ColumnElement[bool]] = []
        for name in ("key", "name", "short_name", "kind", "signed_on", "ended_on", "atop_id"):
            own += compare(t.c[name], getattr(self, name))
        if self.in_force_on is not None:
            own.append(active_on(t.c.signed_on, t.c.ended_on, self.in_force_on))
        if self.has_member is not None:
            membership = MEMBERSHIP
            own.append(_semi_join(membership, membership.c.alliance_id == t.c.id,
                                  sa.and_(retired_is(membership, False),
                                          *_related_state(self.has_member, membership.c.state_id))))
        if self.retired is not None:
            own.append(retired_is(t, self.retired))
        return _combine(own, self, t)


@strawberry.input(description="Filter on alliance memberships.")
class MembershipWhere:
    state: StateWhere | None = strawberry.field(default=None, description="The member state.")
    alliance: AllianceWhere | None = strawberry.field(default=None, description="The alliance.")
    joined_on: DateFilter | None = strawberry.field(default=None, description="Conditions on the joined on.")
    left_on: DateFilter | None = strawberry.field(default=None, description="Conditions on the left on.")
    retired: bool | None = strawberry.field(default=None, description=RETIRED)

    def condition(self, t: Any) -> sa.ColumnElement[bool]:
        own = compare(t.c.joined_on, self.joined_on) + compare(t.c.left_on, self.left_on)
        own += _related_state(self.state, t.c.state_id)
        if self.alliance is not None:
            alliance = ALLIANCE
            own.append(_semi_join(alliance, alliance.c.id == t.c.alliance_id,
                                  listed_condition(self.alliance, alliance)))
        if self.retired is not None:
            own.append(retired_is(t, self.retired))
        return sa.and_(sa.true(), *own)


@strawberry.input(description="Filter on sources; all fields given must hold.")
class SourceWhere:
    key: StringFilter | None = strawberry.field(default=None, description="Conditions on the key.")
    title: StringFilter | None = strawberry.field(default=None, description="Conditions on the title.")
    publisher: StringFilter | None = strawberry.field(default=None, description="Conditions on the publisher.")
    url: StringFilter | None = strawberry.field(default=None, description="Conditions on the url.")
    published_on: DateFilter | None = strawberry.field(default=None, description="Conditions on the published on.")

    def condition(self, t: Any) -> sa.ColumnElement[bool]:
        own: list[sa.ColumnElement[bool]] = []
        for name in ("key", "title", "publisher", "url", "published_on"):
            own += compare(t.c[name], getattr(self, name))
        return sa.and_(sa.true(), *own)


def where_condition(where: Any, t: Any) -> sa.ColumnElement[bool]:
    """The SQL condition of an optional `where` input on table ``t``."""
    return sa.true() if where is None else where.condition(t)
