"""A reference model of the API's lists: plain Python over every row of the database.

It shares no code with the app's list machinery (``pages.py``, ``filters.py``, ``ordering.py``,
``pagination.py``, the compiler): it reads each table whole with ``SELECT *`` and answers a
list field's arguments (``where``, ``orderBy``, ``asOf``, ``first/after/last/before``) by
loops, ``all``/``any`` and Python's stable sort. Arguments arrive as the JSON variables a
client sends (GraphQL field names, ISO dates, enum names), so the model also checks the
schema's names.

The semantics it encodes, as documented in the schema:
- scalar operators: ``eq``/``in``/``lt``... never hold for NULL; ``neq``/``notIn`` hold for
  NULL; ``contains``/``startsWith`` ignore (ASCII) case and treat ``%`` and ``_`` literally;
- a state's ``name`` filter looks at every name of the state, its display name and its aliases
  (``state_alias``), folded (no case, accents or apostrophes, by ``fold`` below): ``eq``,
  ``in``, ``contains`` and ``startsWith`` hold when one name meets them all; ``neq`` and
  ``notIn`` when no name equals any of them; ``lt``/``lte``/``gt``/``gte``/``isNull`` compare
  the display name as stored;
- a relation filter holds when at least one related row matches; ``and`` of nothing holds,
  ``or`` of nothing does not, ``not`` is the negation (a NULL comparison is false, so its
  ``not`` is true);
- ``asOf``/``inForceOn``: in force on a day when started on or before it (or no start known)
  and not ended on or before it: the start day counts, the end day does not;
- ``orderBy``: keys in the order given, NULLs last in either direction, then the list's
  tie-break (ascending primary key; descending for roll calls); without ``orderBy``, the
  list's default order;
- retired rows (``retired_by_source_id`` set: transfers, regimes, alliances, memberships) are
  left out of every list and of every relation filter, unless the top level of the `where`
  that filters them sets ``retired`` (true: only retired rows; false: only current ones);
  inside ``and``/``or``/``not`` ``retired`` is one more condition and the top's default still
  holds. Retired memberships never count (``memberOf``, ``hasMember``, ``members``,
  ``allies``), nor do retired alliances for ``allies``; a relation filter given no `where` of
  its rows (``sanctionedBy`` without ``regime``, ``memberOf`` without ``alliance``) counts only
  current ones;
- pages: ``after``/``before`` are positions in that order; ``first`` (default 50) from the
  start, ``last`` from the end; ``hasPreviousPage``: rows come before the page;
  ``hasNextPage``: rows come after it.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from app.db import create_sync_engine
from app.models import metadata

Row = dict[str, Any]
DEFAULT_PAGE = 50


def _plain(value: Any) -> Any:
    return value.name if isinstance(value, enum.Enum) else value


def read_tables(database_url: str) -> dict[str, list[Row]]:
    """Every row of every table, as dicts of plain values (enums as their names)."""
    engine = create_sync_engine(database_url)
    try:
        with engine.connect() as connection:
            return {
                name: [{k: _plain(v) for k, v in row._mapping.items()}
                       for row in connection.execute(sa.select(table))]
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def in_force(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Started on or before ``day`` (or start unknown), and not yet ended on ``day``."""
    return (start is None or start <= day) and (end is None or day < end)


def scalar_holds(value: Any, ops: dict[str, Any], kind: str) -> bool:
    """Every operator in ``ops`` holds for ``value``; ``kind`` is str, int, float, date, bool, enum."""
    convert = _day if kind == "date" else (lambda v: v)
    for op, arg in ops.items():
        if arg is None:
            continue
        if op == "isNull":
            ok = (value is None) == arg
        elif op in ("neq", "notIn"):
            wanted = [convert(a) for a in arg] if op == "notIn" else [convert(arg)]
            ok = value is None or value not in wanted
        elif value is None:
            ok = False
        elif op == "eq":
            ok = value == convert(arg)
        elif op == "in":
            ok = value in [convert(a) for a in arg]
        elif op == "lt":
            ok = value < convert(arg)
        elif op == "lte":
            ok = value <= convert(arg)
        elif op == "gt":
            ok = value > convert(arg)
        elif op == "gte":
            ok = value >= convert(arg)
        elif op == "contains":
            ok = arg.lower() in value.lower()
        elif op == "startsWith":
            ok = value.lower().startswith(arg.lower())
        else:
            raise KeyError(f"the model knows no operator {op!r}")
        if not ok:
            return False
    return True


_APOSTROPHES = {ord(c): None for c in "'`‘’ʼ"}


def fold(name: str) -> str:
    """A name as the `name` filter compares it: accents dropped (decomposed, combining marks
    removed), apostrophes of any style dropped, lower case. Enough for the dataset's names;
    deliberately not the app's transliteration."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_APOSTROPHES).lower()


_NAME_ORDERING = ("lt", "lte", "gt", "gte", "isNull")


def names_hold(display: str, aliases: list[str], ops: dict[str, Any]) -> bool:
    """The `name` filter of a state with this display name and these aliases."""
    if not scalar_holds(display, {op: a for op, a in ops.items() if op in _NAME_ORDERING}, "str"):
        return False
    names = [fold(n) for n in [display, *aliases]]
    if ops.get("neq") is not None or ops.get("notIn") is not None:
        avoided = {fold(a) for a in [ops.get("neq"), *(ops.get("notIn") or [])] if a is not None}
        if any(n in avoided for n in names):
            return False

    def meets(name: str, op: str, arg: Any) -> bool:
        if op == "eq":
            return name == fold(arg)
        if op == "in":
            return name in [fold(a) for a in arg]
        if op == "contains":
            return fold(arg) in name
        if op == "startsWith":
            return name.startswith(fold(arg))
        raise KeyError(f"the model knows no name operator {op!r}")

    positive = {op: a for op, a in ops.items()
                if a is not None and op not in (*_NAME_ORDERING, "neq", "notIn")}
    return not positive or any(all(meets(n, op, a) for op, a in positive.items()) for n in names)


# GraphQL input field -> (column, kind) of the scalar filters of each entity.
SCALARS: dict[str, dict[str, tuple[str, str]]] = {
    "StateWhere": {
        "iso3": ("iso3", "str"), "iso2": ("iso2", "str"), "name": ("name", "str"),
        "region": ("region", "str"), "subregion": ("subregion", "str"), "m49": ("m49", "int"),
        "cowCode": ("cow_code", "int"), "unMemberFrom": ("un_member_from", "date"),
        "unMemberUntil": ("un_member_until", "date"), "unObserver": ("un_observer", "bool"),
    },
    "ResolutionWhere": {
        "symbol": ("symbol", "str"), "body": ("body", "enum"), "session": ("session", "str"),
        "votedOn": ("voted_on", "date"), "title": ("title", "str"), "tags": ("tags", "str"),
        "undlRecordId": ("undl_record_id", "str"), "outcome": ("outcome", "enum"),
    },
    "VoteWhere": {"position": ("position", "enum")},
    "SanctionsRegimeWhere": {
        "code": ("code", "str"), "name": ("name", "str"), "authority": ("authority", "str"),
        "legalBasis": ("legal_basis", "str"), "startedOn": ("started_on", "date"),
        "endedOn": ("ended_on", "date"),
    },
    "ArmsTransferWhere": {
        "supplierName": ("supplier_name", "str"), "recipientName": ("recipient_name", "str"),
        "supplierKind": ("supplier_kind", "enum"), "recipientKind": ("recipient_kind", "enum"),
        "weaponDesignation": ("weapon_designation", "str"),
        "weaponDescription": ("weapon_description", "str"), "category": ("category", "enum"),
        "status": ("status", "enum"), "evidence": ("evidence", "enum"),
        "orderedYear": ("ordered_year", "int"), "firstDeliveryYear": ("first_delivery_year", "int"),
        "lastDeliveryYear": ("last_delivery_year", "int"),
        "numberOrdered": ("number_ordered", "int"), "numberDelivered": ("number_delivered", "int"),
    },
    "AllianceWhere": {
        "key": ("key", "str"), "name": ("name", "str"), "shortName": ("short_name", "str"),
        "kind": ("kind", "enum"), "signedOn": ("signed_on", "date"),
        "endedOn": ("ended_on", "date"), "atopId": ("atop_id", "int"),
    },
    "MembershipWhere": {"joinedOn": ("joined_on", "date"), "leftOn": ("left_on", "date")},
    "SourceWhere": {
        "key": ("key", "str"), "title": ("title", "str"), "publisher": ("publisher", "str"),
        "url": ("url", "str"), "publishedOn": ("published_on", "date"),
    },
}

# GraphQL orderBy key -> column, per orderBy input.
ORDER_KEYS: dict[str, dict[str, str]] = {
    "StateOrderBy": {"iso3": "iso3", "name": "name", "m49": "m49", "region": "region",
                     "unMemberFrom": "un_member_from"},
    "ResolutionOrderBy": {"votedOn": "voted_on", "symbol": "symbol", "yesCount": "yes_count"},
    "VoteOrderBy": {"votedOn": "voted_on", "symbol": "symbol", "iso3": "iso3",
                    "position": "position"},
    "ArmsTransferOrderBy": {
        "orderedYear": "ordered_year", "firstDeliveryYear": "first_delivery_year",
        "numberOrdered": "number_ordered", "numberDelivered": "number_delivered",
        "weaponDesignation": "weapon_designation", "supplierName": "supplier_name",
        "recipientName": "recipient_name", "sipriTivTotal": "sipri_tiv_total"},
    "SanctionsRegimeOrderBy": {"code": "code", "startedOn": "started_on",
                               "authority": "authority"},
    "AllianceOrderBy": {"name": "name", "signedOn": "signed_on", "key": "key"},
    "SourceOrderBy": {"title": "title", "publisher": "publisher",
                      "publishedOn": "published_on"},
}

# Sort clauses: (column, descending).
Clause = tuple[str, bool]


def sort_rows(rows: list[Row], clauses: list[Clause]) -> list[Row]:
    """Sort by the clauses, the first most significant, NULLs last in either direction."""
    for column, descending in reversed(clauses):
        present = [r for r in rows if r[column] is not None]
        missing = [r for r in rows if r[column] is None]
        present.sort(key=lambda r: r[column], reverse=descending)
        rows = present + missing
    return rows


@dataclass
class Page:
    """The model's answer for one connection: every row in order, and the page's slice."""

    rows: list[Row]
    start: int
    end: int

    @property
    def ids(self) -> list[int]:
        return [r["id"] for r in self.rows[self.start:self.end]]

    @property
    def has_next(self) -> bool:
        return self.end < len(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.start > 0


def page_window(total: int, first: int | None, after: int | None, last: int | None,
                before: int | None) -> tuple[int, int]:
    """The slice [start, end) of a list of ``total`` rows; after/before are row positions."""
    low = 0 if after is None else after + 1
    high = total if before is None else max(before, low)
    if last is not None:
        return max(low, high - last), high
    size = DEFAULT_PAGE if first is None else first
    return low, min(low + size, high)


@dataclass
class Model:
    """The database's rows and the list semantics of the API over them."""

    tables: dict[str, list[Row]]
    today: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        t = self.tables
        self.by_id = {name: {r["id"]: r for r in rows if "id" in r} for name, rows in t.items()}
        self.aliases: dict[int, list[str]] = {}
        for a in t["state_alias"]:
            self.aliases.setdefault(a["state_id"], []).append(a["name"])
        self.measures: dict[int, set[str]] = {}
        for m in t["regime_measure"]:
            self.measures.setdefault(m["regime_id"], set()).add(m["measure"])
        # Votes carry what their orderBy keys need.
        states, resolutions = self.by_id["state"], self.by_id["resolution"]
        for v in t["vote"]:
            v["voted_on"] = resolutions[v["resolution_id"]]["voted_on"]
            v["symbol"] = resolutions[v["resolution_id"]]["symbol"]
            v["iso3"] = states[v["state_id"]]["iso3"]

    # --- where ---------------------------------------------------------------------------

    def _scalars(self, type_name: str, row: Row, where: dict[str, Any]) -> bool:
        for name, (column, kind) in SCALARS[type_name].items():
            if where.get(name) is None:
                continue
            if type_name == "StateWhere" and name == "name":
                if not names_hold(row["name"], self.aliases.get(row["id"], []), where[name]):
                    return False
            elif not scalar_holds(row[column], where[name], kind):
                return False
        return True

    def _logic(self, test: Callable[[Row, dict[str, Any]], bool], row: Row,
               where: dict[str, Any]) -> bool:
        if where.get("and") is not None and not all(test(row, w) for w in where["and"]):
            return False
        if where.get("or") is not None and not any(test(row, w) for w in where["or"]):
            return False
        return where.get("not") is None or not test(row, where["not"])

    @staticmethod
    def _retired(row: Row, where: dict[str, Any]) -> bool:
        """The where's own ``retired`` condition (if any) holds for the row."""
        wanted = where.get("retired")
        return wanted is None or (row["retired_by_source_id"] is not None) == wanted

    @staticmethod
    def listed(row: Row, where: dict[str, Any] | None,
               matches: Callable[[Row, dict[str, Any]], bool]) -> bool:
        """The row is in a list (or a relation filter) filtered by ``where``: it matches, and
        it is current unless the where's top level sets ``retired``."""
        if (where is None or where.get("retired") is None) and row["retired_by_source_id"] is not None:
            return False
        return where is None or matches(row, where)

    def _state_id_matches(self, state_id: int | None, where: dict[str, Any] | None) -> bool:
        if where is None:
            return True
        return state_id is not None and self.state_matches(self.by_id["state"][state_id], where)

    @staticmethod
    def _known(type_name: str, where: dict[str, Any], others: set[str]) -> None:
        unknown = set(where) - set(SCALARS.get(type_name, {})) - others - {"and", "or", "not"}
        if unknown:
            raise KeyError(f"the model does not know {type_name} fields {sorted(unknown)}")

    def state_matches(self, s: Row, w: dict[str, Any]) -> bool:
        self._known("StateWhere", w, {"voted", "armsSupplied", "armsReceived", "sanctionedBy",
                                      "memberOf"})
        if not self._scalars("StateWhere", s, w):
            return False
        if (voted := w.get("voted")) is not None and not any(
                self._voted(v, voted) for v in self.tables["vote"] if v["state_id"] == s["id"]):
            return False
        for key, side in (("armsSupplied", "supplier_state_id"),
                          ("armsReceived", "recipient_state_id")):
            if (inner := w.get(key)) is not None and not any(
                    self.listed(t, inner, self.transfer_matches)
                    for t in self.tables["arms_transfer"] if t[side] == s["id"]):
                return False
        if (by := w.get("sanctionedBy")) is not None and not any(
                (by.get("asOf") is None or in_force(r["started_on"], r["ended_on"],
                                                    _day(by["asOf"])))
                and self.listed(r, by.get("regime"), self.regime_matches)
                for r in self.tables["sanctions_regime"] if r["target_state_id"] == s["id"]):
            return False
        if (member := w.get("memberOf")) is not None and not any(
                (member.get("asOf") is None or in_force(m["joined_on"], m["left_on"],
                                                        _day(member["asOf"])))
                and self.listed(self.by_id["alliance"][m["alliance_id"]], member.get("alliance"),
                                self.alliance_matches)
                for m in self.tables["alliance_membership"]
                if m["state_id"] == s["id"] and m["retired_by_source_id"] is None):
            return False
        return self._logic(self.state_matches, s, w)

    def _voted(self, v: Row, f: dict[str, Any]) -> bool:
        resolution = self.by_id["resolution"][v["resolution_id"]]
        return ((f.get("position") is None or v["position"] == f["position"])
                and (f.get("positionIn") is None or v["position"] in f["positionIn"])
                and (f.get("resolution") is None or resolution["symbol"] == f["resolution"])
                and (f.get("resolutionWhere") is None
                     or self.resolution_matches(resolution, f["resolutionWhere"])))

    def vote_matches(self, v: Row, w: dict[str, Any]) -> bool:
        self._known("VoteWhere", w, {"state", "resolution", "positionIn"})
        return (self._scalars("VoteWhere", v, w)
                and (w.get("positionIn") is None or v["position"] in w["positionIn"])
                and self._state_id_matches(v["state_id"], w.get("state"))
                and (w.get("resolution") is None or self.resolution_matches(
                    self.by_id["resolution"][v["resolution_id"]], w["resolution"])))

    def resolution_matches(self, r: Row, w: dict[str, Any]) -> bool:
        self._known("ResolutionWhere", w, {"votes"})
        if not self._scalars("ResolutionWhere", r, w):
            return False
        if (votes := w.get("votes")) is not None and not any(
                self.vote_matches(v, votes) for v in self.tables["vote"]
                if v["resolution_id"] == r["id"]):
            return False
        return self._logic(self.resolution_matches, r, w)

    def regime_matches(self, r: Row, w: dict[str, Any]) -> bool:
        self._known("SanctionsRegimeWhere", w, {"inForceOn", "authorityState", "target",
                                                "measuresInclude", "retired"})
        if not (self._scalars("SanctionsRegimeWhere", r, w) and self._retired(r, w)):
            return False
        if w.get("inForceOn") is not None and not in_force(r["started_on"], r["ended_on"],
                                                            _day(w["inForceOn"])):
            return False
        if not self._state_id_matches(r["authority_state_id"], w.get("authorityState")):
            return False
        if not self._state_id_matches(r["target_state_id"], w.get("target")):
            return False
        if not set(w.get("measuresInclude") or []) <= self.measures.get(r["id"], set()):
            return False
        return self._logic(self.regime_matches, r, w)

    def transfer_matches(self, t: Row, w: dict[str, Any]) -> bool:
        self._known("ArmsTransferWhere", w, {"supplier", "recipient", "deliveredIn", "deniedBy",
                                             "denied", "transitStates", "violates", "retired"})
        if not (self._scalars("ArmsTransferWhere", t, w) and self._retired(t, w)):
            return False
        if not (self._state_id_matches(t["supplier_state_id"], w.get("supplier"))
                and self._state_id_matches(t["recipient_state_id"], w.get("recipient"))):
            return False
        if (year := w.get("deliveredIn")) is not None and not (
                t["first_delivery_year"] is not None and t["last_delivery_year"] is not None
                and t["first_delivery_year"] <= year <= t["last_delivery_year"]):
            return False
        denials = [d for d in self.tables["transfer_denial"] if d["transfer_id"] == t["id"]]
        if w.get("denied") is not None and bool(denials) != w["denied"]:
            return False
        if w.get("deniedBy") is not None and not any(
                self._state_id_matches(d["state_id"], w["deniedBy"]) for d in denials):
            return False
        if w.get("transitStates") is not None and not any(
                self._state_id_matches(x["state_id"], w["transitStates"])
                for x in self.tables["transfer_transit"] if x["transfer_id"] == t["id"]):
            return False
        if w.get("violates") is not None and not any(
                self.listed(self.by_id["sanctions_regime"][x["regime_id"]], w["violates"],
                            self.regime_matches)
                for x in self.tables["transfer_violation"] if x["transfer_id"] == t["id"]):
            return False
        return self._logic(self.transfer_matches, t, w)

    def alliance_matches(self, a: Row, w: dict[str, Any]) -> bool:
        self._known("AllianceWhere", w, {"inForceOn", "hasMember", "retired"})
        if not (self._scalars("AllianceWhere", a, w) and self._retired(a, w)):
            return False
        if w.get("inForceOn") is not None and not in_force(a["signed_on"], a["ended_on"],
                                                            _day(w["inForceOn"])):
            return False
        if w.get("hasMember") is not None and not any(
                self._state_id_matches(m["state_id"], w["hasMember"])
                for m in self.tables["alliance_membership"]
                if m["alliance_id"] == a["id"] and m["retired_by_source_id"] is None):
            return False
        return self._logic(self.alliance_matches, a, w)

    def membership_matches(self, m: Row, w: dict[str, Any]) -> bool:
        self._known("MembershipWhere", w, {"state", "alliance", "retired"})
        return (self._scalars("MembershipWhere", m, w) and self._retired(m, w)
                and self._state_id_matches(m["state_id"], w.get("state"))
                and (w.get("alliance") is None or self.listed(
                    self.by_id["alliance"][m["alliance_id"]], w["alliance"],
                    self.alliance_matches)))

    def source_matches(self, s: Row, w: dict[str, Any]) -> bool:
        self._known("SourceWhere", w, set())
        return self._scalars("SourceWhere", s, w)

    # --- lists ---------------------------------------------------------------------------

    def _ordered(self, rows: list[Row], order_type: str, order_by: list[dict[str, str]] | None,
                 default: list[Clause], tiebreak: Clause) -> list[Row]:
        if order_by:
            clauses = []
            for item in order_by:
                (key, direction), = [(k, v) for k, v in item.items() if v is not None]
                clauses.append((ORDER_KEYS[order_type][key], direction == "DESC"))
        else:
            clauses = list(default)
        return sort_rows(rows, [*clauses, tiebreak])

    def _active(self, rows: list[Row], start: str, end: str, as_of: Any) -> list[Row]:
        if as_of is None:
            return rows
        day = _day(as_of)
        return [r for r in rows if in_force(r[start], r[end], day)]

    def states_among(self, rows: list[Row], args: dict[str, Any]) -> list[Row]:
        where = args.get("where")
        chosen = [s for s in rows if where is None or self.state_matches(s, where)]
        return self._ordered(chosen, "StateOrderBy", args.get("orderBy"), [("iso3", False)],
                             ("id", False))

    def regimes_among(self, rows: list[Row], args: dict[str, Any]) -> list[Row]:
        where = args.get("where")
        chosen = [r for r in self._active(rows, "started_on", "ended_on", args.get("asOf"))
                  if self.listed(r, where, self.regime_matches)]
        return self._ordered(chosen, "SanctionsRegimeOrderBy", args.get("orderBy"),
                             [("code", False)], ("id", False))

    def transfers_among(self, rows: list[Row], args: dict[str, Any]) -> list[Row]:
        where = args.get("where")
        chosen = [t for t in rows if self.listed(t, where, self.transfer_matches)]
        return self._ordered(chosen, "ArmsTransferOrderBy", args.get("orderBy"),
                             [("ordered_year", True), ("weapon_designation", False)],
                             ("id", False))

    def votes_among(self, rows: list[Row], args: dict[str, Any], default: list[Clause]) -> list[Row]:
        where = args.get("where")
        chosen = [v for v in rows if where is None or self.vote_matches(v, where)]
        return self._ordered(chosen, "VoteOrderBy", args.get("orderBy"), default, ("id", False))

    def memberships_among(self, rows: list[Row], args: dict[str, Any]) -> list[Row]:
        where = args.get("where")
        chosen = [m for m in self._active(rows, "joined_on", "left_on", args.get("asOf"))
                  if self.listed(m, where, self.membership_matches)]
        return sort_rows(chosen, [("joined_on", False), ("id", False)])

    def root(self, field_name: str, args: dict[str, Any]) -> list[Row]:
        """Every row of a root list field, in order."""
        t = self.tables
        if field_name == "states":
            return self.states_among(t["state"], args)
        if field_name == "resolutions":
            where = args.get("where")
            chosen = [r for r in t["resolution"] if where is None or self.resolution_matches(r, where)]
            return self._ordered(chosen, "ResolutionOrderBy", args.get("orderBy"),
                                 [("voted_on", True)], ("id", True))
        if field_name == "sanctionsRegimes":
            return self.regimes_among(t["sanctions_regime"], args)
        if field_name == "armsTransfers":
            return self.transfers_among(t["arms_transfer"], args)
        if field_name == "alliances":
            where = args.get("where")
            chosen = [a for a in self._active(t["alliance"], "signed_on", "ended_on", args.get("asOf"))
                      if self.listed(a, where, self.alliance_matches)]
            return self._ordered(chosen, "AllianceOrderBy", args.get("orderBy"),
                                 [("name", False)], ("id", False))
        if field_name == "sources":
            where = args.get("where")
            chosen = [s for s in t["source"] if where is None or self.source_matches(s, where)]
            return self._ordered(chosen, "SourceOrderBy", args.get("orderBy"),
                                 [("title", False)], ("id", False))
        raise KeyError(field_name)

    def child(self, parent_type: str, field_name: str, parent: Row, args: dict[str, Any]) -> list[Row]:
        """Every row of a nested list field of one parent, in order."""
        t, pid = self.tables, parent["id"]
        key = (parent_type, field_name)
        if key == ("State", "votes"):
            return self.votes_among([v for v in t["vote"] if v["state_id"] == pid], args,
                                    [("voted_on", True), ("resolution_id", True)])
        if key == ("Resolution", "votes"):
            return self.votes_among([v for v in t["vote"] if v["resolution_id"] == pid], args,
                                    [("iso3", False)])
        if key == ("State", "armsSupplied"):
            return self.transfers_among([x for x in t["arms_transfer"]
                                         if x["supplier_state_id"] == pid], args)
        if key == ("State", "armsReceived"):
            return self.transfers_among([x for x in t["arms_transfer"]
                                         if x["recipient_state_id"] == pid], args)
        if key == ("State", "sanctionsAgainst"):
            return self.regimes_among([r for r in t["sanctions_regime"]
                                       if r["target_state_id"] == pid], args)
        if key == ("State", "sanctionsImposed"):
            return self.regimes_among([r for r in t["sanctions_regime"]
                                       if r["authority_state_id"] == pid], args)
        if key == ("State", "memberships"):
            return self.memberships_among([m for m in t["alliance_membership"]
                                           if m["state_id"] == pid], args)
        if key == ("Alliance", "memberships"):
            return self.memberships_among([m for m in t["alliance_membership"]
                                           if m["alliance_id"] == pid], args)
        day = _day(args.get("asOf")) or self.today
        active = [m for m in t["alliance_membership"] if in_force(m["joined_on"], m["left_on"], day)
                  and m["retired_by_source_id"] is None]
        if key == ("State", "allies"):
            mine = {m["alliance_id"] for m in active if m["state_id"] == pid
                    and self.by_id["alliance"][m["alliance_id"]]["retired_by_source_id"] is None}
            allies = {m["state_id"] for m in active if m["alliance_id"] in mine} - {pid}
            return self.states_among([s for s in t["state"] if s["id"] in allies], args)
        if key == ("Alliance", "members"):
            members = {m["state_id"] for m in active if m["alliance_id"] == pid}
            return self.states_among([s for s in t["state"] if s["id"] in members], args)
        raise KeyError(key)


def page_of(rows: list[Row], args: dict[str, Any], position: Callable[[str], int]) -> Page:
    """The page of ``rows`` that the connection arguments ask for.

    ``position`` turns a cursor into the position of its row in ``rows``.
    """
    after = position(args["after"]) if args.get("after") is not None else None
    before = position(args["before"]) if args.get("before") is not None else None
    start, end = page_window(len(rows), args.get("first"), after, args.get("last"), before)
    return Page(rows, start, end)
