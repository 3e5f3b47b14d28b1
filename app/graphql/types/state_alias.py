"""A state's aliases: every name a dataset uses for it, for `State.aliases`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import strawberry

from app.graphql.loaders import related_rows
from app.models import Dataset
from app.models import StateAlias as StateAliasRow

ALIAS = StateAliasRow.__table__
DATASET = Dataset.__table__


@strawberry.type(description="A name a dataset uses for a state (the `name` filter of `states` "
                             "matches every one).")
class StateAlias:
    name: str = strawberry.field(description="The name as the dataset writes it.")
    dataset: str = strawberry.field(
        description="Key of the dataset that uses it: seeds, country-codes, sipri, ...")

    @classmethod
    def from_row(cls, row: Any) -> StateAlias:
        return cls(name=row.name, dataset=row.dataset)


def aliases_select(alias: Any = ALIAS, dataset: Any = DATASET) -> tuple[sa.Select[Any], list[Any]]:
    """Every alias with its dataset key (column ``dataset``), and their order: by folded name
    (so case and accents do not scatter them), the name, the dataset key. Both query paths
    read this select (the compiled one through aliases of the tables)."""
    select = (sa.select(alias.c.id, alias.c.name, dataset.c.key.label("dataset"))
              .join(dataset, dataset.c.id == alias.c.dataset_id))
    return select, [alias.c.folded, alias.c.name, dataset.c.key, alias.c.id]


async def aliases_of(info: strawberry.Info[Any, Any], state_id: int) -> list[StateAlias]:
    """One state's aliases, through this request's batched loader."""

    def statement(parents: list[int]) -> sa.Select[Any]:
        select, order = aliases_select()
        return (select.add_columns(ALIAS.c.state_id.label("paging_parent"))
                .where(ALIAS.c.state_id.in_(parents)).order_by(*order))

    rows = await related_rows(info.context, "state-aliases", statement).load(state_id)
    return [StateAlias.from_row(row) for row in rows]
