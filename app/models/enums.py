"""Enumerations stored as names in VARCHAR columns with CHECK constraints."""

from __future__ import annotations

import enum


class Body(str, enum.Enum):
    GENERAL_ASSEMBLY = "GENERAL_ASSEMBLY"
    SECURITY_COUNCIL = "SECURITY_COUNCIL"


class Outcome(str, enum.Enum):
    ADOPTED = "ADOPTED"
    REJECTED = "REJECTED"
    VETOED = "VETOED"


class Position(str, enum.Enum):
    YES = "YES"
    NO = "NO"
    ABSTAIN = "ABSTAIN"
    NON_VOTING = "NON_VOTING"


class Measure(str, enum.Enum):
    ARMS_EMBARGO = "ARMS_EMBARGO"
    ASSET_FREEZE = "ASSET_FREEZE"
    TRAVEL_BAN = "TRAVEL_BAN"
    TRADE = "TRADE"
    FINANCIAL = "FINANCIAL"
    SECTORAL = "SECTORAL"
    OTHER = "OTHER"


class PartyKind(str, enum.Enum):
    """What kind of party supplies or receives arms."""

    STATE = "STATE"
    NON_STATE_ACTOR = "NON_STATE_ACTOR"
    ORGANIZATION = "ORGANIZATION"
    UNKNOWN = "UNKNOWN"


class WeaponCategory(str, enum.Enum):
    """SIPRI's weapon categories, plus AMMUNITION and UAV which SIPRI leaves out or folds in."""

    AIRCRAFT = "AIRCRAFT"
    AIR_DEFENCE_SYSTEMS = "AIR_DEFENCE_SYSTEMS"
    ANTI_SUBMARINE_WARFARE = "ANTI_SUBMARINE_WARFARE"
    ARMOURED_VEHICLES = "ARMOURED_VEHICLES"
    ARTILLERY = "ARTILLERY"
    ENGINES = "ENGINES"
    MISSILES = "MISSILES"
    NAVAL_WEAPONS = "NAVAL_WEAPONS"
    SATELLITES = "SATELLITES"
    SENSORS = "SENSORS"
    SHIPS = "SHIPS"
    OTHER = "OTHER"
    AMMUNITION = "AMMUNITION"
    UAV = "UAV"


class TransferStatus(str, enum.Enum):
    PLANNED = "PLANNED"
    ORDERED = "ORDERED"
    DELIVERING = "DELIVERING"
    DELIVERED = "DELIVERED"


class Evidence(str, enum.Enum):
    CONFIRMED = "CONFIRMED"
    REPORTED = "REPORTED"
    ALLEGED = "ALLEGED"


class TransitKind(str, enum.Enum):
    DECLARED = "DECLARED"
    SUSPECTED = "SUSPECTED"


class AllianceKind(str, enum.Enum):
    DEFENSE_PACT = "DEFENSE_PACT"
    NEUTRALITY = "NEUTRALITY"
    NON_AGGRESSION = "NON_AGGRESSION"
    CONSULTATION = "CONSULTATION"
    STRATEGIC_PARTNERSHIP = "STRATEGIC_PARTNERSHIP"
    POLITICAL_UNION = "POLITICAL_UNION"
