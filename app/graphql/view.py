"""The Strawberry ASGI view: builds the per-request context."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from app.graphql.context import Context
from app.graphql.graphiql_page import GraphiQLPage
from app.graphql.schema import build_schema
from app.settings import Settings


class AtlasGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.settings = settings

    def encode_json(self, data: object) -> bytes:
        """orjson: an order of magnitude faster than json.dumps on large responses."""
        return orjson.dumps(data, default=_jsonable)

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our GraphiQL page (assets served by the app, so it works offline), not Strawberry's."""
        # create_app decides once where the assets come from and mounts them to match.
        page = getattr(request.app.state, "graphiql_page", None)
        return (page or GraphiQLPage.from_settings(self.settings)).response()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        state: Any = request.app.state
        return Context(
            settings=self.settings,
            engine=state.engine,
            backend=self.settings.backend,
            request=request,
            response=response,
        )


def _jsonable(value: object) -> object:
    """Values orjson does not know natively (e.g. GraphQL error objects) as plain data."""
    formatted = getattr(value, "formatted", None)
    if formatted is not None:
        return formatted
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")
