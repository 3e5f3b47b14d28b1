"""Name folding and each dataset's aliases of a state (``app.services.names``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from app.db import create_sync_engine
from app.models import State, StateAlias
from app.services.names import fold, folded_sql, sync_aliases
from app.services.statements import ensure_datasets

ALIAS = StateAlias.__table__


@pytest.mark.parametrize(("name", "folded"), [
    ("Côte d’Ivoire", "cote divoire"),
    ("Côte d'Ivoire", "cote divoire"),
    ("COTE D`IVOIRE", "cote divoire"),
    ("Democratic People’s Republic of Korea", "democratic peoples republic of korea"),
    ("Türkiye", "turkiye"),
    ("São Tomé and Príncipe", "sao tome and principe"),
    ("Curaçao", "curacao"),
    ("Ærø", "aero"),
    ("Straße", "strasse"),
    ("Łódź", "lodz"),
    ("Việt Nam", "viet nam"),
    ("Côte d\u0301", "cote d"),  # a combining accent
    ("Россия", "rossiya"),
    ("Test_State 100%", "test_state 100%"),
])
def test_fold(name: str, folded: str) -> None:
    assert fold(name) == folded


NAMES = ["Côte d’Ivoire", "ÉTAT DE PALESTINE", "Türkiye", "São Tomé and Príncipe", "Ærø",
         "STRAẞE", "Łódź", "Việt Nam", "Œuvre", "Đà Nẵng", "İstanbul", "Ørsted", "Ǆemal",
         "d\u0301", "Korea, Dem. People‘s Rep.", "Guinea‐Bissau", "it`s", "Test_State 100%", "COTE D'IVOIRE", "Lao People's", ""]


def test_folded_sql_is_fold(migrated_db: str) -> None:
    """Display names are folded in SQL (the `name` filter of a state with no alias): the same
    as ``fold`` on each database for every Latin-script name, ASCII or not."""
    engine = create_sync_engine(migrated_db)
    try:
        with engine.connect() as connection:
            folded = [connection.execute(sa.select(folded_sql(sa.literal(name, sa.String))))
                      .scalar_one() for name in NAMES]
    finally:
        engine.dispose()
    assert folded == [fold(name) for name in NAMES]


@pytest.fixture
def db(migrated_db: str) -> Iterator[sa.Connection]:
    """A connection in a transaction, with three states and two datasets."""
    engine = create_sync_engine(migrated_db)
    try:
        with engine.begin() as connection:
            connection.execute(sa.insert(State), [
                {"iso3": iso3, "name": name, "un_observer": False}
                for iso3, name in (("RUS", "Russia"), ("CIV", "Côte d'Ivoire"), ("PRK", "North Korea"))])
            yield connection
    finally:
        engine.dispose()


def _ids(connection: sa.Connection) -> dict[str, int]:
    return dict(connection.execute(sa.select(State.iso3, State.id)).all())


def _aliases(connection: sa.Connection) -> set[tuple[str, str, str, str]]:
    """(dataset key, iso3, name, folded) of every alias."""
    datasets = dict(connection.execute(sa.text("SELECT id, key FROM dataset")).all())
    states = {v: k for k, v in _ids(connection).items()}
    return {(datasets[d], states[s], n, f) for s, n, f, d in connection.execute(
        sa.select(ALIAS.c.state_id, ALIAS.c.name, ALIAS.c.folded, ALIAS.c.dataset_id))}


def _counts(counts: object) -> tuple[int, int, int, int]:
    return (counts.inserted, counts.updated, counts.unchanged, counts.deleted)  # type: ignore[attr-defined]


def test_sync_writes_exactly_the_names_given(db: sa.Connection) -> None:
    ids = _ids(db)
    codes = ensure_datasets(db, ["country-codes"])["country-codes"]
    counts = sync_aliases(db, codes, {ids["CIV"]: ["Côte d’Ivoire", " Côte d'Ivoire ", "", "Côte d’Ivoire"],
                                      ids["RUS"]: ["Russian Federation"]})
    assert _counts(counts) == (3, 0, 0, 0)
    assert _aliases(db) == {
        ("country-codes", "CIV", "Côte d’Ivoire", "cote divoire"),
        ("country-codes", "CIV", "Côte d'Ivoire", "cote divoire"),
        ("country-codes", "RUS", "Russian Federation", "russian federation"),
    }
    # The same input again changes nothing.
    again = sync_aliases(db, codes, {ids["CIV"]: ["Côte d’Ivoire", "Côte d'Ivoire"],
                                     ids["RUS"]: ["Russian Federation"]})
    assert _counts(again) == (0, 0, 3, 0)


def test_a_dataset_sync_never_touches_other_datasets_or_states(db: sa.Connection) -> None:
    ids = _ids(db)
    datasets = ensure_datasets(db, ["seeds", "country-codes"])
    sync_aliases(db, datasets["seeds"], {ids["RUS"]: ["Russia", "Russian Federation"],
                                         ids["PRK"]: ["North Korea"]})
    sync_aliases(db, datasets["country-codes"], {ids["RUS"]: ["Russia", "Russian Federation (the)"],
                                                 ids["PRK"]: ["Democratic People’s Republic of Korea"]})
    # country-codes no longer names Russia "Russia"; it says nothing of North Korea this time.
    counts = sync_aliases(db, datasets["country-codes"], {ids["RUS"]: ["Russian Federation (the)"]})
    assert _counts(counts) == (0, 0, 1, 1)
    assert {(d, s, n) for d, s, n, _ in _aliases(db)} == {
        ("seeds", "RUS", "Russia"), ("seeds", "RUS", "Russian Federation"),
        ("seeds", "PRK", "North Korea"),
        ("country-codes", "RUS", "Russian Federation (the)"),
        ("country-codes", "PRK", "Democratic People’s Republic of Korea"),
    }
    # An empty list removes that dataset's names of the state, and only those.
    counts = sync_aliases(db, datasets["seeds"], {ids["RUS"]: []})
    assert _counts(counts) == (0, 0, 0, 2)
    assert {(d, s) for d, s, _, _ in _aliases(db)} == {
        ("seeds", "PRK"), ("country-codes", "RUS"), ("country-codes", "PRK")}


def test_dry_run_counts_without_writing(db: sa.Connection) -> None:
    ids = _ids(db)
    seeds = ensure_datasets(db, ["seeds"])["seeds"]
    sync_aliases(db, seeds, {ids["RUS"]: ["Russia"]})
    before = _aliases(db)
    counts = sync_aliases(db, seeds, {ids["RUS"]: ["Russian Federation"]}, dry_run=True)
    assert _counts(counts) == (1, 0, 0, 1)
    assert _aliases(db) == before


def test_a_stale_folded_form_is_refolded(db: sa.Connection) -> None:
    ids = _ids(db)
    seeds = ensure_datasets(db, ["seeds"])["seeds"]
    sync_aliases(db, seeds, {ids["CIV"]: ["Côte d'Ivoire"]})
    db.execute(sa.update(ALIAS).values(folded="côte d'ivoire"))
    counts = sync_aliases(db, seeds, {ids["CIV"]: ["Côte d'Ivoire"]})
    assert _counts(counts) == (0, 1, 0, 0)
    assert _aliases(db) == {("seeds", "CIV", "Côte d'Ivoire", "cote divoire")}


def test_an_overlong_name_is_refused_with_its_state(db: sa.Connection) -> None:
    seeds = ensure_datasets(db, ["seeds"])["seeds"]
    with pytest.raises(ValueError, match="longer than 300"):
        sync_aliases(db, seeds, {_ids(db)["RUS"]: ["x" * 301]})
