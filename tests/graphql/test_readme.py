"""Every GraphQL example in README.md runs, and returns the answer printed under it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE = re.compile(r"```graphql\n(.*?)```\n(?:\n```json\n(.*?)```\n)?", re.S)
EXAMPLES = EXAMPLE.findall(README.read_text(encoding="utf-8"))


def test_readme_has_examples_with_answers() -> None:
    assert len(EXAMPLES) >= 8
    assert all(answer for _, answer in EXAMPLES)


@pytest.mark.parametrize(("query", "answer"), EXAMPLES, ids=[f"example-{i + 1}" for i in range(len(EXAMPLES))])
def test_readme_example(api, query: str, answer: str) -> None:
    assert api.data(query) == json.loads(answer)
