"""Reading the directory: list queries scoped the same way as the policies."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import aliased, contains_eager

from coordination.auth.models import Role, User
from coordination.core.access import require
from coordination.core.text import search_key
from coordination.directory import policies
from coordination.directory.models import AdministrativeArea, Country, Office, Partnership
from coordination.extensions import db


def offices(country: str | None = None, kind: str | None = None, q: str | None = None) -> Select:
    query = (
        select(Office)
        .join(Office.area)
        .join(AdministrativeArea.country)
        .options(contains_eager(Office.area).contains_eager(AdministrativeArea.country))
    )
    if country:
        query = query.where(Country.code == country)
    if kind:
        query = query.where(Office.kind == kind)
    if q and search_key(q):
        query = query.where(Office.search_text.contains(search_key(q), autoescape=True))
    return query.order_by(Country.code, Office.code)


def visible_partnerships(user: User, office_id: int | None = None) -> Select:
    """Partnerships ``user`` may see (mirrors policies.can_view_partnership)."""
    query = select(Partnership)
    if not user.is_active:
        return query.where(false())
    if not user.is_admin:
        visible = [
            Partnership.office_a_id == user.office_id,
            Partnership.office_b_id == user.office_id,
        ]
        if user.has_role(Role.SUPERVISOR):
            office_a, office_b = aliased(Office), aliased(Office)
            province = user.office.province_id
            query = query.join(office_a, Partnership.office_a).join(office_b, Partnership.office_b)
            visible += [office_a.province_id == province, office_b.province_id == province]
        query = query.where(or_(*visible))
    if office_id is not None:
        query = query.where(
            or_(Partnership.office_a_id == office_id, Partnership.office_b_id == office_id)
        )
    return query.order_by(Partnership.id)


def get_visible_partnership(user: User, partnership_id: int) -> Partnership:
    partnership = db.session.get(Partnership, partnership_id)
    require(partnership is not None and policies.can_view_partnership(user, partnership))
    return partnership


def areas_for_choice(kinds=None) -> list[AdministrativeArea]:
    """Places for a drop-down list, optionally only of some kinds (e.g. communes)."""
    query = select(AdministrativeArea).order_by(
        AdministrativeArea.country_id, AdministrativeArea.code
    )
    if kinds is not None:
        query = query.where(AdministrativeArea.kind.in_([str(kind) for kind in kinds]))
    return db.session.scalars(query).all()


def area_options(kinds) -> list[tuple[int, str]]:
    """(id, "name · country") for the places of ``kinds``, in the reader's language."""
    return [(area.id, f"{area.name} · {area.country.name}") for area in areas_for_choice(kinds)]


def offices_for_choice() -> list[Office]:
    return db.session.scalars(select(Office).order_by(Office.code)).all()
