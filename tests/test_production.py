"""Production mode: masked errors, no suggestions, switchable introspection and GraphiQL,
CORS from an allow-list, and security headers on every response."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from toy_schema import toy_schema

from app.main import create_app
from app.settings import Settings, load_settings

PRODUCTION = load_settings(env="production")
DEVELOPMENT = load_settings(env="development")


def run(query: str, settings: Settings) -> Any:
    return asyncio.run(toy_schema(settings).execute(query))


def app_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return load_settings(database_url=f"sqlite:///{tmp_path / 'atlas.db'}", **overrides)


def test_production_masks_unexpected_errors() -> None:
    error = run("{ boom }", PRODUCTION).errors[0]
    assert "hunter2" not in error.message and "postgresql" not in error.message
    assert error.message.startswith("Internal server error")
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert error.original_error is None  # nothing for a formatter to leak
    assert error.path == ["boom"]


def test_development_shows_the_error() -> None:
    assert "hunter2" in run("{ boom }", DEVELOPMENT).errors[0].message


def test_production_keeps_errors_meant_for_the_client() -> None:
    error = run("{ refused }", PRODUCTION).errors[0]
    assert error.message.startswith("iso3: 'XXX' is not a state")
    assert error.extensions == {"code": "BAD_USER_INPUT"}
    limit = run("{ " + " ".join(f"a{i}: item {{ name }}" for i in range(99)) + " }", PRODUCTION)
    assert limit.errors[0].extensions["code"] == "ALIAS_LIMIT_EXCEEDED"


@pytest.mark.parametrize("query, suggestion", [
    ("{ itemz { name } }", "items"),
    ("{ item { nmae } }", "name"),
    ("{ colour(colour: REDD) }", "RED"),
    ("{ items(frist: 1) { name } }", "first"),
])
def test_production_gives_no_suggestions(query: str, suggestion: str) -> None:
    development = run(query, DEVELOPMENT).errors[0].message
    assert "Did you mean" in development and f"'{suggestion}'" in development
    production = run(query, PRODUCTION).errors[0].message
    assert "Did you mean" not in production and f"'{suggestion}'" not in production
    assert production.split(".")[0] == development.split(".")[0]


def test_introspection_switched_off(tmp_path: Path) -> None:
    query = {"query": '{ __schema { queryType { name } } }'}
    with TestClient(create_app(app_settings(tmp_path))) as client:
        assert client.post("/graphql", json=query).json() == {
            "data": {"__schema": {"queryType": {"name": "Query"}}}
        }
    with TestClient(create_app(app_settings(tmp_path, introspection=False))) as client:
        body = client.post("/graphql", json=query).json()
        assert body["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
        body = client.post("/graphql", json={"query": '{ __type(name: "State") { name } }'}).json()
        assert body["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
        # __typename is not introspection of the schema: clients need it.
        assert client.post("/graphql", json={"query": "{ __typename }"}).status_code == 200


def test_graphiql_switched_off(tmp_path: Path) -> None:
    browser = {"accept": "text/html"}
    with TestClient(create_app(app_settings(tmp_path))) as client:
        page = client.get("/graphql", headers=browser)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    with TestClient(create_app(app_settings(tmp_path, graphiql=False))) as client:
        assert client.get("/graphql", headers=browser).status_code == 404
        # The API itself still answers.
        response = client.get("/graphql", params={"query": "{ __typename }"}, headers=browser)
        assert response.json() == {"data": {"__typename": "Query"}}


SECURITY_HEADERS = ("x-content-type-options", "x-frame-options", "referrer-policy",
                    "content-security-policy", "cross-origin-opener-policy")


def test_security_headers_on_every_response(tmp_path: Path) -> None:
    with TestClient(create_app(app_settings(tmp_path, max_body_bytes=2048))) as client:
        responses = {
            "api": client.post("/graphql", json={"query": "{ __typename }"}),
            "graphiql": client.get("/graphql", headers={"accept": "text/html"}),
            "healthz": client.get("/healthz"),
            "refusal": client.post("/graphql", content=b"x" * 4096,
                                   headers={"content-type": "application/json"}),
            "not found": client.get("/nothing-here"),
        }
    for name, response in responses.items():
        for header in SECURITY_HEADERS:
            assert header in response.headers, (name, header)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers  # development
    # JSON may load nothing; the GraphiQL page keeps its scripts.
    assert "default-src 'none'" in responses["api"].headers["content-security-policy"]
    assert "default-src" not in responses["graphiql"].headers["content-security-policy"]


def test_production_adds_hsts(tmp_path: Path) -> None:
    with TestClient(create_app(app_settings(tmp_path, env="production"))) as client:
        response = client.get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_cors_follows_the_allow_list(tmp_path: Path) -> None:
    allowed, other = "https://dashboard.example.org", "https://evil.example.com"
    settings = app_settings(tmp_path, cors_origins=f"{allowed}/, https://news.example.net")
    assert settings.cors_origins == [allowed, "https://news.example.net"]
    query = {"query": "{ __typename }"}
    with TestClient(create_app(settings)) as client:
        response = client.post("/graphql", json=query, headers={"origin": allowed})
        assert response.headers["access-control-allow-origin"] == allowed
        response = client.post("/graphql", json=query, headers={"origin": other})
        assert "access-control-allow-origin" not in response.headers
        preflight = {"origin": allowed, "access-control-request-method": "POST",
                     "access-control-request-headers": "content-type"}
        response = client.options("/graphql", headers=preflight)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == allowed
        response = client.options("/graphql", headers={**preflight, "origin": other})
        assert response.status_code == 400


def test_no_cors_by_default(tmp_path: Path) -> None:
    with TestClient(create_app(app_settings(tmp_path))) as client:
        response = client.post("/graphql", json={"query": "{ __typename }"},
                               headers={"origin": "https://dashboard.example.org"})
    assert "access-control-allow-origin" not in response.headers
