"""The five benchmark queries, as a client would send them.

Q5 needs global ids that exist in the database; ``IDS_QUERY`` asks the API for them once, and
``q5_variables`` turns its answer into the 100 mixed ids.
"""

from __future__ import annotations

from typing import Any

Q1_HEADLINE = """\
query Headline {
  states(where: { voted: { resolution: "A/RES/ES-11/4", position: NO }
                  armsSupplied: { recipient: { iso3: { eq: "RUS" } } } }) {
    nodes {
      iso3
      name
      armsSupplied(where: { recipient: { iso3: { eq: "RUS" } } }) {
        nodes {
          weaponDesignation
          numberOrdered
          numberDelivered
          evidence
          deniedBy { iso3 }
          sources { title url }
        }
      }
    }
  }
}
"""

Q2_STATES_VOTES = """\
query StatesVotes {
  states(first: 100) {
    nodes {
      iso3
      votes(first: 50) {
        nodes { position resolution { symbol votedOn } }
      }
    }
  }
}
"""

Q3_ALIGNED = """\
query Aligned {
  alignedWith(iso3: "RUS", first: 10) {
    state { iso3 name }
    compared
    agreed
    ratio
  }
}
"""

Q4_DEEP = """\
query Deep {
  sanctionsRegimes(first: 20) {
    nodes {
      code
      target {
        iso3
        armsSupplied(first: 10) {
          nodes {
            weaponDesignation
            recipient {
              iso3
              memberships(first: 10) {
                nodes { joinedOn alliance { name kind } }
              }
            }
          }
        }
      }
    }
  }
}
"""

Q5_NODES = """\
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    id
    ... on State { iso3 name }
    ... on Resolution { symbol votedOn }
    ... on Vote { position }
    ... on SanctionsRegime { code }
    ... on ArmsTransfer { weaponDesignation evidence }
    ... on Alliance { name kind }
    ... on Source { title }
  }
}
"""

# 100 ids of seven types, interleaved below so that the list is mixed.
IDS_QUERY = """\
{
  states(first: 25) { nodes { id } }
  resolutions(first: 15) { nodes { id } }
  sanctionsRegimes(first: 10) { nodes { id } }
  armsTransfers(first: 20) { nodes { id } }
  alliances(first: 10) { nodes { id } }
  sources(first: 10) { nodes { id } }
  state(iso3: "RUS") { votes(first: 10) { nodes { id } } }
}
"""


def q5_variables(ids_answer: dict[str, Any]) -> dict[str, Any]:
    """Round-robin over the id lists of ``IDS_QUERY``'s answer: 100 ids, types mixed."""
    data = ids_answer["data"]
    lists = [[node["id"] for node in data[name]["nodes"]] for name in
             ("states", "resolutions", "sanctionsRegimes", "armsTransfers", "alliances", "sources")]
    lists.append([node["id"] for node in data["state"]["votes"]["nodes"]])
    mixed: list[str] = []
    while any(lists):
        for ids in lists:
            if ids:
                mixed.append(ids.pop(0))
    return {"ids": mixed[:100]}


QUERIES: dict[str, str] = {
    "Q1": Q1_HEADLINE,
    "Q2": Q2_STATES_VOTES,
    "Q3": Q3_ALIGNED,
    "Q4": Q4_DEEP,
    "Q5": Q5_NODES,
}
