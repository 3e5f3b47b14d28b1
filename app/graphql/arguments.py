"""Argument types shared by list fields, each with the description GraphiQL shows."""

import datetime as dt
from typing import Annotated, Any

import strawberry

from app.graphql.filters import (
    IN_FORCE_ON_A_DAY,
    AllianceWhere,
    ArmsTransferWhere,
    MembershipWhere,
    ResolutionWhere,
    SanctionsRegimeWhere,
    SourceWhere,
    StateWhere,
    VoteWhere,
)
from app.graphql.ordering import (
    AllianceOrderBy,
    ArmsTransferOrderBy,
    ResolutionOrderBy,
    SanctionsRegimeOrderBy,
    SourceOrderBy,
    StateOrderBy,
    VoteOrderBy,
)

_WHERE = "Only items matching this filter (see the input type for every condition)."
_ORDER = "Sort keys, the first deciding most; ties end in a stable order."


def _arg(description: str) -> Any:
    return strawberry.argument(description=description)


First = Annotated[int | None, _arg("Page size: the first N items (default 50, at most 100).")]
After = Annotated[str | None, _arg("Cursor: items after it.")]
Last = Annotated[int | None, _arg("The last N items (at most 100).")]
Before = Annotated[str | None, _arg("Cursor: items before it.")]
AsOf = Annotated[dt.date | None, _arg(
    "Only what was in force on this day (YYYY-MM-DD); omitted: all, whatever their dates. "
    + IN_FORCE_ON_A_DAY)]
# For lists that always answer for one day (an alliance's members, a state's allies).
AsOfToday = Annotated[dt.date | None, _arg(
    "The day (YYYY-MM-DD) the memberships must be in force on; omitted: today. "
    + IN_FORCE_ON_A_DAY)]

StateWhereArg = Annotated[StateWhere | None, _arg(_WHERE)]
VoteWhereArg = Annotated[VoteWhere | None, _arg(_WHERE)]
ResolutionWhereArg = Annotated[ResolutionWhere | None, _arg(_WHERE)]
TransferWhereArg = Annotated[ArmsTransferWhere | None, _arg(_WHERE)]
RegimeWhereArg = Annotated[SanctionsRegimeWhere | None, _arg(_WHERE)]
AllianceWhereArg = Annotated[AllianceWhere | None, _arg(_WHERE)]
MembershipWhereArg = Annotated[MembershipWhere | None, _arg(_WHERE)]
SourceWhereArg = Annotated[SourceWhere | None, _arg(_WHERE)]

StateOrderArg = Annotated[list[StateOrderBy] | None, _arg(_ORDER)]
VoteOrderArg = Annotated[list[VoteOrderBy] | None, _arg(_ORDER)]
ResolutionOrderArg = Annotated[
    list[ResolutionOrderBy] | None, _arg(_ORDER)]
TransferOrderArg = Annotated[
    list[ArmsTransferOrderBy] | None, _arg(_ORDER)]
RegimeOrderArg = Annotated[
    list[SanctionsRegimeOrderBy] | None, _arg(_ORDER)]
AllianceOrderArg = Annotated[list[AllianceOrderBy] | None, _arg(_ORDER)]
SourceOrderArg = Annotated[list[SourceOrderBy] | None, _arg(_ORDER)]
