"""Compiled execution: one SQL statement per root field, the response JSON built by the database.

For a root field whose whole selection it understands, ``Compiler`` turns the selection into
one SELECT that returns the field's value as JSON text: objects with ``json_build_object``
(PostgreSQL) or ``json_object`` (SQLite), lists with ``json_agg`` / ``json_group_array`` over
an ordered sub-select, to-one relations as correlated sub-selects, and every connection as its
page (the same select, order and LIMIT/OFFSET as the resolvers use, from ``pages.py``) with
its ``pageInfo``, cursors and ``totalCount`` computed in SQL. Python then parses that text
once with orjson; no field is completed in Python.

What it does not understand (any field not listed below, `last` without `before`, an abstract
type below the root ...) raises ``Unsupported`` and the root field goes to the breadth-first
executor instead, which runs the schema's resolvers. So does a statement nested deeper than
SQLite's parser allows. A differential test checks that all paths give byte-for-byte the same
``data``.

Understood: ``__typename``; ``id`` of every node type; columns (String, Int, ID, Boolean, Date,
enums, and Float written so that it reads back as the same float); the to-one relations of
``pages.TO_ONE`` and ``LINK_TO_ONE``; the connections of ``pages.ROOT_PAGES`` and
``pages.CHILD_PAGES`` (``nodes``, ``edges { cursor node }``, ``pageInfo``, ``totalCount``);
``sources`` of every fact type; a transfer's ``deniedBy``, ``transitStates``, ``violates``,
``denials``, ``transits``, ``violations`` and ``sipriTiv``; a roll call's ``url``,
``publishedTally`` and ``tally``; a regime's ``measures`` and ``inForce``; a state's ``vote``
and ``aliases``; and the root fields ``node``, ``nodes``, ``state``, ``resolution``, ``sanctionsRegime`` and
``alliance``. ``retiredBy`` is a to-one relation (``pages.TO_ONE``), and the lists leave retired
rows out through the same selects as the resolvers (``pages``). Not understood: ``tags``,
``agreement``, ``alignedWith`` and ``discrepancies``: the last is worked out in Python from the
statements tables (``app.services.statements``), so a root field that selects it anywhere falls
through ``Unsupported`` to the batched resolvers, where one loader per entity type reads the
statements of every row reached (``types/discrepancy.py``).
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa
from graphql import (
    GraphQLEnumType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    get_named_type,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.execution.values import get_argument_values
from sqlalchemy.dialects import postgresql

from app.graphql.filters import (
    DENIAL,
    MEASURE,
    REGIME,
    RESOLUTION,
    STATE,
    TRANSIT,
    VIOLATION,
    VOTE,
)
from app.graphql.pages import CHILD_PAGES, NODE_TABLES, ROOT_ONE, ROOT_PAGES, TO_ONE
from app.graphql.pagination import _CURSOR_PREFIX, Window
from app.graphql.types.node import node_ids_by_type, parse_global_id, parse_node_ids
from app.graphql.types.resolution import UNDL_RECORD_URL
from app.graphql.types.source import SOURCE
from app.graphql.types.state_alias import ALIAS, DATASET, aliases_select
from app.models.links import SOURCE_LINKS

if TYPE_CHECKING:
    from app.graphql.batched import BatchedExecutor

GroupedFields = dict[str, list[FieldDetails]]
Decode = Callable[[Sequence[Any]], Any]

# Types whose `sources` list comes from a link table, and that table's owner name.
SOURCE_OWNERS = {
    "State": "state", "Resolution": "resolution", "ArmsTransfer": "arms_transfer",
    "SanctionsRegime": "sanctions_regime", "Alliance": "alliance",
    "AllianceMembership": "alliance_membership",
}

# (type, field) -> (link table, link column to the entity, entity table, entity type): lists
# read through a transfer's link tables, ordered by the entity's key like the resolvers.
LINKED: dict[tuple[str, str], tuple[sa.Table, str, sa.Table, str]] = {
    ("ArmsTransfer", "deniedBy"): (DENIAL, "state_id", STATE, "State"),
    ("ArmsTransfer", "transitStates"): (TRANSIT, "state_id", STATE, "State"),
    ("ArmsTransfer", "violates"): (VIOLATION, "regime_id", REGIME, "SanctionsRegime"),
}

# (type, field) -> (link table, column the list is ordered by, type of its rows): a transfer's
# link rows as objects (a denial with its state and source ...), ordered like the resolvers.
LINK_OBJECTS: dict[tuple[str, str], tuple[sa.Table, str, str]] = {
    ("ArmsTransfer", "denials"): (DENIAL, "state_id", "Denial"),
    ("ArmsTransfer", "transits"): (TRANSIT, "state_id", "Transit"),
    ("ArmsTransfer", "violations"): (VIOLATION, "regime_id", "Violation"),
}

# To-one relations of those link rows, beside ``pages.TO_ONE``.
LINK_TO_ONE: dict[tuple[str, str], tuple[str, sa.Table, str]] = {
    ("Denial", "state"): ("state_id", STATE, "State"),
    ("Denial", "source"): ("source_id", SOURCE, "Source"),
    ("Transit", "state"): ("state_id", STATE, "State"),
    ("Transit", "source"): ("source_id", SOURCE, "Source"),
    ("Violation", "regime"): ("regime_id", REGIME, "SanctionsRegime"),
    ("Violation", "source"): ("source_id", SOURCE, "Source"),
}

# (type, field) -> {field of the nested object: column of the parent row}: objects that are
# a few columns of their parent's row.
EMBEDDED: dict[tuple[str, str], dict[str, str]] = {
    ("ArmsTransfer", "sipriTiv"): {"perUnit": "sipri_tiv_per_unit", "total": "sipri_tiv_total",
                                   "delivered": "sipri_tiv_delivered"},
    ("Resolution", "publishedTally"): {"yes": "yes_count", "no": "no_count",
                                       "abstain": "abstain_count", "nonVoting": "non_voting_count"},
}
_TALLY_PARTS = ("yes", "no", "abstain", "nonVoting")
# Columns that fields computed in SQL read, beside ``id`` (see ``Compiler._columns``).
COLUMNS_OF: dict[tuple[str, str], tuple[str, ...]] = {
    ("Resolution", "url"): ("undl_record_id",),
    ("SanctionsRegime", "inForce"): ("started_on", "ended_on"),
}

# Leaf types whose stored value is already their JSON value.
_AS_STORED = {"String", "Int", "ID", "Date"}
# PostgreSQL takes at most 100 arguments per function call: 50 keys per object.
_MAX_KEYS = 50


class PlanCache:
    """The last ``size`` compiled plans, by request (query text, operation, variables).

    Building a statement costs more than running it for small queries, and clients repeat
    their queries. Plans hold no data and depend on nothing but the request, the database kind
    and the day (the default `asOf` of `allies` and `members`), all in the key.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._plans: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        plan = self._plans.get(key)
        if plan is not None:
            self._plans.move_to_end(key)
        return plan

    def clear(self) -> None:
        self._plans.clear()

    def put(self, key: Any, plan: Any) -> None:
        self._plans[key] = plan
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)


PLANS = PlanCache()
NOT_COMPILED = object()  # a cached answer too: this root field goes to the resolvers


class Unsupported(Exception):
    """The selection needs the resolvers; the root field goes to the breadth-first executor."""


class _From:
    """The FROM clause of one SELECT: a row source and the to-one relations joined to it.

    To-one relations are LEFT JOINs rather than sub-selects: SQLite's parser has a fixed
    nesting depth that a few levels of sub-selects would exhaust.
    """

    def __init__(self, source: Any) -> None:
        self.clause = source

    def join(self, alias: Any, on: Any) -> None:
        self.clause = self.clause.outerjoin(alias, on)


def _literal(text: str) -> Any:
    """A SQL string literal for a GraphQL name or type name ([_A-Za-z][_0-9A-Za-z]*)."""
    if not text.replace("_", "a").replace(":", "a").isalnum():
        raise Unsupported(f"not a plain name: {text!r}")
    return sa.literal_column(f"'{text}'")


def _int(value: int) -> Any:
    return sa.literal_column(str(int(value)))


class Compiler:
    """Builds the statement of one root field over a ``BatchedExecutor``'s validated operation."""

    def __init__(self, batched: BatchedExecutor, backend: str) -> None:
        self.batched = batched
        self.executor = batched.executor
        self.schema = self.executor.schema
        self.pg = backend == "postgresql"
        self._names = itertools.count()

    # ---- root fields --------------------------------------------------------------------

    def root(self, key: str, details: list[FieldDetails]) -> tuple[sa.Select[Any], Decode]:
        """The statement of one root field and how to turn its rows into the field's value."""
        query_type = self.schema.query_type
        assert query_type is not None
        name = details[0].node.name.value
        if name == "__typename":
            raise Unsupported("__typename at the root needs no SQL")
        field_def = query_type.fields[name]
        args = self._arguments(query_type, field_def, details)
        if name in ROOT_PAGES:
            node_type, page = ROOT_PAGES[name]
            select, order = page(args)
            statement = self._connection(select, order, self._window(args), node_type,
                                         field_def.type, details, correlate=None)
            # The connection's SELECT returns exactly one row: it is the statement itself.
            return statement.with_only_columns(self._text(statement.selected_columns[0])), _one_json
        if name in ROOT_ONE:
            type_name, table, condition, order = ROOT_ONE[name]
            row = sa.select(table).where(condition(args)).order_by(*order).limit(1)
            return self._single(type_name, row.subquery(self._name()), details), _one_json
        if name == "node":
            type_name, pk = parse_global_id(args["id"], "id", set(NODE_TABLES))
            table = NODE_TABLES[type_name]
            row = sa.select(table).where(table.c.id == pk)
            return self._single(type_name, row.subquery(self._name()), details), _one_json
        if name == "nodes":
            return self._nodes(args["ids"], details)
        raise Unsupported(f"root field {name}")

    def _single(self, type_name: str, source: Any, details: list[FieldDetails]) -> sa.Select[Any]:
        gql_type = self.schema.get_type(type_name)
        assert isinstance(gql_type, GraphQLObjectType)
        from_ = _From(source)
        value = sa.select(self._object(gql_type, self._collect(gql_type, details), source, from_))
        return sa.select(self._text(value.select_from(from_.clause).scalar_subquery()))

    def _nodes(self, ids: list[str], details: list[FieldDetails]) -> tuple[sa.Select[Any], Decode]:
        parsed = parse_node_ids(ids, set(NODE_TABLES))  # errors: the resolver reports them
        wanted = node_ids_by_type(parsed)
        parts = []
        for type_name, pks in wanted.items():
            gql_type = self.schema.get_type(type_name)
            assert isinstance(gql_type, GraphQLObjectType)
            table = NODE_TABLES[type_name]
            source = sa.select(table).where(table.c.id.in_(sorted(pks))).subquery(self._name())
            from_ = _From(source)
            value = self._object(gql_type, self._collect(gql_type, details), source, from_)
            parts.append(sa.select(_literal(type_name).label("t"), source.c.id.label("pk"),
                                   self._text(value).label("j")).select_from(from_.clause))
        statement = parts[0] if len(parts) == 1 else sa.union_all(*parts)

        def decode(rows: Sequence[Any]) -> list[Any]:
            found = {(row[0], row[1]): row[2] for row in rows}
            return [_parse(found.get(key)) for key in parsed]

        return statement, decode  # type: ignore[return-value]

    # ---- objects and fields -------------------------------------------------------------

    def _collect(self, gql_type: GraphQLObjectType, details: list[FieldDetails]) -> GroupedFields:
        collected = self.executor.collect_subfields(gql_type, details)
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        return collected.grouped_field_set

    def _object(self, gql_type: GraphQLObjectType, fields: GroupedFields, source: Any,
                from_: _From) -> Any:
        """The JSON object of one row of ``source`` (joining its to-one relations to ``from_``)."""
        if len(fields) > _MAX_KEYS:
            raise Unsupported("too many fields in one object")
        pairs = [(key, self._field(gql_type, details, source, from_)) for key, details in fields.items()]
        return self._json_object(pairs)

    def _field(self, parent_type: GraphQLObjectType, details: list[FieldDetails], source: Any,
               from_: _From) -> Any:
        node = details[0].node
        name = node.name.value
        type_name = parent_type.name
        if name == "__typename":
            return _literal(type_name)
        field_def = parent_type.fields[name]
        if name == "id" and type_name in NODE_TABLES:
            return self._b64(_literal(f"{type_name}:").concat(sa.cast(source.c.id, sa.Text)))
        to_one = TO_ONE.get((type_name, name)) or LINK_TO_ONE.get((type_name, name))
        if to_one is not None:
            column, table, target_name = to_one
            target = self.schema.get_type(target_name)
            assert isinstance(target, GraphQLObjectType)
            alias = table.alias(self._name())
            from_.join(alias, alias.c.id == source.c[column])
            value = self._object(target, self._collect(target, details), alias, from_)
            if not source.c[column].nullable:
                return value
            # CASE keeps SQLite's JSON subtype: no json() needed around it.
            return sa.case((alias.c.id.is_(None), sa.null()), else_=value)
        if (type_name, name) in EMBEDDED:
            return self._embedded(field_def.type, details, source, EMBEDDED[(type_name, name)])
        attribute = self.batched._plain_attribute(type_name, name)
        if attribute is not None:
            if attribute not in source.c:
                raise Unsupported(f"{type_name}.{name} is not a column")
            return self._leaf(source.c[attribute], field_def.type)
        if (type_name, name) in LINK_OBJECTS:
            link_table, order_column, row_type = LINK_OBJECTS[(type_name, name)]
            link = link_table.alias(self._name())
            select = sa.select(link).where(link.c.transfer_id == source.c.id)
            return self._nested(self._list(select, [link.c[order_column]], row_type, details, source)
                                .scalar_subquery())
        special = getattr(self, f"_field_{type_name}_{name}", None)
        if special is not None:
            return special(parent_type, field_def, details, source)
        if (type_name, name) in CHILD_PAGES:
            node_type, spec_of = CHILD_PAGES[(type_name, name)]
            args = self._arguments(parent_type, field_def, details)
            spec = spec_of(args)
            # By name, not as a column object: a spec may restrict inside a sub-select of its
            # own (allies, members), which SQLAlchemy would otherwise give a FROM of its own.
            parent_id = sa.literal_column(f"{source.name}.id")
            select = spec.base(lambda column: column == parent_id)
            statement = self._connection(select, spec.order, self._window(args), node_type,
                                         field_def.type, details, correlate=source)
            return self._nested(statement.scalar_subquery())
        if name == "sources" and type_name in SOURCE_OWNERS:
            owner = SOURCE_OWNERS[type_name]
            link = SOURCE_LINKS[owner].alias(self._name())
            select = (sa.select(SOURCE).join(link, link.c.source_id == SOURCE.c.id)
                      .where(link.c[f"{owner}_id"] == source.c.id))
            order = [SOURCE.c.published_on.is_(None), SOURCE.c.published_on, SOURCE.c.id]
            return self._nested(self._list(select, order, "Source", details, source).scalar_subquery())
        if (type_name, name) in LINKED:
            link_table, link_column, entity, entity_type = LINKED[(type_name, name)]
            link = link_table.alias(self._name())
            select = (sa.select(entity).join(link, link.c[link_column] == entity.c.id)
                      .where(link.c.transfer_id == source.c.id))
            return self._nested(self._list(select, [entity.c.id], entity_type, details, source)
                                .scalar_subquery())
        raise Unsupported(f"{type_name}.{name}")

    # ---- fields computed from their row -------------------------------------------------

    def _field_Resolution_url(self, parent_type: Any, field_def: Any, details: Any, source: Any) -> Any:
        record = source.c.undl_record_id
        return sa.case((sa.or_(record.is_(None), record == ""), sa.null()),
                       else_=sa.literal_column(f"'{UNDL_RECORD_URL}'").concat(record))

    def _field_Resolution_tally(self, parent_type: Any, field_def: Any, details: Any, source: Any) -> Any:
        votes = VOTE.alias(self._name())
        counts = {part: sa.func.count().filter(votes.c.position == _position(part))
                  for part in _TALLY_PARTS}
        value = self._tally(field_def.type, details, counts, total=sa.func.count())
        return self._nested(sa.select(value).where(votes.c.resolution_id == source.c.id)
                            .scalar_subquery())

    def _field_SanctionsRegime_measures(self, parent_type: Any, field_def: Any, details: Any,
                                        source: Any) -> Any:
        measures = MEASURE.alias(self._name())
        rows = (sa.select(measures.c.measure).where(measures.c.regime_id == source.c.id)
                .order_by(measures.c.measure).correlate(source).subquery(self._name()))
        array = self._array(rows.c.measure, rows.c.measure, None)
        return self._nested(sa.select(array).select_from(rows).scalar_subquery())

    def _field_SanctionsRegime_inForce(self, parent_type: Any, field_def: Any, details: Any,
                                       source: Any) -> Any:
        day = sa.literal(self._arguments(parent_type, field_def, details)["as_of"], sa.Date)
        started = sa.or_(source.c.started_on.is_(None), source.c.started_on <= day)
        return self._boolean(sa.and_(started, sa.or_(source.c.ended_on.is_(None),
                                                     source.c.ended_on > day)))

    def _field_State_vote(self, parent_type: Any, field_def: Any, details: Any, source: Any) -> Any:
        symbol = self._arguments(parent_type, field_def, details)["resolution"]
        row = (sa.select(VOTE).join(RESOLUTION, RESOLUTION.c.id == VOTE.c.resolution_id)
               .where(VOTE.c.state_id == source.c.id, RESOLUTION.c.symbol == symbol)
               .order_by(RESOLUTION.c.voted_on.desc(), RESOLUTION.c.id.desc()).limit(1)
               .correlate(source).subquery(self._name()))
        vote = self.schema.get_type("Vote")
        assert isinstance(vote, GraphQLObjectType)
        from_ = _From(row)
        value = self._object(vote, self._collect(vote, details), row, from_)
        return self._nested(sa.select(value).select_from(from_.clause).scalar_subquery())

    def _field_State_aliases(self, parent_type: Any, field_def: Any, details: Any, source: Any) -> Any:
        alias = ALIAS.alias(self._name())
        select, order = aliases_select(alias, DATASET.alias(self._name()))
        select = select.where(alias.c.state_id == source.c.id)
        return self._nested(self._list(select, order, "StateAlias", details, source).scalar_subquery())

    def _embedded(self, gql_type: GraphQLOutputType, details: list[FieldDetails], source: Any,
                  columns: dict[str, str]) -> Any:
        if get_named_type(gql_type).name == "Tally":
            parts = {part: source.c[columns[part]] for part in _TALLY_PARTS}
            total = sa.case((sa.or_(*(value.is_(None) for value in parts.values())), sa.null()),
                            else_=functools.reduce(operator.add, parts.values()))
            return self._tally(gql_type, details, parts, total)
        object_type = get_named_type(gql_type)
        pairs = []
        for key, field_details in self._collect(object_type, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                pairs.append((key, _literal(object_type.name)))
            elif name in columns:
                pairs.append((key, self._leaf(source.c[columns[name]], object_type.fields[name].type)))
            else:
                raise Unsupported(f"{object_type.name}.{name}")
        return self._json_object(pairs)

    def _tally(self, gql_type: GraphQLOutputType, details: list[FieldDetails],
               parts: dict[str, Any], total: Any) -> Any:
        tally = get_named_type(gql_type)
        pairs = []
        for key, field_details in self._collect(tally, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                pairs.append((key, _literal(tally.name)))
            elif name in parts:
                pairs.append((key, parts[name]))
            elif name == "total":
                pairs.append((key, total))
            else:
                raise Unsupported(f"{tally.name}.{name}")
        return self._json_object(pairs)

    def _leaf(self, column: Any, gql_type: GraphQLOutputType) -> Any:
        named = get_named_type(gql_type)
        if isinstance(named, GraphQLEnumType):
            return column  # stored as the enum's name (app.models.enums: names are values)
        if isinstance(named, GraphQLScalarType) and named.name in _AS_STORED:
            return column
        if isinstance(named, GraphQLScalarType) and named.name == "Boolean":
            return self._boolean(column)
        if isinstance(named, GraphQLScalarType) and named.name == "Float":
            return self._float(column)
        raise Unsupported(f"leaf type {named}")

    def _arguments(self, parent_type: GraphQLObjectType, field_def: Any,
                   details: list[FieldDetails]) -> dict[str, Any]:
        node = details[0].node
        raw = get_argument_values(field_def, node, self.executor.variable_values)
        field = self.batched._strawberry_field(parent_type.name, node.name.value)
        if field is None:
            raise Unsupported("a field without a Strawberry definition")
        return self.batched.converted_arguments(field, raw)

    @staticmethod
    def _window(args: dict[str, Any]) -> Window:
        window = Window.from_args(args.get("first"), args.get("after"), args.get("last"),
                                  args.get("before"))
        if window.from_end is not None or window.limit is None:
            raise Unsupported("`last` without `before` is paged by the resolvers")
        return window

    # ---- lists and connections ----------------------------------------------------------

    def _list(self, select: sa.Select[Any], order: list[Any], node_type: str,
              details: list[FieldDetails], correlate: Any) -> sa.Select[Any]:
        """A whole ordered list of objects, as one JSON array."""
        gql_type = self.schema.get_type(node_type)
        assert isinstance(gql_type, GraphQLObjectType)
        rn = sa.func.row_number().over(order_by=order).label("paging_rn")
        select = _only(select, self._columns(gql_type, [self._collect(gql_type, details)]))
        rows = select.add_columns(rn).order_by(*order).correlate(correlate).subquery(self._name())
        from_ = _From(rows)
        element = self._object(gql_type, self._collect(gql_type, details), rows, from_)
        return sa.select(self._array(element, rows.c.paging_rn, None)).select_from(from_.clause)

    def _connection(self, select: sa.Select[Any], order: list[Any], window: Window,
                    node_type: str, connection_type: GraphQLOutputType,
                    details: list[FieldDetails], correlate: Any) -> sa.Select[Any]:
        """One page of a list as a connection object: rows ``start .. start+limit`` (one more
        to learn whether a next page exists), numbered by their offset in the whole list."""
        start, limit = window.start, window.limit
        assert limit is not None
        connection = get_named_type(connection_type)
        assert isinstance(connection, GraphQLObjectType)
        node_gql = self.schema.get_type(node_type)
        assert isinstance(node_gql, GraphQLObjectType)
        rn = (sa.func.row_number().over(order_by=order) - 1).label("paging_rn")
        page_select = _only(select, self._columns(node_gql, self._node_selections(
            connection, node_gql, details)))
        page_select = page_select.add_columns(rn).order_by(*order).offset(start).limit(limit + 1)
        if correlate is not None:
            page_select = page_select.correlate(correlate)
        page = page_select.subquery(self._name())
        in_page = page.c.paging_rn < _int(start + limit)
        # Whether a field aggregates the page's rows. With only `totalCount` or
        # `hasPreviousPage` asked, none does, and reading the page would give no row at all
        # when it is empty: then the object is selected without it.
        aggregated = False

        def fetched() -> Any:  # rows read: one more than the page when a next page exists
            nonlocal aggregated
            aggregated = True
            return sa.func.count()

        def shown() -> Any:  # rows on the page
            return sa.case((fetched() > _int(limit), _int(limit)), else_=fetched())

        from_ = _From(page)
        pairs: list[tuple[str, Any]] = []
        for key, field_details in self._collect(connection, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                value = _literal(connection.name)
            elif name == "nodes":
                element = self._object(node_gql, self._collect(node_gql, field_details), page, from_)
                value, aggregated = self._array(element, page.c.paging_rn, in_page), True
            elif name == "edges":
                value = self._edges(connection, field_details, node_gql, page, in_page, from_)
                aggregated = True
            elif name == "pageInfo":
                value = self._page_info(connection, field_details, start, limit, fetched, shown)
            elif name == "totalCount":
                counted = select.correlate(correlate) if correlate is not None else select
                value = sa.select(sa.func.count()).select_from(counted.subquery(self._name()))
                value = value.scalar_subquery()
            else:
                raise Unsupported(f"{connection.name}.{name}")
            pairs.append((key, value))
        value = sa.select(self._json_object(pairs))
        return value.select_from(from_.clause) if aggregated else value

    def _node_selections(self, connection: GraphQLObjectType, node_gql: GraphQLObjectType,
                         details: list[FieldDetails]) -> list[GroupedFields]:
        """What a connection's `nodes` and `edges { node }` select of its items."""
        selections = []
        for field_details in self._collect(connection, details).values():
            name = field_details[0].node.name.value
            if name == "nodes":
                selections.append(self._collect(node_gql, field_details))
            elif name == "edges":
                edge = get_named_type(connection.fields["edges"].type)
                for edge_details in self._collect(edge, field_details).values():
                    if edge_details[0].node.name.value == "node":
                        selections.append(self._collect(node_gql, edge_details))
        return selections

    def _columns(self, gql_type: GraphQLObjectType, selections: list[GroupedFields]) -> set[str]:
        """The columns of a row that these selections of its object read (``id`` always, where
        the row has one).

        Sub-selects keep only these, instead of every column of their table: less to build
        here and less for the database to carry. A column missed here fails the compilation,
        and the resolvers answer.
        """
        needed = {"id"}
        for fields in selections:
            for field_details in fields.values():
                key = (gql_type.name, field_details[0].node.name.value)
                to_one = TO_ONE.get(key) or LINK_TO_ONE.get(key)
                if to_one is not None:
                    needed.add(to_one[0])
                elif key in EMBEDDED:
                    needed.update(EMBEDDED[key].values())
                elif key in COLUMNS_OF:
                    needed.update(COLUMNS_OF[key])
                else:
                    attribute = self.batched._plain_attribute(*key)
                    if attribute is not None:
                        needed.add(attribute)
        return needed

    def _edges(self, connection: GraphQLObjectType, details: list[FieldDetails],
               node_gql: GraphQLObjectType, page: Any, in_page: Any, from_: _From) -> Any:
        edge = get_named_type(connection.fields["edges"].type)
        pairs = []
        for key, field_details in self._collect(edge, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                pairs.append((key, _literal(edge.name)))
            elif name == "cursor":
                pairs.append((key, self._cursor(page.c.paging_rn)))
            elif name == "node":
                node = self._object(node_gql, self._collect(node_gql, field_details), page, from_)
                pairs.append((key, node))
            else:
                raise Unsupported(f"{edge.name}.{name}")
        return self._array(self._json_object(pairs), page.c.paging_rn, in_page)

    def _page_info(self, connection: GraphQLObjectType, details: list[FieldDetails], start: int,
                   limit: int, fetched: Callable[[], Any], shown: Callable[[], Any]) -> Any:
        info_type = get_named_type(connection.fields["pageInfo"].type)
        pairs = []
        for key, field_details in self._collect(info_type, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                value = _literal(info_type.name)
            elif name == "hasNextPage":
                value = self._boolean(fetched() > _int(limit))
            elif name == "hasPreviousPage":
                value = self._boolean(sa.true() if start > 0 else sa.false())
            elif name in ("startCursor", "endCursor"):
                offset = _int(start) if name == "startCursor" else _int(start) + shown() - _int(1)
                value = sa.case((shown() > _int(0), self._cursor(offset)), else_=sa.null())
            else:
                raise Unsupported(f"{info_type.name}.{name}")
            pairs.append((key, value))
        return self._json_object(pairs)

    # ---- JSON in SQL, per database ------------------------------------------------------

    def _name(self) -> str:
        return f"cq{next(self._names)}"

    def _json_object(self, pairs: list[tuple[str, Any]]) -> Any:
        arguments = [part for key, value in pairs for part in (_literal(key), value)]
        if self.pg:
            return sa.func.json_build_object(*arguments)
        return sa.func.json_object(*arguments)

    def _array(self, element: Any, order: Any, keep: Any) -> Any:
        """A JSON array of ``element`` over the rows, in ``order``; only rows where ``keep``."""
        if self.pg:
            aggregated = sa.func.json_agg(postgresql.aggregate_order_by(element, order))
            if keep is not None:
                aggregated = aggregated.filter(keep)
            return sa.func.coalesce(aggregated, sa.literal_column("'[]'::json"))
        # SQLite 3.40 has no ORDER BY inside an aggregate: it aggregates the ordered sub-select
        # in its order (an aggregate over a sub-select with ORDER BY is never flattened).
        aggregated = sa.func.json_group_array(element)
        return aggregated.filter(keep) if keep is not None else aggregated

    def _text(self, value: Any) -> Any:
        # asyncpg would decode json itself (slower than orjson): take it as text.
        return sa.cast(value, sa.Text) if self.pg else value

    def _nested(self, value: Any) -> Any:
        # SQLite returns a sub-select's JSON as text; json() makes it JSON again.
        return value if self.pg else sa.func.json(value)

    def _boolean(self, value: Any) -> Any:
        if self.pg:
            return value
        return sa.func.json(sa.case((value, sa.literal_column("'true'")),
                                    (sa.not_(value), sa.literal_column("'false'")),
                                    else_=sa.null()))

    def _float(self, value: Any) -> Any:
        """A float as a JSON number that orjson reads back as the same float (never an int:
        5.0 must stay 5.0)."""
        if self.pg:
            text = sa.cast(value, sa.Text)  # shortest text that reads back exactly
            as_float = sa.case((text.regexp_match("[.eEn]"), text), else_=text.concat(".0"))
            return sa.case((value.is_(None), sa.null()), else_=sa.cast(as_float, postgresql.JSON))
        # %!.17g: 17 significant digits (always reads back exactly) and always a decimal point.
        return sa.case((value.is_(None), sa.null()),
                       else_=sa.func.json(sa.func.printf(sa.literal_column("'%!.17g'"), value)))

    def _b64(self, text: Any) -> Any:
        """URL-safe base64 of a short text (global ids and cursors), as Python encodes it."""
        if self.pg:
            encoded = sa.func.encode(sa.func.convert_to(text, sa.literal_column("'UTF8'")),
                                     sa.literal_column("'base64'"))
            return sa.func.translate(encoded, sa.literal_column("'+/'"), sa.literal_column("'-_'"))
        return sa.func.atlas_b64(text)  # registered on every SQLite connection (app.db)

    def _cursor(self, offset: Any) -> Any:
        return self._b64(sa.literal_column(f"'{_CURSOR_PREFIX}'").concat(sa.cast(offset, sa.Text)))


def _only(select: sa.Select[Any], names: set[str]) -> sa.Select[Any]:
    """``select`` with only the selected columns named in ``names`` (its FROM and WHERE kept)."""
    kept = [column for column in select.selected_columns if column.name in names]
    return select.with_only_columns(*kept, maintain_column_froms=True)


def _position(part: str) -> Any:
    """The stored position a tally part counts (``nonVoting`` -> ``NON_VOTING``)."""
    return sa.literal_column("'NON_VOTING'" if part == "nonVoting" else f"'{part.upper()}'")


def _parse(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


def _one_json(rows: Sequence[Any]) -> Any:
    return _parse(rows[0][0])
