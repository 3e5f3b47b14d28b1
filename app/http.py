"""ASGI middleware at the HTTP edge: request size and shape, CORS and security headers.

Strawberry answers most malformed requests with a 400 of its own; this layer refuses, before
Strawberry sees them, the requests it would answer badly or expensively: bodies over the size
limit (413), JSON nested deeply enough to overflow the parser (Python's ``json`` raises
RecursionError, which would be a 500), batches (a list of operations), and bodies that are not
JSON. Every refusal is a GraphQL-shaped JSON error with a stable ``extensions.code``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.graphql.limits import json_depth
from app.settings import Settings

GRAPHQL_PATH = "/graphql"
# Far deeper than any real `where` filter or list of ids, far shallower than the recursion
# limits of the JSON parser and of graphql-core's input coercion.
MAX_JSON_DEPTH = 32
JSON_PARAMETERS = ("variables", "extensions")


def refusal(status: int, code: str, message: str) -> JSONResponse:
    """A 4xx response shaped like a GraphQL error, so clients read every refusal one way."""
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]},
                        status_code=status)


def decode_json(raw: bytes | str, what: str) -> tuple[Any, JSONResponse | None]:
    """Decode JSON from a request, or the 400 that explains what is wrong with it."""
    try:
        value = json.loads(raw)
    except RecursionError:
        return None, refusal(400, "JSON_TOO_DEEP",
                             f"The {what} nests JSON too deeply to read; the limit is "
                             f"{MAX_JSON_DEPTH} levels.")
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        return None, refusal(400, "MALFORMED_JSON",
                             f"The {what} is not valid JSON ({exc}). Send an object such as "
                             '{"query": "{ states { totalCount } }", "variables": {}}.')
    if json_depth(value) > MAX_JSON_DEPTH:
        return None, refusal(400, "JSON_TOO_DEEP",
                             f"The {what} nests JSON more than {MAX_JSON_DEPTH} levels deep, "
                             "the limit. Flatten the variables.")
    return value, None


def check_graphql_body(body: bytes) -> JSONResponse | None:
    """The refusal for a POST body that is not one JSON GraphQL request, else None."""
    value, problem = decode_json(body, "request body")
    if problem is not None:
        return problem
    if isinstance(value, list):
        return refusal(400, "BATCH_NOT_ALLOWED",
                       f"The body holds a batch of {len(value)} operations; this server takes "
                       "one operation per request. Send them as separate requests (HTTP "
                       "keep-alive makes that cheap).")
    if not isinstance(value, dict):
        return refusal(400, "BAD_REQUEST",
                       'The body must be a JSON object such as {"query": "...", '
                       f'"variables": {{...}}}}, not a JSON {type(value).__name__}.')
    return None


def check_graphql_query_string(query_string: bytes) -> JSONResponse | None:
    """The refusal for a GET whose ``variables``/``extensions`` parameter is bad JSON."""
    params = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
    for name in JSON_PARAMETERS:
        for raw in params.get(name, []):
            if raw:
                _value, problem = decode_json(raw, f"`{name}` parameter")
                if problem is not None:
                    return problem
    return None


class RequestGuard:
    """Bounds the size of every request and checks the shape of GraphQL requests."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem, body = await self._inspect(scope, receive)
        if problem is not None:
            await problem(scope, receive, send)
            return
        if body is None:
            await self.app(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _inspect(
        self, scope: Scope, receive: Receive
    ) -> tuple[JSONResponse | None, bytes | None]:
        limit = self.max_body_bytes
        query_string: bytes = scope.get("query_string", b"")
        if len(query_string) > limit:
            return refusal(414, "URI_TOO_LONG",
                           f"The query string has {len(query_string)} bytes; the limit is "
                           f"{limit}. Send the query with POST and a JSON body."), None
        graphql = scope["path"].rstrip("/") == GRAPHQL_PATH
        if scope["method"] == "GET" and graphql:
            return check_graphql_query_string(query_string), None
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            return None, None
        headers = {key.lower(): value for key, value in scope["headers"]}
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > limit:
            return _too_large(int(declared), limit), None
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            body += message.get("body", b"")
            if len(body) > limit:
                return _too_large(len(body), limit, at_least=True), None
            if not message.get("more_body", False):
                break
        if graphql and scope["method"] == "POST":
            content_type = headers.get(b"content-type", b"").decode("latin-1")
            media_type = content_type.split(";")[0].strip().lower()
            if media_type != "application/json":
                return refusal(415, "UNSUPPORTED_CONTENT_TYPE",
                               f"POST {GRAPHQL_PATH} takes Content-Type: application/json; "
                               f"got {content_type or 'none'!r}."), None
            return check_graphql_body(bytes(body)), bytes(body)
        return None, bytes(body)


def _too_large(size: int, limit: int, at_least: bool = False) -> JSONResponse:
    seen = f"at least {size}" if at_least else str(size)
    return refusal(413, "BODY_TOO_LARGE",
                   f"The request body has {seen} bytes; the limit is {limit}. Shorten the "
                   "query (fragments, fewer fields) or send fewer variables.")


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that hands the already-read body to the app, then the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SecurityHeaders:
    """Adds browser security headers to every response that does not set its own."""

    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.production = production

    def headers_for(self, content_type: str) -> dict[bytes, bytes]:
        headers = {
            b"x-content-type-options": b"nosniff",
            b"x-frame-options": b"DENY",
            b"referrer-policy": b"no-referrer",
            b"cross-origin-opener-policy": b"same-origin",
            # JSON is never a document to render; the GraphiQL page keeps its scripts but
            # may not be framed (clickjacking) or post forms elsewhere.
            b"content-security-policy": (
                b"frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"
                if content_type.startswith("text/html")
                else b"default-src 'none'; frame-ancestors 'none'"
            ),
        }
        if self.production:
            headers[b"strict-transport-security"] = b"max-age=31536000"
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower(): value for key, value in message.get("headers", [])}
                content_type = present.get(b"content-type", b"").decode("latin-1")
                extra = [(key, value) for key, value in self.headers_for(content_type).items()
                         if key not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def http_middleware(settings: Settings) -> list[Middleware]:
    """The middleware stack, outermost first, for ``Starlette(middleware=...)``."""
    stack = [Middleware(SecurityHeaders, production=settings.is_production)]
    if settings.cors_origins:
        stack.append(Middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"], max_age=600,
        ))
    stack.append(Middleware(RequestGuard, max_body_bytes=settings.max_body_bytes))
    return stack
