"""GraphiQL at GET /graphql: our page, its assets served by the app, and the off switch."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app.graphiql_assets import DEFAULT_ASSETS_DIR, SCRIPTS, STYLESHEETS, missing_assets
from app.graphql.examples import EXAMPLE_TABS, HEADLINE_QUERY
from app.graphql.graphiql_page import GraphiQLPage, _json_for_script
from app.main import create_app
from app.settings import load_settings

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def assets_dir(tmp_path: Path) -> Path:
    """A folder holding a file for every script and stylesheet the page loads."""
    folder = tmp_path / "graphiql-assets"
    folder.mkdir()
    for asset in SCRIPTS + STYLESHEETS:
        (folder / asset.filename).write_text(f"/* {asset.filename} */\n", encoding="utf-8")
    return folder


def _client(tmp_path: Path, **settings: object) -> TestClient:
    # The page never touches the database; a SQLite path that is never opened is enough.
    url = f"sqlite:///{tmp_path / 'unused.db'}"
    return TestClient(create_app(load_settings(database_url=url, **settings)))


def _page_config(page: str) -> dict[str, object]:
    match = re.search(
        r'<script type="application/json" id="atlas-graphiql-config">(.*?)</script>', page, re.S
    )
    assert match, "the page carries its configuration as JSON"
    return json.loads(match.group(1))


def test_browser_gets_our_page_with_local_assets(tmp_path: Path, assets_dir: Path) -> None:
    with _client(tmp_path, graphiql_assets=assets_dir) as client:
        response = client.get("/graphql", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Alignment Atlas" in page
    for asset in SCRIPTS + STYLESHEETS:
        assert f'"/graphiql-assets/{asset.filename}"' in page
    assert "unpkg.com" not in page
    # React and ReactDOM must load before GraphiQL's bundle, which reads them as globals.
    positions = [page.index(f"/graphiql-assets/{asset.filename}") for asset in SCRIPTS]
    assert positions == sorted(positions)


def test_headline_query_is_the_first_tab(tmp_path: Path, assets_dir: Path) -> None:
    with _client(tmp_path, graphiql_assets=assets_dir) as client:
        page = client.get("/graphql", headers=BROWSER).text
    tabs = _page_config(page)["tabs"]
    assert tabs == list(EXAMPLE_TABS)
    assert tabs[0] == HEADLINE_QUERY
    assert 'resolution: "A/RES/ES-11/4", position: NO' in tabs[0]
    assert len(tabs) > 1, "a couple of other example tabs"


def test_assets_route_serves_javascript_and_css(tmp_path: Path, assets_dir: Path) -> None:
    with _client(tmp_path, graphiql_assets=assets_dir) as client:
        script = client.get("/graphiql-assets/graphiql.min.js")
        style = client.get("/graphiql-assets/graphiql.min.css")
        absent = client.get("/graphiql-assets/no-such-file.js")
    assert script.status_code == 200
    assert script.headers["content-type"].split(";")[0] in {
        "text/javascript",
        "application/javascript",
    }
    assert script.text == "/* graphiql.min.js */\n"
    assert style.headers["content-type"].startswith("text/css")
    assert absent.status_code == 404


def test_incomplete_assets_folder_falls_back_to_unpkg_and_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with _client(tmp_path, graphiql_assets=empty) as client:
        page = client.get("/graphql", headers=BROWSER).text
        served = client.get("/graphiql-assets/graphiql.min.js")
    assert "https://unpkg.com/graphiql@" in page
    assert "https://unpkg.com/react@" in page
    assert f"ATLAS_GRAPHIQL_ASSETS={empty} lacks" in page
    assert "atlas graphiql-assets --dest" in page
    assert served.status_code == 404


def test_unset_setting_uses_the_project_folder_when_filled() -> None:
    settings = load_settings(graphiql_assets=None)
    page = GraphiQLPage.from_settings(settings)
    if missing_assets(DEFAULT_ASSETS_DIR):
        assert page.folder is None
        assert page.notice and "atlas graphiql-assets" in page.notice
    else:
        assert page.folder == DEFAULT_ASSETS_DIR
        assert page.notice is None


def test_graphiql_off_serves_no_ide_and_no_assets(tmp_path: Path, assets_dir: Path) -> None:
    with _client(tmp_path, graphiql=False, graphiql_assets=assets_dir) as client:
        page = client.get("/graphql", headers=BROWSER)
        script = client.get("/graphiql-assets/graphiql.min.js")
        api = client.post("/graphql", json={"query": "{ __typename }"})
    assert page.status_code == 404
    assert "GraphiQL" not in page.text
    assert script.status_code == 404
    assert api.json() == {"data": {"__typename": "Query"}}


def test_get_with_a_query_still_runs_it(tmp_path: Path, assets_dir: Path) -> None:
    with _client(tmp_path, graphiql_assets=assets_dir) as client:
        response = client.get("/graphql", params={"query": "{ __typename }"}, headers=BROWSER)
    assert response.json() == {"data": {"__typename": "Query"}}


def test_embedded_json_cannot_close_the_script_element() -> None:
    hostile = {"tabs": ['{ states(where: {name: {eq: "</script><!-- & -->"}}) { iso3 } }']}
    embedded = _json_for_script(hostile)
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert json.loads(embedded) == hostile


@pytest.mark.parametrize("query", EXAMPLE_TABS, ids=["headline", "agreement", "transfers"])
def test_example_tabs_are_valid_against_the_schema(query: str) -> None:
    # Examples that no longer match the schema would greet every analyst with an error.
    from graphql import build_schema as schema_from_sdl
    from graphql import parse, validate

    from app.graphql.schema import build_schema

    sdl = build_schema(load_settings()).as_str()
    assert [error.message for error in validate(schema_from_sdl(sdl), parse(query))] == []
