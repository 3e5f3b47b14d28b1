"""The per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.settings import Settings


@dataclass
class Context:
    """What every resolver can reach: settings, the engine, and this request's loaders.

    Resolvers never share one connection: each loader batch opens its own short connection from
    ``engine``, because resolvers run concurrently.
    """

    settings: Settings
    engine: AsyncEngine
    backend: str
    loaders: dict[Any, Any] = field(default_factory=dict)
    request: Any = None
    response: Any = None
