"""A stored report as an XLSX workbook: a sheet per section, labels in the reader's
language, numbers as numbers, small counts as the text "<5", audited, not for others."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.extensions import db
from coordination.reports.operations import generate_report
from coordination.reports.periods import Period
from coordination.reports.scopes import office_scope
from tests.conftest import login_client, translated
from tests.reports.helpers import build, office

Q3 = Period.quarter(2026, 3)


@pytest.fixture
def report_id(app):
    with app.app_context():
        build()
        report = generate_report(office_scope(office("QT-BLO").id), Q3, actor=None)
        db.session.commit()
        return report.id


def test_the_workbook_has_a_sheet_per_section_in_the_readers_language(app, report_id):
    client = login_client(app, "qt.liaison")
    response = client.get(f"/reports/stored/{report_id}.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "v1.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    sections = [
        "Cases",
        "Victims",
        "Requests",
        "Verification",
        "Calls and letters",
        "Handovers",
        "Reintegration",
        "Joint patrols",
        "Liaison meetings",
        "The last twelve months",
    ]
    assert book.sheetnames == [translated(app, "vi", name)[:31] for name in sections]
    # The trend: a row per month, its first day a real date, the counts protected.
    trend = list(book[translated(app, "vi", "The last twelve months")].iter_rows(values_only=True))
    assert trend[0][0] == translated(app, "vi", "Month") and len(trend) == 13
    assert [row[0].date() for row in trend[1:]][::11] == [date(2025, 10, 1), date(2026, 9, 1)]
    cases = book[translated(app, "vi", "Cases")]
    header = [cell.value for cell in cases[1]]
    assert header[0] == translated(app, "vi", "Figure")
    assert header[3] == header[5] == translated(app, "vi", "Change")
    lines = {row[0]: row[1:] for row in cases.iter_rows(min_row=2, values_only=True)}
    # 3 cases opened this quarter: protected as in the JSON download, as text.
    assert lines[translated(app, "vi", "Cases opened")][0] == "<5"
    # Every figure is a number, a protected text or empty; the numbers are real numbers.
    numbers = 0
    for sheet in book.worksheets[:-1]:
        for row in sheet.iter_rows(min_row=2, values_only=True):
            assert isinstance(row[0], str) and row[0]
            for value in row[1:]:
                assert value is None or value in ("<5", "≥5") or type(value) in (int, float)
                numbers += type(value) in (int, float)
    assert numbers > 0
    victims = book[translated(app, "vi", "Victims")]
    labels = [row[0] for row in victims.iter_rows(min_row=2, values_only=True)]
    assert any(label.startswith(translated(app, "vi", "Victims by sex") + ": ") for label in labels)
    # Audited like the JSON download.
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "report.download")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry.details == {"format": "xlsx"}


def test_another_office_gets_404(app, report_id):
    client = login_client(app, "ls.liaison")
    assert client.get(f"/reports/stored/{report_id}.xlsx").status_code == 404
    assert client.get("/reports/stored/99999999999999.xlsx").status_code == 404
    assert (
        login_client(app, "qt.social").get(f"/reports/stored/{report_id}.xlsx").status_code == 404
    )


def test_the_figures_counted_now_as_a_workbook(app, report_id):
    client = login_client(app, "qt.liaison")
    with app.app_context():
        scope = f"office:{office('QT-BLO').id}"
        other = f"office:{office('LS-BLO').id}"
    page = client.get(f"/reports/?scope={scope}&period=2026-Q3").get_data(as_text=True)
    assert "/reports/current.xlsx?" in page and "period=2026-Q3" in page
    response = client.get(f"/reports/current.xlsx?scope={scope}&period=2026-Q3")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    cases = book[translated(app, "vi", "Cases")]
    lines = {row[0]: row[1:] for row in cases.iter_rows(min_row=2, values_only=True)}
    assert lines[translated(app, "vi", "Cases opened")][0] == "<5"
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "report.download_current")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry.details == {"format": "xlsx", "scope": scope, "period": "2026-Q3"}
    assert client.get(f"/reports/current.xlsx?scope={other}&period=2026-Q3").status_code == 404
    refused = client.get(f"/reports/current.xlsx?scope={scope}&period=2026-Q9")
    assert refused.status_code == 422
    assert client.get("/reports/current.xlsx?scope=nonsense&period=2026").status_code == 404
