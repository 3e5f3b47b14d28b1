"""What every list field of the schema selects, in one place for both query paths.

The resolvers page these selects per request (``root_connection``, ``child_connection``); the
compiled path (``compiled.py``) nests the same selects into one SQL statement. Each entry takes
the field's arguments as the resolver receives them (Python names: ``where``, ``order_by``,
``as_of``) and returns the select and its order.

Lists of the rows that can be retired (transfers, regimes, alliances, memberships) leave the
retired ones out unless the top of their `where` sets `retired` (``filters.listed_condition``);
the compiled path reads the same selects, so both paths agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from app.graphql.filters import (
    ALLIANCE,
    MEMBERSHIP,
    REGIME,
    RESOLUTION,
    SOURCE,
    STATE,
    TRANSFER,
    VOTE,
    active_on,
    listed_condition,
    where_condition,
)
from app.graphql.loaders import PageSpec
from app.graphql.ordering import order_clauses
from app.graphql.state_names import state_key_condition, state_key_order
from app.graphql.types.alliance import alliance_order, members_spec, memberships_spec
from app.graphql.types.arms import transfer_order, transfers_spec
from app.graphql.types.resolution import resolution_order, votes_spec
from app.graphql.types.sanctions import regime_filter, regime_order, regimes_spec
from app.graphql.types.state import allies_spec, state_order

# Every type of the `Node` interface and the table its rows live in.
NODE_TABLES: dict[str, sa.Table] = {
    "State": STATE, "Resolution": RESOLUTION, "Vote": VOTE, "SanctionsRegime": REGIME,
    "ArmsTransfer": TRANSFER, "Alliance": ALLIANCE, "AllianceMembership": MEMBERSHIP,
    "Source": SOURCE,
}

RootPage = tuple[sa.Select[Any], list[Any]]


def _alliances(args: dict[str, Any]) -> RootPage:
    condition = listed_condition(args.get("where"), ALLIANCE)
    if args.get("as_of") is not None:
        condition = sa.and_(condition, active_on(ALLIANCE.c.signed_on, ALLIANCE.c.ended_on, args["as_of"]))
    return sa.select(ALLIANCE).where(condition), alliance_order(args.get("order_by"), ALLIANCE)


def _sources(args: dict[str, Any]) -> RootPage:
    columns = {name: SOURCE.c[name] for name in ("title", "publisher", "published_on")}
    order = order_clauses(args.get("order_by"), columns, [SOURCE.c.title], SOURCE.c.id)
    return sa.select(SOURCE).where(where_condition(args.get("where"), SOURCE)), order


# Root field (GraphQL name) -> (node type, the select and order of its connection).
ROOT_PAGES: dict[str, tuple[str, Callable[[dict[str, Any]], RootPage]]] = {
    "states": ("State", lambda a: (sa.select(STATE).where(where_condition(a.get("where"), STATE)),
                                   state_order(a.get("order_by"), STATE))),
    "resolutions": ("Resolution", lambda a: (
        sa.select(RESOLUTION).where(where_condition(a.get("where"), RESOLUTION)),
        resolution_order(a.get("order_by"), RESOLUTION))),
    "sanctionsRegimes": ("SanctionsRegime", lambda a: (
        sa.select(REGIME).where(regime_filter(REGIME, a.get("as_of"), a.get("where"))),
        regime_order(a.get("order_by"), REGIME))),
    "armsTransfers": ("ArmsTransfer", lambda a: (
        sa.select(TRANSFER).where(listed_condition(a.get("where"), TRANSFER)),
        transfer_order(a.get("order_by"), TRANSFER))),
    "alliances": ("Alliance", _alliances),
    "sources": ("Source", _sources),
}

# Root field -> (type, table, condition from the arguments, order): one object by a natural
# key, the first in that order when several match (the latest row, unless said otherwise).
ROOT_ONE: dict[str, tuple[str, sa.Table, Callable[[dict[str, Any]], Any], list[Any]]] = {
    "state": ("State", STATE, state_key_condition, state_key_order()),
    "resolution": ("Resolution", RESOLUTION, lambda a: RESOLUTION.c.symbol == a["symbol"],
                   [RESOLUTION.c.id.desc()]),
    "sanctionsRegime": ("SanctionsRegime", REGIME, lambda a: REGIME.c.code == a["code"],
                        [REGIME.c.id.desc()]),
    "alliance": ("Alliance", ALLIANCE,
                 lambda a: sa.or_(ALLIANCE.c.key == a["key"], ALLIANCE.c.short_name == a["key"]),
                 [ALLIANCE.c.id.desc()]),
}

# (GraphQL type, field) -> (attribute holding the foreign key, table, GraphQL type of the row).
# These are the relations that a large list reaches once per item.
TO_ONE: dict[tuple[str, str], tuple[str, sa.Table, str]] = {
    ("Vote", "state"): ("state_id", STATE, "State"),
    ("Vote", "resolution"): ("resolution_id", RESOLUTION, "Resolution"),
    ("ArmsTransfer", "supplier"): ("supplier_state_id", STATE, "State"),
    ("ArmsTransfer", "recipient"): ("recipient_state_id", STATE, "State"),
    ("AllianceMembership", "state"): ("state_id", STATE, "State"),
    ("AllianceMembership", "alliance"): ("alliance_id", ALLIANCE, "Alliance"),
    ("SanctionsRegime", "target"): ("target_state_id", STATE, "State"),
    ("SanctionsRegime", "authorityState"): ("authority_state_id", STATE, "State"),
    ("ArmsTransfer", "retiredBy"): ("retired_by_source_id", SOURCE, "Source"),
    ("SanctionsRegime", "retiredBy"): ("retired_by_source_id", SOURCE, "Source"),
    ("Alliance", "retiredBy"): ("retired_by_source_id", SOURCE, "Source"),
    ("AllianceMembership", "retiredBy"): ("retired_by_source_id", SOURCE, "Source"),
}


# (type, field) -> (node type, the page spec of the nested connection).
CHILD_PAGES: dict[tuple[str, str], tuple[str, Callable[[dict[str, Any]], PageSpec]]] = {
    ("State", "votes"): ("Vote", lambda a: votes_spec(
        VOTE.c.state_id, a.get("where"), a.get("order_by"), latest_first=True)),
    ("Resolution", "votes"): ("Vote", lambda a: votes_spec(
        VOTE.c.resolution_id, a.get("where"), a.get("order_by"), latest_first=False)),
    ("State", "armsSupplied"): ("ArmsTransfer", lambda a: transfers_spec(
        "supplier_state_id", a.get("where"), a.get("order_by"))),
    ("State", "armsReceived"): ("ArmsTransfer", lambda a: transfers_spec(
        "recipient_state_id", a.get("where"), a.get("order_by"))),
    ("State", "sanctionsAgainst"): ("SanctionsRegime", lambda a: regimes_spec(
        REGIME.c.target_state_id, a.get("as_of"), a.get("where"), a.get("order_by"))),
    ("State", "sanctionsImposed"): ("SanctionsRegime", lambda a: regimes_spec(
        REGIME.c.authority_state_id, a.get("as_of"), a.get("where"), a.get("order_by"))),
    ("State", "memberships"): ("AllianceMembership", lambda a: memberships_spec(
        MEMBERSHIP.c.state_id, a.get("as_of"), a.get("where"))),
    ("Alliance", "memberships"): ("AllianceMembership", lambda a: memberships_spec(
        MEMBERSHIP.c.alliance_id, a.get("as_of"), a.get("where"))),
    # Default day: today. Compiled plans are cached per day (see batched._plan_key).
    ("State", "allies"): ("State", lambda a: allies_spec(a.get("as_of"), a.get("where"),
                                                         a.get("order_by"))),
    ("Alliance", "members"): ("State", lambda a: members_spec(a.get("as_of"), a.get("where"),
                                                             a.get("order_by"))),
}
