"""Reading seed files with line numbers, and typed access to their fields.

Every value is read through a :class:`Record`, which knows the file and line it came from, so a
bad value becomes a :class:`SeedError` that points at it.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml

from app.seeding.errors import SeedError

E = TypeVar("E", bound=enum.Enum)


class _Located(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader whose mappings carry line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Located:
    mapping = _Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = value_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# YAML 1.1 reads yes/no/on/off as booleans, which would turn a tally's `yes:` and `no:` keys
# into True/False; only true/false are booleans here (as in YAML 1.2). Dates stay strings so
# that Record.date reports an impossible one (2024-02-30) with its file and line.
_DROPPED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class Record:
    """One row (CSV) or mapping (YAML) of a seed file, with typed, error-reporting getters."""

    def __init__(self, file: str, line: int, data: dict[str, Any],
                 key_lines: dict[str, int] | None = None) -> None:
        self.file = file
        self.line = line
        self.data = data
        self._key_lines = key_lines or {}

    def error(self, reason: str, field: str | None = None) -> SeedError:
        return SeedError(self.file, self._key_lines.get(field or "", self.line), reason)

    def raw(self, field: str) -> Any:
        value = self.data.get(field)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def text(self, field: str, *, required: bool = False) -> str | None:
        value = self.raw(field)
        if value is None:
            if required:
                raise self.error(f"'{field}' is required", field)
            return None
        return str(value)

    def required(self, field: str) -> str:
        value = self.text(field, required=True)
        assert value is not None
        return value

    def date(self, field: str) -> dt.date | None:
        value = self.raw(field)
        if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.error(f"'{field}' is not a date: {value!r} (write YYYY-MM-DD)",
                             field) from None

    def integer(self, field: str) -> int | None:
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, bool):
            raise self.error(f"'{field}' must be a whole number, not {value!r}", field)
        try:
            return int(str(value))
        except ValueError:
            raise self.error(f"'{field}' must be a whole number, not {value!r}", field) from None

    def number(self, field: str) -> float | None:
        value = self.raw(field)
        if value is None:
            return None
        try:
            return float(str(value))
        except ValueError:
            raise self.error(f"'{field}' must be a number, not {value!r}", field) from None

    def flag(self, field: str) -> bool:
        value = self.raw(field)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "yes", "1"):
            return True
        if str(value).lower() in ("false", "no", "0"):
            return False
        raise self.error(f"'{field}' must be true or false, not {value!r}", field)

    def choice(self, field: str, enum_cls: type[E], *, default: E | None = None) -> E:
        value = self.raw(field)
        if value is None:
            if default is not None:
                return default
            raise self.error(f"'{field}' is required (one of {_names(enum_cls)})", field)
        try:
            return enum_cls[str(value).upper()]
        except KeyError:
            raise self.error(
                f"'{field}' has unknown value {value!r}; expected one of {_names(enum_cls)}", field
            ) from None

    def choices(self, field: str, enum_cls: type[E]) -> list[E]:
        """A list of enumeration names (YAML list or ';'-separated), without repeats."""
        found: dict[E, None] = {}
        for name in self.keys(field):
            try:
                found[enum_cls[name.upper()]] = None
            except KeyError:
                raise self.error(f"'{field}' has unknown value {name!r}; expected one of "
                                 f"{_names(enum_cls)}", field) from None
        return list(found)

    def keys(self, field: str) -> list[str]:
        """A list of keys: a YAML list, or a CSV cell with ';'-separated values."""
        value = self.data.get(field)
        if value is None:
            return []
        if isinstance(value, str):
            return [part.strip() for part in value.split(";") if part.strip()]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return [item.strip() for item in value]
        raise self.error(f"'{field}' must be a list of keys", field)

    def child(self, field: str) -> Record | None:
        """A nested mapping (e.g. a resolution's tally) as a record of its own."""
        value = self.data.get(field)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(f"'{field}' must be a mapping (key: value lines)", field)
        return _record(self.file, value)

    def children(self, field: str) -> list[Record]:
        """Nested mappings (e.g. an alliance's members) as records of their own."""
        value = self.data.get(field) or []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(f"'{field}' must be a list of mappings", field)
        return [_record(self.file, item) for item in value]


def _names(enum_cls: type[enum.Enum]) -> str:
    return ", ".join(member.name for member in enum_cls)


def _record(file: str, item: dict[str, Any]) -> Record:
    return Record(file, getattr(item, "line", 0), dict(item), getattr(item, "key_lines", {}))


def read_yaml_list(root: Path, name: str) -> list[Record]:
    """The records of a YAML file whose top level is a list of mappings."""
    path = root / name
    if not path.is_file():
        raise SeedError(name, None, f"file not found in {root}")
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SeedError(name, mark.line + 1 if mark else None, f"not valid YAML: {exc}") from None
    if loaded is None:
        return []
    if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
        raise SeedError(name, 1, "the top level must be a list of mappings ('- key: value')")
    return [_record(name, item) for item in loaded]


def read_csv(root: Path, name: str, columns: set[str]) -> Iterator[Record]:
    """The rows of a CSV file with a header; ``columns`` must all be in the header."""
    path = root / name
    if not path.is_file():
        raise SeedError(name, None, f"file not found in {root}")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = columns - set(reader.fieldnames or [])
        if missing:
            raise SeedError(name, 1, f"header lacks column(s) {', '.join(sorted(missing))}")
        for row in reader:
            if None in row:
                raise SeedError(name, reader.line_num, "row has more cells than the header")
            yield Record(name, reader.line_num, dict(row))
