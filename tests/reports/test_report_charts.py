"""A bar chart per section on the report pages: inline SVG (no style, no script), with the
figures in a table under "Show the figures", protected like the table beside it."""

from __future__ import annotations

import re

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
