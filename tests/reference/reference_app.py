"""The reference dataset on one backend, with one app on it per execution path."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from reference_model import Model, read_tables
from starlette.testclient import TestClient

from app.main import create_app
from app.settings import load_settings

# The execution paths, as settings: compiled (the default), the batched resolvers, and
# graphql-core's field-by-field executor.
PATHS: dict[str, dict[str, Any]] = {
    "compiled": {},
    "resolvers": {"compiled_execution": False},
    "graphql-core": {"batched_execution": False},
}


class Reference:
    """The dataset on one backend: its URL, the model over its rows, and one app per path."""

    def __init__(self, url: str, stack: ExitStack) -> None:
        self.url = url
        self.model = Model(read_tables(url))
        self._stack = stack
        self._clients: dict[str, TestClient] = {}

    def client(self, path: str) -> TestClient:
        if path not in self._clients:
            # Generous input depth: the drawn filters nest deeper than a client usually does.
            settings = load_settings(database_url=self.url, max_input_depth=40, **PATHS[path])
            self._clients[path] = self._stack.enter_context(TestClient(create_app(settings)))
        return self._clients[path]
