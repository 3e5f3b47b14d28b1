"""The Starlette application: /graphql (API and GraphiQL) and /healthz."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.db import create_app_engine
from app.graphql.graphiql_page import GraphiQLPage
from app.graphql.view import AtlasGraphQL
from app.http import http_middleware
from app.settings import Settings, get_settings

HEALTH_TIMEOUT_SECONDS = 3.0


async def healthz(request: Request) -> JSONResponse:
    """Database status and migration revision; 503 when the database does not answer."""
    engine = request.app.state.engine

    async def probe() -> str | None:
        async with engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))
            return await connection.scalar(sa.text("SELECT version_num FROM alembic_version"))

    try:
        revision = await asyncio.wait_for(probe(), timeout=HEALTH_TIMEOUT_SECONDS)
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        reason = type(getattr(exc, "orig", None) or exc).__name__
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable", "error": reason}, status_code=503
        )
    return JSONResponse({"status": "ok", "database": "ok", "revision": revision})


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app; the engine is created at start-up and disposed at shutdown."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        engine = create_app_engine(
            settings.database_url, statement_timeout_seconds=settings.execution_timeout_seconds
        )
        app.state.engine = engine
        try:
            yield {}
        finally:
            await engine.dispose()

    graphql = AtlasGraphQL(settings)
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),
    ]
    graphiql_page = GraphiQLPage.from_settings(settings)
    routes.extend(graphiql_page.routes())
    app = Starlette(routes=routes, lifespan=lifespan, middleware=http_middleware(settings))
    app.state.settings = settings
    app.state.graphiql_page = graphiql_page
    return app
