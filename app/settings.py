"""Settings read from the environment (prefix ``ATLAS_``)."""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATA_DIR = Path("var")
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_DATA_DIR / 'atlas.db'}"

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


class Environment(str, Enum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(Exception):
    """A setting from the environment has a value the app cannot use."""


def database_backend(url: str | URL) -> str:
    """Return ``sqlite`` or ``postgresql`` for a database URL, whatever driver it names."""
    backend = make_url(url).get_backend_name()
    if backend == "postgres":
        return "postgresql"
    return backend


def _with_driver(url: str | URL, drivers: dict[str, str]) -> URL:
    parsed = make_url(url)
    return parsed.set(drivername=drivers[database_backend(parsed)])


def async_url(url: str | URL) -> URL:
    """The URL with the async driver the app uses (aiosqlite or asyncpg)."""
    return _with_driver(url, _ASYNC_DRIVERS)


def sync_url(url: str | URL) -> URL:
    """The URL with the blocking driver used by migrations and loaders (sqlite3 or psycopg)."""
    return _with_driver(url, _SYNC_DRIVERS)


class Settings(BaseSettings):
    """Every setting the app reads, each from an ``ATLAS_`` environment variable."""

    model_config = SettingsConfigDict(env_prefix="ATLAS_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="Database URL: sqlite:///path.db or postgresql://user@host/db.",
    )
    env: Environment = Field(default=Environment.DEVELOPMENT, description="development or production.")
    host: str = Field(default="127.0.0.1", description="Address `atlas serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `atlas serve` listens on.")
    graphiql: bool = Field(default=True, description="Serve GraphiQL at GET /graphql.")
    introspection: bool = Field(default=True, description="Allow schema introspection.")
    graphiql_assets: Path | None = Field(
        default=None,
        description="Folder holding GraphiQL's JS and CSS, served by the app (works offline).",
    )
    batched_execution: bool = Field(
        default=True,
        description="Run queries breadth-first with batched SQL (same answers, much faster on "
        "large responses); false: graphql-core's field-by-field executor only.",
    )
    access_log: bool = Field(
        default=True,
        description="`atlas serve` logs one line per request (uvicorn's access log).",
    )
    compiled_execution: bool = Field(
        default=True,
        description="Answer each root field the compiler understands with one SQL statement that "
        "builds the JSON (needs batched_execution); false: the breadth-first resolvers only.",
    )
    auto_seed: bool = Field(
        default=True,
        description="`atlas serve` migrates and seeds an empty embedded SQLite database by itself.",
    )
    # Hardening limits (docs/hardening.md explains each and how a client stays under it).
    max_depth: int = Field(default=10, ge=1, description="Most nested fields in a query.")
    max_aliases: int = Field(default=15, ge=0, description="Most aliases in a query.")
    max_tokens: int = Field(default=1000, ge=1, description="Most lexical tokens in a query.")
    max_directives: int = Field(default=50, ge=0, description="Most directives in a query.")
    max_input_depth: int = Field(
        default=10, ge=1, description="Most nested input objects/lists in one argument or variable."
    )
    max_cost: int = Field(
        default=200_000, ge=1,
        description="Most nodes a query may return, from first/last multiplied down the nesting.",
    )
    execution_timeout_seconds: float = Field(
        default=10.0, gt=0,
        description="Execution is cancelled after this; also PostgreSQL's statement_timeout.",
    )
    max_body_bytes: int = Field(
        default=100_000, ge=1024, description="Largest request body (and GET query string)."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser, comma-separated; none if empty.",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            backend = database_backend(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL ({exc})") from None
        if backend not in _ASYNC_DRIVERS:
            raise ValueError(
                f"unsupported database {backend!r}; use sqlite:///path.db or postgresql://user@host/db"
            )
        return value

    @property
    def backend(self) -> str:
        return database_backend(self.database_url)

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    def ensure_data_dir(self) -> None:
        """Create the folder of a SQLite database file if it is missing."""
        if self.backend == "sqlite":
            database = make_url(self.database_url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation error into a message naming each variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            problems.append(f"ATLAS_{field.upper()}: {error['msg']} (got {error.get('input')!r})")
        raise SettingsError("invalid settings:\n  " + "\n  ".join(problems)) from None


@lru_cache
def get_settings() -> Settings:
    return load_settings()
