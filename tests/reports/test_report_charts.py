"""A bar chart per section on the report pages: inline SVG (no style, no script), with the
figures in a table under "Show the figures", protected like the table beside it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coordination.extensions import db
from coordination.reports.operations import generate_report
from coordination.reports.periods import Period
from coordination.reports.scopes import office_scope
from tests.conftest import login_client, translated
from tests.reports.helpers import build, office

Q3 = Period.quarter(2026, 3)


@pytest.fixture
def data(app):
    with app.app_context():
        build()
        report = generate_report(office_scope(office("QT-BLO").id), Q3, actor=None)
        db.session.commit()
        app.config["REPORT_ID"] = report.id
        app.config["SCOPE"] = f"office:{office('QT-BLO').id}"
    return app


def _chart_rows(html: str, label: str) -> list[str]:
    """The values of a chart's data table row for ``label``."""
    tables = re.findall(r'<table class="chart-data">.*?</table>', html, re.S)
    for table in tables:
        found = re.search(rf'<th scope="row">{re.escape(label)}</th>((?:<td>[^<]*</td>)+)', table)
        if found:
            return re.findall(r"<td>([^<]*)</td>", found.group(1))
    return []


def test_a_chart_per_section_protected_for_readers_outside_the_office(data):
    page = login_client(data, "qt.supervisor").get(f"/reports/stored/{data.config['REPORT_ID']}")
    html = page.get_data(as_text=True)
    assert html.count('<figure class="chart-figure">') == 8  # every section
    assert html.count("<svg") >= 8
    assert translated(data, "vi", "Show the figures") in html
    # 3 cases opened this quarter, 2 last quarter: protected in the chart as in the table.
    assert _chart_rows(html, translated(data, "vi", "Cases opened"))[0] == "&lt;5"
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert not any("style=" in svg or "<script" in svg for svg in svgs)


def test_the_office_sees_its_own_figures_exactly_in_the_chart(data):
    client = login_client(data, "qt.liaison")
    for url in (
        f"/reports/stored/{data.config['REPORT_ID']}",
        f"/reports/?scope={data.config['SCOPE']}&period=2026-Q3",
    ):
        html = client.get(url).get_data(as_text=True)
        assert _chart_rows(html, translated(data, "vi", "Cases opened"))[0] == "3"


def test_the_twelve_months_trend_counts_each_month_and_stays_in_the_office(app):
    """Pingxiang's office: cases opened in October 2025 (the first month), March and
    September 2026 (the last), requests sent in July, a case of September 2024 (outside).
    The office reads its trend; the JSON that leaves the office has none."""
    import json

    from coordination.reports import figures
    from tests.reports.helpers import add_case, add_request, at

    with app.app_context():
        px = office("PX-BLO").id
        for day in (date(2025, 10, 1), date(2026, 3, 5), date(2026, 3, 6), date(2026, 9, 30)):
            add_case("PX-BLO", day, [{"sex": "female", "estimated_age": 30}])
        add_case("PX-BLO", date(2024, 9, 30))
        for hour in range(3):
            add_request("PX-BLO", "LS-BLO", "information", at(2026, 7, 2, hour))
        add_request("LS-BLO", "PX-BLO", "information", at(2026, 7, 2, 5))  # received: not sent
        trend = figures.trend(office_scope(px), Q3)
        assert trend["months"][0] == "2025-10" and trend["months"][-1] == "2026-09"
        assert len(trend["months"]) == 12
        assert trend["cases_opened"] == [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1]
        assert trend["requests_sent"] == [0] * 9 + [3, 0, 0]
        assert trend["handovers"] == [0] * 12
        report = generate_report(office_scope(px), Q3, actor=None)
        db.session.commit()
        report_id = report.id
    liaison = login_client(app, "px.liaison")
    page = liaison.get(f"/reports/stored/{report_id}").get_data(as_text=True)
    heading = translated(app, "zh", "The last twelve months")
    assert heading in page and "09/2026" in page
    assert "trend" not in json.loads(liaison.get(f"/reports/stored/{report_id}.json").data)
    supervisor = login_client(app, "ls.supervisor")  # another province: nothing to see
    assert supervisor.get(f"/reports/stored/{report_id}").status_code == 404


def test_the_trend_is_not_shown_outside_the_office(data):
    own = login_client(data, "qt.liaison").get(f"/reports/stored/{data.config['REPORT_ID']}")
    other = login_client(data, "qt.supervisor").get(f"/reports/stored/{data.config['REPORT_ID']}")
    heading = translated(data, "vi", "The last twelve months")
    assert heading in own.get_data(as_text=True)
    assert other.status_code == 200 and heading not in other.get_data(as_text=True)
