"""Browsing the directory, and its administration."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.auth.models import User
from coordination.core.access import require
from coordination.core.text import clean_query
from coordination.core.views import paginate, render_form, submit
from coordination.directory import operations, policies, queries
from coordination.directory.models import (
    AdministrativeArea,
    AreaKind,
    BorderGate,
    Country,
    Office,
    OfficeKind,
    RequestKind,
)
from coordination.directory.schemas import (
    AreaSchema,
    BorderGateSchema,
    OfficeSchema,
    PartnershipSchema,
    deadline_field_name,
)
from coordination.extensions import db
from coordination.i18n import _

bp = Blueprint("directory", __name__, url_prefix="/directory", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    """Every directory page needs a signed-in, active user."""
    require(policies.can_view_directory(current_user), hide=False)


def _get(model, object_id: int):
    found = db.session.get(model, object_id)
    require(found is not None)
    return found


# --- Areas and countries -------------------------------------------------------------------


@bp.route("/")
def areas():
    """The map: each country's provinces (a click away from their units), or a name search.
    Thousands of communes are never listed on one page."""
    q = clean_query(request.args.get("q"))
    countries = db.session.scalars(select(Country).order_by(Country.code)).all()
    provinces = {country.id: queries.top_level_areas(country.id) for country in countries}
    return render_form(
        "directory/areas.html",
        countries=countries,
        provinces=provinces,
        counts=queries.child_counts([a.id for found in provinces.values() for a in found]),
        q=q,
        found=paginate(queries.find_areas(q)) if q else None,
        can_manage=policies.can_manage_directory(current_user),
    )


@bp.route("/areas/<int:area_id>")
def area(area_id: int):
    """One unit: its names, where it lies, what lies under it, and (for a former unit) which
    current units hold its territory, or (for a current one) which former units it took in."""
    place = _get(AdministrativeArea, area_id)
    children = paginate(queries.children_of(place.id))
    return render_form(
        "directory/area.html",
        area=place,
        ancestors=_ancestors(place),
        children=children,
        counts=queries.child_counts([child.id for child in children.items]),
        predecessors=queries.predecessors_of(place.id) if place.current else [],
        can_manage=policies.can_manage_directory(current_user),
    )


@bp.route("/areas/<int:area_id>/places")
def area_places(area_id: int):
    """The home places of a province, for the form's commune list (JSON, read by app.js)."""
    place = _get(AdministrativeArea, area_id)
    return jsonify([{"id": i, "label": label} for i, label in queries.place_options(place.id)])


def _ancestors(area) -> list:
    chain = []
    parent = area.parent
    while parent is not None and len(chain) < 8:
        chain.insert(0, parent)
        parent = parent.parent
    return chain


def _area_form(area, errors):
    return render_form(
        "directory/area_form.html",
        errors,
        area=area,
        kind_options=[(kind.value, kind.label) for kind in AreaKind],
        country_options=[
            (country.code, country.name)
            for country in db.session.scalars(select(Country).order_by(Country.code))
        ],
        parent_options=_area_options(),
    )


@bp.route("/areas/new", methods=["GET", "POST"])
def create_area():
    require(policies.can_manage_directory(current_user), hide=False)
    sent = submit(AreaSchema(), operations.create_area, actor=current_user)
    if sent.done:
        flash(_("The place has been added."), "success")
        return redirect(url_for("directory.areas"))
    return _area_form(None, sent.errors)


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
def edit_area(area_id: int):
    require(policies.can_manage_directory(current_user), hide=False)
    area = _get(AdministrativeArea, area_id)
    sent = submit(AreaSchema(), operations.update_area, area, actor=current_user)
    if sent.done:
        flash(_("The place has been saved."), "success")
        return redirect(url_for("directory.area", area_id=area.id))
    return _area_form(area, sent.errors)


# --- Offices -------------------------------------------------------------------------------


@bp.route("/offices")
def offices():
    filters = {
        "country": request.args.get("country")
        if request.args.get("country") in ("VN", "LA", "CN")
        else None,
        "kind": request.args.get("kind")
        if request.args.get("kind") in OfficeKind._value2member_map_
        else None,
        "q": clean_query(request.args.get("q")) or None,
    }
    page = paginate(queries.offices(**filters))
    return render_form(
        "directory/offices.html",
        page=page,
        filters=filters,
        kinds=list(OfficeKind),
        can_manage=policies.can_manage_directory(current_user),
    )


@bp.route("/offices/<int:office_id>")
def office(office_id: int):
    found = _get(Office, office_id)
    members = []
    if policies.can_view_office_members(current_user, found):
        members = db.session.scalars(
            select(User).where(User.office_id == found.id).order_by(User.username)
        ).all()
    partnerships = db.session.scalars(
        queries.visible_partnerships(current_user, office_id=found.id)
    ).all()
    return render_form(
        "directory/office.html",
        office=found,
        members=members,
        show_members=policies.can_view_office_members(current_user, found),
        partnerships=partnerships,
        can_manage=policies.can_manage_directory(current_user),
    )


# Offices, gates and new places hang from these; communes (thousands) are not offered.
_PARENT_KINDS = [
    AreaKind.PROVINCE,
    AreaKind.REGION,
    AreaKind.CITY,
    AreaKind.DISTRICT,
    AreaKind.COUNTY,
]


def _area_options() -> list[tuple[int, str]]:
    return [
        (area.id, f"{area.name} · {area.kind_label} · {area.country.name}")
        for area in queries.areas_for_choice(_PARENT_KINDS)
    ]


def _office_form(office, errors):
    return render_form(
        "directory/office_form.html",
        errors,
        office=office,
        kind_options=[(kind.value, kind.label) for kind in OfficeKind],
        area_options=_area_options(),
    )


@bp.route("/offices/new", methods=["GET", "POST"])
def create_office():
    require(policies.can_manage_directory(current_user), hide=False)
    sent = submit(OfficeSchema(), operations.create_office, actor=current_user)
    if sent.done:
        flash(_("The office has been created."), "success")
        return redirect(url_for("directory.office", office_id=sent.result.id))
    return _office_form(None, sent.errors)


@bp.route("/offices/<int:office_id>/edit", methods=["GET", "POST"])
def edit_office(office_id: int):
    require(policies.can_manage_directory(current_user), hide=False)
    found = _get(Office, office_id)
    sent = submit(OfficeSchema(), operations.update_office, found, actor=current_user)
    if sent.done:
        flash(_("The office has been saved."), "success")
        return redirect(url_for("directory.office", office_id=found.id))
    return _office_form(found, sent.errors)


# --- Border gates --------------------------------------------------------------------------


@bp.route("/gates")
def gates():
    all_gates = db.session.scalars(
        select(BorderGate)
        .options(selectinload(BorderGate.vietnam_area), selectinload(BorderGate.partner_area))
        .order_by(BorderGate.code)
    ).all()
    return render_form(
        "directory/gates.html",
        gates=all_gates,
        can_manage=policies.can_manage_directory(current_user),
    )


def _gate_form(gate, errors):
    return render_form("directory/gate_form.html", errors, gate=gate, area_options=_area_options())


@bp.route("/gates/new", methods=["GET", "POST"])
def create_gate():
    require(policies.can_manage_directory(current_user), hide=False)
    sent = submit(BorderGateSchema(), operations.create_gate, actor=current_user)
    if sent.done:
        flash(_("The border gate has been created."), "success")
        return redirect(url_for("directory.gates"))
    return _gate_form(None, sent.errors)


@bp.route("/gates/<int:gate_id>/edit", methods=["GET", "POST"])
def edit_gate(gate_id: int):
    require(policies.can_manage_directory(current_user), hide=False)
    gate = _get(BorderGate, gate_id)
    sent = submit(BorderGateSchema(), operations.update_gate, gate, actor=current_user)
    if sent.done:
        flash(_("The border gate has been saved."), "success")
        return redirect(url_for("directory.gates"))
    return _gate_form(gate, sent.errors)


# --- Partnerships --------------------------------------------------------------------------


@bp.route("/partnerships")
def partnerships():
    page = paginate(queries.visible_partnerships(current_user))
    return render_form(
        "directory/partnerships.html",
        page=page,
        can_manage=policies.can_manage_directory(current_user),
    )


@bp.route("/partnerships/<int:partnership_id>")
def partnership(partnership_id: int):
    found = queries.get_visible_partnership(current_user, partnership_id)
    return render_form(
        "directory/partnership.html",
        partnership=found,
        request_kinds=list(RequestKind),
        can_edit=policies.can_edit_partnership(current_user, found),
    )


def _partnership_form(partnership, errors):
    return render_form(
        "directory/partnership_form.html",
        errors,
        partnership=partnership,
        office_options=[(o.id, f"{o.code} · {o.name}") for o in queries.offices_for_choice()],
        checked_languages=(
            request.form.getlist("working_languages")
            if request.method == "POST"
            else (partnership.languages if partnership else [])
        ),
        request_kinds=[(kind, deadline_field_name(kind)) for kind in RequestKind],
    )


@bp.route("/partnerships/new", methods=["GET", "POST"])
def create_partnership():
    require(policies.can_manage_directory(current_user), hide=False)
    sent = submit(PartnershipSchema(), operations.create_partnership, actor=current_user)
    if sent.done:
        flash(_("The partnership has been created."), "success")
        return redirect(url_for("directory.partnership", partnership_id=sent.result.id))
    return _partnership_form(None, sent.errors)


@bp.route("/partnerships/<int:partnership_id>/edit", methods=["GET", "POST"])
def edit_partnership(partnership_id: int):
    found = queries.get_visible_partnership(current_user, partnership_id)
    require(policies.can_edit_partnership(current_user, found), hide=False)
    sent = submit(PartnershipSchema(), operations.update_partnership, found, actor=current_user)
    if sent.done:
        flash(_("The partnership has been saved."), "success")
        return redirect(url_for("directory.partnership", partnership_id=found.id))
    return _partnership_form(found, sent.errors)
