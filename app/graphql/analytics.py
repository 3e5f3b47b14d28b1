"""Alignment analytics: agreement between two states, and states ranked by agreement."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
import strawberry

from app.graphql.errors import InputError
from app.graphql.filters import RESOLUTION, STATE, ResolutionWhere
from app.graphql.loaders import fetch
from app.graphql.pagination import MAX_PAGE_SIZE
from app.graphql.types.state import State
from app.services.alignment import AgreementCount, agreement_query, aligned_query

DEFINITION = (
    "Over the roll calls selected by `where` (all when omitted), `compared` counts those on "
    "which both states voted YES, NO or ABSTAIN (non-voting and non-membership are left out), "
    "`agreed` those on which both took the same position, and `ratio` = agreed / compared "
    "(null when compared is 0)."
)


@strawberry.type(description="How often two states voted alike. " + DEFINITION)
class Agreement:
    a: State = strawberry.field(description="The first state.")
    b: State = strawberry.field(description="The second state.")
    compared: int = strawberry.field(description="Roll calls on which both cast YES, NO or ABSTAIN.")
    agreed: int = strawberry.field(description="Of those, roll calls on which both voted the same.")
    ratio: float | None = strawberry.field(description="agreed / compared; null when compared is 0.")


@strawberry.type(description="A state with its agreement with the state asked about.")
class AlignedState:
    state: State = strawberry.field(description="The other state.")
    compared: int = strawberry.field(description="Roll calls on which both cast YES, NO or ABSTAIN.")
    agreed: int = strawberry.field(description="Of those, roll calls on which both voted the same.")
    ratio: float | None = strawberry.field(description="agreed / compared.")


async def _states_by_iso3(context: Any, codes: dict[str, str]) -> dict[str, Any]:
    rows = await fetch(context, sa.select(STATE).where(STATE.c.iso3.in_([c.upper() for c in codes.values()])))
    by_code = {row.iso3: row for row in rows}
    found = {}
    for argument, code in codes.items():
        row = by_code.get(code.upper())
        if row is None:
            raise InputError(f"{argument}: no state has ISO3 code {code!r}.", argument=argument)
        found[argument] = row
    return found


async def agreement(
    info: strawberry.Info,
    a: Annotated[str, strawberry.argument(description="ISO3 code of the first state.")],
    b: Annotated[str, strawberry.argument(description="ISO3 code of the second state.")],
    where: Annotated[ResolutionWhere | None, strawberry.argument(description="Roll calls to compare on.")] = None,
) -> Agreement:
    states = await _states_by_iso3(info.context, {"a": a, "b": b})
    rows = await fetch(info.context, agreement_query(states["a"].id, states["b"].id,
                                                     None if where is None else where.condition(RESOLUTION)))
    count = AgreementCount(states["b"].id, rows[0].compared, rows[0].agreed) if rows else \
        AgreementCount(states["b"].id, 0, 0)
    return Agreement(a=State.from_row(states["a"]), b=State.from_row(states["b"]),
                     compared=count.compared, agreed=int(count.agreed), ratio=count.ratio)


async def aligned_with(
    info: strawberry.Info,
    iso3: Annotated[str, strawberry.argument(description="ISO3 code of the state to rank others against.")],
    where: Annotated[ResolutionWhere | None, strawberry.argument(description="Roll calls to compare on.")] = None,
    first: Annotated[int, strawberry.argument(description="How many states (at most 100).")] = 10,
    min_compared: Annotated[int, strawberry.argument(
        description="Leave out states compared on fewer roll calls than this.")] = 1,
) -> list[AlignedState]:
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise InputError(f"first: must be between 0 and {MAX_PAGE_SIZE}, got {first}.",
                         code="PAGE_SIZE_EXCEEDED" if first > MAX_PAGE_SIZE else "BAD_USER_INPUT",
                         argument="first")
    states = await _states_by_iso3(info.context, {"iso3": iso3})
    rows = await fetch(info.context, aligned_query(states["iso3"].id,
                                                   None if where is None else where.condition(RESOLUTION),
                                                   first, max(min_compared, 1)))
    others = {row.id: row for row in await fetch(
        info.context, sa.select(STATE).where(STATE.c.id.in_([r.state_id for r in rows])))}
    result = []
    for row in rows:
        count = AgreementCount(row.state_id, row.compared, int(row.agreed))
        result.append(AlignedState(state=State.from_row(others[row.state_id]),
                                   compared=count.compared, agreed=count.agreed, ratio=count.ratio))
    return result
