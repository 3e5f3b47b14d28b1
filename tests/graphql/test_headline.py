"""The headline query, and the SQL statement budget that keeps nested lists batched."""

from __future__ import annotations

import sqlalchemy as sa

from app.graphql.examples import HEADLINE_QUERY

ES_11_4_NO = {"BLR", "NIC", "PRK", "RUS", "SYR"}


def test_headline_returns_north_korea_with_sourced_transfers(api) -> None:
    data = api.data(HEADLINE_QUERY)
    states = data["states"]["nodes"]
    assert [state["iso3"] for state in states] == ["PRK"]
    assert states[0]["name"] == "North Korea"
    transfers = states[0]["armsSupplied"]["nodes"]
    designations = {t["weaponDesignation"] for t in transfers}
    assert "Hwasong-11" in designations
    assert all(t["sources"] for t in transfers), "every transfer carries its sources"
    assert all(source["title"] for t in transfers for source in t["sources"])


def test_headline_runs_in_one_statement(api) -> None:
    # Compiled: the filtered page of states with their transfers, denials and sources.
    assert api.count_statements(HEADLINE_QUERY) == 1


def test_headline_resolvers_run_one_statement_per_list_level(resolver_api) -> None:
    # Without the compiler: the page of states, then one statement per nested list field
    # (transfers, denials, sources), however many states and transfers there are.
    assert resolver_api.count_statements(HEADLINE_QUERY) == 4


NESTED = """
query($codes: [String!]) {
  states(where: { iso3: { in: $codes } }, first: 100) {
    nodes {
      iso3
      votes(first: 3) { totalCount nodes { position resolution { symbol tally { yes } } } }
      armsSupplied { nodes { weaponDesignation recipient { iso3 } sources { title } deniedBy { iso3 } } }
      memberships { nodes { alliance { key } } }
      sanctionsAgainst(asOf: "2024-01-01") { totalCount nodes { code measures } }
      sources { title }
    }
  }
}
"""


def test_statement_count_depends_on_the_query_not_the_rows(api, sql) -> None:
    # Iran and North Korea reach every nested field (votes, transfers with denials, regimes,
    # alliances), so both requests run every loader; the second has 25 times the parents.
    others = [row[0] for row in sql.execute(sa.text(
        "SELECT iso3 FROM state WHERE iso3 NOT IN ('IRN', 'PRK') ORDER BY iso3 LIMIT 48"))]
    few = api.count_statements(NESTED, {"codes": ["IRN", "PRK"]})
    many = api.count_statements(NESTED, {"codes": ["IRN", "PRK", *others]})
    assert few == many
    assert many <= 15
