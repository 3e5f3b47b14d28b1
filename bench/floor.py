"""The floor: each benchmark query answered by hand-written SQL plus orjson, no GraphQL.

Each function takes an open async connection (the app's drivers: aiosqlite or asyncpg) and returns
the bytes of the same ``{"data": ...}`` document the GraphQL query returns. The orderings and
page sizes are the API's defaults (states by ISO3, votes latest first, transfers by latest order
year then designation, memberships oldest first, sources oldest first; ties by primary key), so
the benchmark can check that both answers are equal before it times anything.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

CAST = "('YES', 'NO', 'ABSTAIN')"


def _in(sql: str, *names: str) -> sa.TextClause:
    """A text statement whose ``names`` parameters are lists (``IN :name``)."""
    return sa.text(sql).bindparams(*(sa.bindparam(name, expanding=True) for name in names))


def _document(data: dict[str, Any]) -> bytes:
    return orjson.dumps({"data": data})


async def q1_headline(conn: AsyncConnection) -> bytes:
    states = (await conn.execute(sa.text(
        "SELECT s.id, s.iso3, s.name FROM state s"
        " WHERE EXISTS (SELECT 1 FROM vote v JOIN resolution r ON r.id = v.resolution_id"
        "               WHERE v.state_id = s.id AND v.position = 'NO' AND r.symbol = :symbol)"
        " AND EXISTS (SELECT 1 FROM arms_transfer t JOIN state rs ON rs.id = t.recipient_state_id"
        "             WHERE t.supplier_state_id = s.id AND rs.iso3 = :recipient)"
        " ORDER BY s.iso3, s.id LIMIT 50"), {"symbol": "A/RES/ES-11/4", "recipient": "RUS"})).all()
    ids = [s.id for s in states]
    transfers = (await conn.execute(_in(
        "SELECT * FROM (SELECT t.id, t.supplier_state_id, t.weapon_designation, t.number_ordered,"
        "  t.number_delivered, t.evidence, row_number() OVER (PARTITION BY t.supplier_state_id"
        "  ORDER BY t.ordered_year IS NULL, t.ordered_year DESC, t.weapon_designation, t.id) AS rn"
        "  FROM arms_transfer t JOIN state rs ON rs.id = t.recipient_state_id"
        "  WHERE t.supplier_state_id IN :ids AND rs.iso3 = :recipient) x"
        " WHERE rn <= 50 ORDER BY supplier_state_id, rn", "ids"),
        {"ids": ids, "recipient": "RUS"})).all() if ids else []
    transfer_ids = [t.id for t in transfers]
    denied: dict[int, list[dict[str, Any]]] = defaultdict(list)
    sources: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if transfer_ids:
        for row in await conn.execute(_in(
                "SELECT d.transfer_id, s.iso3 FROM transfer_denial d JOIN state s ON s.id = d.state_id"
                " WHERE d.transfer_id IN :ids ORDER BY s.id", "ids"), {"ids": transfer_ids}):
            denied[row.transfer_id].append({"iso3": row.iso3})
        for row in await conn.execute(_in(
                "SELECT l.arms_transfer_id AS owner, s.title, s.url FROM source s"
                " JOIN arms_transfer_source l ON l.source_id = s.id WHERE l.arms_transfer_id IN :ids"
                " ORDER BY s.published_on IS NULL, s.published_on, s.id", "ids"), {"ids": transfer_ids}):
            sources[row.owner].append({"title": row.title, "url": row.url})
    by_supplier: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for t in transfers:
        by_supplier[t.supplier_state_id].append({
            "weaponDesignation": t.weapon_designation, "numberOrdered": t.number_ordered,
            "numberDelivered": t.number_delivered, "evidence": t.evidence,
            "deniedBy": denied[t.id], "sources": sources[t.id]})
    return _document({"states": {"nodes": [
        {"iso3": s.iso3, "name": s.name, "armsSupplied": {"nodes": by_supplier[s.id]}} for s in states]}})


# Each state's 50 latest votes, read newest first through the roll call date index and stopped
# after 50, rather than ranking all of its votes: SQLite has no LATERAL, so a correlated IN.
Q2_SQLITE = (
    "SELECT s.id, s.iso3, v.position, r.symbol, r.voted_on"
    " FROM (SELECT id, iso3 FROM state ORDER BY iso3, id LIMIT 100) s"
    " LEFT JOIN vote v ON v.id IN (SELECT v2.id FROM resolution r2"
    "  JOIN vote v2 ON v2.resolution_id = r2.id WHERE v2.state_id = s.id"
    "  ORDER BY r2.voted_on DESC, r2.id DESC LIMIT 50)"
    " LEFT JOIN resolution r ON r.id = v.resolution_id"
    " ORDER BY s.iso3, s.id, r.voted_on DESC, r.id DESC")
Q2_POSTGRES = (
    "SELECT s.id, s.iso3, x.position, x.symbol, x.voted_on"
    " FROM (SELECT id, iso3 FROM state ORDER BY iso3, id LIMIT 100) s"
    " LEFT JOIN LATERAL (SELECT v.position, r.symbol, r.voted_on, r.id AS rid FROM resolution r"
    "  JOIN vote v ON v.resolution_id = r.id WHERE v.state_id = s.id"
    "  ORDER BY r.voted_on DESC, r.id DESC LIMIT 50) x ON true"
    " ORDER BY s.iso3, s.id, x.voted_on DESC, x.rid DESC")


async def q2_states_votes(conn: AsyncConnection) -> bytes:
    # (resolution, state) is unique, so the vote id never breaks a tie here.
    statement = Q2_SQLITE if conn.dialect.name == "sqlite" else Q2_POSTGRES
    rows = (await conn.execute(sa.text(statement))).all()
    nodes: list[dict[str, Any]] = []
    current: int | None = None
    for row in rows:
        if row.id != current:
            current = row.id
            votes: list[dict[str, Any]] = []
            nodes.append({"iso3": row.iso3, "votes": {"nodes": votes}})
        if row.position is not None:
            votes.append({"position": row.position,
                          "resolution": {"symbol": row.symbol, "votedOn": row.voted_on}})
    return _document({"states": {"nodes": nodes}})


async def q3_aligned(conn: AsyncConnection) -> bytes:
    rows = (await conn.execute(sa.text(
        "SELECT st.iso3, st.name, x.compared, x.agreed FROM ("
        "  SELECT t.state_id, count(*) AS compared,"
        "         sum(CASE WHEN m.position = t.position THEN 1 ELSE 0 END) AS agreed"
        # CROSS JOIN makes SQLite start from the one state's votes and probe the others by
        # roll call, instead of scanning every vote; PostgreSQL plans it as a plain join.
        "  FROM vote m CROSS JOIN vote t"
        "  WHERE m.state_id = (SELECT id FROM state WHERE iso3 = :iso3)"
        "   AND t.resolution_id = m.resolution_id AND t.state_id <> m.state_id"
        f"   AND m.position IN {CAST} AND t.position IN {CAST}"
        "  GROUP BY t.state_id) x JOIN state st ON st.id = x.state_id"
        " ORDER BY CAST(x.agreed AS FLOAT) / x.compared DESC, st.iso3 LIMIT 10"),
        {"iso3": "RUS"})).all()
    return _document({"alignedWith": [
        {"state": {"iso3": r.iso3, "name": r.name}, "compared": r.compared, "agreed": int(r.agreed),
         "ratio": int(r.agreed) / r.compared} for r in rows]})


async def q4_deep(conn: AsyncConnection) -> bytes:
    regimes = (await conn.execute(sa.text(
        "SELECT g.code, g.target_state_id, s.iso3 FROM sanctions_regime g"
        " LEFT JOIN state s ON s.id = g.target_state_id ORDER BY g.code, g.id LIMIT 20"))).all()
    targets = sorted({g.target_state_id for g in regimes if g.target_state_id is not None})
    transfers = (await conn.execute(_in(
        "SELECT x.supplier_state_id, x.weapon_designation, x.recipient_state_id, s.iso3 FROM ("
        "  SELECT t.*, row_number() OVER (PARTITION BY t.supplier_state_id ORDER BY"
        "   t.ordered_year IS NULL, t.ordered_year DESC, t.weapon_designation, t.id) AS rn"
        "  FROM arms_transfer t WHERE t.supplier_state_id IN :ids) x"
        " LEFT JOIN state s ON s.id = x.recipient_state_id"
        " WHERE x.rn <= 10 ORDER BY x.supplier_state_id, x.rn", "ids"),
        {"ids": targets})).all() if targets else []
    recipients = sorted({t.recipient_state_id for t in transfers if t.recipient_state_id is not None})
    memberships: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if recipients:
        for row in await conn.execute(_in(
                "SELECT x.state_id, x.joined_on, a.name, a.kind FROM ("
                "  SELECT m.*, row_number() OVER (PARTITION BY m.state_id ORDER BY"
                "   m.joined_on IS NULL, m.joined_on, m.id) AS rn"
                "  FROM alliance_membership m WHERE m.state_id IN :ids) x"
                " JOIN alliance a ON a.id = x.alliance_id WHERE x.rn <= 10"
                " ORDER BY x.state_id, x.rn", "ids"), {"ids": recipients}):
            memberships[row.state_id].append(
                {"joinedOn": row.joined_on, "alliance": {"name": row.name, "kind": row.kind}})
    supplied: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for t in transfers:
        recipient = None if t.recipient_state_id is None else {
            "iso3": t.iso3, "memberships": {"nodes": memberships[t.recipient_state_id]}}
        supplied[t.supplier_state_id].append(
            {"weaponDesignation": t.weapon_designation, "recipient": recipient})
    return _document({"sanctionsRegimes": {"nodes": [
        {"code": g.code, "target": None if g.target_state_id is None else {
            "iso3": g.iso3, "armsSupplied": {"nodes": supplied[g.target_state_id]}}}
        for g in regimes]}})


# Per node type: its table, the columns to read, and how a row becomes the selected fields.
NODE_FIELDS: dict[str, tuple[str, str, Callable[[Any], dict[str, Any]]]] = {
    "State": ("state", "id, iso3, name", lambda r: {"iso3": r.iso3, "name": r.name}),
    "Resolution": ("resolution", "id, symbol, voted_on",
                   lambda r: {"symbol": r.symbol, "votedOn": r.voted_on}),
    "Vote": ("vote", "id, position", lambda r: {"position": r.position}),
    "SanctionsRegime": ("sanctions_regime", "id, code", lambda r: {"code": r.code}),
    "ArmsTransfer": ("arms_transfer", "id, weapon_designation, evidence",
                     lambda r: {"weaponDesignation": r.weapon_designation, "evidence": r.evidence}),
    "Alliance": ("alliance", "id, name, kind", lambda r: {"name": r.name, "kind": r.kind}),
    "Source": ("source", "id, title", lambda r: {"title": r.title}),
}


async def q5_nodes(conn: AsyncConnection, ids: list[str]) -> bytes:
    wanted: dict[str, list[int]] = defaultdict(list)
    parsed = []
    for value in ids:
        type_name, _, pk = base64.urlsafe_b64decode(value).decode().partition(":")
        parsed.append((value, type_name, int(pk)))
        wanted[type_name].append(int(pk))
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for type_name, pks in wanted.items():
        table, columns, fields = NODE_FIELDS[type_name]
        for row in await conn.execute(_in(f"SELECT {columns} FROM {table} WHERE id IN :ids", "ids"),
                                      {"ids": pks}):
            found[(type_name, row.id)] = fields(row)
    nodes = []
    for value, type_name, pk in parsed:
        fields = found.get((type_name, pk))
        nodes.append(None if fields is None else {"__typename": type_name, "id": value, **fields})
    return _document({"nodes": nodes})


def floor_functions(q5_ids: list[str]) -> dict[str, Callable[[AsyncConnection], Awaitable[bytes]]]:
    """The floor of each query by name, Q5 bound to its ids."""
    async def q5(conn: AsyncConnection) -> bytes:
        return await q5_nodes(conn, q5_ids)

    return {"Q1": q1_headline, "Q2": q2_states_votes, "Q3": q3_aligned, "Q4": q4_deep, "Q5": q5}
