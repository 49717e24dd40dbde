"""Actions on the directory. They validate against the database, flush, and never commit."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from coordination.audit.operations import changes, record, snapshot
from coordination.core.db import utcnow
from coordination.core.errors import check_version, field_error
from coordination.core.signals import area_changed
from coordination.directory.models import (
    AdministrativeArea,
    AreaKind,
    BorderGate,
    Country,
    Office,
    Partnership,
    PartnershipDeadline,
    ReferenceCounter,
    RequestKind,
)
from coordination.directory.schemas import deadline_field_name
from coordination.extensions import db
from coordination.i18n import LOCALES, _

NAME_FIELDS = [f"name_{code}" for code in LOCALES] + ["names_reviewed"]
OFFICE_FIELDS = ["code", "kind", "area_id", "address", "phone", "email", "active", *NAME_FIELDS]
GATE_FIELDS = ["code", "vietnam_area_id", "partner_area_id", "active", *NAME_FIELDS]
PARTNERSHIP_FIELDS = ["working_languages", "active", "notes"]


def _area(area_id: int, field: str) -> AdministrativeArea:
    area = db.session.get(AdministrativeArea, area_id)
    if area is None:
        raise field_error(field, _("Choose one of the listed options."))
    return area


def top_level_area(area: AdministrativeArea) -> AdministrativeArea:
    """The province or region an area belongs to (the area itself if it is one)."""
    seen = set()
    while area.parent is not None and area.kind not in (AreaKind.PROVINCE, AreaKind.REGION):
        if area.id in seen:  # a loop in the data must not hang the request
            break
        seen.add(area.id)
        area = area.parent
    return area


def _check_unique_code(model, code: str, exclude_id: int | None = None) -> None:
    query = select(model.id).where(func.upper(model.code) == code.upper())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise field_error("code", _("This code is already used."))


def _apply(obj, data: dict, names: list[str]) -> None:
    for name in names:
        if name in data:
            setattr(obj, name, data[name])


# --- Places --------------------------------------------------------------------------------

AREA_FIELDS = ["code", *NAME_FIELDS]
TOP_LEVEL_KINDS = (AreaKind.PROVINCE, AreaKind.REGION)


def create_area(data: dict, *, actor) -> AdministrativeArea:
    """Add a place: a province or region at the top, anything else under a parent."""
    country = db.session.scalar(select(Country).where(Country.code == data["country_code"]))
    parent = _area(data["parent_id"], "parent_id") if data.get("parent_id") else None
    if data["kind"] in TOP_LEVEL_KINDS and parent is not None:
        raise field_error("parent_id", _("A province or region has no place above it."))
    if data["kind"] not in TOP_LEVEL_KINDS and parent is None:
        raise field_error("parent_id", _("Choose the place this one belongs to."))
    if parent is not None and parent.country_id != country.id:
        raise field_error("parent_id", _("The place above must be in the same country."))
    duplicate = select(AdministrativeArea.id).where(
        AdministrativeArea.country_id == country.id,
        func.upper(AdministrativeArea.code) == data["code"].upper(),
    )
    if db.session.scalar(duplicate) is not None:
        raise field_error("code", _("This code is already used."))
    area = AdministrativeArea(country=country, parent=parent, kind=data["kind"])
    _apply(area, data, AREA_FIELDS)
    db.session.add(area)
    db.session.flush()
    record(
        "area.create",
        actor=actor,
        target=area,
        details={**snapshot(area, AREA_FIELDS), "kind": area.kind, "parent_id": area.parent_id},
    )
    area_changed.send(area, created=True, fields=frozenset(AREA_FIELDS), actor=actor)
    return area


def update_area(area: AdministrativeArea, data: dict, *, actor) -> AdministrativeArea:
    """Correct a place's code and names (its kind and position in the hierarchy stay)."""
    check_version(area, data.get("version"))
    duplicate = select(AdministrativeArea.id).where(
        AdministrativeArea.country_id == area.country_id,
        func.upper(AdministrativeArea.code) == data["code"].upper(),
        AdministrativeArea.id != area.id,
    )
    if db.session.scalar(duplicate) is not None:
        raise field_error("code", _("This code is already used."))
    before = snapshot(area, AREA_FIELDS)
    _apply(area, data, AREA_FIELDS)
    diff = changes(area, before, AREA_FIELDS)
    if diff:
        db.session.flush()
        record("area.update", actor=actor, target=area, details=diff)
        area_changed.send(area, created=False, fields=frozenset(diff), actor=actor)
    return area


# --- Offices -------------------------------------------------------------------------------


def create_office(data: dict, *, actor) -> Office:
    _check_unique_code(Office, data["code"])
    area = _area(data["area_id"], "area_id")
    office = Office(province_id=top_level_area(area).id)
    _apply(office, data, OFFICE_FIELDS)
    office.refresh_search_text()
    db.session.add(office)
    db.session.flush()
    record("office.create", actor=actor, target=office, details=snapshot(office, OFFICE_FIELDS))
    return office


def update_office(office: Office, data: dict, *, actor) -> Office:
    check_version(office, data.get("version"))
    _check_unique_code(Office, data["code"], exclude_id=office.id)
    area = _area(data["area_id"], "area_id")
    before = snapshot(office, OFFICE_FIELDS)
    _apply(office, data, OFFICE_FIELDS)
    office.province_id = top_level_area(area).id
    office.refresh_search_text()
    diff = changes(office, before, OFFICE_FIELDS)
    if diff:
        db.session.flush()
        record("office.update", actor=actor, target=office, details=diff)
    return office


# --- Border gates --------------------------------------------------------------------------


def create_gate(data: dict, *, actor) -> BorderGate:
    _check_unique_code(BorderGate, data["code"])
    _check_gate_sides(data)
    gate = BorderGate()
    _apply(gate, data, GATE_FIELDS)
    db.session.add(gate)
    db.session.flush()
    record("border_gate.create", actor=actor, target=gate, details=snapshot(gate, GATE_FIELDS))
    return gate


def update_gate(gate: BorderGate, data: dict, *, actor) -> BorderGate:
    check_version(gate, data.get("version"))
    _check_unique_code(BorderGate, data["code"], exclude_id=gate.id)
    _check_gate_sides(data)
    before = snapshot(gate, GATE_FIELDS)
    _apply(gate, data, GATE_FIELDS)
    diff = changes(gate, before, GATE_FIELDS)
    if diff:
        db.session.flush()
        record("border_gate.update", actor=actor, target=gate, details=diff)
    return gate


def _check_gate_sides(data: dict) -> None:
    vietnam_side = _area(data["vietnam_area_id"], "vietnam_area_id")
    partner_side = _area(data["partner_area_id"], "partner_area_id")
    if vietnam_side.country.code != "VN":
        raise field_error("vietnam_area_id", _("Choose a place in Vietnam."))
    if partner_side.country.code == "VN":
        raise field_error("partner_area_id", _("Choose a place in the partner country."))


# --- Partnerships --------------------------------------------------------------------------


def _ordered_offices(data: dict) -> tuple[Office, Office]:
    first = db.session.get(Office, data["office_a_id"])
    second = db.session.get(Office, data["office_b_id"])
    if first is None:
        raise field_error("office_a_id", _("Choose one of the listed options."))
    if second is None:
        raise field_error("office_b_id", _("Choose one of the listed options."))
    if first.id == second.id:
        raise field_error(
            "office_b_id", _("An office cannot be its own partner. Choose another office.")
        )
    return (first, second) if first.id < second.id else (second, first)


def find_partnership(office_id: int, other_office_id: int) -> Partnership | None:
    low, high = sorted((office_id, other_office_id))
    return db.session.scalar(
        select(Partnership).where(Partnership.office_a_id == low, Partnership.office_b_id == high)
    )


def _languages(data: dict) -> str:
    chosen = set(data["working_languages"])
    return ",".join(code for code in LOCALES if code in chosen)


def _deadline_map(data: dict) -> dict[str, int]:
    return {str(kind): data[deadline_field_name(kind)] for kind in RequestKind}


def _set_deadlines(partnership: Partnership, days_by_kind: dict[str, int]) -> None:
    existing = {deadline.request_kind: deadline for deadline in partnership.deadlines}
    for kind, days in days_by_kind.items():
        if kind in existing:
            existing[kind].days = days
        else:
            partnership.deadlines.append(PartnershipDeadline(request_kind=kind, days=days))


def create_partnership(data: dict, *, actor) -> Partnership:
    office_a, office_b = _ordered_offices(data)
    if find_partnership(office_a.id, office_b.id) is not None:
        raise field_error("office_b_id", _("These two offices are already partners."))
    partnership = Partnership(
        office_a=office_a,
        office_b=office_b,
        working_languages=_languages(data),
        active=data.get("active", True),
        notes=data.get("notes"),
    )
    _set_deadlines(partnership, _deadline_map(data))
    db.session.add(partnership)
    db.session.flush()
    record(
        "partnership.create",
        actor=actor,
        target=partnership,
        subject_office_id=office_a.id,
        details={
            "offices": [office_a.code, office_b.code],
            **snapshot(partnership, PARTNERSHIP_FIELDS),
            "deadlines": _deadline_map(data),
        },
    )
    return partnership


def update_partnership(partnership: Partnership, data: dict, *, actor) -> Partnership:
    """Edit languages, deadlines, notes and status; the two offices of a partnership stay."""
    check_version(partnership, data.get("version"))
    if set(_ordered_offices(data)) != {partnership.office_a, partnership.office_b}:
        raise field_error(
            "office_b_id", _("The offices of a partnership cannot change; create a new one.")
        )
    before = snapshot(partnership, PARTNERSHIP_FIELDS)
    old_deadlines = {d.request_kind: d.days for d in partnership.deadlines}
    partnership.working_languages = _languages(data)
    partnership.active = data.get("active", partnership.active)
    partnership.notes = data.get("notes")
    new_deadlines = _deadline_map(data)
    _set_deadlines(partnership, new_deadlines)
    diff = changes(partnership, before, PARTNERSHIP_FIELDS)
    if new_deadlines != old_deadlines:
        diff["deadlines"] = [old_deadlines, new_deadlines]
        # Deadlines live in their own table: touch the row so that its version moves too.
        partnership.updated_at = utcnow()
    if diff:
        db.session.flush()
        record(
            "partnership.update",
            actor=actor,
            target=partnership,
            details=diff,
            subject_office_id=partnership.office_a_id,
        )
    return partnership


# --- Reference numbers ---------------------------------------------------------------------


def next_reference(office: Office, series: str, year: int) -> str:
    """The office's next number in ``series`` for ``year``, e.g. QT-BLO/2026/0042.

    One atomic UPDATE … RETURNING per number: two officers sending at the same moment
    get different numbers on SQLite (one writer at a time) and PostgreSQL (row lock).
    """
    key = {"office_id": office.id, "series": series, "year": year}
    dialect = db.session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    db.session.execute(
        insert(ReferenceCounter).values(**key, last_number=0).on_conflict_do_nothing()
    )
    number = db.session.execute(
        update(ReferenceCounter)
        .where(*(getattr(ReferenceCounter, name) == value for name, value in key.items()))
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    prefix = (
        f"{office.code}/{year}" if series == "request" else f"{office.code}/{series.upper()}/{year}"
    )
    return f"{prefix}/{number:04d}"
