"""`atlas import opensanctions-programs`: OpenSanctions programme and issuer YAML files.

Input: a folder with ``programs/*.yml`` (key, title, url, summary, issuer, aliases,
target_territories as lower-case ISO2, measures from OpenSanctions' vocabulary) and
``issuers/*.yml`` (name, organisation, territory).

Decisions:
- A programme's ``key`` (EU-RUS, UN-SC1718 ...) is the regime's ``code``; title -> name,
  summary, url as published. ``legal_basis`` is the aliases (legal instruments and other names)
  joined by "; ". The files carry no dates, so ``started_on``/``ended_on`` are never touched.
- ``authority`` is the issuer's name, with its organisation when that adds something
  ("Office of Foreign Assets Control (United States Treasury)"); ``authority_state`` is the
  issuer's territory when that is a state. ``target_state`` is set when a programme targets
  exactly one state; thematic or several-territory programmes have none.
- Measures map onto ours (see ``MEASURES``); a term outside that list becomes OTHER and is
  reported.
- Programmes are OpenSanctions' statements (``app.services.merge``): a seeded regime with the
  same key is the same row; our curated names, dates and measures win by precedence and stay
  (a regime's measures are the union of what the datasets assert). A newer folder that lacks a
  programme retires it (kept, marked, left out of lists).
- The folder is one import: one transaction and one source (its checksum covers every file),
  so a broken file leaves the database as it was and the error names that file and line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection, Engine

from app.db import all_or_nothing
from app.importers.errors import ImportFailure
from app.importers.provenance import file_source_key, record_source
from app.importers.reading import DataFile, read_data_file
from app.importers.reference_states import ensure_states, reference_states
from app.importers.report import ImportReport, Progress, no_progress
from app.models import Measure, State
from app.services.merge import Claim, claim_values, merge_claims
from app.services.statements import register_datasets

FORMAT = "opensanctions-programs"
MEASURES: dict[str, Measure] = {
    "asset freeze": Measure.ASSET_FREEZE, "travel ban": Measure.TRAVEL_BAN,
    "arms embargo": Measure.ARMS_EMBARGO, "arms restrictions": Measure.ARMS_EMBARGO,
    "export control": Measure.TRADE, "import restrictions": Measure.TRADE,
    "services ban": Measure.TRADE, "financial restrictions": Measure.FINANCIAL,
    "investment ban": Measure.FINANCIAL, "prohibition to satisfy claims": Measure.FINANCIAL,
    "sectoral sanctions": Measure.SECTORAL, "transportation restrictions": Measure.SECTORAL,
    "debarment": Measure.OTHER, "aid suspension": Measure.OTHER,
}

# OpenSanctions' pseudo-territories for programmes with no target state (global, cyberspace).
NOT_STATES = {"ZZ", "IP"}


def _load_yaml(data: DataFile) -> dict[str, Any]:
    try:
        document = yaml.safe_load(data.text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ImportFailure(data.path, line, f"not valid YAML: {exc.problem}") from None
    if not isinstance(document, dict):
        raise ImportFailure(data.path, 1, "expected a mapping of fields (key: value)")
    return document


def _line_of(data: DataFile, field: str) -> int:
    for number, line in enumerate(data.text.splitlines(), start=1):
        if line.startswith(f"{field}:"):
            return number
    return 1


def _text(data: DataFile, document: dict[str, Any], field: str) -> str:
    value = document.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ImportFailure(data.path, _line_of(data, field), f"field {field!r} is missing or "
                            "not text")
    return value.strip()


def _list(data: DataFile, document: dict[str, Any], field: str) -> list[str]:
    value = document.get(field) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ImportFailure(data.path, _line_of(data, field), f"field {field!r} must be a list "
                            "of texts")
    return [item.strip() for item in value]


def _folder_files(folder: Path, sub: str) -> list[Path]:
    files = sorted((folder / sub).glob("*.yml")) if (folder / sub).is_dir() else []
    if not files:
        raise ImportFailure(folder, None, f"no {sub}/*.yml files; give the folder that holds "
                            "programs/ and issuers/")
    return files


def _states_by_iso2(connection: Connection, codes: set[str], report: ImportReport) -> dict[str, str]:
    """ISO3 codes for ISO2 codes (the carried list first, then the state table), each asserted
    by the carried list as the importers do; codes neither knows are left out."""
    carried = {row["iso2"]: iso3 for iso3, row in reference_states().items() if row["iso2"]}
    found = {code: carried[code] for code in codes if code in carried}
    table = State.__table__
    rest = sorted(codes - set(found))
    if rest:
        found.update(dict(connection.execute(sa.select(table.c.iso2, table.c.iso3)
                                             .where(table.c.iso2.in_(rest))).all()))
    _states, created = ensure_states(connection, sorted(set(found.values())), report.add)
    report.add("state", created)
    return found


def import_opensanctions_programs(engine: Engine, folder: Path, *, dry_run: bool = False,
                                  progress: Progress = no_progress) -> ImportReport:
    """Import the programmes of an OpenSanctions ``meta`` folder in one transaction."""
    report = ImportReport(FORMAT, folder, dry_run)
    issuers = {path.stem: read_data_file(path) for path in _folder_files(folder, "issuers")}
    programs = [read_data_file(path) for path in _folder_files(folder, "programs")]
    with all_or_nothing(engine, dry_run=dry_run) as connection:
        _import(connection, folder, issuers, programs, report, progress)
    return report


def _import(connection: Connection, folder: Path, issuer_files: dict[str, DataFile],
            programs: list[DataFile], report: ImportReport, progress: Progress) -> None:
    report.add("dataset", register_datasets(connection))
    issuers = {name: _load_yaml(data) for name, data in issuer_files.items()}
    parsed: list[tuple[DataFile, dict[str, Any], list[str]]] = []
    for data in programs:
        document = _load_yaml(data)
        _text(data, document, "key")
        issuer = _text(data, document, "issuer")
        if issuer not in issuers:
            raise ImportFailure(data.path, _line_of(data, "issuer"), f"issuer {issuer!r} has no "
                                f"issuers/{issuer}.yml")
        parsed.append((data, document, [t.lower() for t in _list(data, document, "target_territories")]))
    codes = {str(issuers[doc["issuer"]].get("territory") or "").lower() for _, doc, _ in parsed}
    codes |= {targets[0] for _, _, targets in parsed if len(targets) == 1}
    states = _states_by_iso2(connection, {code.upper() for code in codes if code}, report)
    manifest = "\n".join(f"{d.path.relative_to(folder)} {d.sha256}"
                         for d in [*issuer_files.values(), *programs])
    folder_data = DataFile(folder, manifest, hashlib.sha256(manifest.encode()).hexdigest(), "utf-8")
    _source_id, counts = record_source(
        connection, folder_data, kind=FORMAT, publisher="OpenSanctions",
        title=f"OpenSanctions sanctions programmes ({len(programs)} programmes, "
              f"{len(issuer_files)} issuers)", url="https://www.opensanctions.org/programs/")
    report.add("source", counts)
    release = file_source_key(connection, FORMAT, folder_data)
    claims = []
    for data, document, targets in parsed:
        issuer = issuers[document["issuer"]]
        authority = str(issuer.get("name") or document["issuer"])
        # A national agency reads better with its ministry; "UN Security Council" needs no more.
        if issuer.get("territory") and issuer.get("organisation") and (
                issuer["organisation"] not in authority):
            authority = f"{authority} ({issuer['organisation']})"
        territory = str(issuer.get("territory") or "").upper()
        target = targets[0].upper() if len(targets) == 1 else ""
        if target and target not in states and target not in NOT_STATES:
            report.warnings.append(f"{data.name}: target territory {target!r} is not a known "
                                   "state; regime imported without a target state")
        aliases = _list(data, document, "aliases")
        key = _text(data, document, "key")
        measures = set()
        for term in _list(data, document, "measures"):
            if term.lower() not in MEASURES:
                report.warnings.append(f"{data.name}: measure {term!r} is not one we know; "
                                       "imported as OTHER")
            measures.add(MEASURES.get(term.lower(), Measure.OTHER).name)
        claims.append(Claim((key,), claim_values({
            "code": key, "name": _text(data, document, "title"), "authority": authority[:200],
            "authority_state": states.get(territory), "target_state": states.get(target),
            "legal_basis": "; ".join(aliases) or None, "summary": document.get("summary"),
            "url": document.get("url"),
        }, measures=sorted(measures), sources=[release])))
    result = merge_claims(connection, "sanctions_regime", FORMAT, claims, release_key=release,
                          complete=True, keep_earlier_sources=True)
    report.add("sanctions_regime", result.counts)
    for table, link_counts in result.links.items():
        report.add(table, link_counts)
    report.facts["programmes"] = len(programs)
    progress(len(programs), len(programs))
