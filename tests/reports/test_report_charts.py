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


def _trend_rows(html: str, corner: str) -> list[tuple[str, ...]]:
    """The values of the trend's data table (its corner reads "Month"), a tuple per row."""
    for table in re.findall(r'<table class="chart-data">.*?</table>', html, re.S):
        if f'<th scope="col">{corner}</th>' in table:
            rows = re.findall(r'<th scope="row">[^<]*</th>((?:<td>[^<]*</td>)+)', table)
            return [tuple(re.findall(r"<td>([^<]*)</td>", row)) for row in rows]
    return []


def test_a_chart_per_section_protected_for_readers_outside_the_office(data):
    page = login_client(data, "qt.supervisor").get(f"/reports/stored/{data.config['REPORT_ID']}")
    html = page.get_data(as_text=True)
    assert html.count('<figure class="chart-figure">') == 10  # 9 sections and the trend
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
    The office reads its trend exactly; in the JSON that leaves the office each small month
    is "<5" (protect.trend)."""
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
    sent = json.loads(liaison.get(f"/reports/stored/{report_id}.json").data)["trend"]
    assert sent["months"] == trend["months"]
    assert sent["cases_opened"] == ["<5", 0, 0, 0, 0, "<5", 0, 0, 0, 0, 0, "<5"]
    assert sent["requests_sent"] == [0] * 9 + ["<5", 0, 0]
    supervisor = login_client(app, "ls.supervisor")  # another province: nothing to see
    assert supervisor.get(f"/reports/stored/{report_id}").status_code == 404


def test_the_trend_is_shown_protected_outside_the_office(data):
    """The province's supervisor reads the office's trend too, each small month as "<5"."""
    url = f"/reports/stored/{data.config['REPORT_ID']}"
    own = login_client(data, "qt.liaison").get(url).get_data(as_text=True)
    other = login_client(data, "qt.supervisor").get(url).get_data(as_text=True)
    heading = translated(data, "vi", "The last twelve months")
    assert heading in own and heading in other
    months = translated(data, "vi", "Month")
    own_rows, other_rows = _trend_rows(own, months), _trend_rows(other, months)
    assert own_rows and len(own_rows) == len(other_rows)
    hidden = ("&lt;5", "≥5")
    for exact_row, shown_row in zip(own_rows, other_rows, strict=True):
        for exact, shown in zip(exact_row, shown_row, strict=True):
            assert shown == exact or (shown in hidden and exact not in ("0", ""))
    assert any("&lt;5" in row for row in other_rows)
    assert not any("&lt;5" in row for row in own_rows)
