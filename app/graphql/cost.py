"""The node cost of a query, computed before execution (GitHub's node-limit method).

A connection is any field that takes a ``first`` or ``last`` argument. Its page size
multiplies everything selected below it, so ``states(first: 100) { votes(first: 50) }`` may
return 100 + 100 x 50 = 5,100 nodes. A connection given neither argument counts as the
default of its ``first`` argument in the schema, or :data:`DEFAULT_PAGE_SIZE` when the schema
declares none. Other fields do not multiply: the cost bounds the rows a query can make the
server load and complete, which is where the time goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
    value_from_ast_untyped,
)

from app.graphql.limits import fragments_of

DEFAULT_PAGE_SIZE = 50
PAGE_ARGUMENTS = ("first", "last")


def _variable_values(
    operation: OperationDefinitionNode, variables: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Variables as sent, falling back to the defaults the operation declares."""
    values: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        if definition.default_value is not None:
            values[definition.variable.name.value] = value_from_ast_untyped(
                definition.default_value
            )
    values.update(variables or {})
    return values


def _schema_default(field: GraphQLField) -> int:
    for name in PAGE_ARGUMENTS:
        argument = field.args.get(name)
        default = getattr(argument, "default_value", None)
        if isinstance(default, int) and not isinstance(default, bool):
            return default
    return DEFAULT_PAGE_SIZE


def page_size(node: FieldNode, field: GraphQLField, variables: Mapping[str, Any]) -> int:
    """The most rows one connection field can return in this query."""
    sizes: list[int] = []
    for argument in node.arguments or ():
        if argument.name.value not in PAGE_ARGUMENTS:
            continue
        value: Any = None
        if isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
        # Anything that is not an int (null, a string) fails argument coercion later;
        # here it counts as if absent.
        if isinstance(value, int) and not isinstance(value, bool):
            sizes.append(max(value, 0))
    return max(sizes) if sizes else _schema_default(field)


def is_connection(field: GraphQLField) -> bool:
    return any(name in field.args for name in PAGE_ARGUMENTS)


class _CostWalk:
    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]
    ) -> None:
        self.schema = schema
        self.fragments = fragments_of(document)
        self.variables = variables
        self.memo: dict[str, int] = {}
        self.active: set[str] = set()

    def selections(self, selection_set: SelectionSetNode | None, parent: Any) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                # Fragments on different member types of a union are summed, not maxed:
                # an upper bound, as a limit must be.
                total += self.selections(selection.selection_set, inner)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def field(self, node: FieldNode, parent: Any) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:  # __typename, introspection, or an unknown field
            return 0
        inner_type: GraphQLNamedType = get_named_type(definition.type)
        inner = self.selections(node.selection_set, inner_type)
        if not is_connection(definition):
            return inner
        size = page_size(node, definition, self.variables)
        return size + size * inner

    def fragment(self, name: str) -> int:
        if name in self.memo:
            return self.memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:  # a cycle: refused by validation
            return 0
        self.active.add(name)
        try:
            cost = self.selections(
                fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value)
            )
        finally:
            self.active.discard(name)
        self.memo[name] = cost
        return cost


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The most nodes the chosen operation of ``document`` can return (0 if none is chosen)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    walk = _CostWalk(schema, document, _variable_values(operation, variables))
    return walk.selections(operation.selection_set, root)
