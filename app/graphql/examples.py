"""Example queries GraphiQL opens with: one tab each, the headline query first."""

from __future__ import annotations

HEADLINE_QUERY = """\
# States that voted against A/RES/ES-11/4 (the annexation of four Ukrainian regions)
# and also supply arms to Russia, with those transfers and their sources.
{
  states(where: { voted: { resolution: "A/RES/ES-11/4", position: NO },
                  armsSupplied: { recipient: { iso3: { eq: "RUS" } } } }) {
    nodes {
      iso3
      name
      armsSupplied(where: { recipient: { iso3: { eq: "RUS" } } }) {
        nodes { weaponDesignation evidence deniedBy { iso3 } sources { title url } }
      }
    }
  }
}
"""

AGREEMENT_QUERY = """\
# How often did Russia and Belarus vote alike on the ES-11 resolutions on Ukraine?
query RussiaBelarusAgreement {
  agreement(a: "RUS", b: "BLR", where: { symbol: { startsWith: "A/RES/ES-11/" } }) {
    a { iso3 name }
    b { iso3 name }
    compared
    agreed
    ratio
  }
}
"""

TRANSFERS_QUERY = """\
# Arms transfers to Russia: who supplies what, how sure the evidence is, who denies it.
query ArmsToRussia {
  armsTransfers(where: { recipient: { iso3: { eq: "RUS" } } }, first: 20) {
    totalCount
    nodes {
      supplier { iso3 name }
      weaponDesignation
      numberOrdered
      numberDelivered
      evidence
      deniedBy { iso3 }
    }
  }
}
"""

# In the order GraphiQL shows the tabs; the first is the one that opens.
EXAMPLE_TABS: tuple[str, ...] = (HEADLINE_QUERY, AGREEMENT_QUERY, TRANSFERS_QUERY)
