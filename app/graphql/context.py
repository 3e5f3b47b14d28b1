"""The per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.settings import Settings


@dataclass
class Context:
    """What every resolver can reach: settings, a session factory, and this request's loaders.

    Resolvers never share one session: each loader batch opens its own short session from
    ``sessions``, because resolvers run concurrently and one AsyncSession cannot.
    """

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    backend: str
    loaders: dict[Any, Any] = field(default_factory=dict)
    request: Any = None
    response: Any = None
