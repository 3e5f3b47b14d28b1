"""Revision 0003's data migration, on a database the old model (revision 0002) wrote.

The old rows are written with plain SQLAlchemy Core on tables reflected at revision 0002 (never
through ``app.models``, which describes the new schema). Upgrading to the head must then

- leave every row of every table that existed before exactly as it was;
- give each source its dataset (``import:<kind>:...`` -> that importer's, other keys -> seeds);
- give each fact row one statement per dataset among its sources (``legacy`` when it has none)
  holding its current values, links and collections included: the values expected below are
  written out from what this file inserted, and ``current_values`` (separate code reading the
  served model) must agree with every statement.

The merge model then works on the migrated rows (the project's real seeds load over them and
keep what only the migrated data held), and a downgrade to 0002 and back keeps the served rows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from app import migrations
from app.db import create_sync_engine
from app.seeding.loader import load_seeds
from app.services.merge import current_values

FACTS = ("state", "resolution", "sanctions_regime", "arms_transfer", "alliance",
         "alliance_membership")
NEW_TABLES = {"dataset", "state_alias", *(f"{fact}_statement" for fact in FACTS)}
RETIRING = ("sanctions_regime", "arms_transfer", "alliance", "alliance_membership")

SEEDS_KEY = "unsc-res-1718"  # a seeds-style key (the real seed files hold it too)
SIPRI_KEY = "import:sipri:" + "ab" * 32
CODES_KEY = "import:country-codes:" + "cd" * 32
NOTE = "Voted in favour after the sanctions list was shortened"
DENIAL = "KCNA: the DPRK never supplied missiles"
COMMENT = "Reported by Ukraine’s GUR; “Geran-2” launches"  # non-ASCII kept as is


@dataclass
class OldDatabase:
    """A database written by the old model: ids of the rows inserted, columns of each table."""

    url: str
    columns: dict[str, list[str]]  # every table at 0002 -> its columns
    ids: dict[str, int] = field(default_factory=dict)


# ---- reading ---------------------------------------------------------------------------------

def _sort_key(row: tuple[Any, ...]) -> tuple[tuple[bool, str, str], ...]:
    return tuple((value is not None, type(value).__name__, repr(value)) for value in row)


def _rows(url: str, columns: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Per table, its rows in the given columns (other columns ignored), sorted."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            meta = sa.MetaData()
            meta.reflect(connection, only=list(columns))
            return {name: sorted((tuple(row) for row in connection.execute(
                        sa.select(*(meta.tables[name].c[c] for c in names)))), key=_sort_key)
                    for name, names in columns.items()}
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Stmt:
    text: str
    source_id: int | None
    retired_by_source_id: int | None

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.text)


def _statements(url: str) -> dict[str, dict[tuple[int, str], Stmt]]:
    """Per fact table: (row id, dataset key) -> its statement."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            found: dict[str, dict[tuple[int, str], Stmt]] = {}
            for fact in FACTS:
                rows = connection.execute(sa.text(
                    f"SELECT s.{fact}_id, d.key, s.data, s.source_id, s.retired_by_source_id "
                    f"FROM {fact}_statement s JOIN dataset d ON d.id = s.dataset_id"))
                found[fact] = {(row_id, key): Stmt(data, source, retired)
                               for row_id, key, data, source, retired in rows}
            return found
    finally:
        engine.dispose()


def _scalar_map(url: str, query: str) -> dict[Any, Any]:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(sa.text(query)).all())
    finally:
        engine.dispose()


def _current_values(url: str) -> dict[str, dict[int, dict[str, Any]]]:
    """``app.services.merge.current_values`` of every row of every fact table."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            return {fact: current_values(connection, fact, list(connection.execute(
                        sa.text(f"SELECT id FROM {fact}")).scalars()))
                    for fact in FACTS}
    finally:
        engine.dispose()


def _assert_statements_hold_current_values(url: str) -> None:
    """Every statement's data is its row's current values (as ``current_values`` reads them),
    in the canonical text form (sorted keys, no spaces, UTF-8 as is)."""
    current = _current_values(url)
    statements = _statements(url)
    for fact in FACTS:
        assert {row_id for row_id, _ in statements[fact]} == set(current[fact]), fact
        for (row_id, dataset), stmt in statements[fact].items():
            assert stmt.data == current[fact][row_id], (fact, row_id, dataset)
            assert stmt.text == json.dumps(stmt.data, sort_keys=True, separators=(",", ":"),
                                           ensure_ascii=False), (fact, row_id, dataset)


# ---- the old database --------------------------------------------------------------------------

def _old_database(url: str) -> OldDatabase:
    """Migrate ``url`` to 0002 and write a small dataset the way the old model held it."""
    migrations.upgrade(url, "0002")
    engine = create_sync_engine(url)
    try:
        meta = sa.MetaData()
        meta.reflect(engine)
        tables = {name: table for name, table in meta.tables.items() if name != "alembic_version"}
        old = OldDatabase(url, {name: [c.name for c in t.columns] for name, t in tables.items()})
        ids = old.ids
        with engine.begin() as connection:
            def add(table_name: str, /, **values: Any) -> int:
                table = tables[table_name]
                return connection.execute(sa.insert(table).values(**values)
                                          .returning(table.c.id)).scalar_one()

            def link(table_name: str, /, *rows: dict[str, Any]) -> None:
                # An executemany takes its columns from the first row: give every row them all.
                names = {name for row in rows for name in row}
                connection.execute(sa.insert(tables[table_name]),
                                   [{name: row.get(name) for name in names} for row in rows])

            ids["s_seeds"] = add("source", key=SEEDS_KEY, title="Resolution 1718 (2006)",
                                 publisher="United Nations Security Council",
                                 url="https://undocs.org/S/RES/1718(2006)")
            ids["s_sipri"] = add("source", key=SIPRI_KEY, title="SIPRI trade register",
                                 publisher="SIPRI", published_on=dt.date(2025, 3, 13),
                                 retrieved_on=dt.date(2025, 3, 20), file_name="trade-register.csv",
                                 sha256="ab" * 32)
            ids["s_codes"] = add("source", key=CODES_KEY, title="codelist", publisher="countrycode",
                                 retrieved_on=dt.date(2025, 4, 1), sha256="cd" * 32)

            ids["PRK"] = add("state", iso3="PRK", iso2="KP", m49=408, cow_code=731,
                             name="North Korea", official_name="Democratic People's Republic of Korea",
                             region="Asia", subregion="Eastern Asia",
                             un_member_from=dt.date(1991, 9, 17), un_observer=False,
                             wikidata_id="Q423")
            ids["RUS"] = add("state", iso3="RUS", iso2="RU", m49=643, name="Russia",
                             un_member_from=dt.date(1945, 10, 24), un_observer=False)
            ids["CHN"] = add("state", iso3="CHN", name="China", un_observer=False)
            ids["USA"] = add("state", iso3="USA", name="United States", un_observer=False,
                             wikidata_id="Q30")  # no source
            link("state_source", {"state_id": ids["PRK"], "source_id": ids["s_codes"]},
                 {"state_id": ids["RUS"], "source_id": ids["s_codes"]},
                 {"state_id": ids["CHN"], "source_id": ids["s_seeds"]})

            ids["resolution"] = add(
                "resolution", symbol="S/RES/1718 (2006)", undl_record_id="900001",
                body="SECURITY_COUNCIL", voted_on=dt.date(2006, 10, 14),
                title="Non-proliferation/Democratic People's Republic of Korea",
                tags="nonproliferation; dprk", yes_count=15, no_count=0, abstain_count=0,
                outcome="ADOPTED")
            link("vote", {"resolution_id": ids["resolution"], "state_id": ids["USA"],
                          "position": "YES"},
                 {"resolution_id": ids["resolution"], "state_id": ids["RUS"],
                  "position": "YES", "notes": NOTE},
                 {"resolution_id": ids["resolution"], "state_id": ids["CHN"],
                  "position": "ABSTAIN"})
            link("resolution_source", {"resolution_id": ids["resolution"],
                                       "source_id": ids["s_seeds"]})

            ids["regime"] = add("sanctions_regime", code="OLD-UN-1718", name="Old DPRK regime",
                                authority="UN Security Council", target_state_id=ids["PRK"],
                                legal_basis="S/RES/1718 (2006)", started_on=dt.date(2006, 10, 14))
            link("regime_measure", {"regime_id": ids["regime"], "measure": "TRAVEL_BAN"},
                 {"regime_id": ids["regime"], "measure": "ARMS_EMBARGO"})  # no source

            ids["transfer"] = add(
                "arms_transfer", external_id="old:sipri:41001", supplier_state_id=ids["RUS"],
                supplier_name="Russia", supplier_kind="STATE", recipient_state_id=ids["PRK"],
                recipient_name="North Korea", recipient_kind="STATE",
                weapon_designation="9K720 Iskander", weapon_description="SRBM",
                category="MISSILES", ordered_year=2023, ordered_year_estimate=True,
                number_ordered=10, number_ordered_estimate=False, delivery_years="2024",
                first_delivery_year=2024, last_delivery_year=2024,
                number_delivered_estimate=False, status="DELIVERING", evidence="REPORTED",
                sipri_tiv_per_unit=1.5, sipri_tiv_total=15.0)
            link("arms_transfer_source",
                 {"arms_transfer_id": ids["transfer"], "source_id": ids["s_seeds"]},
                 {"arms_transfer_id": ids["transfer"], "source_id": ids["s_sipri"]})
            link("transfer_denial", {"transfer_id": ids["transfer"], "state_id": ids["PRK"],
                                     "source_id": ids["s_seeds"],
                                     "denied_on": dt.date(2024, 1, 5), "statement": DENIAL})
            link("transfer_violation", {"transfer_id": ids["transfer"],
                                        "regime_id": ids["regime"], "claimed_by": "United States",
                                        "source_id": ids["s_seeds"]})
            link("transfer_transit", {"transfer_id": ids["transfer"], "state_id": ids["CHN"],
                                      "kind": "SUSPECTED", "source_id": None})

            ids["unsourced"] = add(
                "arms_transfer", external_id="old:manual:7", supplier_name="Wagner Group",
                supplier_kind="NON_STATE_ACTOR", recipient_state_id=ids["RUS"],
                recipient_name="Russia", recipient_kind="STATE", weapon_designation="Shahed-136",
                category="UAV", ordered_year_estimate=False, number_ordered_estimate=False,
                number_delivered=40, number_delivered_estimate=True, status="DELIVERED",
                evidence="ALLEGED", sipri_tiv_total=2.25, comments=COMMENT)  # no source

            ids["alliance"] = add("alliance", key="OLD-PACT-1961", name="Old treaty of 1961",
                                  kind="DEFENSE_PACT", signed_on=dt.date(1961, 7, 11),
                                  atop_id=99001, notes="Migrated")
            link("alliance_source", {"alliance_id": ids["alliance"], "source_id": ids["s_seeds"]})
            ids["membership"] = add("alliance_membership", alliance_id=ids["alliance"],
                                    state_id=ids["PRK"], joined_on=dt.date(1961, 7, 11),
                                    notes="Founding member")  # no source
    finally:
        engine.dispose()
    return old


def _migrated_old_database(url: str) -> tuple[OldDatabase, dict[str, list[tuple[Any, ...]]]]:
    old = _old_database(url)
    before = _rows(url, old.columns)
    migrations.upgrade(url, "head")
    return old, before


# ---- expected statements (written from the rows above) ------------------------------------------

def _expected_datasets(old: OldDatabase) -> dict[str, dict[int, list[str]]]:
    i = old.ids
    return {
        "state": {i["PRK"]: ["country-codes"], i["RUS"]: ["country-codes"], i["CHN"]: ["seeds"],
                  i["USA"]: ["legacy"]},
        "resolution": {i["resolution"]: ["seeds"]},
        "sanctions_regime": {i["regime"]: ["legacy"]},
        "arms_transfer": {i["transfer"]: ["seeds", "sipri"], i["unsourced"]: ["legacy"]},
        "alliance": {i["alliance"]: ["seeds"]},
        "alliance_membership": {i["membership"]: ["legacy"]},
    }


EXPECTED_DATA: dict[tuple[str, str], dict[str, Any]] = {
    ("state", "PRK"): {
        "iso3": "PRK", "iso2": "KP", "m49": 408, "cow_code": 731, "name": "North Korea",
        "official_name": "Democratic People's Republic of Korea", "region": "Asia",
        "subregion": "Eastern Asia", "un_member_from": "1991-09-17", "un_observer": False,
        "wikidata_id": "Q423", "sources": [CODES_KEY]},
    ("state", "USA"): {"iso3": "USA", "name": "United States", "un_observer": False,
                       "wikidata_id": "Q30"},
    ("resolution", "resolution"): {
        "symbol": "S/RES/1718 (2006)", "undl_record_id": "900001", "body": "SECURITY_COUNCIL",
        "voted_on": "2006-10-14",
        "title": "Non-proliferation/Democratic People's Republic of Korea",
        "tags": "nonproliferation; dprk", "yes_count": 15, "no_count": 0, "abstain_count": 0,
        "outcome": "ADOPTED", "sources": [SEEDS_KEY],
        "votes": {"USA": "YES", "RUS": "YES", "CHN": "ABSTAIN"}, "vote_notes": {"RUS": NOTE}},
    ("sanctions_regime", "regime"): {
        "code": "OLD-UN-1718", "name": "Old DPRK regime", "authority": "UN Security Council",
        "target_state": "PRK", "legal_basis": "S/RES/1718 (2006)", "started_on": "2006-10-14",
        "measures": ["ARMS_EMBARGO", "TRAVEL_BAN"]},
    ("arms_transfer", "transfer"): {
        "external_id": "old:sipri:41001", "supplier_state": "RUS", "supplier_name": "Russia",
        "supplier_kind": "STATE", "recipient_state": "PRK", "recipient_name": "North Korea",
        "recipient_kind": "STATE", "weapon_designation": "9K720 Iskander",
        "weapon_description": "SRBM", "category": "MISSILES", "ordered_year": 2023,
        "ordered_year_estimate": True, "number_ordered": 10, "number_ordered_estimate": False,
        "delivery_years": "2024", "first_delivery_year": 2024, "last_delivery_year": 2024,
        "number_delivered_estimate": False, "status": "DELIVERING", "evidence": "REPORTED",
        "sipri_tiv_per_unit": 1.5, "sipri_tiv_total": 15.0,
        "sources": [SIPRI_KEY, SEEDS_KEY],
        "denials": [{"state": "PRK", "source": SEEDS_KEY, "denied_on": "2024-01-05",
                     "statement": DENIAL}],
        "transits": [{"state": "CHN", "kind": "SUSPECTED"}],
        "violations": [{"regime": "OLD-UN-1718", "claimed_by": "United States",
                        "source": SEEDS_KEY}]},
    ("arms_transfer", "unsourced"): {
        "external_id": "old:manual:7", "supplier_name": "Wagner Group",
        "supplier_kind": "NON_STATE_ACTOR", "recipient_state": "RUS", "recipient_name": "Russia",
        "recipient_kind": "STATE", "weapon_designation": "Shahed-136", "category": "UAV",
        "ordered_year_estimate": False, "number_ordered_estimate": False,
        "number_delivered": 40, "number_delivered_estimate": True, "status": "DELIVERED",
        "evidence": "ALLEGED", "sipri_tiv_total": 2.25, "comments": COMMENT},
    ("alliance", "alliance"): {"key": "OLD-PACT-1961", "name": "Old treaty of 1961",
                               "kind": "DEFENSE_PACT", "signed_on": "1961-07-11",
                               "atop_id": 99001, "notes": "Migrated", "sources": [SEEDS_KEY]},
    ("alliance_membership", "membership"): {"joined_on": "1961-07-11", "notes": "Founding member"},
}


# ---- 1. the upgrade --------------------------------------------------------------------------

def test_upgrade_keeps_old_rows_and_gives_them_statements(empty_db: str) -> None:
    old, before = _migrated_old_database(empty_db)
    ids = old.ids
    assert migrations.current_revision(empty_db) == migrations.head_revision(empty_db)

    # Every row of every table that existed before is exactly as it was.
    assert sum(len(rows) for rows in before.values()) == 28  # what _old_database wrote
    assert _rows(empty_db, old.columns) == before

    # The new columns: each source's dataset; nothing retired.
    assert _scalar_map(empty_db, "SELECT s.key, d.key FROM source s "
                                 "JOIN dataset d ON d.id = s.dataset_id") == {
        SEEDS_KEY: "seeds", SIPRI_KEY: "sipri", CODES_KEY: "country-codes"}
    for fact in RETIRING:
        assert _scalar_map(empty_db, f"SELECT id, retired_by_source_id FROM {fact}") == \
            dict.fromkeys(_expected_datasets(old)[fact])
    precedence = _scalar_map(empty_db, "SELECT key, precedence FROM dataset")
    assert precedence["seeds"] < precedence["legacy"] < precedence["country-codes"]
    assert precedence["legacy"] < precedence["sipri"]

    # One statement per row and dataset among its sources; `legacy` for a row without one.
    statements = _statements(empty_db)
    found: dict[str, dict[int, list[str]]] = {fact: {} for fact in FACTS}
    for fact, items in statements.items():
        for row_id, dataset in sorted(items):
            found[fact].setdefault(row_id, []).append(dataset)
    assert found == _expected_datasets(old)
    assert all(s.retired_by_source_id is None for items in statements.values()
               for s in items.values())

    # The values they hold, written out from the rows inserted above.
    for (fact, name), expected in EXPECTED_DATA.items():
        for dataset in _expected_datasets(old)[fact][ids[name]]:
            assert statements[fact][(ids[name], dataset)].data == expected, (fact, name, dataset)
    transfer = ids["transfer"]
    assert statements["arms_transfer"][(transfer, "seeds")].text == \
        statements["arms_transfer"][(transfer, "sipri")].text
    # RUS and CHN: the same conventions, checked without writing every field out again.
    assert statements["state"][(ids["RUS"], "country-codes")].data == {
        "iso3": "RUS", "iso2": "RU", "m49": 643, "name": "Russia",
        "un_member_from": "1945-10-24", "un_observer": False, "sources": [CODES_KEY]}
    assert statements["state"][(ids["CHN"], "seeds")].data == {
        "iso3": "CHN", "name": "China", "un_observer": False, "sources": [SEEDS_KEY]}

    # The served model, read by separate code, gives the same values for every row.
    _assert_statements_hold_current_values(empty_db)


# ---- 2. the merge model on the migrated rows ----------------------------------------------------

def _own_rows(url: str, old: OldDatabase) -> dict[str, list[tuple[Any, ...]]]:
    """The rows (0002 columns) of the facts only the migrated data holds, with their links."""
    i = old.ids
    owners = {
        "resolution": ("id", {i["resolution"]}),
        "vote": ("resolution_id", {i["resolution"]}),
        "resolution_source": ("resolution_id", {i["resolution"]}),
        "sanctions_regime": ("id", {i["regime"]}),
        "regime_measure": ("regime_id", {i["regime"]}),
        "sanctions_regime_source": ("sanctions_regime_id", {i["regime"]}),
        "arms_transfer": ("id", {i["transfer"], i["unsourced"]}),
        "arms_transfer_source": ("arms_transfer_id", {i["transfer"], i["unsourced"]}),
        "transfer_denial": ("transfer_id", {i["transfer"], i["unsourced"]}),
        "transfer_transit": ("transfer_id", {i["transfer"], i["unsourced"]}),
        "transfer_violation": ("transfer_id", {i["transfer"], i["unsourced"]}),
        "alliance": ("id", {i["alliance"]}),
        "alliance_source": ("alliance_id", {i["alliance"]}),
        "alliance_membership": ("id", {i["membership"]}),
        "alliance_membership_source": ("alliance_membership_id", {i["membership"]}),
    }
    rows = _rows(url, {name: old.columns[name] for name in owners})
    return {name: [row for row in rows[name]
                   if row[old.columns[name].index(column)] in wanted]
            for name, (column, wanted) in owners.items()}


def test_seeds_merge_over_migrated_rows(empty_db: str) -> None:
    old, _ = _migrated_old_database(empty_db)
    ids = old.ids
    own = _own_rows(empty_db, old)
    assert [len(own[name]) for name in ("vote", "regime_measure", "transfer_denial",
                                        "transfer_transit", "transfer_violation")] == [3, 2, 1, 1, 1]

    load_seeds(empty_db)

    # The seeds were merged (states they list now have a seeds statement).
    statements = _statements(empty_db)
    assert (ids["USA"], "seeds") in statements["state"]
    assert len(_scalar_map(empty_db, "SELECT id, iso3 FROM state")) > 150

    # Facts the seed files do not hold keep every value and link the migration found.
    assert _own_rows(empty_db, old) == own
    retired = _scalar_map(empty_db, "SELECT external_id, retired_by_source_id FROM arms_transfer")
    assert retired["old:manual:7"] is None
    assert retired["old:sipri:41001"] is None
    regimes = _scalar_map(empty_db, "SELECT code, retired_by_source_id FROM sanctions_regime")
    assert regimes["OLD-UN-1718"] is None
    memberships = _scalar_map(empty_db, "SELECT id, retired_by_source_id FROM alliance_membership")
    assert memberships[ids["membership"]] is None
    assert _scalar_map(empty_db, f"SELECT state_id, statement FROM transfer_denial "
                                 f"WHERE transfer_id = {ids['transfer']}") == {ids["PRK"]: DENIAL}

    # Their legacy and sipri statements stay current; the seeds' release retires the seeds
    # statements of facts the seed files no longer hold (as the seed writer documents), which
    # retires the alliance only the seeds asserted but not the transfer sipri still asserts.
    release = _scalar_map(empty_db, "SELECT key, id FROM source")["seeds:release"]
    transfers = statements["arms_transfer"]
    assert transfers[(ids["unsourced"], "legacy")].retired_by_source_id is None
    assert transfers[(ids["transfer"], "sipri")].retired_by_source_id is None
    assert transfers[(ids["transfer"], "seeds")].retired_by_source_id == release
    assert statements["alliance"][(ids["alliance"], "seeds")].retired_by_source_id == release
    alliances = _scalar_map(empty_db, "SELECT key, retired_by_source_id FROM alliance")
    assert alliances["OLD-PACT-1961"] == release

    # A state the seeds list keeps a value only its migrated statement held.
    wikidata = _scalar_map(empty_db, "SELECT iso3, wikidata_id FROM state")
    assert (wikidata["USA"], wikidata["PRK"]) == ("Q30", "Q423")
    assert statements["state"][(ids["USA"], "legacy")].retired_by_source_id is None


# ---- 3. downgrade and upgrade again with data present -------------------------------------------

def _round_trip(url: str, columns: dict[str, list[str]]) -> None:
    before = _rows(url, columns)
    migrations.downgrade(url, "0002")
    assert migrations.current_revision(url) == "0002"
    engine = create_sync_engine(url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert not tables & NEW_TABLES
    assert _rows(url, columns) == before
    migrations.upgrade(url, "head")
    assert migrations.current_revision(url) == migrations.head_revision(url)
    assert _rows(url, columns) == before


def test_downgrade_and_upgrade_keep_the_served_rows(empty_db: str) -> None:
    old, _ = _migrated_old_database(empty_db)
    first = _statements(empty_db)

    _round_trip(empty_db, old.columns)
    assert _statements(empty_db) == first  # the same rows give the same statements

    load_seeds(empty_db)
    _round_trip(empty_db, old.columns)
    _assert_statements_hold_current_values(empty_db)
    datasets = {key for items in _statements(empty_db).values() for _, key in items}
    assert {"seeds", "sipri", "country-codes", "legacy"} <= datasets
