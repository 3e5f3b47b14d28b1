"""`atlas import undl-votes` on the real UN Digital Library extract and on broken files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from app.cli import cli
from app.importers import ImportFailure
from app.importers.undl_votes import import_undl_votes
from app.models import Position, Resolution, Source, State, Vote
from app.models.links import resolution_source

SAMPLE = Path("unga-ukraine-votes") / "unga_ukraine_resolutions_extract.csv"
NAMED = ("id,Council,Date,Title,Resolution,country,subregion,continent,tags,TOTAL VOTES,"
         "NO-VOTE COUNT,ABSTAIN COUNT,NO COUNT,YES COUNT,Link,token,Scrape_Year")


def wide_csv(tmp_path: Path, rows: list[str], states: str = "FRA,RUS,USA") -> Path:
    """A small file in the UNDL wide layout; each row gives the named cells then the votes."""
    path = tmp_path / "votes.csv"
    path.write_text("\n".join([f"{NAMED},{states}", *rows]) + "\n", encoding="utf-8")
    return path


def ga_row(token: str, symbol: str = "A/RES/77/1", date: str = "2022-10-12",
           tallies: str = "3.0,,,1.0,2.0", votes: str = "YES,NO,YES") -> str:
    # tallies: TOTAL, NO-VOTE, ABSTAIN, NO, YES, as the real file orders them
    return (f"1,General Assembly,{date},A title : resolution / adopted by the General Assembly,"
            f"{symbol},UA,,,TAGS,{tallies},https://digitallibrary.un.org/record/{token},"
            f"{token},2022,{votes}")


def positions(engine: Engine, record_id: str) -> dict[str, Position]:
    query = (sa.select(State.iso3, Vote.position).join(Vote, Vote.state_id == State.id)
             .join(Resolution, Resolution.id == Vote.resolution_id)
             .where(Resolution.undl_record_id == record_id))
    with engine.connect() as connection:
        return dict(connection.execute(query).all())


@pytest.mark.shared_data
def test_real_extract_lands_with_es_11_4_tallies(engine: Engine, shared_data: Path) -> None:
    report = import_undl_votes(engine, shared_data / SAMPLE)
    assert report.counts["resolution"].inserted == 7
    assert report.warnings == []
    votes = positions(engine, "3990400")
    assert sorted(iso3 for iso3, position in votes.items() if position is Position.NO) == [
        "BLR", "NIC", "PRK", "RUS", "SYR"]
    by_position = {p: sum(1 for v in votes.values() if v is p) for p in Position}
    assert by_position == {Position.YES: 143, Position.NO: 5, Position.ABSTAIN: 35,
                           Position.NON_VOTING: 10}
    with engine.connect() as connection:
        es_11_4 = connection.execute(
            sa.select(Resolution).where(Resolution.undl_record_id == "3990400")).one()
        assert (es_11_4.symbol, es_11_4.voted_on.isoformat(), es_11_4.yes_count,
                es_11_4.no_count, es_11_4.abstain_count, es_11_4.non_voting_count) == (
            "A/RES/ES-11/4", "2022-10-12", 143, 5, 35, 10)
        assert es_11_4.session == "ES-11"
        source = connection.execute(sa.select(Source).where(Source.key.like("import:undl%"))).one()
        assert source.file_name == SAMPLE.name and len(source.sha256) == 64
        linked = connection.execute(sa.select(sa.func.count()).select_from(resolution_source)
                                    .where(resolution_source.c.source_id == source.id)).scalar()
        assert linked == 7


@pytest.mark.shared_data
def test_second_import_changes_nothing(engine: Engine, shared_data: Path) -> None:
    import_undl_votes(engine, shared_data / SAMPLE)
    again = import_undl_votes(engine, shared_data / SAMPLE)
    assert (again.total("inserted"), again.total("updated"), again.total("deleted")) == (0, 0, 0)
    assert again.counts["resolution"].unchanged == 7
    assert "vote" not in again.counts  # no roll call's statement changed: votes not even read


@pytest.mark.shared_data
def test_dry_run_reports_and_writes_nothing(engine: Engine, shared_data: Path,
                                           row_count: Callable[[str], int]) -> None:
    report = import_undl_votes(engine, shared_data / SAMPLE, dry_run=True)
    assert report.counts["vote"].inserted == 7 * 193
    assert row_count("resolution") == 0
    assert row_count("state") == 0


def test_untidy_tallies_and_repeated_placeholder_symbols(engine: Engine, tmp_path: Path) -> None:
    path = wide_csv(tmp_path, [
        ga_row("101", "A/RES/79/xxx", tallies="3,,,001,002"),
        ga_row("102", "A/RES/79/xxx", tallies="3.0,1,0,0,2", votes="YES,,YES"),
    ])
    report = import_undl_votes(engine, path)
    assert report.warnings == []
    with engine.connect() as connection:
        rows = connection.execute(sa.select(Resolution.undl_record_id, Resolution.symbol,
                                            Resolution.no_count, Resolution.abstain_count)
                                  .order_by(Resolution.undl_record_id)).all()
    assert rows == [("101", "A/RES/79/xxx", 1, 0), ("102", "A/RES/79/xxx", 0, 0)]
    assert positions(engine, "102")["RUS"] is Position.NON_VOTING


def test_newer_release_updates_a_changed_vote(engine: Engine, tmp_path: Path) -> None:
    import_undl_votes(engine, wide_csv(tmp_path, [ga_row("101")]))
    newer = import_undl_votes(engine, wide_csv(tmp_path, [ga_row("101", tallies="3,,1,,2",
                                                                 votes="YES,ABSTAIN,YES")]))
    assert newer.counts["vote"].updated == 1 and newer.counts["vote"].unchanged == 2
    assert positions(engine, "101")["RUS"] is Position.ABSTAIN


def test_states_not_yet_members_get_no_vote(engine: Engine, tmp_path: Path) -> None:
    # South Sudan joined the UN in 2011: its empty cell in 1990 is not a non-vote.
    path = wide_csv(tmp_path, [ga_row("7", date="1990-12-01", tallies="2,,,1,1",
                                      votes="YES,NO,")], states="FRA,RUS,SSD")
    import_undl_votes(engine, path)
    assert positions(engine, "7") == {"FRA": Position.YES, "RUS": Position.NO}


def test_tally_the_votes_contradict_is_kept_and_reported(engine: Engine, tmp_path: Path) -> None:
    path = wide_csv(tmp_path, [ga_row("101", tallies="3,,,1,1")])
    report = import_undl_votes(engine, path)
    assert len(report.warnings) == 1
    assert "line 2" in report.warnings[0] and "yes 2 (tally 1)" in report.warnings[0]
    assert len(positions(engine, "101")) == 3


@pytest.mark.parametrize(
    ("rows", "states", "line", "reason"),
    [
        ([ga_row("1"), ga_row("2", date="2022-13-45")], "FRA,RUS,USA", 3, "'2022-13-45' is not a date"),
        ([ga_row("1")], "FRA,RUS,XYZ", 1, "unknown ISO3 column(s) XYZ"),
        ([ga_row("1", votes="YES,NO")], "FRA,RUS,USA", 2, "19 cells where the header has 20"),
        ([ga_row("1"), ga_row("1")], "FRA,RUS,USA", 3, "record 1 is already on line 2"),
        ([ga_row("1", votes="YES,MAYBE,NO")], "FRA,RUS,USA", 2, "column RUS: 'MAYBE' is not a vote"),
    ],
    ids=["bad-date", "unknown-iso3", "too-few-cells", "same-record-twice", "bad-vote"],
)
def test_broken_file_writes_nothing_and_names_file_and_line(
    engine: Engine, tmp_path: Path, rows: list[str], states: str, line: int, reason: str,
    row_count: Callable[[str], int],
) -> None:
    path = wide_csv(tmp_path, rows, states)
    with pytest.raises(ImportFailure) as failure:
        import_undl_votes(engine, path)
    assert (failure.value.path, failure.value.line) == (path, line)
    assert reason in failure.value.reason
    for table in ("state", "source", "resolution", "vote"):
        assert row_count(table) == 0


def test_cli_exit_code_message_and_quiet(migrated_db: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", migrated_db)
    runner = CliRunner()
    bad = wide_csv(tmp_path, [ga_row("1", date="12/10/2022")])
    failed = runner.invoke(cli, ["import", "undl-votes", str(bad)])
    assert failed.exit_code == 1
    assert f"{bad}:2:" in "".join(failed.output.split())
    good = wide_csv(tmp_path, [ga_row("1")])
    first = runner.invoke(cli, ["import", "undl-votes", str(good), "--quiet"])
    assert first.exit_code == 0 and first.output == ""
    second = runner.invoke(cli, ["import", "undl-votes", str(good)])
    assert second.exit_code == 0 and "Nothing changed" in second.output


def test_cli_on_a_database_without_tables_fails_cleanly(empty_db: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", empty_db)
    result = CliRunner().invoke(cli, ["import", "undl-votes", str(wide_csv(tmp_path, [ga_row("1")]))])
    assert result.exit_code == 1
    assert "atlas db upgrade" in " ".join(result.output.split())


def test_security_council_rows_store_only_the_council_members(engine: Engine,
                                                              tmp_path: Path) -> None:
    row = ga_row("9", symbol="S/RES/2623(2022)", tallies="2,,,,2", votes="YES,,YES")
    import_undl_votes(engine, wide_csv(tmp_path, [row.replace("General Assembly", "Security Council", 1)]))
    assert positions(engine, "9") == {"FRA": Position.YES, "USA": Position.YES}
    with engine.connect() as connection:
        body, session = connection.execute(sa.select(Resolution.body, Resolution.session)).one()
    assert (body.value, session) == ("SECURITY_COUNCIL", None)
