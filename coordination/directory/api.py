"""API: the directory, read-only. Same policies as the HTML views."""

from __future__ import annotations

from sqlalchemy import select

from coordination.core.access import require
from coordination.core.api import SQLPage, api_blueprint, api_user, query_args
from coordination.directory import policies, queries
from coordination.directory.models import AdministrativeArea, BorderGate, Country, Office
from coordination.directory.schemas import (
    AreaOut,
    BorderGateOut,
    CountryOut,
    OfficeListArgs,
    OfficeOut,
    PartnershipOut,
)
from coordination.extensions import db

blp = api_blueprint(
    "api_directory",
    __name__,
    "",
    "Countries, administrative areas, offices, border gates and partnerships.",
)


@blp.route("/countries")
@blp.response(200, CountryOut(many=True))
def countries():
    require(policies.can_view_directory(api_user()), hide=False)
    return db.session.scalars(select(Country).order_by(Country.code)).all()


@blp.route("/areas")
@blp.arguments(query_args(), location="query", as_kwargs=True)
@blp.response(200, AreaOut(many=True))
@blp.paginate(SQLPage, page_size=100, max_page_size=500)
def areas():
    require(policies.can_view_directory(api_user()), hide=False)
    return select(AdministrativeArea).order_by(AdministrativeArea.id)


@blp.route("/offices")
@blp.arguments(query_args(OfficeListArgs), location="query", as_kwargs=True)
@blp.response(200, OfficeOut(many=True))
@blp.paginate(SQLPage, page_size=50, max_page_size=200)
def offices(**filters):
    require(policies.can_view_directory(api_user()), hide=False)
    return queries.offices(**filters)


@blp.route("/offices/<int:office_id>")
@blp.response(200, OfficeOut)
def office(office_id: int):
    require(policies.can_view_directory(api_user()), hide=False)
    found = db.session.get(Office, office_id)
    require(found is not None)
    return found


@blp.route("/border-gates")
@blp.response(200, BorderGateOut(many=True))
def border_gates():
    require(policies.can_view_directory(api_user()), hide=False)
    return db.session.scalars(select(BorderGate).order_by(BorderGate.code)).all()


@blp.route("/partnerships")
@blp.arguments(query_args(), location="query", as_kwargs=True)
@blp.response(200, PartnershipOut(many=True))
@blp.paginate(SQLPage, page_size=50, max_page_size=200)
def partnerships():
    return queries.visible_partnerships(api_user())


@blp.route("/partnerships/<int:partnership_id>")
@blp.response(200, PartnershipOut)
def partnership(partnership_id: int):
    return queries.get_visible_partnership(api_user(), partnership_id)
