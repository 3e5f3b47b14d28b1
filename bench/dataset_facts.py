"""Synthetic sanctions regimes, arms transfers and alliances, each with sources.

Suppliers and recipients are drawn with weights like the real market's (a few large exporters,
many importers), a small share of parties are not states, and the transfers the headline query
looks for (North Korea, Belarus and Iran supplying Russia) are always present.
"""

from __future__ import annotations

import datetime as dt
import random

from bench.dataset import StateInfo, Tables

FULL_TRANSFERS = 30_000
FULL_ALLIANCES = 300
FULL_MEMBERSHIPS = 2_000
REGIMES = 40

EXPORTERS = {"USA": 30, "RUS": 18, "FRA": 10, "CHN": 8, "DEU": 6, "GBR": 5, "ITA": 4, "ISR": 3,
             "ESP": 3, "KOR": 3, "TUR": 2, "UKR": 2, "SWE": 2, "NLD": 2, "IRN": 1, "BLR": 1}
TARGETS = ["RUS", "BLR", "IRN", "PRK", "SYR", "VEN", "MMR", "CUB", "AFG", "IRQ", "LBY", "SDN"]
AUTHORITIES = [("UN-SC", "UN Security Council", None), ("EU", "European Union", None),
               ("US", "United States", "USA"), ("UK", "United Kingdom", "GBR"),
               ("CA", "Canada", "CAN"), ("CH", "Switzerland", "CHE"), ("JP", "Japan", "JPN")]
MEASURES = ["ARMS_EMBARGO", "ASSET_FREEZE", "TRAVEL_BAN", "TRADE", "FINANCIAL", "SECTORAL", "OTHER"]
CATEGORIES = ["AIRCRAFT", "AIR_DEFENCE_SYSTEMS", "ARMOURED_VEHICLES", "ARTILLERY", "MISSILES",
              "NAVAL_WEAPONS", "SENSORS", "SHIPS", "ENGINES", "AMMUNITION", "UAV", "OTHER"]
NON_STATE = [("Hezbollah (Lebanon)*", "NON_STATE_ACTOR"), ("Houthi rebels (Yemen)*", "NON_STATE_ACTOR"),
             ("African Union**", "ORGANIZATION"), ("unknown supplier(s)", "UNKNOWN"),
             ("Wagner Group*", "NON_STATE_ACTOR")]
# (supplier, designation, description, category, evidence, denied by)
HEADLINE_TRANSFERS = [
    ("PRK", "KN-23", "short-range ballistic missile", "MISSILES", "CONFIRMED", ["PRK", "RUS"]),
    ("PRK", "152mm shell", "artillery ammunition", "AMMUNITION", "CONFIRMED", ["PRK", "RUS"]),
    ("PRK", "Koksan", "170mm self-propelled gun", "ARTILLERY", "REPORTED", ["PRK"]),
    ("IRN", "Shahed-136", "loitering munition", "UAV", "CONFIRMED", ["IRN"]),
    ("BLR", "T-72A", "tank (second-hand)", "ARMOURED_VEHICLES", "REPORTED", []),
]


def _sources_for(rng: random.Random, first_report: int, last_source: int, most: int) -> list[int]:
    return sorted(rng.sample(range(first_report, last_source + 1), rng.randint(1, most)))


def regimes(tables: Tables, rng: random.Random, infos: list[StateInfo], first_report: int,
            last_source: int) -> list[int]:
    """About forty regimes; returns the ids of those that target a state."""
    by_iso3 = {s.iso3: s.id for s in infos}
    rows, measures, links, targeted = [], [], [], []
    for pk in range(1, REGIMES + 1):
        prefix, authority, authority_state = AUTHORITIES[(pk - 1) % len(AUTHORITIES)]
        thematic = pk % 9 == 0
        target = None if thematic else TARGETS[(pk - 1) % len(TARGETS)]
        code = f"{prefix}-{'THEME' + str(pk) if target is None else target}-{pk}"
        started = dt.date(rng.randint(1990, 2022), rng.randint(1, 12), rng.randint(1, 28))
        ended = started + dt.timedelta(days=rng.randint(400, 4000)) if rng.random() < 0.15 else None
        rows.append((pk, code, f"{authority} sanctions ({target or 'thematic'}) {pk}", authority,
                     by_iso3.get(authority_state or ""), by_iso3.get(target or ""),
                     f"Legal act {pk}/{started.year}", started, ended))
        measures += [(pk, m) for m in sorted(rng.sample(MEASURES, rng.randint(1, 5)))]
        links += [(pk, s) for s in _sources_for(rng, first_report, last_source, 3)]
        if target is not None:
            targeted.append(pk)
    tables.add("sanctions_regime", ("id", "code", "name", "authority", "authority_state_id",
                                    "target_state_id", "legal_basis", "started_on", "ended_on"), rows)
    tables.add("regime_measure", ("regime_id", "measure"), measures)
    tables.add("sanctions_regime_source", ("sanctions_regime_id", "source_id"), links)
    return targeted


def _party(rng: random.Random, ids: list[int], weights: list[float]) -> tuple[int | None, str, str]:
    if rng.random() < 0.03:
        name, kind = rng.choice(NON_STATE)
        return None, name, kind
    return rng.choices(ids, weights=weights)[0], "", "STATE"


def transfers(tables: Tables, rng: random.Random, infos: list[StateInfo], scale: float,
              first_report: int, last_source: int, targeted: list[int]) -> None:
    """Transfers with sources, a few denials, transits and reported breaches."""
    by_iso3 = {s.iso3: s.id for s in infos}
    names = {row[0]: row[5] for row in tables.rows["state"]}
    ids = [s.id for s in infos if s.left is None]
    supplier_weights = [EXPORTERS.get(s.iso3, 0.05) for s in infos if s.left is None]
    recipient_weights = [1.0] * len(ids)
    count = max(100, round(FULL_TRANSFERS * scale))
    rows, links, denials, transits, violations = [], [], [], [], []
    for pk in range(1, count + 1):
        special = HEADLINE_TRANSFERS[pk - 1] if pk <= len(HEADLINE_TRANSFERS) else None
        if special:
            supplier, supplier_name, supplier_kind = by_iso3[special[0]], "", "STATE"
            recipient, recipient_name, recipient_kind = by_iso3["RUS"], "", "STATE"
            designation, description, category, evidence, deniers = special[1:]
            denier_ids = sorted(by_iso3[code] for code in deniers)
        else:
            supplier, supplier_name, supplier_kind = _party(rng, ids, supplier_weights)
            recipient, recipient_name, recipient_kind = _party(rng, ids, recipient_weights)
            while recipient is not None and recipient == supplier:
                recipient, recipient_name, recipient_kind = _party(rng, ids, recipient_weights)
            category = rng.choice(CATEGORIES)
            designation = f"{category[:3].title()}-{rng.randint(1, 400)}"
            description = None if rng.random() < 0.3 else f"{category.lower().replace('_', ' ')} system"
            evidence = rng.choices(["CONFIRMED", "REPORTED", "ALLEGED"], weights=[85, 10, 5])[0]
            denier_ids = []
            if evidence != "CONFIRMED" and rng.random() < 0.3 and supplier is not None:
                denier_ids = [supplier]
        ordered = None if rng.random() < 0.05 else rng.randint(1950, 2024)
        number_ordered = None if rng.random() < 0.1 else rng.randint(1, 500)
        delivered = None if number_ordered is None or rng.random() < 0.2 else rng.randint(0, number_ordered)
        first_year = None if ordered is None or delivered is None else ordered + rng.randint(0, 3)
        last_year = None if first_year is None else first_year + rng.randint(0, 4)
        years = None if first_year is None else "; ".join(str(y) for y in range(first_year, last_year + 1))
        status = "DELIVERED" if delivered else rng.choice(["PLANNED", "ORDERED", "DELIVERING"])
        tiv = round(rng.uniform(0.1, 50), 2)
        rows.append((pk, f"bench:{pk}", supplier, supplier_name or names[supplier], supplier_kind,
                     recipient, recipient_name or names[recipient], recipient_kind, designation,
                     description, category, ordered, rng.random() < 0.05, number_ordered,
                     rng.random() < 0.1, years, first_year, last_year, delivered, rng.random() < 0.1,
                     status, evidence, "New", tiv, None if number_ordered is None else tiv * number_ordered,
                     None if delivered is None else tiv * delivered))
        links += [(pk, s) for s in _sources_for(rng, first_report, last_source, 2)]
        denials += [(pk, state, rng.randint(first_report, last_source)) for state in denier_ids]
        if rng.random() < 0.01:
            transit = rng.choice(ids)
            if transit not in (supplier, recipient):
                transits.append((pk, transit, rng.choice(["DECLARED", "SUSPECTED"]), None))
        if special or rng.random() < 0.005:
            violations.append((pk, rng.choice(targeted), "UN Panel of Experts",
                               rng.randint(first_report, last_source)))
    tables.add("arms_transfer", (
        "id", "external_id", "supplier_state_id", "supplier_name", "supplier_kind",
        "recipient_state_id", "recipient_name", "recipient_kind", "weapon_designation",
        "weapon_description", "category", "ordered_year", "ordered_year_estimate", "number_ordered",
        "number_ordered_estimate", "delivery_years", "first_delivery_year", "last_delivery_year",
        "number_delivered", "number_delivered_estimate", "status", "evidence", "sipri_status",
        "sipri_tiv_per_unit", "sipri_tiv_total", "sipri_tiv_delivered"), rows)
    tables.add("arms_transfer_source", ("arms_transfer_id", "source_id"), links)
    tables.add("transfer_denial", ("transfer_id", "state_id", "source_id"), denials)
    tables.add("transfer_transit", ("transfer_id", "state_id", "kind", "source_id"), transits)
    tables.add("transfer_violation", ("transfer_id", "regime_id", "claimed_by", "source_id"),
               violations)


def alliances(tables: Tables, rng: random.Random, infos: list[StateInfo], scale: float,
              first_report: int, last_source: int) -> None:
    """Alliances of two to many members, with membership periods and sources."""
    kinds = ["DEFENSE_PACT", "NEUTRALITY", "NON_AGGRESSION", "CONSULTATION",
             "STRATEGIC_PARTNERSHIP", "POLITICAL_UNION"]
    count = max(30, round(FULL_ALLIANCES * scale))
    target_members = max(200, round(FULL_MEMBERSHIPS * scale))
    rows, members, links, member_links = [], [], [], []
    for pk in range(1, count + 1):
        signed = dt.date(rng.randint(1946, 2024), rng.randint(1, 12), rng.randint(1, 28))
        ended = signed + dt.timedelta(days=rng.randint(365, 15000)) if rng.random() < 0.3 else None
        kind = rng.choice(kinds)
        rows.append((pk, f"BENCH-{pk}", f"{kind.replace('_', ' ').title()} treaty no. {pk}",
                     f"BT{pk}", kind, signed, ended, 3000 + pk))
        links += [(pk, s) for s in _sources_for(rng, first_report, last_source, 2)]
        # Most alliances are bilateral; a few are large, like NATO or the CSTO.
        size = rng.choice([2, 2, 3, 4, 6, 8]) if rng.random() < 0.9 else rng.randint(12, 40)
        size = min(size, max(2, target_members * pk // count - len(members)))
        eligible = [s for s in infos if s.joined <= signed and (s.left is None or s.left > signed)]
        for state in sorted(rng.sample(eligible, min(size, len(eligible))), key=lambda s: s.id):
            joined = signed if rng.random() < 0.8 else signed + dt.timedelta(days=rng.randint(1, 3000))
            left = ended if ended and ended > joined else None
            members.append((len(members) + 1, pk, state.id, joined, left))
            member_links.append((len(members), rng.randint(first_report, last_source)))
    tables.add("alliance", ("id", "key", "name", "short_name", "kind", "signed_on", "ended_on",
                            "atop_id"), rows)
    tables.add("alliance_membership", ("id", "alliance_id", "state_id", "joined_on", "left_on"),
               members)
    tables.add("alliance_source", ("alliance_id", "source_id"), links)
    tables.add("alliance_membership_source", ("alliance_membership_id", "source_id"), member_links)


def build(scale: float, seed: int) -> Tables:
    """Every table's rows for this scale and seed, in an order that satisfies foreign keys."""
    from bench import dataset

    rng = random.Random(seed)
    tables = Tables()
    infos = dataset.states(tables)
    first_report = dataset.roll_calls(tables, rng, infos, scale, first_source=2)
    source_rows = dataset.sources(tables, rng, first_report - 1 + max(300, round(4_000 * scale)))
    last_source = len(source_rows)
    targeted = regimes(tables, rng, infos, first_report, last_source)
    transfers(tables, rng, infos, scale, first_report, last_source, targeted)
    alliances(tables, rng, infos, scale, first_report, last_source)
    order = ["source", "state", "state_source", "resolution", "resolution_source", "vote",
             "sanctions_regime", "regime_measure", "sanctions_regime_source", "arms_transfer",
             "arms_transfer_source", "transfer_denial", "transfer_transit", "transfer_violation",
             "alliance", "alliance_membership", "alliance_source", "alliance_membership_source"]
    return Tables({t: tables.columns[t] for t in order}, {t: tables.rows[t] for t in order})
