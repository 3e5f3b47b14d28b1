"""The Strawberry ASGI view: builds the per-request context."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from app.graphql.context import Context
from app.graphql.schema import schema
from app.settings import Settings


class AtlasGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.settings = settings

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        state: Any = request.app.state
        return Context(
            settings=self.settings,
            sessions=state.sessions,
            backend=self.settings.backend,
            request=request,
            response=response,
        )
