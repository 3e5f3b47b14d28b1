"""Shared metadata: the naming convention is set here, before any table is defined."""

from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata = SQLModel.metadata


def enum_column(enum_cls: type[enum.Enum], name: str, **kwargs: Any) -> Any:
    """A portable enumeration column: VARCHAR plus a named CHECK constraint, no native type."""
    length = max(len(member.name) for member in enum_cls)
    return Field(
        sa_type=sa.Enum(
            enum_cls,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=length,
            validate_strings=True,
        ),
        **kwargs,
    )
