"""What the seed files ask for, validated, with references still as natural keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.models import Measure
from app.seeding.files import Record


@dataclass
class Fact:
    """One row to write, the keys of the sources it rests on, and where it was read."""

    row: dict[str, Any]
    sources: list[str]
    record: Record


@dataclass
class SeedSet:
    """Everything a seed folder holds, checked and ready to write."""

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    states: dict[str, Fact] = field(default_factory=dict)
    resolutions: dict[str, Fact] = field(default_factory=dict)
    votes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    regimes: dict[str, Fact] = field(default_factory=dict)
    measures: dict[str, list[Measure]] = field(default_factory=dict)
    transfers: dict[str, Fact] = field(default_factory=dict)
    denials: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    transits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    alliances: dict[str, Fact] = field(default_factory=dict)
    memberships: dict[str, list[Fact]] = field(default_factory=dict)

    def source_keys(self, record: Record, keys: list[str], *, what: str,
                    required: bool = True) -> list[str]:
        """Check that ``keys`` name sources of sources.yaml (and that there is one, if required)."""
        if required and not keys:
            raise record.error(f"{what} has no source: list at least one key of sources.yaml",
                               "sources")
        for key in keys:
            if key not in self.sources:
                raise record.error(f"unknown source {key!r}: add it to sources.yaml or fix the key",
                                   "sources")
        return keys

    def state(self, record: Record, field_name: str, *, required: bool = True) -> str | None:
        """The iso3 in ``field_name``, checked against states.csv."""
        iso3 = record.text(field_name, required=required)
        if iso3 is None:
            return None
        iso3 = iso3.upper()
        if iso3 not in self.states:
            raise record.error(f"unknown iso3 {iso3!r} in '{field_name}': add the state to "
                               "states.csv or fix the code", field_name)
        return iso3
