"""The office in figures on the dashboard: open requests by state, handovers this week,
people in care and the twelve months' trend, for those who read the office's reports."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordination.extensions import db
from tests.conftest import login_client, translated
from tests.reports.helpers import add_case, add_request

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def data(app):
    with app.app_context():
        now = datetime.now(UTC)
        # QT-BLO: sends 3 (2 awaiting, 1 answered), receives 1 being asked more information;
        # a closed one is not open; a draft counts on the sending side.
        add_request("QT-BLO", "SVK-BLO", "information", now - timedelta(days=2))
        add_request("QT-BLO", "SVK-BLO", "information", now - timedelta(days=1))
        add_request(
            "QT-BLO",
            "SLV-BLO",
            "information",
            now - timedelta(days=3),
            answered_after=timedelta(hours=5),
        )
        asked = add_request("SVK-BLO", "QT-BLO", "information", now - timedelta(days=4))
        asked.state = "information_requested"
        closed = add_request("QT-BLO", "SVK-BLO", "information", now - timedelta(days=9))
        closed.state = "closed"
        draft = add_request("QT-BLO", "SVK-BLO", "information", None)
        draft.state = "draft"
        # Two cases opened today in Vietnam, one a year and a half ago (outside the trend).
        today = datetime.now(VIETNAM).date()
        add_case("QT-BLO", today)
        add_case("QT-BLO", today)
        add_case("QT-BLO", today - timedelta(days=550))
        db.session.commit()
    return app


def _panel(html: str, app) -> str:
    heading = translated(app, "vi", "Your office in figures")
    found = re.search(rf"<h2>{re.escape(heading)}</h2>.*?</section>", html, re.S)
    return found.group(0) if found else ""


def _row(panel: str, label: str) -> list[str]:
    found = re.search(rf'<th scope="row">{re.escape(label)}</th>((?:<td>[^<]*</td>)+)', panel)
    return re.findall(r"<td>([^<]*)</td>", found.group(1)) if found else []


def test_the_liaison_officer_reads_the_office_in_figures(data):
    html = login_client(data, "qt.liaison").get("/").get_data(as_text=True)
    panel = _panel(html, data)
    assert panel, "no panel"
    # 2 awaiting + 1 answered sent, 1 received: 4 open (the draft and the closed one not).
    assert re.search(
        r"<strong>4</strong>\s*"
        + re.escape(translated(data, "vi", "open requests, received and sent")),
        panel,
    )
    # The chart's figures: received, then sent, per state.
    assert _row(panel, translated(data, "vi", "Sent")) == ["0", "2"]
    assert _row(panel, translated(data, "vi", "More information asked")) == ["1", "0"]
    assert _row(panel, translated(data, "vi", "Answered")) == ["0", "1"]
    assert _row(panel, translated(data, "vi", "Draft")) == ["", "1"]
    # The trend: this month's cases opened last, exact (the office's own screen).
    month = datetime.now(VIETNAM).strftime("%m/%Y")
    assert _row(panel, month)[0] == "2"
    assert translated(data, "vi", "The last twelve months") in panel


@pytest.mark.parametrize("user", ["qt.guard", "qt.social", "ls.liaison"])
def test_others_do_not_see_the_offices_figures(data, user):
    html = login_client(data, user).get("/").get_data(as_text=True)
    panel = _panel(html, data)
    if user == "ls.liaison":  # their own office's panel, with none of Quảng Trị's requests
        assert panel and _row(panel, translated(data, "vi", "Sent")) == ["0", "0"]
    else:
        assert not panel
