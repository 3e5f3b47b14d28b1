"""Bad HTTP requests get a 4xx that says what is wrong, never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpx2 import Response
from starlette.testclient import TestClient

from app.http import MAX_JSON_DEPTH
from app.main import create_app
from app.settings import load_settings

LIMIT = 20_000


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    # None of these requests reaches the database; an empty SQLite file is enough.
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'atlas.db'}",
                             max_body_bytes=LIMIT)
    with TestClient(create_app(settings), raise_server_exceptions=True) as test_client:
        yield test_client


def refused(response: Response, status: int, code: str | None = None) -> str:
    """The refusal's message, after checking its status (and code, for our own refusals)."""
    assert response.status_code == status, response.text
    if code is None:
        return response.text
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == code, body
    return body["errors"][0]["message"]


def test_a_plain_query_works(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_malformed_json(client: TestClient) -> None:
    response = client.post("/graphql", content=b'{"query": "{ __typename }"',
                           headers={"content-type": "application/json"})
    message = refused(response, 400, "MALFORMED_JSON")
    assert "not valid JSON" in message and '"query"' in message


def test_body_that_is_not_utf8(client: TestClient) -> None:
    response = client.post("/graphql", content=b'{"query": "\xff\xfe"}',
                           headers={"content-type": "application/json"})
    refused(response, 400, "MALFORMED_JSON")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_wrong_content_type(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
    message = refused(response, 415, "UNSUPPORTED_CONTENT_TYPE")
    assert "application/json" in message


def test_json_content_type_with_charset_is_fine(client: TestClient) -> None:
    response = client.post("/graphql", content=b'{"query": "{ __typename }"}',
                           headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 200


def test_get_with_a_mutation(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "mutation { anything }"},
                          headers={"accept": "application/json"})
    message = refused(response, 400)
    assert "mutation" in message.lower() and "GET" in message


def test_missing_query(client: TestClient) -> None:
    assert "No GraphQL query" in refused(client.post("/graphql", json={}), 400)
    assert "No GraphQL query" in refused(client.post("/graphql", json={"query": ""}), 400)
    response = client.get("/graphql", headers={"accept": "application/json"})
    assert "No GraphQL query" in refused(response, 400)


@pytest.mark.parametrize("body", [{"query": 5}, {"query": "{ __typename }", "variables": [1]},
                                  {"query": "{ __typename }", "variables": "x"}])
def test_fields_of_the_wrong_type(client: TestClient, body: dict) -> None:
    assert "must be" in refused(client.post("/graphql", json=body), 400)


@pytest.mark.parametrize("body", ['"a string"', "5", "null"])
def test_body_that_is_not_an_object(client: TestClient, body: str) -> None:
    response = client.post("/graphql", content=body,
                           headers={"content-type": "application/json"})
    assert "JSON object" in refused(response, 400, "BAD_REQUEST")


def test_batches_are_refused(client: TestClient) -> None:
    batch = [{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    message = refused(client.post("/graphql", json=batch), 400, "BATCH_NOT_ALLOWED")
    assert "batch of 2" in message and "one operation per request" in message


def test_body_at_the_size_limit_passes_and_one_byte_more_is_413(client: TestClient) -> None:
    def body_of(size: int) -> bytes:
        prefix, suffix = b'{"query": "{ __typename }", "extensions": {"pad": "', b'"}}'
        return prefix + b"x" * (size - len(prefix) - len(suffix)) + suffix

    headers = {"content-type": "application/json"}
    assert client.post("/graphql", content=body_of(LIMIT), headers=headers).status_code == 200
    response = client.post("/graphql", content=body_of(LIMIT + 1), headers=headers)
    message = refused(response, 413, "BODY_TOO_LARGE")
    assert f"{LIMIT + 1} bytes" in message and f"limit is {LIMIT}" in message


def test_streamed_body_without_length_is_cut_off_at_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ __typename }", "variables": {"pad": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}}'

    response = client.post("/graphql", content=chunks(),
                           headers={"content-type": "application/json"})
    assert "at least" in refused(response, 413, "BODY_TOO_LARGE")


def test_huge_variables(client: TestClient) -> None:
    variables = {"ids": ["U3RhdGU6MQ=="] * 5_000}
    response = client.post("/graphql", json={"query": "{ __typename }", "variables": variables})
    refused(response, 413, "BODY_TOO_LARGE")


def test_deeply_nested_variables(client: TestClient) -> None:
    # Deep enough to overflow Python's JSON parser if it were allowed to try.
    deep = "[" * 5_000 + "]" * 5_000
    body = '{"query": "{ __typename }", "variables": {"where": %s}}' % deep
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    refused(response, 400, "JSON_TOO_DEEP")
    just_past = {"a": json.loads("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)}
    response = client.post("/graphql", json={"query": "{ __typename }", "variables": just_past})
    assert f"more than {MAX_JSON_DEPTH} levels" in refused(response, 400, "JSON_TOO_DEEP")


def test_deeply_nested_variables_in_a_get(client: TestClient) -> None:
    params = {"query": "{ __typename }", "variables": '{"a": ' + "[" * 3000 + "]" * 3000 + "}"}
    response = client.get("/graphql", params=params, headers={"accept": "application/json"})
    refused(response, 400, "JSON_TOO_DEEP")
    params["variables"] = "{not json"
    response = client.get("/graphql", params=params, headers={"accept": "application/json"})
    assert "`variables` parameter" in refused(response, 400, "MALFORMED_JSON")


def test_huge_query_string(client: TestClient) -> None:
    params = {"query": "{ __typename " + "__typename " * 3000 + "}"}
    response = client.get("/graphql", params=params, headers={"accept": "application/json"})
    assert "Send the query with POST" in refused(response, 414, "URI_TOO_LONG")


def test_other_methods_and_paths(client: TestClient) -> None:
    assert client.put("/graphql", json={"query": "{ __typename }"}).status_code == 405
    assert client.post("/healthz", json={}).status_code == 405
    assert client.get("/no-such-page").status_code == 404
