"""What a report covers: one office, a province (its offices), a partnership (the two
offices, and between them only), or everything.

A scope is named by a key: ``office:<id>``, ``province:<area id>``, ``partnership:<id>`` or
``all``. ``offices`` is the set of office ids counted (None: every office); a partnership
also limits what passes between offices (requests, handovers, patrols, meetings) to the pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coordination.directory.models import AdministrativeArea, Office, Partnership
from coordination.extensions import db
from coordination.i18n import _

KINDS = ("office", "province", "partnership", "all")
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Scope:
    kind: str
    id: int | None
    offices: frozenset[int] | None  # None: every office
    pair: tuple[int, int] | None = None  # a partnership: only between these two

    @property
    def key(self) -> str:
        return "all" if self.kind == "all" else f"{self.kind}:{self.id}"

    @property
    def label(self) -> str:
        if self.kind == "all":
            return _("All offices")
        if self.kind == "office":
            return db.session.get(Office, self.id).name
        if self.kind == "province":
            return _("Province: %(name)s", name=db.session.get(AdministrativeArea, self.id).name)
        partnership = db.session.get(Partnership, self.id)
        first = db.session.get(Office, partnership.office_a_id)
        second = db.session.get(Office, partnership.office_b_id)
        return _("Partnership: %(first)s – %(second)s", first=first.name, second=second.name)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "key": self.key,
            "offices": sorted(self.offices) if self.offices is not None else None,
        }


def office_scope(office_id: int) -> Scope:
    return Scope("office", office_id, frozenset({office_id}))


def province_scope(area_id: int) -> Scope:
    ids = db.session.scalars(select(Office.id).where(Office.province_id == area_id)).all()
    return Scope("province", area_id, frozenset(ids))


def partnership_scope(partnership: Partnership) -> Scope:
    pair = (partnership.office_a_id, partnership.office_b_id)
    return Scope("partnership", partnership.id, frozenset(pair), pair)


ALL = Scope("all", None, None)


def from_key(key: str) -> Scope | None:
    """The scope a key names, or None when it names nothing that exists."""
    key = (key or "").strip()
    if key == "all":
        return ALL
    kind, _sep, number = key.partition(":")
    if kind not in KINDS or not number.isdigit() or len(number) > 10 or int(number) > MAX_ID:
        return None
    record_id = int(number)
    if kind == "office":
        return office_scope(record_id) if db.session.get(Office, record_id) else None
    if kind == "province":
        area = db.session.get(AdministrativeArea, record_id)
        if area is None or area.parent_id is not None:
            return None
        return province_scope(record_id)
    partnership = db.session.get(Partnership, record_id)
    return partnership_scope(partnership) if partnership is not None else None
