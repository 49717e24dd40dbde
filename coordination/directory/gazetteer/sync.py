"""Writes units to the directory: adopts the rows it finds, adds the missing ones.

A unit is found by its country and code. On every load: missing units are added; for an
existing row, empty names are filled in, and its kind, parent and end date follow the source
(unless an administrator has edited the row); missing successions are added. Nothing else
changes, so a second load changes nothing.

With ``update`` (a newer package version or data file): names of rows still awaiting review
that no administrator has edited take the source's names (renamed), and current rows of the
source's code space that the source no longer lists are marked abolished today. A row an
administrator has edited (``area.update`` or ``area.create`` in the audit log) or marked
reviewed keeps its names, whatever the source says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select

from coordination.audit.models import AuditEntry
from coordination.directory.gazetteer.units import LOCALES, Unit
from coordination.directory.models import AdministrativeArea, AreaSuccession
from coordination.extensions import db

# Codes a source owns: a current row with such a code the source no longer lists is abolished
# by an update. Rows an administrator added with other codes are never touched.
SOURCE_CODES = {
    "VN": re.compile(r"^(VN-\d+|VN-OLD-\d+|QT|LS|QT-HP|QT-LB|LS-DD|LS-TT)$"),
    "LA": re.compile(r"^(LA-[A-Z]{2}|LA-\d{4}|SVK|SLV)$"),
    "CN": re.compile(r"^(CN-\d{6}|GX|YN|GX-PX|GX-CZ)$"),
}


@dataclass
class SyncResult:
    added: dict[str, int] = field(default_factory=dict)  # "VN province": n
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # code, before, after
    abolished: list[str] = field(default_factory=list)
    restructured: list[str] = field(default_factory=list)  # kind, parent or end date changed
    filled: int = 0  # empty names filled in
    kept: int = 0  # names that differ from the source, kept (an administrator's)
    successions: int = 0

    def count(self, what: str) -> None:
        self.added[what] = self.added.get(what, 0) + 1


def _edited_by_administrators() -> set[int]:
    return set(
        db.session.scalars(
            select(AuditEntry.target_id).where(
                AuditEntry.target_type == AdministrativeArea.__tablename__,
                AuditEntry.action.in_(("area.update", "area.create")),
            )
        )
    )


def sync_units(
    units: list[Unit], countries: dict[str, int], *, update: bool, result: SyncResult
) -> dict[tuple[str, str], int]:
    """Write ``units`` (parents first); returns (country, code) -> area id of every unit."""
    country_code = {cid: code for code, cid in countries.items()}
    rows = {
        (country_code[area.country_id], area.code): area
        for area in db.session.scalars(select(AdministrativeArea))
        if area.country_id in country_code
    }
    edited = _edited_by_administrators()
    ids = {key: area.id for key, area in rows.items()}
    listed = set()
    pending: list[Unit] = []

    def flush_pending() -> None:
        # One INSERT per batch; parents of a batch are always written before it.
        if not pending:
            return
        values = [
            {
                "country_id": countries[unit.country],
                "parent_id": ids[(unit.country, unit.parent)] if unit.parent else None,
                "kind": unit.kind,
                "code": unit.code,
                "abolished_on": unit.abolished_on,
                "names_reviewed": unit.reviewed,
                **{f"name_{locale}": unit.names.get(locale, "") for locale in LOCALES},
            }
            for unit in pending
        ]
        db.session.execute(insert(AdministrativeArea), values)
        created = db.session.execute(
            select(AdministrativeArea.code, AdministrativeArea.id).where(
                AdministrativeArea.country_id == countries[pending[0].country],
                AdministrativeArea.code.in_([unit.code for unit in pending]),
            )
        )
        for code, area_id in created:
            ids[(pending[0].country, code)] = area_id
        for unit in pending:
            result.count(f"{unit.country} {unit.kind}")
        pending.clear()

    for unit in units:
        key = (unit.country, unit.code)
        listed.add(key)
        if unit.parent and (unit.country, unit.parent) not in ids:
            flush_pending()
        if pending and pending[0].country != unit.country:
            flush_pending()
        area = rows.get(key)
        if area is None:
            pending.append(unit)
            if len(pending) >= 500:
                flush_pending()
            continue
        _adopt(area, unit, ids, edited=area.id in edited, update=update, result=result)
    flush_pending()
    db.session.flush()

    if update:
        for (country, code), area in rows.items():
            pattern = SOURCE_CODES.get(country)
            if (
                (country, code) not in listed
                and area.abolished_on is None
                and pattern is not None
                and pattern.match(code)
                and area.id not in edited
            ):
                area.abolished_on = date.today()
                result.abolished.append(code)
        db.session.flush()
    _sync_successions(units, ids, result)
    return ids


def _adopt(area, unit: Unit, ids, *, edited: bool, update: bool, result: SyncResult) -> None:
    for locale in LOCALES:
        column = f"name_{locale}"
        current, source = getattr(area, column), unit.names.get(locale, "")
        if not source or current == source:
            continue
        if not current:
            setattr(area, column, source)
            result.filled += 1
        elif update and not edited and not area.names_reviewed:
            result.renamed.append((unit.code, current, source))
            setattr(area, column, source)
        else:
            result.kept += 1
    if edited:
        return
    parent_id = ids[(unit.country, unit.parent)] if unit.parent else None
    structure = (unit.kind, parent_id, unit.abolished_on)
    if (area.kind, area.parent_id, area.abolished_on) != structure:
        area.kind, area.parent_id, area.abolished_on = structure
        result.restructured.append(unit.code)


def _sync_successions(units: list[Unit], ids, result: SyncResult) -> None:
    wanted = {
        (ids[(unit.country, unit.code)], ids[(unit.country, successor)])
        for unit in units
        for successor in unit.successors
        if (unit.country, successor) in ids
    }
    if not wanted:
        return
    existing = set(
        db.session.execute(select(AreaSuccession.former_id, AreaSuccession.successor_id))
    )
    missing = sorted(wanted - {tuple(pair) for pair in existing})
    if missing:
        db.session.execute(
            insert(AreaSuccession),
            [{"former_id": former, "successor_id": successor} for former, successor in missing],
        )
        result.successions += len(missing)
