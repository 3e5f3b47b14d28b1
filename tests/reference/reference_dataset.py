"""A small test dataset in which every relation the API lists has rows.

The seeds are real data, so they leave gaps a test cannot see through: no transit rows, few
violations, no membership that ends, no ties in most sort keys. This dataset is made up (the
names are real states; the facts are not) and is built for the reference-model test:

- ties in every sort key (names, regions, M49 codes, dates, years, numbers, TIV values,
  publishers, symbols) and NULLs in every nullable one;
- denials, transits and violations on different transfers, by different states;
- memberships and regimes that end (some on the same day others start), and ones that have
  not started yet on the test's `asOf` days;
- text with LIKE wildcards (``%``, ``_``) and an apostrophe, to catch unescaped patterns;
- state aliases of several datasets, with accents, upper-case accented letters, curly and
  straight apostrophes and LIKE wildcards, the same name in two datasets, and states with none
  (the `name` filter then matches the display name only);
- a roll-call symbol published twice, and states that did not vote on some roll calls;
- retired rows (dropped by a later release) of every table that has them: transfers (one the
  only transfer its supplier made), a regime (its target's only one, and breached by a current
  transfer), an alliance with a current and a retired membership, and a retired membership of
  a current alliance, so that every list and relation filter meets one.

Rows are written with plain INSERTs through SQLAlchemy Core; ids are assigned in order, so
every tie is broken by a known primary key.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import sqlalchemy as sa

from app.db import create_sync_engine
from app.models import metadata
from app.services.names import fold

D = dt.date.fromisoformat

# iso3, iso2, m49, cow, name, official name, region, subregion, member from, until, observer
STATES: list[tuple[Any, ...]] = [
    ("RUS", "RU", 643, 365, "Russia", "Russian Federation", "Europe", "Eastern Europe",
     D("1945-10-24"), None, False),
    ("PRK", "KP", 408, 731, "North Korea", "Democratic People's Republic of Korea", "Asia",
     "Eastern Asia", D("1991-09-17"), None, False),
    ("KOR", "KR", 410, 732, "South Korea", "Republic of Korea", "Asia", "Eastern Asia",
     D("1991-09-17"), None, False),
    ("IRN", "IR", 364, 630, "Iran", "Islamic Republic of Iran", "Asia", "Southern Asia",
     D("1945-10-24"), None, False),
    ("BLR", "BY", 112, 370, "Belarus", None, "Europe", "Eastern Europe", D("1945-10-24"), None,
     False),
    ("UKR", "UA", 804, 369, "Ukraine", None, "Europe", "Eastern Europe", D("1945-10-24"), None,
     False),
    ("USA", "US", 840, 2, "United States", "United States of America", "Americas",
     "Northern America", D("1945-10-24"), None, False),
    ("COG", "CG", 178, 484, "Congo", "Republic of the Congo", "Africa", "Middle Africa",
     D("1960-09-20"), None, False),
    ("COD", "CD", 180, 490, "Congo", "Democratic Republic of the Congo", "Africa",
     "Middle Africa", D("1960-09-20"), None, False),
    ("CIV", "CI", 384, 437, "Côte d'Ivoire", None, "Africa", "Western Africa", D("1960-09-20"),
     None, False),
    ("VAT", "VA", 336, None, "Holy See", None, "Europe", "Southern Europe", None, None, True),
    ("PSE", "PS", 275, None, "State of Palestine", None, "Asia", "Western Asia", None, None,
     True),
    ("TWN", None, None, 713, "Taiwan", None, "Asia", "Eastern Asia", None, None, False),
    ("SUN", None, 810, 365, "Soviet Union", None, None, None, D("1945-10-24"), D("1991-12-24"),
     False),
    ("SYR", "SY", 760, 652, "Syria", None, "Asia", None, D("1945-10-24"), None, False),
    ("ZZA", "ZA", 999, None, "Test_State 100%", None, "Europe", None, D("1991-12-24"), None,
     False),
]

# dataset key -> (iso3 -> names): the names each dataset uses for a state (state_alias).
# Côte d'Ivoire has none: only its display name, folded in SQL, matches.
ALIASES: dict[str, dict[str, list[str]]] = {
    "seeds": {"RUS": ["Russia", "Russian Federation"], "COG": ["Congo-Brazzaville"],
              "ZZA": ["Ünïcode_Test 50%"], "PRK": ["North Korea"]},
    "country-codes": {
        "RUS": ["Russian Federation (the)", "Russian Federation"],
        "PRK": ["Democratic People’s Republic of Korea"],
        "COG": ["Congo (the)"], "COD": ["Congo (the Democratic Republic of the)"],
        "PSE": ["ÉTAT DE PALESTINE"], "SUN": ["Union of Soviet Socialist Republics"],
    },
    "sipri": {"PRK": ["Korea, North"], "COD": ["DR Congo"], "SUN": ["Soviet Union"]},
}

# symbol, undl record, body, session, voted on, title, tags, yes, no, abstain, non-voting, outcome
RESOLUTIONS: list[tuple[Any, ...]] = [
    ("A/RES/ES-11/1", "3959039", "GENERAL_ASSEMBLY", "ES-11", D("2022-03-02"),
     "Aggression against Ukraine", "ukraine; aggression", 141, 5, 35, 12, "ADOPTED"),
    ("A/RES/ES-11/4", "3990673", "GENERAL_ASSEMBLY", "ES-11", D("2022-10-12"),
     "Territorial integrity of Ukraine", "ukraine; annexation", 143, 5, 35, 10, "ADOPTED"),
    ("A/RES/ES-11/2", None, "GENERAL_ASSEMBLY", "ES-11", D("2022-03-24"),
     "Humanitarian consequences", "ukraine; humanitarian", 140, 5, 38, 10, "ADOPTED"),
    ("S/2022/155", None, "SECURITY_COUNCIL", None, D("2022-02-25"),
     "Draft on Ukraine (vetoed)", "ukraine", 11, 1, 3, 0, "VETOED"),
    ("A/RES/68/262", "767565", "GENERAL_ASSEMBLY", "68", D("2014-03-27"),
     "Territorial integrity of Ukraine", "ukraine; crimea", 100, 11, 58, 24, "ADOPTED"),
    # Same day as ES-11/1 (a tie on votedOn), no published tally, no outcome.
    ("A/RES/ES-11/1", None, "GENERAL_ASSEMBLY", "ES-11", D("2022-03-02"),
     "Aggression against Ukraine (corrigendum)", None, None, None, None, None, None),
    ("A/RES/46/1", None, "GENERAL_ASSEMBLY", "46", D("1991-09-17"),
     "Admission of new members_", "admission", 140, 5, 38, None, "ADOPTED"),
]

# key, title, publisher, url, published on
SOURCES: list[tuple[Any, ...]] = [
    ("s:undl", "UN Digital Library voting data", "United Nations", "https://undl.example/1",
     D("2023-01-01")),
    ("s:sipri", "SIPRI Arms Transfers Database", "SIPRI", None, D("2024-03-11")),
    ("s:denial-prk", "Statement of the DPRK", "KCNA", None, D("2023-09-14")),
    ("s:report", "Panel of Experts report", "United Nations", None, D("2024-03-11")),
    ("s:news", "100% of the shells", "Reuters", "https://news.example/a_b", None),
    ("s:news-2", "Panel of Experts report", "Reuters", None, None),
    ("s:sipri-2025", "SIPRI Arms Transfers Database", "SIPRI", None, D("2025-03-10")),
]

# The release that retired the rows below (dropped them, and no dataset asserts them).
RETIRED_BY = "s:sipri-2025"
RETIRED_TRANSFERS = {"t:retired", "t:retired-2", "t:retired-3"}
RETIRED_REGIMES = {"XX-OLD"}
RETIRED_ALLIANCES = {"OLD-PACT"}
RETIRED_MEMBERSHIPS = {("OLD-PACT", "COD"), ("NATO", "KOR")}  # (alliance key, iso3)

# code, name, authority, authority iso3, target iso3, legal basis, started, ended, measures
REGIMES: list[tuple[Any, ...]] = [
    ("UN-SC1718", "DPRK sanctions", "UN Security Council", None, "PRK", "S/RES/1718 (2006)",
     D("2006-10-14"), None, ["ARMS_EMBARGO", "ASSET_FREEZE", "TRAVEL_BAN"]),
    ("EU-RUS", "Restrictive measures on Russia", "European Union", None, "RUS",
     "Regulation 833/2014", D("2014-07-31"), None, ["ARMS_EMBARGO", "SECTORAL", "FINANCIAL"]),
    ("US-RUS", "Russia-related sanctions", "United States", "USA", "RUS", "EO 14024",
     D("2014-07-31"), None, ["ASSET_FREEZE", "TRADE"]),
    ("UN-SC2231", "Iran (2231)", "UN Security Council", None, "IRN", "S/RES/2231 (2015)",
     D("2015-07-20"), D("2023-10-18"), ["ARMS_EMBARGO"]),
    ("US-IRN", "Iran sanctions", "United States", "USA", "IRN", None, None, None,
     ["TRADE", "FINANCIAL", "OTHER"]),
    ("US-SYR", "Syria sanctions", "United States", "USA", "SYR", None, D("2004-05-11"),
     D("2025-06-30"), ["TRADE"]),
    ("UN-TERR", "Thematic counter-terrorism", "UN Security Council", None, None, None,
     D("2001-09-28"), None, ["ASSET_FREEZE", "TRAVEL_BAN", "ARMS_EMBARGO"]),
    # Starts after some asOf days the test draws; ends the day another starts.
    ("US-BLR", "Belarus sanctions", "United States", "USA", "BLR", "EO 13405",
     D("2006-06-16"), D("2014-07-31"), []),
    ("EU-BLR", "Belarus restrictive measures", "European Union", None, "BLR", None,
     D("2030-01-01"), None, ["SECTORAL"]),
    # Retired; the only regime aimed at Congo.
    ("XX-OLD", "Dropped programme", "United States", "USA", "COG", None, D("2016-01-01"), None,
     ["TRADE"]),
]

# key, name, short name, kind, signed, ended, atop id
ALLIANCES: list[tuple[Any, ...]] = [
    ("NATO", "North Atlantic Treaty Organization", "NATO", "DEFENSE_PACT", D("1949-04-04"),
     None, 3180),
    ("CSTO", "Collective Security Treaty Organization", "CSTO", "DEFENSE_PACT",
     D("1992-05-15"), None, 4110),
    ("RUS-PRK-2024", "Treaty on Comprehensive Strategic Partnership", None,
     "STRATEGIC_PARTNERSHIP", D("2024-06-19"), None, None),
    ("WARSAW", "Warsaw Pact", None, "DEFENSE_PACT", D("1955-05-14"), D("1991-07-01"), 3265),
    ("UNION-STATE", "Union State", None, "POLITICAL_UNION", D("1999-12-08"), None, None),
    ("SOV-PRK-1961", "Treaty on Comprehensive Strategic Partnership", None, "DEFENSE_PACT",
     D("1961-07-06"), D("1996-09-10"), 3375),
    ("PLANNED", "A pact not yet in force", None, "CONSULTATION", None, None, None),
    ("OLD-PACT", "Dropped pact", None, "CONSULTATION", D("2001-01-01"), None, None),  # retired
]

# alliance key, iso3, joined, left
MEMBERSHIPS: list[tuple[Any, ...]] = [
    ("NATO", "USA", D("1949-08-24"), None),
    ("NATO", "UKR", D("2030-01-01"), None),
    ("CSTO", "RUS", D("1994-04-20"), None),
    ("CSTO", "BLR", D("1994-04-20"), None),
    ("CSTO", "ZZA", None, D("2012-12-20")),
    ("RUS-PRK-2024", "RUS", D("2024-12-04"), None),
    ("RUS-PRK-2024", "PRK", D("2024-12-04"), None),
    ("WARSAW", "SUN", D("1955-06-04"), D("1991-07-01")),
    ("WARSAW", "ZZA", D("1955-06-04"), D("1991-07-01")),
    ("UNION-STATE", "RUS", D("2000-01-26"), None),
    ("UNION-STATE", "BLR", D("2000-01-26"), None),
    ("SOV-PRK-1961", "SUN", D("1961-09-10"), D("1991-12-24")),
    ("SOV-PRK-1961", "RUS", D("1991-12-24"), D("1996-09-10")),
    ("SOV-PRK-1961", "PRK", D("1961-09-10"), D("1996-09-10")),
    # A state that left and joined again.
    ("CSTO", "ZZA", D("2020-01-01"), D("2022-03-02")),
    # A retired alliance with a current and a retired membership; a retired NATO membership.
    ("OLD-PACT", "CIV", D("2001-01-01"), None),
    ("OLD-PACT", "COD", D("2001-01-01"), None),
    ("NATO", "KOR", D("2010-01-01"), None),
]

# external id, supplier (iso3 or (kind, name)), recipient, designation, description, category,
# ordered year, number ordered, delivery years, first, last, delivered, status, evidence,
# TIV per unit, TIV total
TRANSFERS: list[tuple[Any, ...]] = [
    ("t:shahed", "IRN", "RUS", "Shahed-136", "loitering munition", "UAV", 2022, 2000,
     "2022; 2023", 2022, 2023, 1500, "DELIVERING", "REPORTED", 0.05, 100.0),
    ("t:shells", "PRK", "RUS", "152mm shell", "artillery shell", "AMMUNITION", 2023, None,
     "2023", 2023, 2024, None, "DELIVERING", "ALLEGED", None, None),
    ("t:kn23", "PRK", "RUS", "KN-23", "ballistic missile", "MISSILES", 2023, 50, "2023-2024",
     2023, 2024, 40, "DELIVERED", "REPORTED", 2.5, 125.0),
    ("t:kn25", "PRK", "RUS", "KN-25", "rocket launcher", "ARTILLERY", None, 10, None, None,
     None, None, "ORDERED", "ALLEGED", 2.5, 25.0),
    ("t:fateh", "IRN", "RUS", "Fateh-360", "ballistic missile", "MISSILES", 2022, 200, None,
     None, None, None, "ORDERED", "ALLEGED", None, 100.0),
    ("t:s300", "RUS", "IRN", "S-300PMU2", "SAM system", "AIR_DEFENCE_SYSTEMS", 2007, 4,
     "2016", 2016, 2016, 4, "DELIVERED", "CONFIRMED", 25.0, 100.0),
    ("t:su35", "RUS", "IRN", "Su-35", "fighter aircraft", "AIRCRAFT", 2023, 24, None, None,
     None, None, "PLANNED", "REPORTED", 36.0, None),
    ("t:patriot", "USA", "UKR", "Patriot PAC-3", "SAM system", "AIR_DEFENCE_SYSTEMS", 2022, 3,
     "2023; 2024", 2023, 2024, 3, "DELIVERED", "CONFIRMED", 50.0, 150.0),
    ("t:himars", "USA", "UKR", "M142 HIMARS", "self-propelled MRL", "ARTILLERY", 2022, 38,
     "2022-2023", 2022, 2023, 38, "DELIVERED", "CONFIRMED", None, None),
    ("t:rebels", "IRN", ("NON_STATE_ACTOR", "Houthi rebels (Yemen)*"), "Shahed-136",
     "loitering munition", "UAV", None, None, None, None, None, None, "DELIVERING", "ALLEGED",
     None, None),
    ("t:unknown", ("UNKNOWN", "unknown supplier"), "SYR", "9M133 Kornet", "anti-tank missile",
     "MISSILES", 2015, 100, "2015", 2015, 2015, 100, "DELIVERED", "REPORTED", 0.03, 3.0),
    ("t:blr", "RUS", "BLR", "Iskander-M", "ballistic missile", "MISSILES", 2022, 4, "2023",
     2023, 2023, 4, "DELIVERED", "CONFIRMED", 25.0, 100.0),
    ("t:blr-2", "BLR", "RUS", "T-72 tank", "tank", "ARMOURED_VEHICLES", 2022, 100, "2022",
     2022, 2022, 100, "DELIVERED", "REPORTED", 0.5, 50.0),
    ("t:zza", "ZZA", "COD", "Item_1 100%", None, "OTHER", 1999, 0, "1999", 1999, 1999, 0,
     "DELIVERED", "CONFIRMED", 0.0, 0.0),
    ("t:org", ("ORGANIZATION", "NATO"), "UKR", "Sea Sparrow", "SAM", "MISSILES", 2023, 12,
     None, None, None, None, "ORDERED", "REPORTED", None, 12.5),
    ("t:cod", "COG", "COD", "BTR-80", "APC", "ARMOURED_VEHICLES", 2010, 12, "2011", 2011,
     2011, 12, "DELIVERED", "CONFIRMED", 0.5, 12.5),
    # Retired (see RETIRED_TRANSFERS); South Korea supplied nothing else.
    ("t:retired", "IRN", "RUS", "Shahed-131", "loitering munition", "UAV", 2022, 2000, "2022",
     2022, 2022, 1500, "DELIVERED", "REPORTED", 0.05, 100.0),
    ("t:retired-2", "PRK", "RUS", "KN-23", "ballistic missile", "MISSILES", 2023, 50, None,
     None, None, None, "ORDERED", "ALLEGED", None, None),
    ("t:retired-3", "KOR", "UKR", "K9 Thunder", "self-propelled gun", "ARTILLERY", 2023, 12,
     None, None, None, None, "PLANNED", "ALLEGED", None, 12.5),
]

# transfer, denying state, source key, denied on
DENIALS = [
    ("t:shells", "PRK", "s:denial-prk", D("2023-09-14")),
    ("t:shells", "RUS", "s:news", None),
    ("t:kn23", "RUS", "s:news", D("2024-01-10")),
    ("t:shahed", "IRN", "s:news-2", D("2022-10-20")),
    ("t:retired-2", "PRK", "s:denial-prk", None),
]
# transfer, transit state, kind, source key
TRANSITS = [
    ("t:shahed", "SYR", "SUSPECTED", None),
    ("t:fateh", "BLR", "DECLARED", "s:report"),
    ("t:shells", "BLR", "SUSPECTED", "s:news"),
    ("t:rebels", "SYR", "SUSPECTED", "s:report"),
    ("t:unknown", "IRN", "DECLARED", None),
    ("t:retired", "SYR", "SUSPECTED", None),
]
# transfer, regime code, claimed by, source key
VIOLATIONS = [
    ("t:shells", "UN-SC1718", "Panel of Experts", "s:report"),
    ("t:kn23", "UN-SC1718", None, None),
    ("t:shahed", "UN-SC2231", "United States", "s:news"),
    ("t:fateh", "UN-SC2231", None, "s:report"),
    ("t:rebels", "UN-TERR", None, None),
    ("t:retired-2", "UN-SC1718", None, None),
    ("t:shells", "XX-OLD", None, None),  # a current transfer breaching a retired regime
]

POSITIONS = ("YES", "NO", "ABSTAIN", "NON_VOTING")


def _rows_by_key(connection: sa.Connection, table: str, key: str) -> dict[Any, int]:
    t = metadata.tables[table]
    return {row[0]: row[1] for row in connection.execute(sa.select(t.c[key], t.c.id))}


def build(database_url: str) -> None:
    """Write the dataset into a migrated, empty database."""
    tables = metadata.tables
    engine = create_sync_engine(database_url)
    try:
        with engine.begin() as connection:
            _write(connection, tables)
    finally:
        engine.dispose()


def _write(connection: sa.Connection, tables: Any) -> None:
    insert = lambda name, rows: connection.execute(tables[name].insert(), rows) if rows else None
    insert("state", [dict(zip(("iso3", "iso2", "m49", "cow_code", "name", "official_name",
                                "region", "subregion", "un_member_from", "un_member_until",
                                "un_observer"), row, strict=True)) for row in STATES])
    states = _rows_by_key(connection, "state", "iso3")
    held = _rows_by_key(connection, "dataset", "key")  # the migration writes the known ones
    insert("dataset", [{"key": key, "title": key, "publisher": "test", "precedence": rank}
                       for rank, key in enumerate(ALIASES) if key not in held])
    datasets = _rows_by_key(connection, "dataset", "key")
    insert("state_alias", [
        {"state_id": states[iso3], "name": name, "folded": fold(name), "dataset_id": datasets[key]}
        for key, by_state in ALIASES.items() for iso3, names in by_state.items() for name in names])
    insert("source", [dict(zip(("key", "title", "publisher", "url", "published_on"), row,
                               strict=True)) for row in SOURCES])
    sources = _rows_by_key(connection, "source", "key")
    retired_by = sources[RETIRED_BY]

    insert("resolution", [dict(zip(
        ("symbol", "undl_record_id", "body", "session", "voted_on", "title", "tags", "yes_count",
         "no_count", "abstain_count", "non_voting_count", "outcome"), row, strict=True))
        for row in RESOLUTIONS])
    resolution_ids = [row[0] for row in connection.execute(
        sa.select(tables["resolution"].c.id).order_by(tables["resolution"].c.id))]
    rng = random.Random(20261130)
    votes = []
    for resolution_id in resolution_ids:
        for iso3, state_id in sorted(states.items()):
            if rng.random() < 0.2:  # not a member then, or not recorded
                continue
            votes.append({"resolution_id": resolution_id, "state_id": state_id,
                          "position": rng.choice(POSITIONS)})
    insert("vote", votes)

    insert("sanctions_regime", [{
        "code": code, "name": name, "authority": authority,
        "authority_state_id": states.get(authority_state), "target_state_id": states.get(target),
        "legal_basis": basis, "started_on": started, "ended_on": ended,
        "retired_by_source_id": retired_by if code in RETIRED_REGIMES else None,
    } for code, name, authority, authority_state, target, basis, started, ended, _ in REGIMES])
    regimes = _rows_by_key(connection, "sanctions_regime", "code")
    insert("regime_measure", [{"regime_id": regimes[row[0]], "measure": measure}
                              for row in REGIMES for measure in row[8]])

    insert("alliance", [dict(zip(("key", "name", "short_name", "kind", "signed_on", "ended_on",
                                  "atop_id"), row, strict=True))
                         | {"retired_by_source_id": retired_by if row[0] in RETIRED_ALLIANCES else None}
                         for row in ALLIANCES])
    alliances = _rows_by_key(connection, "alliance", "key")
    insert("alliance_membership", [
        {"alliance_id": alliances[key], "state_id": states[iso3], "joined_on": joined,
         "left_on": left,
         "retired_by_source_id": retired_by if (key, iso3) in RETIRED_MEMBERSHIPS else None}
        for key, iso3, joined, left in MEMBERSHIPS])

    transfers = []
    for row in TRANSFERS:
        (external_id, supplier, recipient, designation, description, category, ordered,
         number_ordered, years, first, last, delivered, status, evidence, per_unit, total) = row
        transfer = {
            "external_id": external_id, "weapon_designation": designation,
            "weapon_description": description, "category": category, "ordered_year": ordered,
            "number_ordered": number_ordered, "delivery_years": years,
            "first_delivery_year": first, "last_delivery_year": last,
            "number_delivered": delivered, "status": status, "evidence": evidence,
            "sipri_tiv_per_unit": per_unit, "sipri_tiv_total": total,
            "retired_by_source_id": retired_by if external_id in RETIRED_TRANSFERS else None,
        }
        for side, party in (("supplier", supplier), ("recipient", recipient)):
            if isinstance(party, tuple):
                kind, name = party
                transfer |= {f"{side}_state_id": None, f"{side}_kind": kind, f"{side}_name": name}
            else:
                name = next(s[4] for s in STATES if s[0] == party)
                transfer |= {f"{side}_state_id": states[party], f"{side}_kind": "STATE",
                             f"{side}_name": name}
        transfers.append(transfer)
    insert("arms_transfer", transfers)
    transfer_ids = _rows_by_key(connection, "arms_transfer", "external_id")
    insert("transfer_denial", [
        {"transfer_id": transfer_ids[t], "state_id": states[s], "source_id": sources[src],
         "denied_on": on} for t, s, src, on in DENIALS])
    insert("transfer_transit", [
        {"transfer_id": transfer_ids[t], "state_id": states[s], "kind": kind,
         "source_id": sources.get(src)} for t, s, kind, src in TRANSITS])
    insert("transfer_violation", [
        {"transfer_id": transfer_ids[t], "regime_id": regimes[code], "claimed_by": claimed,
         "source_id": sources.get(src)} for t, code, claimed, src in VIOLATIONS])
