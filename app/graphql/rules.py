"""Validation rules that refuse a document whose shape is past a limit.

Each rule measures with :mod:`app.graphql.limits` and reports a :class:`LimitError` whose
message names the limit, the value seen and how to stay under it.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    ValidationRule,
    VariableDefinitionNode,
)

from app.graphql.limits import (
    INTROSPECTION_FIELDS,
    INTROSPECTION_MAX_DEPTH,
    LimitError,
    alias_count,
    directive_count,
    fragments_of,
    literal_depth,
    operation_depths,
    operation_label,
    operations_of,
)


def input_depth_error(where: str, depth: int, limit: int, nodes: Any = None) -> LimitError:
    return LimitError(
        "INPUT_DEPTH_LIMIT_EXCEEDED",
        f"{where} nests input objects and lists {depth} levels deep; the limit is {limit}. "
        "Flatten the filter: combine conditions in one `and: [...]` list instead of nesting "
        "them, and follow a relation in a second query.",
        limit=limit, value=depth, nodes=nodes,
    )


def input_depth_rule(max_input_depth: int) -> type[ValidationRule]:
    """A validation rule refusing literal arguments nested deeper than ``max_input_depth``.

    Each nested filter level becomes a nested SQL subquery; SQLite's parser overflows on a
    dozen of them and Python's recursion on a few hundred.
    """

    class InputDepthLimit(ValidationRule):
        def enter_argument(self, node: ArgumentNode, *_args: object) -> None:
            depth = literal_depth(node.value)
            if depth > max_input_depth:
                self.report_error(input_depth_error(
                    f"Argument {node.name.value!r}", depth, max_input_depth, [node]))

        def enter_variable_definition(self, node: VariableDefinitionNode, *_args: object) -> None:
            if node.default_value is not None:
                depth = literal_depth(node.default_value)
                if depth > max_input_depth:
                    self.report_error(input_depth_error(
                        f"The default of ${node.variable.name.value}", depth, max_input_depth,
                        [node]))

    return InputDepthLimit


def depth_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing operations nested deeper than ``max_depth`` fields."""

    class DepthLimit(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: object) -> None:
            fragments = fragments_of(node)
            for operation in operations_of(node):
                data, introspection = operation_depths(operation, fragments)
                if data > max_depth:
                    self.report_error(LimitError(
                        "DEPTH_LIMIT_EXCEEDED",
                        f"Query depth {data} in {operation_label(operation)} exceeds the limit "
                        f"of {max_depth} nested fields. Ask for fewer nested levels, or split "
                        "the query and follow ids with a second query.",
                        limit=max_depth, value=data, nodes=[operation],
                    ))
                if introspection > INTROSPECTION_MAX_DEPTH:
                    self.report_error(LimitError(
                        "DEPTH_LIMIT_EXCEEDED",
                        f"Introspection depth {introspection} in {operation_label(operation)} "
                        f"exceeds the limit of {INTROSPECTION_MAX_DEPTH}. The standard "
                        "introspection query stays under it; use that one.",
                        limit=INTROSPECTION_MAX_DEPTH, value=introspection, nodes=[operation],
                    ))

    return DepthLimit


def alias_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing operations with more than ``max_aliases`` aliases."""

    class AliasLimit(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: object) -> None:
            fragments = fragments_of(node)
            for operation in operations_of(node):
                aliases = alias_count(operation, fragments)
                if aliases > max_aliases:
                    self.report_error(LimitError(
                        "ALIAS_LIMIT_EXCEEDED",
                        f"{operation_label(operation).capitalize()} uses {aliases} aliases; "
                        f"the limit is {max_aliases}. Fetch several items with one list "
                        "field and a filter (e.g. `states(where: {iso3: {in: [...]}})`) "
                        "instead of one aliased field each.",
                        limit=max_aliases, value=aliases, nodes=[operation],
                    ))

    return AliasLimit


def directive_rule(max_directives: int) -> type[ValidationRule]:
    """A validation rule refusing operations with more than ``max_directives`` directives."""

    class DirectiveLimit(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: object) -> None:
            fragments = fragments_of(node)
            for operation in operations_of(node):
                directives = directive_count(operation, fragments)
                if directives > max_directives:
                    self.report_error(LimitError(
                        "DIRECTIVE_LIMIT_EXCEEDED",
                        f"{operation_label(operation).capitalize()} uses {directives} "
                        f"directives; the limit is {max_directives}. Put one @include/@skip "
                        "on a fragment or a parent field instead of on each field.",
                        limit=max_directives, value=directives, nodes=[operation],
                    ))

    return DirectiveLimit


def introspection_rule() -> type[ValidationRule]:
    """A validation rule refusing ``__schema`` and ``__type`` (introspection switched off)."""

    class NoIntrospection(ValidationRule):
        def enter_field(self, node: FieldNode, *_args: object) -> None:
            if node.name.value in INTROSPECTION_FIELDS:
                self.report_error(GraphQLError(
                    f"Introspection is disabled on this server (field {node.name.value!r}). "
                    "Use the published schema file (schema.graphql) instead.",
                    nodes=[node], extensions={"code": "INTROSPECTION_DISABLED"},
                ))

    return NoIntrospection
