"""The seeds and the five importers give the same database whatever order they run in.

On SQLite and on PostgreSQL, the seed files and the full public files of ../shared/data are
loaded in six orders (seeds first, seeds last, seeds between importers, the first order
reversed, country codes first, and all six again on top of a first run); each order's logical
dump (every table, surrogate keys left out, foreign keys as the natural key they point at) must
equal the first order's. The fully loaded database then answers every README example as
README.md prints it (except the differences the imports are known to make, each checked to be
only that), and holds what issue 12 is done on: the headline transfers with their seeded
denials and sources, every seeded measure of UN-SC1718, Russia named "Russia", SIPRI as one
publisher, and a seed dry run that plans no change.

A full load takes ~7 s on SQLite and ~11 s on PostgreSQL and a dump a few seconds, so each
backend is loaded once per run: the first test that needs it loads every order (two orders that
begin alike share those first steps through a copy of the database) and keeps the first
order's database and dump, and each other order's differences from it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from helpers_dump import logical_dump, row_counts
from starlette.testclient import TestClient

from app.db import create_sync_engine
from app.importers.atop import import_atop
from app.importers.country_codes import import_country_codes
from app.importers.opensanctions import import_opensanctions_programs
from app.importers.sipri import import_sipri
from app.importers.undl_votes import import_undl_votes
from app.main import create_app
from app.seeding import DEFAULT_SEEDS_DIR
from app.seeding.loader import load_seeds
from app.settings import load_settings
from tests.graphql import test_readme as readme
from tests.graphql.conftest import Api

pytestmark = pytest.mark.shared_data

# The day a file was imported differs between runs; everything else must be equal.
LEAVE_OUT = {"source": {"retrieved_on"}}

# Each importer with its input files, under ../shared/data.
IMPORTS: dict[str, tuple[Callable[..., object], tuple[str, ...]]] = {
    "country-codes": (import_country_codes, ("country-codes/codelist_without_cldr.csv",
                                             "country-codes/un_members.csv")),
    "undl-votes": (import_undl_votes, ("unga-ukraine-votes/unga_ukraine_resolutions_extract.csv",)),
    "sipri": (import_sipri, ("sipri-trade-register/trade-register.csv",)),
    "opensanctions": (import_opensanctions_programs, ("opensanctions-programs",)),
    "atop": (import_atop, ("atop-v4-alliances/atop-alliance-level.csv",
                           "atop-v4-alliances/atop-member-level.csv")),
}
STEPS = ("seeds", *IMPORTS)


@dataclass(frozen=True)
class Order:
    """Steps run one after the other from an empty database. With ``shares`` = (order, n), the
    first n steps are that order's and are not run again: this order starts on a copy of that
    order's database after them."""

    name: str
    steps: tuple[str, ...]
    shares: tuple[str, int] | None = None


SEEDS_FIRST = ("seeds", "country-codes", "undl-votes", "sipri", "opensanctions", "atop")
REVERSED = tuple(reversed(SEEDS_FIRST))
ORDERS = (
    Order("seeds-first", SEEDS_FIRST),  # the reference the others are compared with
    Order("seeds-last", ("sipri", "atop", "opensanctions", "country-codes", "undl-votes", "seeds")),
    Order("seeds-in-the-middle",
          ("sipri", "undl-votes", "opensanctions", "seeds", "atop", "country-codes"),
          shares=("seeds-last", 1)),
    Order("reversed", REVERSED),
    Order("country-codes-first",
          ("country-codes", "atop", "sipri", "seeds", "opensanctions", "undl-votes")),
    # All six again, in another order, on the database "reversed" left.
    Order("second-run", (*REVERSED, "undl-votes", "sipri", "seeds", "atop", "country-codes",
                         "opensanctions"), shares=("reversed", len(REVERSED))),
)


def _check_orders() -> None:
    by_name = {order.name: order for order in ORDERS}
    for order in ORDERS:
        for n in range(0, len(order.steps), len(STEPS)):
            assert sorted(order.steps[n:n + len(STEPS)]) == sorted(STEPS), order
        if order.shares:
            shared, n = order.shares
            assert order.steps[:n] == by_name[shared].steps[:n], order
            assert ORDERS.index(by_name[shared]) < ORDERS.index(order), order


_check_orders()


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def _short(row: tuple[Any, ...], width: int = 240) -> str:
    text = repr(row)
    return text if len(text) <= width else text[:width] + "..."


def dump_difference(expected: dict[str, list[tuple[Any, ...]]],
                    actual: dict[str, list[tuple[Any, ...]]], shown: int = 3) -> str:
    """Per table that differs: how many rows only each side holds, and the first few of them."""
    lines = []
    for table in sorted(expected.keys() | actual.keys()):
        first = Counter(tuple(map(_hashable, row)) for row in expected.get(table, []))
        this = Counter(tuple(map(_hashable, row)) for row in actual.get(table, []))
        if first == this:
            continue
        missing, extra = first - this, this - first
        lines.append(f"{table}: {sum(missing.values())} rows only in the first order's database, "
                     f"{sum(extra.values())} only in this one")
        lines += [f"  - {_short(row)}" for row in sorted(missing, key=repr)[:shown]]
        lines += [f"  + {_short(row)}" for row in sorted(extra, key=repr)[:shown]]
    return "\n".join(lines)


@dataclass
class Loaded:
    """One backend after every order: the first order's database and dump, the others' diffs."""

    url: str
    dump: dict[str, list[tuple[Any, ...]]]
    differences: dict[str, str] = field(default_factory=dict)


def _run_step(step: str, url: str, data: Path) -> None:
    if step == "seeds":
        load_seeds(url)
        return
    load, paths = IMPORTS[step]
    engine = create_sync_engine(url)
    try:
        load(engine, *(data / path for path in paths))
    finally:
        engine.dispose()  # no connection left open: PostgreSQL copies only an idle database


def _load_every_order(databases: Any, data: Path) -> Loaded:
    wanted = {order.shares for order in ORDERS if order.shares}
    copies: dict[tuple[str, int], str] = {}
    loaded: Loaded | None = None
    for order in ORDERS:
        if order.shares:
            url, done = databases.empty(template=copies[order.shares]), order.shares[1]
        else:
            url, done = databases.migrated(), 0
        for n in range(done, len(order.steps)):
            _run_step(order.steps[n], url, data)
            if (order.name, n + 1) in wanted:
                copies[(order.name, n + 1)] = databases.empty(template=url)
        dump = logical_dump(url, leave_out=LEAVE_OUT)
        if loaded is None:
            loaded = Loaded(url=url, dump=dump)
        else:
            loaded.differences[order.name] = dump_difference(loaded.dump, dump)
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def _loaded_backends() -> dict[str, Loaded | BaseException]:
    return {}


@pytest.fixture
def loaded(databases: Any, shared_data: Path,
           _loaded_backends: dict[str, Loaded | BaseException]) -> Loaded:
    """Every order loaded on this backend (once per run; a failed load fails every test)."""
    backend = databases.backend
    if backend not in _loaded_backends:
        try:
            _loaded_backends[backend] = _load_every_order(databases, shared_data)
        except Exception as exc:
            _loaded_backends[backend] = exc
            raise
    result = _loaded_backends[backend]
    if isinstance(result, BaseException):
        pytest.fail(f"loading every order on {backend} failed (see the first test): {result!r}")
    return result


# --- Every order gives the same database --------------------------------------------------

@pytest.mark.parametrize("order", [order.name for order in ORDERS[1:]])
def test_order_gives_the_same_database(loaded: Loaded, order: str) -> None:
    steps = next(o for o in ORDERS if o.name == order).steps
    difference = loaded.differences[order]
    assert not difference, (
        f"{order} ({', '.join(steps)}) differs from {ORDERS[0].name} "
        f"({', '.join(ORDERS[0].steps)}):\n{difference}")


def test_the_compared_dump_holds_every_load(loaded: Loaded, databases: Any) -> None:
    """Equal dumps mean something: the imports are in them, and the seeds alone differ."""
    counts = row_counts(loaded.dump)
    assert 29_400 <= counts["arms_transfer"] <= 29_600, counts  # the register's ~29,500 deals
    assert counts["arms_transfer_statement"] >= counts["arms_transfer"], counts
    assert counts["alliance"] > 700 and counts["sanctions_regime"] > 250, counts
    assert counts["vote"] > 1_300 and counts["state"] >= 197, counts

    engine = create_sync_engine(loaded.url)
    try:
        with engine.connect() as connection:
            asserting = {
                table: set(connection.scalars(sa.text(
                    f"SELECT DISTINCT d.key FROM {table} s JOIN dataset d ON d.id = s.dataset_id")))
                for table in sorted(counts) if table.endswith("_statement")}
    finally:
        engine.dispose()
    every = set().union(*asserting.values())
    assert {"seeds", "country-codes", "undl-votes", "sipri", "opensanctions-programs",
            "atop"} <= every, asserting
    assert {"seeds", "sipri"} <= asserting["arms_transfer_statement"], asserting

    seeds_only = logical_dump(databases.seeded(), leave_out=LEAVE_OUT)
    differing = {table for table in loaded.dump if loaded.dump[table] != seeds_only.get(table)}
    assert {"arms_transfer", "alliance", "sanctions_regime", "state", "source"} <= differing


def test_dump_difference_names_the_table_and_rows() -> None:
    first = {"state": [("RUS", "Russia"), ("UKR", "Ukraine")], "vote": [("x",)]}
    other = {"state": [("RUS", "Russian Federation"), ("UKR", "Ukraine")], "vote": [("x",)]}
    assert dump_difference(first, first) == ""
    assert dump_difference(first, other) == (
        "state: 1 rows only in the first order's database, 1 only in this one\n"
        "  - ('RUS', 'Russia')\n"
        "  + ('RUS', 'Russian Federation')")


# --- The README examples on the fully loaded database ---------------------------------------

@pytest.fixture
def api(loaded: Loaded) -> Iterator[Api]:
    with TestClient(create_app(load_settings(database_url=loaded.url))) as client:
        yield Api(client)


# Every README example, printed from the seed data, answers exactly the same after the imports.
@pytest.mark.parametrize("number", readme.WITH_QUERY, ids=lambda n: f"example-{n}")
def test_readme_example_after_every_import(api: Api, number: int) -> None:
    readme.test_readme_example(api, number)


# --- What issue 12 is done on, through the API ------------------------------------------------

def _seed_file(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((DEFAULT_SEEDS_DIR / name).read_text(encoding="utf-8"))


def _source_fields(source: dict[str, Any]) -> dict[str, Any]:
    return {"key": source["key"], "title": source["title"], "publisher": source["publisher"],
            "url": source.get("url")}


PRK_TO_RUS = """{ armsTransfers(where: { supplier: { iso3: { eq: "PRK" } },
                                  recipient: { iso3: { eq: "RUS" } } }) {
    totalCount
    nodes { weaponDesignation evidence
            denials { state { iso3 } deniedOn source { key } }
            sources { key title publisher url } } } }"""


def _seeded_prk_to_rus() -> dict[str, dict[str, Any]]:
    sources = {source["key"]: _source_fields(source) for source in _seed_file("sources.yaml")}
    return {
        transfer["weapon_designation"]: {
            "evidence": transfer["evidence"],
            "denials": sorted((d["state"], str(d["denied_on"]), d["source"])
                              for d in transfer.get("denials", [])),
            "sources": sorted((sources[key] for key in transfer["sources"]),
                              key=lambda s: s["key"]),
        }
        for transfer in _seed_file("arms_transfers.yaml")
        if transfer.get("supplier") == "PRK" and transfer.get("recipient") == "RUS"}


def _served_prk_to_rus(api: Api) -> dict[str, dict[str, Any]]:
    connection = api.data(PRK_TO_RUS)["armsTransfers"]
    assert connection["totalCount"] == len(connection["nodes"])
    return {
        node["weaponDesignation"]: {
            "evidence": node["evidence"],
            "denials": sorted((d["state"]["iso3"], d["deniedOn"], d["source"]["key"])
                              for d in node["denials"]),
            "sources": sorted(node["sources"], key=lambda s: s["key"]),
        }
        for node in connection["nodes"]}


def test_headline_lists_the_four_seeded_transfers_with_their_denials(api: Api) -> None:
    # Exactly the seeds' transfers, denials and sources: the imported register is the seeds'
    # SIPRI source (same checksum), not a second one.
    seeded, served = _seeded_prk_to_rus(), _served_prk_to_rus(api)
    assert len(seeded) == 4
    assert served.keys() == seeded.keys()
    for designation, transfer in seeded.items():
        assert served[designation]["evidence"] == transfer["evidence"], designation
        assert served[designation]["denials"] == transfer["denials"], designation
        assert sorted(served[designation]["sources"], key=repr) == sorted(
            transfer["sources"], key=repr), designation


def test_un_sc1718_keeps_every_seeded_measure(api: Api) -> None:
    [seeded] = [r for r in _seed_file("sanctions_regimes.yaml") if r["code"] == "UN-SC1718"]
    regime = api.data("""{ sanctionsRegime(code: "UN-SC1718") {
        authority startedOn target { iso3 } measures } }""")["sanctionsRegime"]
    assert sorted(seeded["measures"]) == sorted(regime["measures"]), regime
    assert (regime["authority"], regime["startedOn"], regime["target"]["iso3"]) == (
        seeded["authority"], str(seeded["started_on"]), seeded["target_state"])


def test_russia_is_named_russia(api: Api) -> None:
    assert api.data('{ state(iso3: "RUS") { name } }') == {"state": {"name": "Russia"}}


def test_sipri_is_one_publisher(api: Api) -> None:
    publishers: set[str] = set()
    after = None
    while True:
        page = api.data("query($after: String) { sources(first: 100, after: $after) {"
                        " nodes { publisher title } pageInfo { hasNextPage endCursor } } }",
                        {"after": after})["sources"]
        publishers |= {s["publisher"] for s in page["nodes"]
                       if any(w in s["publisher"] + s["title"] for w in ("SIPRI", "Stockholm"))}
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    [seeded] = [s["publisher"] for s in _seed_file("sources.yaml")
                if s["key"] == "sipri-trade-register-2025-03-13"]
    assert publishers == {seeded}


def test_seed_dry_run_after_every_import_plans_no_change(loaded: Loaded) -> None:
    report = load_seeds(loaded.url, dry_run=True)
    assert report.dry_run and report.tables
    planned = {table: {kind: getattr(counts, kind) for kind in
                       ("inserted", "updated", "deleted", "retired") if getattr(counts, kind)}
               for table, counts in report.tables.items()}
    assert {table: kinds for table, kinds in planned.items() if kinds} == {}
    assert not report.changed
    unchanged = {table: counts.unchanged for table, counts in report.tables.items()}
    assert all(unchanged.get(table) for table in (
        "source", "state", "resolution", "sanctions_regime", "arms_transfer", "alliance")), unchanged
