"""Our GraphiQL page, and the route serving its JS and CSS from a local folder.

Strawberry's own page loads everything from unpkg.com, so with no internet it stays blank.
This page loads React, ReactDOM and GraphiQL from ``/graphiql-assets/``, served by the app from
``ATLAS_GRAPHIQL_ASSETS`` or, when that is unset, from ``app/web/graphiql`` if `atlas
graphiql-assets` filled it. Only when neither holds the files does the page fall back to
unpkg, and it says so on screen. Where the files come from is decided once, when the app is
built, so the page and the route always agree.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from string import Template

from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from app.graphiql_assets import DEFAULT_ASSETS_DIR, SCRIPTS, STYLESHEETS, Asset, missing_assets
from app.graphql.examples import EXAMPLE_TABS
from app.settings import Settings

ASSETS_PATH = "/graphiql-assets"

_PAGE = Template("""\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Alignment Atlas · GraphiQL</title>
$stylesheets
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
  #atlas-notice { padding: 0.5rem 1rem; background: #fff4ce; color: #3b2f00;
                  border-bottom: 1px solid #e0c96b; font-size: 0.9rem; }
  #atlas-notice[hidden] { display: none; }
  #graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<div id="atlas-notice" role="status"$notice_hidden>$notice</div>
<div id="graphiql"><noscript>GraphiQL needs JavaScript; the API itself answers POST requests
at this address without it.</noscript></div>
$scripts
<script>
(function () {
  var config = JSON.parse(document.getElementById("atlas-graphiql-config").textContent);
  var mount = document.getElementById("graphiql");
  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    var notice = document.getElementById("atlas-notice");
    notice.hidden = false;
    notice.textContent = config.loadFailure;
    return;
  }
  // POST to the address this page came from, so a proxy prefix in front of the app still works.
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var tabs = config.tabs.map(function (query) { return { query: query }; });
  ReactDOM.createRoot(mount).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultTabs: tabs },
      React.createElement(GraphiQL.Logo, null, "Alignment Atlas"))
  );
})();
</script>
</body>
</html>
""")


@dataclass(frozen=True)
class GraphiQLPage:
    """Where GraphiQL's assets come from, the page that loads them, and the route serving them.

    ``folder`` is the local folder served at ``/graphiql-assets`` (None: the page uses unpkg);
    ``notice`` is shown above the IDE when the page had to fall back to unpkg.
    """

    enabled: bool
    folder: Path | None
    notice: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> GraphiQLPage:
        """Pick the assets folder: the configured one, else the project's, else none (unpkg)."""
        if not settings.graphiql:
            return cls(enabled=False, folder=None, notice=None)
        configured = settings.graphiql_assets
        candidate = configured if configured is not None else DEFAULT_ASSETS_DIR
        missing = missing_assets(candidate)
        if not missing:
            return cls(enabled=True, folder=candidate.resolve(), notice=None)
        if configured is not None:
            why = (
                f"ATLAS_GRAPHIQL_ASSETS={configured} lacks {', '.join(missing)}; "
                f"fill it with `atlas graphiql-assets --dest {configured}`."
            )
        else:
            why = (
                "GraphiQL's files are not installed beside the app; "
                "`atlas graphiql-assets` fetches them so this page works offline."
            )
        return cls(
            enabled=True,
            folder=None,
            notice=f"{why} Meanwhile GraphiQL loads from unpkg.com, which needs internet.",
        )

    def routes(self) -> list[BaseRoute]:
        """The static route for the assets folder (none when GraphiQL is off or uses unpkg)."""
        if not self.enabled or self.folder is None:
            return []
        return [Mount(ASSETS_PATH, app=StaticFiles(directory=self.folder), name="graphiql-assets")]

    def asset_url(self, asset: Asset) -> str:
        """Where the page loads ``asset`` from: our route, or unpkg when nothing is local."""
        if self.folder is None:
            return asset.cdn_url
        return f"{ASSETS_PATH}/{asset.filename}"

    def html(self) -> str:
        """The page, with the example queries as GraphiQL's default tabs."""
        stylesheets = "\n".join(
            f'<link rel="stylesheet" href="{html.escape(self.asset_url(asset))}">'
            for asset in STYLESHEETS
        )
        scripts = [
            f'<script src="{html.escape(self.asset_url(asset))}"></script>' for asset in SCRIPTS
        ]
        where = "unpkg.com" if self.folder is None else ASSETS_PATH
        config = {
            "tabs": list(EXAMPLE_TABS),
            "loadFailure": f"GraphiQL did not load: its scripts were not found at {where}. "
            "Run `atlas graphiql-assets` and restart the server.",
        }
        scripts.append(
            f'<script type="application/json" id="atlas-graphiql-config">'
            f"{_json_for_script(config)}</script>"
        )
        return _PAGE.substitute(
            stylesheets=stylesheets,
            scripts="\n".join(scripts),
            notice=html.escape(self.notice or ""),
            notice_hidden="" if self.notice else " hidden",
        )

    def response(self) -> HTMLResponse:
        return HTMLResponse(self.html())


def _json_for_script(value: object) -> str:
    # Inside <script>, "</script>" or "<!--" in a query would end the element early; JSON's
    # \u escape keeps every "<" and ">" out of the HTML parser's sight.
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
