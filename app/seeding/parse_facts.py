"""Sanctions regimes, arms transfers and alliances: reading and checking."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.models import (
    AllianceKind,
    Evidence,
    Measure,
    PartyKind,
    TransferStatus,
    TransitKind,
    WeaponCategory,
)
from app.seeding.files import Record, read_yaml_list
from app.seeding.plan import Fact, SeedSet
from app.services.sipri_ids import deal_group, deal_id


def _dates_in_order(record: Record, start: str, end: str) -> None:
    first, last = record.date(start), record.date(end)
    if first and last and last < first:
        raise record.error(f"'{end}' ({last}) is before '{start}' ({first})", end)


def parse_regimes(root: Path, seeds: SeedSet) -> None:
    for record in read_yaml_list(root, "sanctions_regimes.yaml"):
        code = record.required("code")
        if code in seeds.regimes:
            raise record.error(f"regime {code} is listed twice", "code")
        _dates_in_order(record, "started_on", "ended_on")
        row = {
            "code": code, "name": record.required("name"),
            "authority": record.required("authority"),
            "authority_state": seeds.state(record, "authority_state", required=False),
            "target_state": seeds.state(record, "target_state", required=False),
            "legal_basis": record.text("legal_basis"), "started_on": record.date("started_on"),
            "ended_on": record.date("ended_on"), "summary": record.text("summary"),
            "url": record.text("url"),
        }
        seeds.measures[code] = sorted(record.choices("measures", Measure), key=lambda m: m.name)
        sources = seeds.source_keys(record, record.keys("sources"), what=f"regime {code}")
        seeds.regimes[code] = Fact(row, sources, record)


def _delivery_years(record: Record) -> tuple[str | None, int | None, int | None]:
    text = record.text("delivery_years")
    if text is None:
        return None, None, None
    years = [int(part) for part in re.findall(r"\d{4}", text)]
    if not years or re.sub(r"[\d\s;,?-]", "", text):
        raise record.error(f"'delivery_years' must list years like '2022; 2023', not {text!r}",
                           "delivery_years")
    return text, min(years), max(years)


def _party(record: Record, seeds: SeedSet, side: str) -> dict[str, Any]:
    kind = record.choice(f"{side}_kind", PartyKind, default=PartyKind.STATE)
    iso3 = seeds.state(record, side, required=kind is PartyKind.STATE)
    if kind is not PartyKind.STATE and iso3:
        raise record.error(f"'{side}' names a state but '{side}_kind' is {kind.name}", side)
    name = record.text(f"{side}_name") or (seeds.states[iso3].row["name"] if iso3 else None)
    if name is None:
        raise record.error(f"'{side}_name' is required for a party that is not a state",
                           f"{side}_name")
    return {f"{side}_state": iso3, f"{side}_name": name, f"{side}_kind": kind}


def parse_transfers(root: Path, seeds: SeedSet) -> None:
    for record in read_yaml_list(root, "arms_transfers.yaml"):
        external_id = _external_id(record)
        if external_id in seeds.transfers:
            raise record.error(f"transfer {external_id} is listed twice", "external_id")
        delivery_years, first, last = _delivery_years(record)
        row: dict[str, Any] = {
            "external_id": external_id, **_party(record, seeds, "supplier"),
            **_party(record, seeds, "recipient"),
            "weapon_designation": record.required("weapon_designation"),
            "weapon_description": record.text("weapon_description"),
            "category": record.choice("category", WeaponCategory),
            "ordered_year": record.integer("ordered_year"),
            "ordered_year_estimate": record.flag("ordered_year_estimate"),
            "number_ordered": record.integer("number_ordered"),
            "number_ordered_estimate": record.flag("number_ordered_estimate"),
            "delivery_years": delivery_years, "first_delivery_year": first,
            "last_delivery_year": last, "number_delivered": record.integer("number_delivered"),
            "number_delivered_estimate": record.flag("number_delivered_estimate"),
            "status": record.choice("status", TransferStatus),
            "evidence": record.choice("evidence", Evidence),
            "sipri_status": record.text("sipri_status"),
            "sipri_tiv_per_unit": record.number("sipri_tiv_per_unit"),
            "sipri_tiv_total": record.number("sipri_tiv_total"),
            "sipri_tiv_delivered": record.number("sipri_tiv_delivered"),
            "comments": record.text("comments"),
        }
        if row["supplier_state"] and row["supplier_state"] == row["recipient_state"]:
            raise record.error("supplier and recipient are the same state", "recipient")
        for field in ("number_ordered", "number_delivered"):
            if row[field] is not None and row[field] < 0:
                raise record.error(f"'{field}' cannot be negative", field)
        sources = seeds.source_keys(record, record.keys("sources"), what=f"transfer {external_id}")
        seeds.transfers[external_id] = Fact(row, sources, record)
        seeds.denials[external_id] = [_denial(item, seeds) for item in record.children("denials")]
        seeds.transits[external_id] = [_transit(item, seeds)
                                       for item in record.children("transits")]
        seeds.violations[external_id] = [_violation(item, seeds)
                                         for item in record.children("violations")]
        for kind, items in (("denials", seeds.denials), ("transits", seeds.transits),
                            ("violations", seeds.violations)):
            key = "regime" if kind == "violations" else "state"
            names = [item[key] for item in items[external_id]]
            if len(names) != len(set(names)):
                raise record.error(f"{kind} of {external_id} name the same {key} twice", kind)


def _external_id(record: Record) -> str:
    """``external_id`` as written, or for a SIPRI deal (``sipri_deal``: the register's recipient,
    supplier, year of order, weapon designation and, when several deals share those, which one)
    the id the SIPRI importer gives the same deal, so the two datasets describe one row."""
    deal = record.child("sipri_deal")
    if deal is None:
        return record.required("external_id")
    if record.raw("external_id") is not None:
        raise record.error("give either 'external_id' or 'sipri_deal', not both", "external_id")
    year = deal.integer("year_of_order")
    if year is None:
        raise deal.error("'year_of_order' is required", "year_of_order")
    group = deal_group(deal.required("recipient"), deal.required("supplier"), year,
                       deal.required("weapon_designation"))
    return deal_id(group, deal.integer("number") or 1)


def _one_source(item: Record, seeds: SeedSet, *, required: bool) -> str | None:
    key = item.text("source", required=required)
    if key is not None:
        seeds.source_keys(item, [key], what="this entry")
    return key


def _denial(item: Record, seeds: SeedSet) -> dict[str, Any]:
    return {"state": seeds.state(item, "state"), "denied_on": item.date("denied_on"),
            "statement": item.text("statement"), "source": _one_source(item, seeds, required=True)}


def _transit(item: Record, seeds: SeedSet) -> dict[str, Any]:
    return {"state": seeds.state(item, "state"), "kind": item.choice("kind", TransitKind),
            "source": _one_source(item, seeds, required=False)}


def _violation(item: Record, seeds: SeedSet) -> dict[str, Any]:
    code = item.required("regime")
    if code not in seeds.regimes:
        raise item.error(f"unknown sanctions regime {code!r}: add it to sanctions_regimes.yaml",
                         "regime")
    return {"regime": code, "claimed_by": item.text("claimed_by"),
            "source": _one_source(item, seeds, required=False)}


def parse_alliances(root: Path, seeds: SeedSet) -> None:
    for record in read_yaml_list(root, "alliances.yaml"):
        key = record.required("key")
        if key in seeds.alliances:
            raise record.error(f"alliance {key} is listed twice", "key")
        _dates_in_order(record, "signed_on", "ended_on")
        row = {
            "key": key, "name": record.required("name"), "short_name": record.text("short_name"),
            "kind": record.choice("kind", AllianceKind), "signed_on": record.date("signed_on"),
            "ended_on": record.date("ended_on"), "atop_id": record.integer("atop_id"),
            "notes": record.text("notes"),
        }
        sources = seeds.source_keys(record, record.keys("sources"), what=f"alliance {key}")
        seeds.alliances[key] = Fact(row, sources, record)
        members: list[Fact] = []
        seen: set[tuple[str, object]] = set()
        for item in record.children("members"):
            _dates_in_order(item, "joined_on", "left_on")
            iso3 = seeds.state(item, "state")
            member = {"state": iso3, "joined_on": item.date("joined_on"),
                      "left_on": item.date("left_on"), "notes": item.text("notes")}
            if (iso3, member["joined_on"]) in seen:
                raise item.error(f"{iso3} joins {key} twice on the same date", "state")
            seen.add((iso3, member["joined_on"]))
            # A membership rests on its own sources, or else on the alliance's.
            own = seeds.source_keys(item, item.keys("sources"), what="membership", required=False)
            members.append(Fact(member, own or sources, item))
        seeds.memberships[key] = members
