"""Reading the directory: list queries scoped the same way as the policies."""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from coordination.auth.models import Role, User
from coordination.core.access import require
from coordination.core.text import search_key
from coordination.directory import policies
from coordination.directory.models import (
    AdministrativeArea,
    AreaKind,
    AreaSuccession,
    Country,
    Office,
    Partnership,
)
from coordination.extensions import db
from coordination.i18n import LOCALES


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


def areas_for_choice(kinds=None, *, current_only: bool = True) -> list[AdministrativeArea]:
    """Places for a drop-down list, optionally only of some kinds; former units (abolished,
    kept for matching what people write) are not offered unless asked for."""
    query = select(AdministrativeArea).order_by(
        AdministrativeArea.country_id, AdministrativeArea.code
    )
    if kinds is not None:
        query = query.where(AdministrativeArea.kind.in_([str(kind) for kind in kinds]))
    if current_only:
        query = query.where(AdministrativeArea.abolished_on.is_(None))
    return db.session.scalars(query).all()


def area_options(kinds) -> list[tuple[int, str]]:
    """(id, "name · country") for the current places of ``kinds``, in the reader's language."""
    return [(area.id, f"{area.name} · {area.country.name}") for area in areas_for_choice(kinds)]


# A home place below a province: a Vietnamese commune (no districts since 2025), a Lao
# district, a Chinese city or county. Two levels down reach a Chinese county.
HOME_PLACE_KINDS = (AreaKind.COMMUNE, AreaKind.DISTRICT, AreaKind.COUNTY, AreaKind.CITY)
HOME_PLACE_DEPTH = 2


def places_within(province_id: int | None) -> list[AdministrativeArea]:
    """The current home places of one province (children and grandchildren), by name in the
    reader's language; none without a province (the whole map would be thousands)."""
    if not province_id:
        return []
    found: list[AdministrativeArea] = []
    parents = [province_id]
    for _level in range(HOME_PLACE_DEPTH):
        children = db.session.scalars(
            select(AdministrativeArea).where(
                AdministrativeArea.parent_id.in_(parents),
                AdministrativeArea.abolished_on.is_(None),
            )
        ).all()
        found += [area for area in children if area.kind in HOME_PLACE_KINDS]
        parents = [area.id for area in children]
        if not parents:
            break
    return sorted(found, key=lambda area: (search_key(area.name), area.id))


def place_options(province_id: int | None) -> list[tuple[int, str]]:
    """(id, "name · kind") for the home places of one province, in the reader's language."""
    return [(area.id, f"{area.name} · {area.kind_label}") for area in places_within(province_id)]


def lies_within(area: AdministrativeArea, ancestor_id: int) -> bool:
    """Whether ``area`` is ``ancestor_id`` or lies below it (a handful of levels at most)."""
    seen = 0
    while area is not None and seen < 8:
        if area.id == ancestor_id:
            return True
        area, seen = area.parent, seen + 1
    return False


def offices_for_choice() -> list[Office]:
    return db.session.scalars(select(Office).order_by(Office.code)).all()


def top_level_areas(country_id: int) -> list[AdministrativeArea]:
    """A country's current provinces and regions, by name in the reader's language."""
    found = db.session.scalars(
        select(AdministrativeArea).where(
            AdministrativeArea.country_id == country_id,
            AdministrativeArea.parent_id.is_(None),
            AdministrativeArea.abolished_on.is_(None),
        )
    ).all()
    return sorted(found, key=lambda area: (search_key(area.name), area.id))


def child_counts(parent_ids: list[int]) -> dict[int, int]:
    """How many units (current and former) lie directly under each of ``parent_ids``."""
    if not parent_ids:
        return {}
    rows = db.session.execute(
        select(AdministrativeArea.parent_id, func.count())
        .where(AdministrativeArea.parent_id.in_(parent_ids))
        .group_by(AdministrativeArea.parent_id)
    )
    return dict(rows.all())


def children_of(area_id: int) -> Select:
    """The units directly under one: current first, then former ones, by name."""
    return (
        select(AdministrativeArea)
        .where(AdministrativeArea.parent_id == area_id)
        .order_by(
            AdministrativeArea.abolished_on.is_not(None),
            AdministrativeArea.kind,
            _name_column(),
            AdministrativeArea.id,
        )
    )


def _name_column():
    """The name column of the reader's language (lists read in alphabetical order)."""
    locale = get_locale()
    language = locale.language if locale and locale.language in LOCALES else "en"
    return getattr(AdministrativeArea, f"name_{language}")


def find_areas(q: str) -> Select:
    """Units whose name in any language, or code, contains ``q`` (accents optional in Latin
    script: the English name has none); current ones first."""
    key = search_key(q)
    text = q.strip()
    return (
        select(AdministrativeArea)
        .where(
            or_(
                AdministrativeArea.name_en.ilike(f"%{_like(key)}%", escape="\\"),
                AdministrativeArea.name_vi.ilike(f"%{_like(text)}%", escape="\\"),
                AdministrativeArea.name_lo.contains(text, autoescape=True),
                AdministrativeArea.name_zh.contains(text, autoescape=True),
                AdministrativeArea.code.ilike(f"%{_like(text)}%", escape="\\"),
            )
        )
        .order_by(
            AdministrativeArea.abolished_on.is_not(None),
            AdministrativeArea.country_id,
            AdministrativeArea.code,
        )
    )


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def predecessors_of(area_id: int) -> list[AdministrativeArea]:
    """The former units whose territory this current unit holds (wholly or partly)."""
    return db.session.scalars(
        select(AdministrativeArea)
        .join(AreaSuccession, AreaSuccession.former_id == AdministrativeArea.id)
        .where(AreaSuccession.successor_id == area_id)
        .order_by(AdministrativeArea.kind, AdministrativeArea.code)
    ).all()


def province_options() -> list[tuple[int, str]]:
    """(id, "name · country") for every current province or region, by country then name."""
    found = db.session.scalars(
        select(AdministrativeArea).where(
            AdministrativeArea.parent_id.is_(None), AdministrativeArea.abolished_on.is_(None)
        )
    ).all()
    found.sort(key=lambda area: (area.country_id, search_key(area.name), area.id))
    return [(area.id, f"{area.name} · {area.country.name}") for area in found]
