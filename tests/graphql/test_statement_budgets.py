"""SQL statements per request are fixed by the query's shape: the benchmark's five queries.

The compiled path answers a root field with one statement; `alignedWith` (not compiled) runs
its resolvers, batched. The same budgets hold on SQLite and PostgreSQL, whatever the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.queries import IDS_QUERY, QUERIES, q5_variables

# Q3: the state asked about, then one statement for the ranking and one for the ranked states.
BUDGETS = {"Q1": 1, "Q2": 1, "Q3": 3, "Q4": 1, "Q5": 1}


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_benchmark_query_statements(api, name: str) -> None:
    variables = q5_variables({"data": api.data(IDS_QUERY)}) if name == "Q5" else {}
    assert api.count_statements(QUERIES[name], variables) == BUDGETS[name]


def test_without_the_compiler_one_statement_per_list_level(resolver_api) -> None:
    # Q2: the states, their votes, the votes' roll calls. Q4: regimes, targets, their
    # transfers, recipients, memberships, alliances.
    assert resolver_api.count_statements(QUERIES["Q2"]) == 3
    assert resolver_api.count_statements(QUERIES["Q4"]) == 6
