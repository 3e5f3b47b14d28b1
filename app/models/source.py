"""Where facts come from: documents, datasets and statements."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Source(SQLModel, table=True):
    """A document, dataset release or statement that facts rest on."""

    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=200, description="Stable natural key.")
    title: str = Field(max_length=500)
    publisher: str = Field(max_length=200)
    url: str | None = Field(default=None, max_length=1000)
    published_on: dt.date | None = None
    retrieved_on: dt.date | None = None
    file_name: str | None = Field(default=None, max_length=300)
    sha256: str | None = Field(default=None, max_length=64)
    notes: str | None = Field(default=None, sa_type=sa.Text)
    dataset_id: int | None = Field(default=None, foreign_key="dataset.id", ondelete="RESTRICT",
                                   index=True, description="The dataset this source belongs to.")
