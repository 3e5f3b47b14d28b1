"""The GraphQL schema (first cut: the list of states)."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

from app.graphql.context import Context
from app.models import State as StateRow


@strawberry.type(description="A state: UN member, observer, or former state that facts need.")
class State:
    iso3: str = strawberry.field(description="ISO 3166-1 alpha-3 code (ISO 3166-3 for former states).")
    name: str = strawberry.field(description="Common English name.")


@strawberry.type
class Query:
    @strawberry.field(description="States ordered by ISO3 code.")
    async def states(self, info: strawberry.Info[Context, None]) -> list[State]:
        async with info.context.sessions() as session:
            rows = (await session.execute(select(StateRow.iso3, StateRow.name).order_by(StateRow.iso3))).all()
        return [State(iso3=row.iso3, name=row.name) for row in rows]


schema = strawberry.Schema(query=Query)
