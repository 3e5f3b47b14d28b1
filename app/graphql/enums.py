"""The model's enumerations exposed as GraphQL enums (same names, same values)."""

from __future__ import annotations

import enum

import strawberry

from app.models import enums as model_enums

Body = strawberry.enum(model_enums.Body, description="The UN organ that held the vote.")
Outcome = strawberry.enum(model_enums.Outcome, description="What became of the draft.")
Position = strawberry.enum(
    model_enums.Position,
    description="A state's position on a roll call; NON_VOTING: a member that did not vote.",
)
Measure = strawberry.enum(model_enums.Measure, description="A kind of sanctions measure.")
PartyKind = strawberry.enum(
    model_enums.PartyKind, description="What a supplier or recipient of arms is."
)
WeaponCategory = strawberry.enum(
    model_enums.WeaponCategory,
    description="SIPRI's weapon categories, plus AMMUNITION and UAV.",
)
TransferStatus = strawberry.enum(model_enums.TransferStatus, description="Stage of a transfer.")
Evidence = strawberry.enum(
    model_enums.Evidence,
    description="How well a transfer is established: CONFIRMED (e.g. SIPRI, official), "
    "REPORTED (credible reporting), ALLEGED (a claim, possibly denied).",
)
TransitKind = strawberry.enum(model_enums.TransitKind, description="Declared or suspected transit.")
AllianceKind = strawberry.enum(model_enums.AllianceKind, description="What an alliance binds.")


@strawberry.enum(description="Sort direction.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"
