"""Breadth-first execution: each field of a query is resolved for all its parents at once.

graphql-core completes a response field by field and item by item, which costs a few
microseconds per field and a coroutine per list item. On large responses (a hundred states
with fifty votes each) that dominates the time. This executor walks the same validated query
level by level instead: a plain field is read from every parent object in one loop, a to-one
relation (a vote's resolution, a transfer's supplier) is fetched for every parent in one SQL
statement, and every other field calls the schema's own resolver for each parent concurrently,
so the same DataLoaders batch it into the same statements as the ordinary path.

It runs the schema's own resolvers, arguments and serialisers, so answers are the same as the
ordinary path's; a differential test checks that on every query of the test suite and on
random queries. Anything it does not handle, and every error, falls back to the ordinary
executor, which then produces the response (errors included) exactly as before.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from inspect import isawaitable
from typing import Any

import orjson
import sqlalchemy as sa
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    GraphQLAbstractType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetails, collect_fields
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path
from strawberry.extensions import SchemaExtension
from strawberry.types.arguments import convert_arguments

from app.graphql.compiled import NOT_COMPILED, PLANS, Compiler
from app.graphql.loaders import fetch
from app.graphql.pages import TO_ONE

log = logging.getLogger(__name__)

GroupedFields = dict[str, list[FieldDetails]]


class Fallback(Exception):
    """The query needs the ordinary executor (an error, a null in a non-null field ...)."""


class BatchedExecutor:
    """Executes one validated operation breadth-first over a graphql-core ``Executor``."""

    def __init__(self, strawberry_schema: Any, executor: Executor, *, compiled: bool = False,
                 plan_key: Any = None) -> None:
        self.strawberry_schema = strawberry_schema
        self.executor = executor
        self.context = executor.context_value
        self.compiled = compiled
        self.plan_key = plan_key  # the request's query, operation and variables; None: no caching
        self._fields: dict[tuple[str, str], Any] = {}

    async def run(self) -> dict[str, Any]:
        operation = self.executor.operation
        if operation.operation.value != "query":
            raise Fallback("only queries are batched")
        query_type = self.executor.schema.query_type
        assert query_type is not None
        collected = collect_fields(self.executor.schema, self.executor.fragments,
                                   self.executor.variable_values, query_type, operation)
        if collected.new_defer_usages:
            raise Fallback("@defer is left to the ordinary executor")
        data: dict[str, Any] = {}
        for key, details in collected.grouped_field_set.items():
            compiled = await self._compiled(key, details) if self.compiled else None
            if compiled is not None:
                data[key] = compiled[0]
            else:
                [data[key]] = await self._field([self.executor.root_value], query_type, key,
                                                details, None)
        return data

    async def _compiled(self, key: str, details: list[FieldDetails]) -> tuple[Any] | None:
        """The root field's value from one compiled SQL statement, or None if not compilable."""
        cache_key = (self.plan_key, self.context.backend, key) if self.plan_key else None
        plan = PLANS.get(cache_key) if cache_key else None
        if plan is None:
            try:
                plan = Compiler(self, self.context.backend).root(key, details)
            except Exception as error:  # noqa: BLE001 - Unsupported, or a bad argument the resolver reports
                log.debug("root field %s is not compiled: %r", key, error)
                plan = NOT_COMPILED
            if cache_key:
                PLANS.put(cache_key, plan)
        if plan is NOT_COMPILED:
            return None
        statement, decode = plan
        try:
            return (decode(await fetch(self.context, statement)),)
        except sa.exc.OperationalError as error:
            if "parser stack overflow" not in str(error):
                raise
            # Nested deeper than SQLite's parser allows: from now on the resolvers answer it.
            log.info("compiled root field %s is too deep for SQLite; resolvers answer it", key)
            if cache_key:
                PLANS.put(cache_key, NOT_COMPILED)
            return None

    async def _objects(
        self, parents: Sequence[Any], gql_type: GraphQLObjectType, fields: GroupedFields,
        path: Path | None,
    ) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = [{} for _ in parents]
        for key, details in fields.items():
            values = await self._field(parents, gql_type, key, details, path)
            for result, value in zip(results, values, strict=True):
                result[key] = value
        return results

    async def _field(
        self, parents: Sequence[Any], parent_type: GraphQLObjectType, key: str,
        details: list[FieldDetails], path: Path | None,
    ) -> list[Any]:
        node = details[0].node
        name = node.name.value
        if name == "__typename":
            return [parent_type.name] * len(parents)
        field_def = parent_type.fields[name]
        field_path = Path(path, key, parent_type.name)
        attribute = self._plain_attribute(parent_type.name, name)
        if attribute is not None:
            values = [getattr(parent, attribute) for parent in parents]
        elif (parent_type.name, name) in TO_ONE:
            values = await self._to_one(parents, *TO_ONE[(parent_type.name, name)])
        else:
            info = self.executor.build_resolve_info(field_def, [d.node for d in details],
                                                    parent_type, field_path)
            arguments = get_argument_values(field_def, node, self.executor.variable_values)
            call = self._direct_call(parent_type.name, name, info, arguments)
            if call is None:
                resolve = field_def.resolve
                assert resolve is not None
                values = [resolve(parent, info, **arguments) for parent in parents]
            else:
                values = [call(parent) for parent in parents]
            pending = [i for i, value in enumerate(values) if isawaitable(value)]
            if pending:
                done = await asyncio.gather(*(values[i] for i in pending))
                for i, value in zip(pending, done, strict=True):
                    values[i] = value
        return await self._complete(values, field_def.type, details, field_path)

    async def _complete(
        self, values: list[Any], return_type: GraphQLOutputType, details: list[FieldDetails],
        path: Path,
    ) -> list[Any]:
        if isinstance(return_type, GraphQLNonNull):
            if any(value is None for value in values):
                raise Fallback("null in a non-null field: the ordinary executor reports it")
            return await self._complete(values, return_type.of_type, details, path)
        if isinstance(return_type, GraphQLLeafType):
            serialize = return_type.serialize
            return [None if value is None else serialize(value) for value in values]
        if isinstance(return_type, GraphQLList):
            flat = [item for value in values if value is not None for item in value]
            completed = iter(await self._complete(flat, return_type.of_type, details, path))
            return [None if value is None else [next(completed) for _ in value] for value in values]
        present = [value for value in values if value is not None]
        if isinstance(return_type, GraphQLAbstractType):
            completed_by_id = await self._abstract(present, details, path)
        else:
            assert isinstance(return_type, GraphQLObjectType)
            sub = self.executor.collect_subfields(return_type, details)
            if sub.new_defer_usages:
                raise Fallback("@defer is left to the ordinary executor")
            dicts = await self._objects(present, return_type, sub.grouped_field_set, path)
            completed_by_id = {id(value): d for value, d in zip(present, dicts, strict=True)}
        return [None if value is None else completed_by_id[id(value)] for value in values]

    async def _abstract(
        self, values: list[Any], details: list[FieldDetails], path: Path
    ) -> dict[int, dict[str, Any]]:
        by_type: dict[str, list[Any]] = {}
        for value in values:
            definition = getattr(type(value), "__strawberry_definition__", None)
            if definition is None:
                raise Fallback("an object without a GraphQL type")
            by_type.setdefault(definition.name, []).append(value)
        completed: dict[int, dict[str, Any]] = {}
        for type_name, group in by_type.items():
            runtime = self.executor.schema.get_type(type_name)
            assert isinstance(runtime, GraphQLObjectType)
            sub = self.executor.collect_subfields(runtime, details)
            dicts = await self._objects(group, runtime, sub.grouped_field_set, path)
            completed.update({id(value): d for value, d in zip(group, dicts, strict=True)})
        return completed

    async def _to_one(
        self, parents: Sequence[Any], attribute: str, table: sa.Table, type_name: str
    ) -> list[Any]:
        keys = {getattr(parent, attribute) for parent in parents} - {None}
        rows = await fetch(self.context, sa.select(table).where(table.c.id.in_(keys))) if keys else []
        cls = self.strawberry_schema.get_type_by_name(type_name).origin
        objects = {row.id: cls.from_row(row) for row in rows}
        return [objects.get(getattr(parent, attribute)) for parent in parents]

    def _strawberry_field(self, type_name: str, field_name: str) -> Any:
        cache_key = (type_name, field_name)
        if cache_key not in self._fields:
            found = None
            definition = self.strawberry_schema.get_type_by_name(type_name)
            converter = self.strawberry_schema.config.name_converter
            for field in getattr(definition, "fields", ()):
                if converter.get_graphql_name(field) == field_name:
                    found = field
                    break
            self._fields[cache_key] = found
        return self._fields[cache_key]

    def _plain_attribute(self, type_name: str, field_name: str) -> str | None:
        """The Python attribute of a field that has no resolver of its own, else None."""
        field = self._strawberry_field(type_name, field_name)
        if field is None or field.base_resolver is not None or field.extensions:
            return None
        return field.python_name

    def converted_arguments(self, field: Any, arguments: dict[str, Any], info: Any = None) -> dict[str, Any]:
        """A field's argument values as its resolver receives them (Strawberry's input objects)."""
        schema = self.strawberry_schema
        return convert_arguments(arguments, field.arguments, config=schema.config, info=info,
                                 scalar_registry=schema.schema_converter.scalar_registry)

    def _direct_call(
        self, type_name: str, field_name: str, info: Any, arguments: dict[str, Any]
    ) -> Callable[[Any], Any] | None:
        """The field's resolver with its arguments converted once for every parent.

        Strawberry converts a field's arguments on every call; for a field reached through a
        list that is the same work hundreds of times. Fields with extensions, or resolvers that
        take the parent by another name, keep Strawberry's own path.
        """
        field = self._strawberry_field(type_name, field_name)
        resolver = getattr(field, "base_resolver", None)
        if resolver is None or field.extensions or resolver.parent_parameter or resolver.root_parameter:
            return None
        strawberry_info = self.strawberry_schema.config.info_class(_raw_info=info, _field=field)
        kwargs = self.converted_arguments(field, arguments, strawberry_info)
        if resolver.info_parameter:
            kwargs[resolver.info_parameter.name] = strawberry_info
        with_self = resolver.self_parameter is not None
        return lambda parent: field.get_result(parent, info=strawberry_info,
                                               args=[parent] if with_self else [], kwargs=kwargs)


def _plan_key(context: Any) -> tuple[Any, ...] | None:
    """What a compiled plan depends on: the query text, the operation, the variables, and the
    day (`allies` and `members` default to today)."""
    try:
        variables = orjson.dumps(context.variables or {}, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    return (id(context.schema), context.query, context.operation_name, variables,
            dt.date.today())


class BatchedExecution(SchemaExtension):
    """Runs validated queries with ``BatchedExecutor``; leaves the rest to graphql-core.

    With ``compiled``, root fields that ``compiled.Compiler`` understands are answered by one
    SQL statement each.
    """

    def __init__(self, *, compiled: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.compiled = compiled

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        cancelled: asyncio.CancelledError | None = None
        if context.result is None and context.graphql_document is not None:
            try:
                data = await self._try(context)
            except asyncio.CancelledError as error:
                # Strawberry does not unwind the hooks it already entered when one fails while
                # entering: raised here, the cancellation would pass ExecutionTimeout by (a
                # bare CancelledError instead of a TIMEOUT error). Raised after the yield, it
                # reaches that hook like a cancellation of graphql-core's own execution.
                cancelled, data = error, None
                context.result = GraphQLExecutionResult(data=None, errors=None)
            if data is not None:
                context.result = GraphQLExecutionResult(data=data, errors=None)
        yield
        if cancelled is not None:
            raise cancelled

    async def _try(self, context: Any) -> dict[str, Any] | None:
        schema = context.schema
        built = Executor.build(
            schema._schema, context.graphql_document, root_value=context.root_value,
            context_value=context.context, raw_variable_values=context.variables,
            operation_name=context.operation_name,
        )
        if isinstance(built, list):  # variable errors: the ordinary executor reports them
            return None
        try:
            executor = BatchedExecutor(schema, built, compiled=self.compiled,
                                       plan_key=_plan_key(context))
            return await executor.run()
        except Exception as error:  # noqa: BLE001 - any failure means: let graphql-core answer
            log.debug("batched execution fell back: %r", error)
            # Loaders may hold a failed batch; the ordinary executor starts from fresh ones.
            context.context.loaders.clear()
            return None
