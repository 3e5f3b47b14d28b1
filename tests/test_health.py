"""/healthz reports the database and the migration revision."""

from __future__ import annotations

from starlette.testclient import TestClient

from app import migrations
from app.main import create_app
from app.settings import load_settings


def test_healthz_ok_with_head_revision(migrated_db: str) -> None:
    app = create_app(load_settings(database_url=migrated_db))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["revision"] == migrations.head_revision(migrated_db)


def test_healthz_503_when_database_does_not_answer(tmp_path) -> None:
    missing = tmp_path / "no-such-dir" / "atlas.db"
    app = create_app(load_settings(database_url=f"sqlite:///{missing}"))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_healthz_503_on_unreachable_postgresql() -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    app = create_app(load_settings(database_url=url))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
