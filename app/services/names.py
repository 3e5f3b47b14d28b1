"""State names: how a name is folded for matching, and each dataset's aliases of a state.

A state is known by many spellings (our short name, the official name, the UN's, ISO's, SIPRI's
...). Each dataset's spellings are rows of ``state_alias`` with their *folded* form: the name
transliterated to ASCII (``anyascii``: "Côte d’Ivoire" -> "Cote d'Ivoire"), lower-cased, with
apostrophes dropped, so that "cote divoire", "Côte d'Ivoire" and "COTE D’IVOIRE" all match.
(``anyascii`` rather than Unidecode: a maintained transliteration table under the ISC
licence, which an MIT project can ship; Unidecode is GPL.)

``folded_sql`` is the same folding in SQL, for a name column that has no folded copy (a state's
display name): on SQLite it calls ``fold`` itself (registered on every connection by
``app.db``); PostgreSQL has no such function without an extension, so it runs a ``translate``
table (and a ``regexp_replace`` per multi-letter fold, æ -> ae) generated from ``fold`` for
every Latin letter, combining mark, quote and dash. Both give exactly ``fold`` for
Latin-script names; a name in another script (which no display name is) folds on PostgreSQL to
its lower case only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from anyascii import anyascii
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles

from app.models import StateAlias
from app.services.statements import ensure_datasets
from app.services.upsert import Counts, insert_plain_rows

ALIAS = StateAlias.__table__
SQLITE_FOLD = "atlas_fold"  # the SQLite function name (app.db registers it)
_APOSTROPHES = str.maketrans("", "", "'`")
_MAX_LENGTH = 300  # state_alias.name and .folded


def fold(name: str) -> str:
    """``name`` as matched: ASCII, lower case, no apostrophes ("Côte d’Ivoire" -> "cote divoire")."""
    return anyascii(name).lower().translate(_APOSTROPHES)


def fold_or_none(name: str | None) -> str | None:
    """``fold`` for SQLite's function, which also receives NULLs."""
    return None if name is None else fold(name)


def sync_dataset_aliases(connection: Connection, dataset: str,
                         aliases: Mapping[int, Iterable[str]]) -> Counts:
    """``sync_aliases`` for the dataset with this key (``seeds``, ``sipri`` ...)."""
    return sync_aliases(connection, ensure_datasets(connection, [dataset])[dataset], aliases)


def sync_aliases(connection: Connection, dataset_id: int, aliases: Mapping[int, Iterable[str]],
                 *, dry_run: bool = False) -> Counts:
    """Make ``dataset_id``'s aliases of the states in ``aliases`` exactly the names given.

    ``aliases`` maps a state id to that dataset's names for it (blank names are skipped, the
    rest kept as written after trimming spaces). Names of those states that the dataset no
    longer gives are deleted; other datasets' aliases and other states' are never touched. One
    read of the dataset's aliases, then bulk writes; ``dry_run`` counts without writing.
    ``updated`` counts aliases whose stored folded form was out of date (a newer ``anyascii``).
    """
    wanted: dict[tuple[int, str], str] = {}
    for state_id, names in aliases.items():
        for raw in names:
            name = raw.strip() if raw else ""
            if not name:
                continue
            if len(name) > _MAX_LENGTH:
                raise ValueError(f"state {state_id}: the name {name[:60]!r}... is longer than "
                                 f"{_MAX_LENGTH} characters")
            wanted[(state_id, name)] = fold(name)
    existing = connection.execute(
        sa.select(ALIAS.c.id, ALIAS.c.state_id, ALIAS.c.name, ALIAS.c.folded)
        .where(ALIAS.c.dataset_id == dataset_id)).all()
    counts = Counts()
    stale: list[int] = []
    refolded: list[dict[str, Any]] = []
    for alias_id, state_id, name, folded in existing:
        if state_id not in aliases:
            continue
        expected = wanted.pop((state_id, name), None)
        if expected is None:
            stale.append(alias_id)
        elif expected != folded:
            refolded.append({"alias_id": alias_id, "folded": expected})
        else:
            counts.unchanged += 1
    counts.inserted, counts.deleted, counts.updated = len(wanted), len(stale), len(refolded)
    if dry_run:
        return counts
    for start in range(0, len(stale), 5_000):
        connection.execute(sa.delete(ALIAS).where(ALIAS.c.id.in_(stale[start:start + 5_000])))
    if refolded:
        connection.execute(sa.update(ALIAS).where(ALIAS.c.id == sa.bindparam("alias_id"))
                           .values(folded=sa.bindparam("folded")), refolded)
    insert_plain_rows(connection, ALIAS, ("state_id", "name", "folded", "dataset_id"),
                      [(state_id, name, folded, dataset_id)
                       for (state_id, name), folded in sorted(wanted.items())])
    return counts


# --- the same folding in SQL ----------------------------------------------------------------

# Latin-1, Latin Extended-A and -B, modifier letters (ʼ), combining marks, Latin Extended
# Additional (Vietnamese), general punctuation (’ ‘ – —).
_FOLDED_RANGES = ((0x00A0, 0x024F), (0x02B0, 0x02FF), (0x0300, 0x036F), (0x1E00, 0x1EFF),
                  (0x2010, 0x205F))


def _postgresql_table() -> tuple[str, str, dict[str, str]]:
    """How PostgreSQL folds the characters above and apostrophes: ``translate`` from/to
    strings (a character each, or none: deleted), and for letters that fold to several
    characters (æ -> ae), those letters by what they fold to."""
    source, target, deleted = [], [], ["'", "`"]
    several: dict[str, str] = {}
    for low, high in _FOLDED_RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            folded = fold(char)
            if "%" in folded:  # "%" in SQL text is a placeholder for some drivers; no name has it
                continue
            if folded == "":
                deleted.append(char)
            elif len(folded) == 1:
                source.append(char)
                target.append(folded)
            elif unicodedata.category(char).startswith("L") and folded.isalpha():
                several[folded] = several.get(folded, "") + char
            # else a symbol (©, ½ ...) that no name holds: left as it is
    return "".join(source + deleted), "".join(target), several


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_PG_FROM, _PG_TO, _PG_SEVERAL = _postgresql_table()


class folded_sql(sa.sql.functions.FunctionElement[str]):
    """``fold(column)`` in SQL (see the module docstring)."""

    type = sa.String()
    name = "folded_sql"
    inherit_cache = True


@compiles(folded_sql)
def _fold_sqlite(element: folded_sql, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


@compiles(folded_sql, "postgresql")
def _fold_postgresql(element: folded_sql, compiler: Any, **kw: Any) -> str:
    name = compiler.process(element.clauses, **kw)
    text = name
    for folded, chars in _PG_SEVERAL.items():
        text = f"regexp_replace({text}, {_quoted(f'[{chars}]')}, {_quoted(folded)}, 'g')"
    # translate() scans its whole table for every character (80 µs a name): a name in
    # printable ASCII, as most are, needs only its apostrophes dropped.
    return (f"CASE WHEN {name} ~ '^[ -~]*$' THEN lower(translate({name}, {_quoted(chr(39) + '`')}, '')) "
            f"ELSE lower(translate({text}, {_quoted(_PG_FROM)}, {_quoted(_PG_TO)})) END")
