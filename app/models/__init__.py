"""SQLModel tables. Importing this package registers every table on ``metadata``."""

from app.models.base import NAMING_CONVENTION, metadata  # noqa: I001  (sets the naming convention first)
from app.models.alliances import Alliance, AllianceMembership
from app.models.arms import ArmsTransfer, PartyName, TransferDenial, TransferTransit, TransferViolation
from app.models.datasets import STATEMENTS, Dataset, StateAlias
from app.models.enums import (
    AllianceKind,
    Body,
    Evidence,
    Measure,
    Outcome,
    PartyKind,
    Position,
    TransferStatus,
    TransitKind,
    WeaponCategory,
)
from app.models.links import SOURCE_LINKS
from app.models.sanctions import RegimeMeasure, SanctionsRegime
from app.models.source import Source
from app.models.state import State
from app.models.votes import Resolution, Vote

__all__ = [
    "NAMING_CONVENTION",
    "SOURCE_LINKS",
    "STATEMENTS",
    "Alliance",
    "AllianceKind",
    "AllianceMembership",
    "ArmsTransfer",
    "Body",
    "Dataset",
    "Evidence",
    "Measure",
    "Outcome",
    "PartyKind",
    "PartyName",
    "Position",
    "RegimeMeasure",
    "Resolution",
    "SanctionsRegime",
    "Source",
    "State",
    "StateAlias",
    "TransferDenial",
    "TransferStatus",
    "TransferTransit",
    "TransferViolation",
    "TransitKind",
    "Vote",
    "WeaponCategory",
    "metadata",
]
