"""The committed seed files agree with the public files they were compiled from."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.seeding import DEFAULT_SEEDS_DIR, read_seeds
from app.services.sipri_ids import deal_group, deal_id

FILE_POSITIONS = {"YES": "YES", "NO": "NO", "ABSTAIN": "ABSTAIN", "NV": "NON_VOTING"}


@pytest.mark.shared_data
def test_seeded_votes_match_the_public_roll_calls(shared_data: Path) -> None:
    seeds = read_seeds()
    seeded = {(symbol, vote["iso3"]): vote["position"].name
              for symbol, votes in seeds.votes.items() for vote in votes}
    with (shared_data / "unga-ukraine-votes/unga_ukraine_votes_long.csv").open() as handle:
        public = {(row["resolution"], row["iso3"]): FILE_POSITIONS[row["vote"]]
                  for row in csv.DictReader(handle)}
    assert seeded == public


@pytest.mark.shared_data
def test_every_sipri_deal_to_russia_since_2022_is_seeded(shared_data: Path) -> None:
    lines = (shared_data / "sipri-trade-register/trade-register.csv").read_text(
        encoding="utf-8", errors="replace").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Recipient,Supplier"))
    deals = [row for row in csv.reader(lines[header + 1:])
             if row and row[0] == "Russia" and row[2].isdigit() and int(row[2]) >= 2022]
    seeded = {key: (f.row["weapon_designation"], f.row["ordered_year"], f.row["number_delivered"])
              for key, f in read_seeds().transfers.items() if key.startswith("sipri:")}
    assert set(seeded.values()) == {(row[6], int(row[2]), int(row[8]) if row[8] else None)
                                    for row in deals}
    # Each carries the id SIPRI's own row gets: the register's four naming values, first deal.
    assert set(seeded) == {deal_id(deal_group(row[0], row[1], row[2], row[6]), 1) for row in deals}


def test_the_loader_does_not_read_the_public_files() -> None:
    for path in [*DEFAULT_SEEDS_DIR.rglob("*.yaml"), *DEFAULT_SEEDS_DIR.rglob("*.csv"),
                 *(Path(__file__).parents[2] / "app" / "seeding").glob("*.py")]:
        assert "shared/data" not in path.read_text(encoding="utf-8"), path
