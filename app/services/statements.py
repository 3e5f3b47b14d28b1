"""Datasets, their precedence, and how statements become one served value.

A statement is what one dataset says about one fact row: a JSON object of field -> value
(``app.models.datasets``). Values are stored in a portable form (dates as ``YYYY-MM-DD``,
enumerations by name, states by ISO3 code, lists as lists) so that statements compare equal
whatever order the loaders ran in. A field a dataset leaves empty is not a statement: only
values are asserted, so a code list with no M49 code for Taiwan asserts nothing about it.

The rule that picks the served value (``PRECEDENCE``): for each field, the first dataset in the
field's precedence list (``FIELD_PRECEDENCE``, else the datasets' own ``precedence`` rank) that
asserts a value, among the statements not retired. Two current statements with different values
for a compared field are a *discrepancy*; both values stay and the API lists them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.models import Dataset
from app.services.upsert import Counts


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset's key, title, publisher and rank (lower wins when values disagree)."""

    key: str
    title: str
    publisher: str
    precedence: int


DATASETS: dict[str, DatasetInfo] = {info.key: info for info in (
    DatasetInfo("seeds", "Alignment Atlas curated seeds", "Alignment Atlas", 0),
    # Rows the database held before they had statements (written by hand, or by a version
    # without the merge model): kept as they were, just after our curated seeds.
    DatasetInfo("legacy", "Values held before statements were recorded", "Alignment Atlas", 5),
    DatasetInfo("country-codes", "Country code crosswalk and UN member list",
                "countrycode R package; Wikipedia", 10),
    DatasetInfo("undl-votes", "UN Digital Library voting data", "United Nations Digital Library", 20),
    DatasetInfo("sipri", "SIPRI Arms Transfers Database, trade register",
                "Stockholm International Peace Research Institute (SIPRI)", 20),
    DatasetInfo("opensanctions-programs", "OpenSanctions sanctions programmes", "OpenSanctions", 20),
    DatasetInfo("atop", "Alliance Treaty Obligations and Provisions v4", "ATOP project (Leeds, Ritter, Mitchell and Long)", 20),
    DatasetInfo("atlas-states", "States list carried by the Alignment Atlas importers",
                "Alignment Atlas", 90),
)}

# Per-field exceptions to the datasets' rank: a code list is the authority on codes.
FIELD_PRECEDENCE: dict[tuple[str, str], tuple[str, ...]] = {
    ("state", "iso2"): ("country-codes", "seeds", "atlas-states"),
    ("state", "m49"): ("country-codes", "seeds", "atlas-states"),
    ("state", "cow_code"): ("country-codes", "seeds", "atlas-states"),
}

# Fields whose values are each dataset's own wording, not claims that can contradict each
# other: they follow precedence but are never reported as discrepancies. A state's names are
# kept as aliases instead (``state_alias``).
WORDING: dict[str, frozenset[str]] = {
    "state": frozenset({"name", "official_name", "region", "subregion"}),
    "resolution": frozenset({"title", "tags", "notes", "symbol", "session", "vote_notes"}),
    "sanctions_regime": frozenset({"name", "authority", "legal_basis", "summary", "url"}),
    "arms_transfer": frozenset({"comments", "weapon_description", "supplier_name",
                                "recipient_name", "sipri_status", "delivery_years"}),
    "alliance": frozenset({"name", "short_name", "notes", "key"}),
    "alliance_membership": frozenset({"notes"}),
}

# Fields holding a collection of independent claims: the served collection is the union of
# the datasets' ones (each source, denial, transit or violation stands on its own). A regime's
# ``measures`` are one value, a set: served from the first dataset by precedence, and a
# differing set is a discrepancy. ``votes`` and ``vote_notes`` are maps from ISO3 code,
# merged per state by precedence.
COLLECTIONS = frozenset({"denials", "transits", "violations", "sources"})
MAPS = frozenset({"votes", "vote_notes"})


_PLAIN = (str, int, float, bool, list, dict)


def encode(value: Any) -> Any:
    """A value in its stored JSON form (dates as text, enumerations by name)."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dumps(data: Mapping[str, Any]) -> str:
    """The canonical JSON text of a statement (sorted keys, no spaces, UTF-8 as is)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def loads(text: str) -> Any:
    """A statement's values from their JSON text."""
    return orjson.loads(text)


@dataclass(frozen=True)
class Statement:
    """One dataset's values for one row, as read back from a ``*_statement`` table."""

    dataset: str
    data: dict[str, Any]
    source_id: int | None
    retired_by_source_id: int | None = None

    @property
    def current(self) -> bool:
        return self.retired_by_source_id is None


def rank(entity: str, field: str, dataset: str) -> tuple[int, int, str]:
    """Sort key of a dataset for a field: the per-field order first, then the dataset's rank."""
    order = FIELD_PRECEDENCE.get((entity, field))
    place = order.index(dataset) if order and dataset in order else len(order or ())
    return (place, DATASETS[dataset].precedence, dataset)


def _in_force(statements: Sequence[Statement]) -> list[Statement]:
    """The statements that decide a row: the current ones, or all when every one is retired
    (a retired row keeps the values it had)."""
    current = [s for s in statements if s.current]
    return current or list(statements)


def merge(entity: str, statements: Sequence[Statement]) -> dict[str, Any]:
    """The served values of one row: per field, the value of the first dataset by precedence.

    Collections are unions (sorted, duplicates dropped); maps merge key by key.
    """
    deciding = _in_force(statements)
    fields = {name for s in deciding for name in s.data}
    merged: dict[str, Any] = {}
    for name in sorted(fields):
        ordered = sorted((s for s in deciding if s.data.get(name) is not None),
                         key=lambda s: rank(entity, name, s.dataset))
        if not ordered:
            continue
        if name in COLLECTIONS:
            seen: dict[str, Any] = {}
            for s in ordered:
                for item in s.data[name]:
                    seen.setdefault(dumps({"v": item}), item)
            merged[name] = [seen[k] for k in sorted(seen)]
        elif name in MAPS:
            combined: dict[str, Any] = {}
            for s in ordered:
                for key, value in s.data[name].items():
                    combined.setdefault(key, value)
            merged[name] = combined
        else:
            merged[name] = ordered[0].data[name]
    return merged


@dataclass(frozen=True)
class Discrepancy:
    """A field on which current statements disagree, with every dataset's value."""

    field: str
    values: tuple[tuple[Any, str, int | None], ...]  # (value, dataset key, source id)


def discrepancies(entity: str, statements: Sequence[Statement]) -> list[Discrepancy]:
    """Fields (and per-state votes, as ``votes.<ISO3>``) on which current statements differ."""
    current = sorted((s for s in statements if s.current),
                     key=lambda s: (DATASETS[s.dataset].precedence, s.dataset))
    if len(current) < 2:
        return []
    wording = WORDING.get(entity, frozenset())
    found: list[Discrepancy] = []
    names = sorted({name for s in current for name in s.data} - wording - COLLECTIONS)
    for name in names:
        if name in MAPS:
            keys = sorted({key for s in current for key in (s.data.get(name) or {})})
            for key in keys:
                values = tuple((s.data[name][key], s.dataset, s.source_id) for s in current
                               if (s.data.get(name) or {}).get(key) is not None)
                if len({dumps({"v": v}) for v, _, _ in values}) > 1:
                    found.append(Discrepancy(f"{name}.{key}", values))
            continue
        values = tuple((s.data[name], s.dataset, s.source_id) for s in current
                       if s.data.get(name) is not None)
        ordered = sorted(values, key=lambda v: rank(entity, name, v[1]))
        if len({dumps({"v": v}) for v, _, _ in ordered}) > 1:
            found.append(Discrepancy(name, tuple(ordered)))
    return found


def display(value: Any) -> str:
    """A stored value as text for the API (lists joined with '; ')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(display(item) for item in value)
    if isinstance(value, dict):
        return dumps(value)
    return str(value)


def register_datasets(connection: Connection) -> Counts:
    """Insert the datasets the database lacks (every one ``DATASETS`` knows); a loader calls it
    first so that its report counts them."""
    table = Dataset.__table__
    held = set(connection.execute(sa.select(table.c.key)).scalars())
    missing = [key for key in DATASETS if key not in held]
    ensure_datasets(connection, missing)
    return Counts(inserted=len(missing), unchanged=len(held & set(DATASETS)))


def ensure_datasets(connection: Connection, keys: Iterable[str] | None = None) -> dict[str, int]:
    """Ids of the datasets (all known ones by default), inserting the missing rows."""
    table = Dataset.__table__
    wanted = list(keys) if keys is not None else list(DATASETS)
    found = dict(connection.execute(sa.select(table.c.key, table.c.id)
                                    .where(table.c.key.in_(wanted))).all())
    for key in wanted:
        if key not in found:
            info = DATASETS[key]
            found[key] = connection.execute(
                sa.insert(table).returning(table.c.id),
                {"key": key, "title": info.title, "publisher": info.publisher,
                 "precedence": info.precedence}).scalar_one()
    return found


def read_statements(connection: Connection, entity: str,
                    owner_ids: Iterable[int]) -> dict[int, list[Statement]]:
    """Every statement about the given rows, by row id."""
    from app.models import STATEMENTS

    table = STATEMENTS[entity]
    owner = table.c[f"{entity}_id"]
    dataset = Dataset.__table__
    found: dict[int, list[Statement]] = {}
    ids = sorted(set(owner_ids))
    for start in range(0, len(ids), 5000):
        query = (sa.select(owner, dataset.c.key, table.c.data, table.c.source_id,
                           table.c.retired_by_source_id)
                 .join(dataset, dataset.c.id == table.c.dataset_id)
                 .where(owner.in_(ids[start:start + 5000])))
        for row_id, key, data, source_id, retired in connection.execute(query):
            found.setdefault(row_id, []).append(Statement(key, orjson.loads(data), source_id, retired))
    return found
