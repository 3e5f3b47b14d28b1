"""Single lookups, node ids, tallies, votes, time-bound lists."""

from __future__ import annotations

import pytest
import sqlalchemy as sa



def test_unknown_iso3_and_symbol_return_null(api) -> None:
    data = api.data('{ state(iso3: "XXX") { iso3 } resolution(symbol: "A/RES/0/0") { symbol } }')
    assert data == {"state": None, "resolution": None}


def test_state_lookup_ignores_case(api) -> None:
    assert api.data('{ state(iso3: "prk") { iso3 name } }')["state"] == {"iso3": "PRK", "name": "North Korea"}


def test_es_11_4_tallies_and_no_votes(api) -> None:
    data = api.data("""{ resolution(symbol: "A/RES/ES-11/4") {
        votedOn publishedTally { yes no abstain nonVoting total } tally { yes no abstain nonVoting }
        votes(where: { position: { eq: NO } }) { totalCount nodes { state { iso3 } } } } }""")
    resolution = data["resolution"]
    assert resolution["votedOn"] == "2022-10-12"
    assert resolution["publishedTally"] == {"yes": 143, "no": 5, "abstain": 35, "nonVoting": 10, "total": 193}
    assert resolution["tally"] == {"yes": 143, "no": 5, "abstain": 35, "nonVoting": 10}
    assert {n["state"]["iso3"] for n in resolution["votes"]["nodes"]} == {"BLR", "NIC", "PRK", "RUS", "SYR"}


def test_every_seeded_roll_call_reproduces_its_published_tally(api) -> None:
    data = api.data("{ resolutions(first: 100) { nodes { symbol publishedTally { yes no abstain nonVoting } "
                    "tally { yes no abstain nonVoting } } } }")
    nodes = data["resolutions"]["nodes"]
    assert len(nodes) >= 7
    for node in nodes:
        assert node["tally"] == node["publishedTally"], node["symbol"]


def test_vote_of_one_state(api) -> None:
    data = api.data('{ state(iso3: "CHN") { vote(resolution: "A/RES/ES-11/1") { position } '
                    'missing: vote(resolution: "A/RES/0/0") { position } } }')
    assert data["state"] == {"vote": {"position": "ABSTAIN"}, "missing": None}


NODE_QUERIES = {
    "State": '{ states(first: 1) { nodes { id } } }',
    "Resolution": '{ resolutions(first: 1) { nodes { id } } }',
    "Vote": '{ resolutions(first: 1) { nodes { votes(first: 1) { nodes { id } } } } }',
    "SanctionsRegime": '{ sanctionsRegimes(first: 1) { nodes { id } } }',
    "ArmsTransfer": '{ armsTransfers(first: 1) { nodes { id } } }',
    "Alliance": '{ alliances(first: 1) { nodes { id } } }',
    "AllianceMembership": '{ alliances(first: 1) { nodes { memberships(first: 1) { nodes { id } } } } }',
    "Source": '{ sources(first: 1) { nodes { id } } }',
}


def _first_id(data: object) -> str:
    while not (isinstance(data, dict) and "id" in data):
        if isinstance(data, dict):
            data = next(iter(data.values()))
        else:
            assert isinstance(data, list) and data, "expected at least one object"
            data = data[0]
    return data["id"]


@pytest.mark.parametrize("type_name", sorted(NODE_QUERIES))
def test_node_round_trip(api, type_name: str) -> None:
    global_id = _first_id(api.data(NODE_QUERIES[type_name]))
    data = api.data("query($id: ID!) { node(id: $id) { __typename id } nodes(ids: [$id, $id]) { id } }",
                    {"id": global_id})
    assert data["node"] == {"__typename": type_name, "id": global_id}
    assert data["nodes"] == [{"id": global_id}, {"id": global_id}]


def test_bad_global_id_names_the_argument(api) -> None:
    error = api.error('{ node(id: "not-an-id") { id } }')
    assert error["extensions"]["argument"] == "id"
    assert "not-an-id" in error["message"]


def test_nato_members_as_of_dates(api) -> None:
    query = 'query($d: Date!) { alliance(key: "NATO") { members(asOf: $d) { totalCount nodes { iso3 } } } }'
    mid_2024 = api.data(query, {"d": "2024-06-01"})["alliance"]["members"]
    start_2023 = api.data(query, {"d": "2023-01-01"})["alliance"]["members"]
    assert mid_2024["totalCount"] == 32
    assert start_2023["totalCount"] == 30
    assert {"FIN", "SWE"} <= {n["iso3"] for n in mid_2024["nodes"]}
    assert not {"FIN", "SWE"} & {n["iso3"] for n in start_2023["nodes"]}


def test_regimes_against_iran_as_of_a_date(api, sql) -> None:
    data = api.data('{ state(iso3: "IRN") { sanctionsAgainst(asOf: "2022-11-02", first: 100) '
                    '{ totalCount nodes { code startedOn endedOn } } } }')
    regimes = data["state"]["sanctionsAgainst"]
    assert regimes["totalCount"] >= 1
    for regime in regimes["nodes"]:
        assert regime["startedOn"] is None or regime["startedOn"] <= "2022-11-02"
        assert regime["endedOn"] is None or regime["endedOn"] > "2022-11-02"
    expected = sql.execute(sa.text(
        "SELECT count(*) FROM sanctions_regime r JOIN state s ON s.id = r.target_state_id "
        "WHERE s.iso3 = 'IRN' AND (r.started_on IS NULL OR r.started_on <= '2022-11-02') "
        "AND (r.ended_on IS NULL OR r.ended_on > '2022-11-02')")).scalar_one()
    assert regimes["totalCount"] == expected


def test_transfer_relations_and_denials(api) -> None:
    data = api.data('{ armsTransfers(where: { denied: true }, first: 100) { nodes { '
                    'supplier { iso3 } recipient { iso3 } evidence deniedBy { iso3 } '
                    'denials { state { iso3 } statement source { title } } sources { title } } } }')
    nodes = data["armsTransfers"]["nodes"]
    assert nodes, "the seeds record denied transfers"
    for node in nodes:
        assert node["deniedBy"] and all(d["source"]["title"] for d in node["denials"])
        assert node["sources"]


def test_votes_of_a_state_latest_first(api, sql) -> None:
    data = api.data('{ state(iso3: "RUS") { votes(first: 3) { totalCount nodes { position resolution { votedOn } } } } }')
    votes = data["state"]["votes"]
    dates = [n["resolution"]["votedOn"] for n in votes["nodes"]]
    assert dates == sorted(dates, reverse=True)
    expected = sql.execute(sa.text(
        "SELECT count(*) FROM vote v JOIN state s ON s.id = v.state_id WHERE s.iso3 = 'RUS'")).scalar_one()
    assert votes["totalCount"] == expected
