"""Settings come from ATLAS_ variables; bad values name the variable."""

from __future__ import annotations

import pytest

from app.settings import SettingsError, async_url, load_settings, sync_url


def test_plain_urls_get_the_right_drivers() -> None:
    assert async_url("sqlite:///var/x.db").drivername == "sqlite+aiosqlite"
    assert async_url("postgresql://u@h/db").drivername == "postgresql+asyncpg"
    assert sync_url("postgresql+asyncpg://u@h/db").drivername == "postgresql+psycopg"
    assert sync_url("postgres://u@h/db").drivername == "postgresql+psycopg"


def test_default_is_an_embedded_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.backend == "sqlite"
    assert settings.database_url.endswith("var/atlas.db")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("ATLAS_DATABASE_URL", "mysql://u@h/db"), ("ATLAS_DATABASE_URL", "not a url"),
     ("ATLAS_ENV", "staging"), ("ATLAS_PORT", "99999")],
)
def test_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        load_settings()
