"""SIPRI's weapon description ("one-way attack drone", "APC", "SAM system") -> weapon category.

SIPRI's register gives a free-text description per deal, not the category. The rules below sort
the descriptions into SIPRI's categories plus two of ours: UAV (SIPRI counts drones as
aircraft, loitering munitions as missiles) and AMMUNITION (guided shells; SIPRI covers no
unguided ammunition). The first rule that matches wins, so the narrow rules come first: an
"aircraft engine" is an engine, a "naval SAM system" a naval weapon, an "anti-tank missile" a
missile and not an armoured vehicle. Unmatched descriptions fall to OTHER.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.models import WeaponCategory as C

_RULES: tuple[tuple[str, C], ...] = (
    (r"\bUAV\b|\bdrone\b|loitering munition", C.UAV),
    (r"guided shell|\bshell\b|ammunition", C.AMMUNITION),
    (r"engine\b|turbofan|turbojet|turboprop|gas turbine|nuclear reactor", C.ENGINES),
    (r"satellite", C.SATELLITES),
    (r"(?<!anti-)radar|sonar|\bEO\b|search system|recce system|signals intelligence system",
     C.SENSORS),
    (r"^naval |naval SAM", C.NAVAL_WEAPONS),
    (r"anti-submarine (rocket launcher|mortar)", C.ANTI_SUBMARINE_WARFARE),
    (r"SAM system|ABM system|air-defen[cs]e system|\bAD system|anti-aircraft gun",
     C.AIR_DEFENCE_SYSTEMS),
    ((r"missile(?! boat)|torpedo(?! boat)|\bSAM\b|\bABM\b|guided (glide )?bomb|guided rocket"
     r"|coastal defence system"), C.MISSILES),
    (r"aircraft(?! carrier)|helicopter|airship|air refuel", C.AIRCRAFT),
    ((r"ship|boat|submarine|frigate|corvette|(?<!tank )destroyer|cruiser"
     r"|mine(sweeper|hunter|layer)|craft|\btug\b|icebreaker|aircraft carrier|tanker"), C.SHIPS),
    (r"\bAPC\b|tank|armou?red|infantry fighting vehicle|fire-support vehicle|\bUGV\b",
     C.ARMOURED_VEHICLES),
    (r"\bgun\b|mortar|rocket launcher|howitzer", C.ARTILLERY),
)
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), category) for pattern, category in _RULES)


# Abbreviations of the October 2024 register (and SIPRI's glossary), spelled out before the
# rules run, so that "SSM" and "surface-to-surface missile" fall in the same category.
ABBREVIATIONS: dict[str, str] = {
    "SSM": "surface-to-surface missile", "SRAAM": "short-range air-to-air missile",
    "BVRAAM": "beyond-visual-range air-to-air missile", "AAM": "air-to-air missile",
    "ASM": "air-to-surface missile", "AShM": "anti-ship missile",
    "ARM": "anti-radiation missile", "ATGM": "anti-tank missile",
    "IFV": "infantry fighting vehicle", "APV": "armoured patrol vehicle",
    "AV": "armoured vehicle", "ARV": "armoured recovery vehicle",
    "AEV": "armoured engineering vehicle", "MRL": "multiple rocket launcher",
    "SPG": "self-propelled gun", "OPV": "offshore patrol ship", "FAC": "fast attack craft",
    "MCM": "mine countermeasures ship",
}
_ABBREVIATION = re.compile(r"\b(" + "|".join(map(re.escape, ABBREVIATIONS)) + r")\b")


def spelled_out(description: str) -> str:
    """The description with SIPRI's abbreviations written out (case kept: 'ARM' is not 'arm')."""
    return _ABBREVIATION.sub(lambda match: ABBREVIATIONS[match.group(1)], description)


@lru_cache(maxsize=1024)
def weapon_category(description: str) -> C:
    """The category of a SIPRI weapon description (OTHER when no rule matches)."""
    text = spelled_out(description)
    for pattern, category in _COMPILED:
        if pattern.search(text):
            return category
    return C.OTHER
