"""Every GraphQL example in README.md runs, and returns the answer printed under it.

The examples are pinned by their numbered bold titles (`**1. The headline query**` ...) in the
"Example queries" section: losing an example, its query or its answer block fails a test named
after that example, instead of quietly running fewer examples.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"

# Number -> title of every example, as README.md introduces it; True: it has a query and answer.
EXAMPLES_PINNED: dict[int, tuple[str, bool]] = {
    1: ("The headline query", True),
    2: ("One state's vote", True),
    3: ("The tallies of a roll call", True),
    4: ("Sanctions regimes against Iran in force on 2 November 2022:", True),
    5: ("NATO's members as of two dates", True),
    6: ("Agreement of Russia and Belarus", True),
    7: ("The states that vote most like Russia", True),
    8: ("A paginated list", True),
    9: ("Transfers that a party denies", True),
    10: ("Any object by its global id", False),  # prose: how ids, lists and filters work
}

HEADING = re.compile(r"^\*\*(\d+)\. (.+?)\*\*", re.M)
QUERY_AND_ANSWER = re.compile(r"```graphql\n(.*?)```\n\n```json\n(.*?)```\n", re.S)


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Example queries\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _examples() -> dict[int, tuple[str, str]]:
    """Number -> (title, text up to the next example) of the examples in the section."""
    section = _section()
    headings = list(HEADING.finditer(section))
    found = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        body = section[heading.end():following.start() if following else len(section)]
        found[int(heading.group(1))] = (heading.group(2), body)
    return found


def test_readme_has_exactly_the_pinned_examples() -> None:
    section = _section()
    headings = [(int(m.group(1)), m.group(2)) for m in HEADING.finditer(section)]
    assert headings == [(number, title) for number, (title, _) in EXAMPLES_PINNED.items()]
    with_query = sum(has_query for _, has_query in EXAMPLES_PINNED.values())
    assert section.count("```graphql\n") == with_query  # no query outside a pinned example
    assert section.count("```json\n") == with_query


WITH_QUERY = [number for number, (_, has_query) in EXAMPLES_PINNED.items() if has_query]


@pytest.mark.parametrize("number", WITH_QUERY, ids=lambda n: f"example-{n}")
def test_readme_example(api, number: int) -> None:
    title, _ = EXAMPLES_PINNED[number]
    examples = _examples()
    assert examples.get(number, ("",))[0] == title, f"example {number} ({title}) is gone"
    body = examples[number][1]
    blocks = QUERY_AND_ANSWER.findall(body)
    assert len(blocks) == 1 and body.count("```") == 4, (
        f"example {number} ({title}) needs one ```graphql query followed by its ```json answer")
    [(query, answer)] = blocks
    assert api.data(query) == json.loads(answer)


def test_prose_examples_have_no_query() -> None:
    examples = _examples()
    for number, (title, has_query) in EXAMPLES_PINNED.items():
        if not has_query:
            assert examples[number][0] == title and "```" not in examples[number][1]
