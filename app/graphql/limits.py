"""Measures of a GraphQL document's shape: depth, aliases, directives, tokens, input depth.

Each limit is measured on graphql-core's AST, so it holds for whatever schema the API grows
into. Fragments are expanded where they are spread (a fragment of 10 aliases spread 3 times
counts 30), with each fragment measured once, so a document of fragments that spread each
other twice over cannot make the measurement itself exponential.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Lexer,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    ValueNode,
)

# Introspection fields sit on the query root only; the standard introspection query is 15
# fields deep (its `ofType` chain), so they get a fixed cap of their own rather than the data
# limit. The check keys on the *field* name, never on an operation or fragment name, so
# calling an operation `__schema` (GraphQL Armor's depth-plugin bypass) buys nothing.
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
INTROSPECTION_MAX_DEPTH = 20

Fragments = Mapping[str, FragmentDefinitionNode]


class LimitError(GraphQLError):
    """A request refused by a limit; ``extensions`` carry the code, the limit and the value."""

    def __init__(
        self, code: str, message: str, *, limit: float, value: float,
        nodes: Any = None,
    ) -> None:
        super().__init__(
            message, nodes=nodes, extensions={"code": code, "limit": limit, "value": value}
        )


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragment definitions by name."""
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def operation_label(operation: OperationDefinitionNode) -> str:
    return f"operation {operation.name.value!r}" if operation.name else "the anonymous operation"


class _FragmentMemo:
    """Measures a fragment once; a fragment already being measured (a cycle) counts 0.

    Cycles are refused by the standard NoFragmentCycles rule; here they only must not loop.
    """

    def __init__(
        self, fragments: Fragments, measure: Callable[[FragmentDefinitionNode], int]
    ) -> None:
        self.fragments = fragments
        self.measure = measure
        self.done: dict[str, int] = {}
        self.active: set[str] = set()

    def __call__(self, name: str) -> int:
        if name in self.done:
            return self.done[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:
            return 0
        self.active.add(name)
        try:
            value = self.measure(fragment)
        finally:
            self.active.discard(name)
        self.done[name] = value
        return value


def selection_depth(selection_set: SelectionSetNode | None, fragments: Fragments) -> int:
    """Levels of fields below (and counting) this selection set; a leaf field is 1."""

    def depth(selections: SelectionSetNode | None) -> int:
        deepest = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                deepest = max(deepest, 1 + depth(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, memo(selection.name.value))
        return deepest

    memo = _FragmentMemo(fragments, lambda fragment: depth(fragment.selection_set))
    return depth(selection_set)


def root_fields(operation: OperationDefinitionNode, fragments: Fragments) -> list[FieldNode]:
    """The operation's top-level fields, looking through fragments spread at the top level."""
    found: list[FieldNode] = []
    seen: set[str] = set()

    def collect(selections: SelectionSetNode) -> None:
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    collect(fragments[name].selection_set)

    collect(operation.selection_set)
    return found


def operation_depths(operation: OperationDefinitionNode, fragments: Fragments) -> tuple[int, int]:
    """(data depth, introspection depth) of one operation."""
    data = introspection = 0
    for field in root_fields(operation, fragments):
        depth = 1 + selection_depth(field.selection_set, fragments)
        if field.name.value in INTROSPECTION_FIELDS:
            introspection = max(introspection, depth)
        else:
            data = max(data, depth)
    return data, introspection


def _expanded_count(
    operation: OperationDefinitionNode,
    fragments: Fragments,
    per_selection: Callable[[Any], int],
    per_fragment: Callable[[FragmentDefinitionNode], int] = lambda _fragment: 0,
) -> int:
    def count(selections: SelectionSetNode | None) -> int:
        total = 0
        for selection in selections.selections if selections else ():
            total += per_selection(selection)
            if isinstance(selection, (FieldNode, InlineFragmentNode)):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += memo(selection.name.value)
        return total

    memo = _FragmentMemo(
        fragments, lambda fragment: per_fragment(fragment) + count(fragment.selection_set)
    )
    return count(operation.selection_set)


def alias_count(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """Aliased fields in the operation, fragments expanded where spread."""
    return _expanded_count(
        operation, fragments, lambda s: int(isinstance(s, FieldNode) and s.alias is not None)
    )


def directive_count(operation: OperationDefinitionNode, fragments: Fragments) -> int:
    """Directives used by the operation (its own, its variables', its selections')."""
    own = len(operation.directives or ()) + sum(
        len(variable.directives or ()) for variable in operation.variable_definitions or ()
    )
    return own + _expanded_count(
        operation,
        fragments,
        lambda selection: len(selection.directives or ()),
        lambda fragment: len(fragment.directives or ()),
    )


@lru_cache(maxsize=256)
def token_count(query: str, stop_after: int) -> int:
    """Tokens in a query as graphql-core's parser counts them, stopping past ``stop_after``.

    Counting stops early so that measuring a huge document costs no more than the limit.
    A lexing error ends the count: the parser reports it properly afterwards. Cached like
    the parser's and validator's results: clients send the same queries again and again.
    """
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
            if count > stop_after:
                break
    except GraphQLError:
        pass
    return count


def literal_depth(value: ValueNode) -> int:
    """Levels of input objects and lists in a literal argument value (a scalar is 0)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, ObjectValueNode):
            stack.extend((field.value, depth + 1) for field in node.fields)
        elif isinstance(node, ListValueNode):
            stack.extend((item, depth + 1) for item in node.values)
    return deepest


def json_depth(value: Any) -> int:
    """Levels of objects and lists in decoded JSON (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest
