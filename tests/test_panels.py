"""Panels and hooks (core.panels): a feature's part of another feature's page."""

from __future__ import annotations

from flask import Flask
from jinja2 import DictLoader
from markupsafe import Markup

from coordination.core.panels import Panel, hooks, panels_for, register_hook, register_panel
from coordination.extensions import db
from tests.conftest import _app_for, login_client
from tests.exchange.helpers import make_case, send_request


def _bare_app() -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"part.html": "<p>{{ word }} {{ extra }}</p>"})
    return app


def test_panels_come_in_their_order_and_none_is_left_out():
    app = _bare_app()

    def second(obj, user):
        return Panel("part.html", {"word": obj}, order=20)

    def nothing(obj, user):
        return None

    def first(obj, user):
        return Panel(html=Markup("<hr>"), order=10)

    for provider in (second, nothing, first):
        register_panel("page.slot", provider, app)
    with app.test_request_context():
        shown = panels_for("page.slot", "<b>", None)
        assert [panel.render(extra="x") for panel in shown] == [
            "<hr>",
            "<p>&lt;b&gt; x</p>",  # what a template prints is escaped
        ]
        assert panels_for("another.slot", "x", None) == []


def test_each_app_keeps_its_own_registrations():
    one, two = _bare_app(), _bare_app()

    def provider(obj, user):
        return Panel(html=Markup("<hr>"))

    register_panel("page.slot", provider, one)
    register_panel("page.slot", provider, one)  # a setup run again adds nothing
    register_hook("a.hook", len, one)
    with one.app_context():
        assert len(panels_for("page.slot", None, None)) == 1
        assert hooks("a.hook") == [len]
    with two.app_context():
        assert panels_for("page.slot", None, None) == []
        assert hooks("a.hook") == []


def test_a_case_page_shows_its_requests_once_however_many_apps_were_built(app, database_url):
    _app_for(database_url)  # another app in the same process registers its own panels
    with app.app_context():
        case, victim, _relative = make_case()
        reference = send_request(case, [victim]).reference
        db.session.commit()
        case_id = case.id
    page = login_client(app, "qt.liaison").get(f"/cases/{case_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count(f'href="/requests/new?case={case_id}"') == 1
    assert html.count(f">{reference}</a>") == 1
