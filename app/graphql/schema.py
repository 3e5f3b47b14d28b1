"""The GraphQL schema: root fields, Relay node lookup, and the schema builder."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache

from app.graphql import analytics
from app.graphql.arguments import (
    After,
    AllianceOrderArg,
    AllianceWhereArg,
    AsOf,
    Before,
    First,
    Last,
    RegimeOrderArg,
    RegimeWhereArg,
    ResolutionOrderArg,
    ResolutionWhereArg,
    SourceOrderArg,
    SourceWhereArg,
    StateOrderArg,
    StateWhereArg,
    TransferOrderArg,
    TransferWhereArg,
)
from app.graphql.batched import BatchedExecution
from app.graphql.loaders import fetch, root_connection, rows_by_id
from app.graphql.pages import NODE_TABLES, ROOT_ONE, ROOT_PAGES
from app.graphql.pagination import MAX_PAGE_SIZE, Connection, Window
from app.graphql.security import security_extensions
from app.graphql.types.alliance import Alliance, AllianceMembership
from app.graphql.types.arms import ArmsTransfer
from app.graphql.types.node import Node, node_ids_by_type, parse_global_id, parse_node_ids
from app.graphql.types.resolution import Resolution, Vote
from app.graphql.types.sanctions import SanctionsRegime
from app.graphql.types.source import Source
from app.graphql.types.state import State
from app.settings import Settings, get_settings

_NODE_CLASSES = (State, Resolution, Vote, SanctionsRegime, ArmsTransfer, Alliance,
                 AllianceMembership, Source)
NODE_TYPES: dict[str, tuple[sa.Table, Any]] = {
    cls.__name__: (NODE_TABLES[cls.__name__], cls) for cls in _NODE_CLASSES
}


def _arg(description: str) -> Any:
    return strawberry.argument(description=description)


async def _one(info: strawberry.Info, field: str, args: dict[str, Any], cls: Any) -> Any:
    _, table, condition, order = ROOT_ONE[field]
    statement = sa.select(table).where(condition(args)).order_by(*order).limit(1)
    rows = await fetch(info.context, statement)
    return cls.from_row(rows[0]) if rows else None


async def _node(info: strawberry.Info, value: str, argument: str) -> Node | None:
    type_name, pk = parse_global_id(value, argument, set(NODE_TYPES))
    table, cls = NODE_TYPES[type_name]
    row = await rows_by_id(info.context, table).load(pk)
    return cls.from_row(row) if row else None


async def _root_page(
    info: strawberry.Info, field: str, args: dict[str, Any], window: Window, convert: Any
) -> Connection[Any]:
    base, order = ROOT_PAGES[field][1](args)
    return await root_connection(info.context, base, order, window, convert)


@strawberry.type(description="Alignment Atlas: states, UN votes, sanctions, arms transfers and alliances.")
class Query:
    @strawberry.field(description="Any object by its global id; null if there is none.")
    async def node(self, info: strawberry.Info, id: Annotated[strawberry.ID, _arg("A global id.")]) -> Node | None:
        return await _node(info, id, "id")

    @strawberry.field(description=f"Objects by global ids, in the order asked (at most {MAX_PAGE_SIZE}); null where none.")
    async def nodes(
        self, info: strawberry.Info, ids: Annotated[list[strawberry.ID], _arg("Global ids.")]
    ) -> list[Node | None]:
        parsed = parse_node_ids(ids, set(NODE_TYPES))
        wanted = node_ids_by_type(parsed)

        # One statement per type asked for, all on one connection; no coroutine per id.
        found: dict[tuple[str, int], Node] = {}
        async with info.context.engine.connect() as connection:
            for type_name, pks in wanted.items():
                table, cls = NODE_TYPES[type_name]
                rows = await connection.execute(sa.select(table).where(table.c.id.in_(pks)))
                found.update({(type_name, row.id): cls.from_row(row) for row in rows})
        return [found.get(key) for key in parsed]

    @strawberry.field(description="A state by exactly one of its codes: ISO3, ISO2 (any case), UN M49 "
                                  "or Correlates of War number; null if none has it. To find a "
                                  "state by name, filter `states` on `name`.")
    async def state(
        self, info: strawberry.Info,
        iso3: Annotated[str | None, _arg("ISO 3166 alpha-3 code, e.g. RUS.")] = None,
        iso2: Annotated[str | None, _arg("ISO 3166-1 alpha-2 code, e.g. RU.")] = None,
        m49: Annotated[int | None, _arg("UN M49 numeric code, e.g. 643.")] = None,
        cow_code: Annotated[int | None, _arg(
            "Correlates of War state number, e.g. 365; where a former state shares it (the "
            "Soviet Union), the state that has not left the UN.")] = None,
    ) -> State | None:
        return await _one(info, "state", {"iso3": iso3, "iso2": iso2, "m49": m49,
                                          "cow_code": cow_code}, State)

    @strawberry.field(description="States (default order: ISO3).")
    async def states(
        self, info: strawberry.Info, where: StateWhereArg = None,
        order_by: StateOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[State]:
        return await _root_page(info, "states", {"where": where, "order_by": order_by},
                                Window.from_args(first, after, last, before), State.from_row)

    @strawberry.field(description="A roll call by symbol as published; the latest if several share it; null if none.")
    async def resolution(
        self, info: strawberry.Info, symbol: Annotated[str, _arg("e.g. A/RES/ES-11/4.")]
    ) -> Resolution | None:
        return await _one(info, "resolution", {"symbol": symbol}, Resolution)

    @strawberry.field(description="Roll calls (default order: latest first).")
    async def resolutions(
        self, info: strawberry.Info, where: ResolutionWhereArg = None,
        order_by: ResolutionOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Resolution]:
        return await _root_page(info, "resolutions", {"where": where, "order_by": order_by},
                                Window.from_args(first, after, last, before), Resolution.from_row)

    @strawberry.field(description="A sanctions regime by code, e.g. EU-RUS; null if unknown.")
    async def sanctions_regime(
        self, info: strawberry.Info, code: Annotated[str, _arg("Regime code.")]
    ) -> SanctionsRegime | None:
        return await _one(info, "sanctionsRegime", {"code": code}, SanctionsRegime)

    @strawberry.field(description="Sanctions regimes (default order: code); all, or those in force "
                                  "on `asOf`.")
    async def sanctions_regimes(
        self, info: strawberry.Info, as_of: AsOf = None, where: RegimeWhereArg = None,
        order_by: RegimeOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[SanctionsRegime]:
        return await _root_page(info, "sanctionsRegimes",
                                {"as_of": as_of, "where": where, "order_by": order_by},
                                Window.from_args(first, after, last, before), SanctionsRegime.from_row)

    @strawberry.field(description="Arms transfers (default order: latest order year first).")
    async def arms_transfers(
        self, info: strawberry.Info, where: TransferWhereArg = None,
        order_by: TransferOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[ArmsTransfer]:
        return await _root_page(info, "armsTransfers", {"where": where, "order_by": order_by},
                                Window.from_args(first, after, last, before), ArmsTransfer.from_row)

    @strawberry.field(description="An alliance by key (e.g. NATO, CSTO) or short name; null if unknown.")
    async def alliance(
        self, info: strawberry.Info, key: Annotated[str, _arg("Our key or the short name.")]
    ) -> Alliance | None:
        return await _one(info, "alliance", {"key": key}, Alliance)

    @strawberry.field(description="Alliances (default order: name); all, or those in force on "
                                  "`asOf` (signed on or before that day and not yet ended).")
    async def alliances(
        self, info: strawberry.Info, as_of: AsOf = None, where: AllianceWhereArg = None,
        order_by: AllianceOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Alliance]:
        return await _root_page(info, "alliances", {"as_of": as_of, "where": where, "order_by": order_by},
                                Window.from_args(first, after, last, before), Alliance.from_row)

    @strawberry.field(description="Sources (default order: title).")
    async def sources(
        self, info: strawberry.Info, where: SourceWhereArg = None,
        order_by: SourceOrderArg = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> Connection[Source]:
        return await _root_page(info, "sources", {"where": where, "order_by": order_by},
                                Window.from_args(first, after, last, before), Source.from_row)

    agreement: analytics.Agreement = strawberry.field(
        resolver=analytics.agreement,
        description="How often two states voted alike. " + analytics.DEFINITION,
    )
    aligned_with: list[analytics.AlignedState] = strawberry.field(
        resolver=analytics.aligned_with,
        description="Other states ranked by agreement with one state (ratio descending, ties by "
        "ISO3). " + analytics.DEFINITION,
    )


class AtlasSchema(strawberry.Schema):
    """Logs unexpected errors only: a bad argument is the client's to fix, not a server fault."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        unexpected = [e for e in errors if not isinstance(e.original_error or e, GraphQLError)]
        super().process_errors(unexpected, execution_context)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with the extensions these settings call for."""
    settings = settings or get_settings()
    return AtlasSchema(
        query=Query,
        types=[cls for _, cls in NODE_TYPES.values()],
        extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256),
                    *security_extensions(settings),
                    # Last: it runs inside the execution time-out set up before it.
                    *([lambda: BatchedExecution(compiled=settings.compiled_execution)]
                      if settings.batched_execution else [])],
    )


schema = build_schema(Settings())
