"""GraphiQL in a real browser, offline: headless Chromium runs the headline query.

The app runs under uvicorn in a subprocess on a loopback port, against the seeded database,
with GraphiQL's assets served from the local folder. Every request the page makes to any host
other than 127.0.0.1 is blocked and recorded, so passing proves the page needs no internet.
Needs Debian's ``chromium`` package and a filled assets folder (`atlas graphiql-assets`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.graphiql_assets import DEFAULT_ASSETS_DIR, missing_assets

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROJECT_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 30.0
UI_TIMEOUT_MS = 30_000


def _assets_folder() -> Path:
    configured = os.environ.get("ATLAS_GRAPHIQL_ASSETS")
    return Path(configured) if configured else DEFAULT_ASSETS_DIR


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            _, stderr = server.communicate()
            pytest.fail(
                f"the server exited with {server.returncode}:\n{stderr.decode(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer {base_url}/healthz within {START_TIMEOUT_SECONDS:.0f}s")


@pytest.fixture
def assets_folder() -> Path:
    """The filled GraphiQL assets folder (skips, saying how to fill it, when it is not)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    folder = _assets_folder()
    missing = missing_assets(folder)
    if missing:
        pytest.skip(
            f"GraphiQL assets missing in {folder} ({', '.join(missing)}): "
            f"run `atlas graphiql-assets --dest {folder}`"
        )
    return folder


def serve(database_url: str, assets: Path) -> Iterator[str]:
    """Run the app with uvicorn on a free loopback port; yield its base URL; stop it after."""
    port = _free_port()
    env = {
        **os.environ,
        "ATLAS_DATABASE_URL": database_url,
        "ATLAS_GRAPHIQL": "true",
        "ATLAS_GRAPHIQL_ASSETS": str(assets),
        "ATLAS_ENV": "development",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--ws",
        "none",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base_url, server)
        yield base_url
    finally:
        server.terminate()
        try:
            server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


@pytest.fixture
def atlas_server(seeded_db: str, assets_folder: Path) -> Iterator[str]:
    """Base URL of the app serving the seeded database, with GraphiQL's assets local."""
    yield from serve(seeded_db, assets_folder)


def run_default_tab(base_url: str, expected: tuple[str, ...]) -> Any:
    """Open GraphiQL offline, run its first tab, wait for each ``expected`` text in the result
    pane; return the JSON answer GraphiQL received for that query."""
    from playwright.sync_api import Request, Route, expect, sync_playwright

    blocked: list[str] = []
    page_errors: list[str] = []

    def loopback_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    def is_execution(request: Request) -> bool:
        # GraphiQL also POSTs its schema introspection; the run button sends the tab's query.
        body = request.post_data or ""
        return request.method == "POST" and "__schema" not in body

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()  # a fresh profile: no tabs remembered from before
            context.route("**/*", loopback_only)
            page = context.new_page()
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.goto(f"{base_url}/graphql")
            run_button = page.locator(".graphiql-execute-button")
            expect(run_button).to_be_visible(timeout=UI_TIMEOUT_MS)
            with page.expect_request_finished(is_execution, timeout=UI_TIMEOUT_MS) as finished:
                run_button.click()
            response = finished.value.response()
            answer = response.json() if response is not None else None
            result = page.locator(".result-window")
            try:
                for text in expected:
                    expect(result).to_contain_text(text, timeout=UI_TIMEOUT_MS)
            except AssertionError as exc:
                raise AssertionError(
                    f"{exc}\nresult pane: {result.inner_text()!r}\npage errors: {page_errors}"
                ) from None
        finally:
            browser.close()
    assert blocked == [], f"the page tried to reach other hosts: {blocked}"
    assert page_errors == []
    return answer


def test_graphiql_runs_the_headline_query_offline(atlas_server: str) -> None:
    # The seeds name the state "Democratic People's Republic of Korea"; "North Korea" is in
    # the titles of the sources of its transfers, which the query shows too.
    answer = run_default_tab(atlas_server, ("North Korea", '"iso3": "PRK"', "armsSupplied"))
    assert "errors" not in answer, answer
    found = [state["iso3"] for state in answer["data"]["states"]["nodes"]]
    assert "PRK" in found
    assert "RUS" not in found, "Russia does not supply itself"
