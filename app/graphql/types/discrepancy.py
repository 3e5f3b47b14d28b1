"""Discrepancies: the fields of a row on which the datasets behind it disagree, every value kept.

Every fact row has one statement per dataset that asserts it (``app.models.datasets``); the
served row takes, per field, the value of the first dataset by precedence
(``app.services.statements``). Where current statements differ, the other values are not lost:
``discrepancies`` lists them. They are read from the statements tables in Python, so the
compiled path does not answer a query that asks for them (``compiled.Unsupported``): its root
field goes to the batched resolvers, where one loader per entity type reads the statements of
every row the query reached in one statement.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.utils.str_converters import to_camel_case

from app.graphql.loaders import get_loader
from app.graphql.types.source import Source, source_by_id
from app.services.statements import discrepancies, display, read_statements

DISCREPANCIES = (
    "Fields on which the datasets that assert this row disagree (a discrepancy): for each, "
    "every current dataset's value, the served one first. The served value of a field is the "
    "one of the first dataset by precedence (our curated seeds first, then code lists, then "
    "the public datasets: UN Digital Library, SIPRI, OpenSanctions, ATOP); the others stay "
    "here instead of being overwritten. Wording (names, titles, comments) and lists that are "
    "merged (sources, measures, denials ...) are never discrepancies. Empty when the datasets "
    "agree or only one asserts the row."
)
RETIRED_BY = (
    "The release that dropped this row: a newer release of the dataset that asserted it no "
    "longer holds it, and no other dataset asserts it. Null while the row is current. Retired "
    "rows are left out of every list and relation filter unless the filter's `retired` asks "
    "for them; `node(id)`, `nodes` and lookups by key still return them."
)


@strawberry.type(description="One dataset's value of a field on which datasets disagree.")
class DiscrepancyValue:
    value: str = strawberry.field(
        description="The value as the dataset gives it, as text: dates YYYY-MM-DD, enumerations "
                    "by name, states by ISO3 code, lists joined with '; '.")
    dataset: str = strawberry.field(
        description="Key of the dataset that gives it: seeds, country-codes, undl-votes, sipri, "
                    "opensanctions-programs, atop, atlas-states.")
    source_id: strawberry.Private[int | None]

    @strawberry.field(description="The release of that dataset that last asserted the value "
                                  "(null if none is recorded).")
    async def source(self, info: strawberry.Info) -> Source | None:
        return await source_by_id(info, self.source_id)


@strawberry.type(description="A field on which the current statements of two or more datasets "
                             "about one row differ.")
class Discrepancy:
    field: str = strawberry.field(
        description="The field, in camelCase as the schema names columns (numberOrdered, "
                    "unMemberFrom; a state reference by ISO3 code, e.g. supplierState); a "
                    "state's vote on a roll call as votes.<ISO3>.")
    values: list[DiscrepancyValue] = strawberry.field(
        description="Each dataset's value, in precedence order: the first is the one served.")


def _field_name(name: str) -> str:
    """A statement field in the schema's form: ``number_ordered`` -> ``numberOrdered``; the key
    of a map entry (``votes.RUS``) stays as it is."""
    head, dot, rest = name.partition(".")
    return to_camel_case(head) + dot + rest


async def discrepancies_of(info: strawberry.Info[Any, Any], entity: str, pk: int) -> list[Discrepancy]:
    """The discrepancies of one row of table ``entity``, through this request's loader for that
    table (one statement for every row of the table the query reaches)."""
    context = info.context

    async def load(ids: list[int]) -> list[list[Discrepancy]]:
        async with context.engine.connect() as connection:
            found = await connection.run_sync(read_statements, entity, ids)
        return [[Discrepancy(field=_field_name(d.field), values=[
                    DiscrepancyValue(value=display(value), dataset=dataset, source_id=source_id)
                    for value, dataset, source_id in d.values])
                 for d in discrepancies(entity, found.get(pk, []))]
                for pk in ids]

    return await get_loader(context, ("discrepancies", entity), load).load(pk)
