"""Regenerate the bulky seed files (states.csv and votes/*.csv) from the public files.

Run from the repository root:  python seeds/tools/build_seeds.py [path/to/shared/data]

The output is committed; `atlas seed` reads only seeds/, never the public files. Hand-made
corrections live in CORRECTIONS below, so a rebuild keeps them (each one is explained in the
vote's notes and the resolution's notes in resolutions.yaml).
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import datetime
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1]
DEFAULT_DATA = SEEDS.parents[1] / "shared" / "data"

# UN member names (as the Wikipedia-derived list spells them) that the code list's English
# name and UN name do not match; checked by hand against the code list.
NAME_FIXES = {
    "Czech Republic": "CZE",
    "Democratic Republic of the Congo": "COD",
    "Republic of the Congo": "COG",
    "Ivory Coast": "CIV",
    "North Korea": "PRK",
    "South Korea": "KOR",
    "East Timor": "TLS",
    "Federated States of Micronesia": "FSM",
    "The Gambia": "GMB",
    "The Bahamas": "BHS",
    "Cape Verde": "CPV",
    "Eswatini": "SWZ",
    "São Tomé and Príncipe": "STP",
}
# Parties that are not UN members but that seeded facts or the brief need.
EXTRA_STATES = {
    "VAT": {"name": "Holy See", "un_observer": "true"},
    "PSE": {"name": "State of Palestine", "un_observer": "true"},
    "XKX": {"name": "Kosovo", "iso2": "XK"},
    "TWN": {"name": "Taiwan"},
}
# Short names: the code list's English name, except where it reads oddly in an API.
SHORT_NAMES = {
    "COD": "Democratic Republic of the Congo", "COG": "Republic of the Congo",
    "MMR": "Myanmar", "FSM": "Micronesia", "CIV": "Côte d'Ivoire",
    "VCT": "Saint Vincent and the Grenadines",
}
POSITIONS = {"YES": "YES", "NO": "NO", "ABSTAIN": "ABSTAIN", "NV": "NON_VOTING"}
# (symbol, iso3) -> (position to store, note). Empty: the file's values are kept (see notes).
CORRECTIONS: dict[tuple[str, str], tuple[str, str]] = {}
VOTE_NOTES: dict[tuple[str, str], str] = {
    ("A/RES/ES-11/5", "BHS"): (
        "Recorded as NO, as in the UN Digital Library extract and the press lists of 14 Nov 2022."
        " The Bahamas' foreign minister told Parliament on 16 Nov 2022 that the vote was recorded"
        " in error and the Bahamas meant to abstain; the UN record cannot be changed, so we keep"
        " the recorded NO (source: nassau-guardian-2022-11-17-bahamas-vote)."
    ),
    ("A/RES/ES-11/5", "BOL"): (
        "Recorded as ABSTAIN, as in the UN Digital Library extract. The extract's provenance note"
        " says the official record may have Bahamas and Bolivia the other way round; the press"
        " lists of 14 Nov 2022 we found agree with the extract (Bolivia abstaining). Record"
        " 3994052 itself was not checked directly."
    ),
}


def slug(symbol: str) -> str:
    """A/RES/ES-11/4 -> a-res-es-11-4 (the vote file's name)."""
    return re.sub(r"[^a-z0-9]+", "-", symbol.lower()).strip("-")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("&", "and"))


def build_states(data: Path) -> list[dict[str, str]]:
    code_list = data / "country-codes/codelist_without_cldr.csv"
    codes = list(csv.DictReader(code_list.open(encoding="utf-8")))
    by_iso3 = {row["iso3c"]: row for row in codes if row["iso3c"]}
    by_name: dict[str, dict[str, str]] = {}
    for row in codes:
        for key in ("country.name.en", "un.name.en", "iso.name.en"):
            if row[key]:
                by_name.setdefault(_norm(row[key]), row)
    states: list[dict[str, str]] = []
    unmatched: list[str] = []
    for line in (data / "country-codes/un_members.csv").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, _url, admitted, *_ = [part.strip() for part in line.split(", ")]
        row = by_iso3.get(NAME_FIXES.get(name, "")) or by_name.get(_norm(name))
        if row is None:
            for candidate in codes:  # last resort: the code list's own name pattern
                pattern = candidate["country.name.en.regex"]
                if pattern and candidate["iso3c"] and re.search(pattern, name, re.IGNORECASE):
                    row = candidate
                    break
        if row is None:
            unmatched.append(name)
            continue
        state = _state(row, _short_name(row),
                       datetime.strptime(admitted, "%d %B %Y").date().isoformat())
        if name != state["name"]:
            state["official_name"] = name  # the UN's formal name, e.g. Russian Federation
        states.append(state)
    if unmatched or len(states) != 193 or len({s["iso3"] for s in states}) != 193:
        raise SystemExit(f"UN members not matched one to one: unmatched={unmatched}, "
                         f"n={len(states)}")
    for iso3, extra in EXTRA_STATES.items():
        row = by_iso3.get(iso3) or next(r for r in codes if r["country.name.en"] == extra["name"])
        state = _state(row, extra["name"], "", extra.get("un_observer", "false"))
        state["iso3"], state["iso2"] = iso3, extra.get("iso2", state["iso2"])
        states.append(state)
    return sorted(states, key=lambda s: s["iso3"])


def _short_name(row: dict[str, str]) -> str:
    name = SHORT_NAMES.get(row["iso3c"], row["country.name.en"])
    return name.replace(" & ", " and ").replace("St. ", "Saint ")


def _state(row: dict[str, str], name: str, admitted: str,
           observer: str = "false") -> dict[str, str]:
    return {
        "iso3": row["iso3c"], "iso2": row["iso2c"], "m49": row["un"] or row["iso3n"],
        "cow_code": row["cown"], "name": name, "official_name": "",
        "region": row["un.region.name"],
        "subregion": row["un.regionsub.name"], "un_member_from": admitted,
        "un_observer": observer,
        # The UN's list also names the two observer states.
        "sources": ("un-member-states;countrycode-codelist" if admitted or observer == "true"
                    else "countrycode-codelist"),
    }


def build_votes(data: Path) -> dict[str, list[dict[str, str]]]:
    votes: dict[str, list[dict[str, str]]] = {}
    path = data / "unga-ukraine-votes/unga_ukraine_votes_long.csv"
    for row in csv.DictReader(path.open(encoding="utf-8")):
        key = (row["resolution"], row["iso3"])
        position, note = CORRECTIONS.get(key, (POSITIONS[row["vote"]], VOTE_NOTES.get(key, "")))
        votes.setdefault(row["resolution"], []).append(
            {"iso3": row["iso3"], "position": position, "note": note}
        )
    return votes


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    states = build_states(data)
    with (SEEDS / "states.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(states[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(states)
    for symbol, rows in build_votes(data).items():
        path = SEEDS / "votes" / f"{slug(symbol)}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["iso3", "position", "note"],
                                    lineterminator="\n")
            writer.writeheader()
            writer.writerows(sorted(rows, key=lambda r: r["iso3"]))
    print(f"wrote {len(states)} states and the votes of {len(build_votes(data))} roll calls")


if __name__ == "__main__":
    main()
