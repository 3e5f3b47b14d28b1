"""A state's names and codes in the API: the `name` filter over every alias, and `state(...)`
by ISO3, ISO2, M49 or COW code.

The `name` filter compares folded names (``app.services.names.fold``: no case, accents or
apostrophes): the folded display name (folded in SQL, so a state with no alias rows matches
too) and every alias's stored folded form, through an uncorrelated semi-join on
``state_alias``. It stays one condition of the `where`'s single statement.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from app.graphql.errors import InputError
from app.graphql.scalar_filters import _escape_like, compare
from app.models import State, StateAlias
from app.services.names import fold, folded_sql

ALIAS = StateAlias.__table__
STATE = State.__table__

NAME_FILTER = (
    "Conditions on the state's names: its display name and every alias (official name, UN, "
    "ISO, SIPRI and other datasets' spellings, see `aliases`). eq, in, contains and "
    "startsWith hold when one name matches them all, ignoring case, accents and apostrophes "
    "(\"cote divoire\" finds Côte d’Ivoire); neq and notIn hold when no name matches; lt, lte, "
    "gt, gte and isNull compare the display name as stored."
)

Conditions = Callable[[Any], list[sa.ColumnElement[bool]]]


def _matching(spec: Any, *, negated: bool) -> Conditions:
    """The conditions one folded name must meet: eq/in/contains/startsWith, or neq/notIn (as
    the names to avoid) when ``negated``."""
    if negated:
        if spec.neq is None and spec.not_in is None:
            return lambda column: []
        avoided = [fold(name) for name in [*([spec.neq] if spec.neq is not None else []),
                                           *(spec.not_in or [])]]
        return lambda column: [column.in_(avoided)]

    def conditions(column: Any) -> list[sa.ColumnElement[bool]]:
        found: list[sa.ColumnElement[bool]] = []
        if spec.eq is not None:
            found.append(column == fold(spec.eq))
        if spec.in_ is not None:
            found.append(column.in_([fold(name) for name in spec.in_]))
        if spec.contains is not None:
            found.append(column.like(f"%{_escape_like(fold(spec.contains))}%", escape="\\"))
        if spec.starts_with is not None:
            found.append(column.like(f"{_escape_like(fold(spec.starts_with))}%", escape="\\"))
        return found

    return conditions


def _some_name(state: Any, conditions: Conditions) -> sa.ColumnElement[bool] | None:
    """The display name or one alias of the state meets every condition (None: no conditions)."""
    display = conditions(folded_sql(state.c.name))
    if not display:
        return None
    aliases = sa.select(ALIAS.c.state_id).where(*conditions(ALIAS.c.folded))
    return sa.or_(sa.and_(*display), state.c.id.in_(aliases.correlate(None)))


def name_conditions(state: Any, spec: Any) -> list[sa.ColumnElement[bool]]:
    """The `name` filter of `StateWhere` on the state table (or alias) ``state``."""
    if spec is None:
        return []
    ordering = SimpleNamespace(**{op: getattr(spec, op) for op in ("lt", "lte", "gt", "gte", "is_null")})
    found = compare(state.c.name, ordering)
    if (some := _some_name(state, _matching(spec, negated=False))) is not None:
        found.append(some)
    if (avoided := _some_name(state, _matching(spec, negated=True))) is not None:
        found.append(sa.not_(avoided))
    return found


# Root `state(...)`: GraphQL argument -> (Python argument, how its value is compared).
STATE_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "iso3": ("iso3", lambda value: value.upper()),
    "iso2": ("iso2", lambda value: value.upper()),
    "m49": ("m49", int),
    "cowCode": ("cow_code", int),
}


def state_key_condition(args: dict[str, Any]) -> sa.ColumnElement[bool]:
    """The condition of `state(...)`: exactly one of iso3, iso2, m49 and cowCode given."""
    given = [name for name, (python, _) in STATE_KEYS.items() if args.get(python) is not None]
    if len(given) != 1:
        listed = ", ".join(STATE_KEYS)
        if not given:
            raise InputError(f"state: give one of {listed} (e.g. state(iso3: \"RUS\")).")
        raise InputError(f"state: {' and '.join(given)} were given together; give exactly one of "
                         f"{listed}.", argument=given[1])
    python, convert = STATE_KEYS[given[0]]
    return STATE.c[python] == convert(args[python])


def state_key_order() -> list[Any]:
    """Which state `state(...)` returns when several share the code (the Soviet Union and
    Russia share COW 365): one that has not left the UN, then the latest."""
    return [STATE.c.un_member_until.is_not(None), STATE.c.id.desc()]
