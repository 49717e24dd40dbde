"""In real Chromium: the Quảng Trị supervisor (Vietnamese) opens the reports from the menu,
chooses the third quarter of 2026 for the office QT-BLO, reads the figures (small counts
protected), stores a version and opens it; a backwards range is refused in words. Screens
go to /work/notes-tmp/shots/reports/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coordination.extensions import db
from tests.browser.test_languages import _sign_in
from tests.conftest import translated
from tests.reports.helpers import build, office

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes-tmp/shots/reports")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_choose_read_store(app, live_server, browser, page):
    with app.app_context():
        build()
        db.session.commit()
        scope = f"office:{office('QT-BLO').id}"
    _sign_in(page, live_server, "qt.supervisor")
    page.click(f"nav >> text={translated(app, 'vi', 'Reports')}")
    page.select_option("#f-scope", scope)
    page.select_option("#f-period", "2026-Q3")
    page.click(f"text={translated(app, 'vi', 'Show the report')}")
    assert page.locator("table.report-figures").count() >= 5
    assert "<5" in page.inner_text("table.report-figures >> nth=0")
    _shot(page, "report")
    page.click(f"text={translated(app, 'vi', 'Generate and store a new version')}")
    page.wait_for_url("**/reports/stored/**")
    assert translated(app, "vi", "Version %(number)s", number=1) in page.inner_text("main")
    _shot(page, "stored")
    page.goto(f"{live_server}/reports/?scope={scope}&start=2026-03-10&end=2026-03-01")
    assert translated(app, "vi", "The period ends before it starts.") in page.inner_text("main")
    _shot(page, "backwards")


def test_a_chinese_liaison_officer_reads_charts_and_downloads_the_xlsx_and_the_pdf(
    app, live_server, browser, tmp_path
):
    """Pingxiang's liaison officer (Chinese, Beijing time) generates the third quarter's
    report of its office: the charts are drawn, the XLSX opens with real numbers and the
    Chinese labels, and the PDF's page with charts is looked at as an image."""
    import shutil
    import subprocess

    from openpyxl import load_workbook

    from tests.documents.pdftext import squash, text
    from tests.reports.helpers import add_case, add_request, at

    with app.app_context():
        for day in (3, 9, 14, 21, 27, 28):
            add_case("PX-BLO", date(2026, 8, day), [{"sex": "female", "estimated_age": 24}])
        for hour in range(7):
            add_request("PX-BLO", "LS-BLO", "information", at(2026, 7, 10, hour))
        db.session.commit()
        scope = f"office:{office('PX-BLO').id}"
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, live_server, "px.liaison")
        page.click(f"nav >> text={translated(app, 'zh', 'Reports')}")
        page.select_option("#f-scope", scope)
        page.select_option("#f-period", "2026-Q3")
        page.click(f"text={translated(app, 'zh', 'Show the report')}")
        charts = page.locator("figure.chart-figure svg")
        assert charts.count() >= 5
        assert translated(app, "zh", "Cases opened") in page.inner_text("main")
        page.click(f"text={translated(app, 'zh', 'Generate and store a new version')}")
        page.wait_for_url("**/reports/stored/**")
        _shot(page, "stored-zh")

        with page.expect_download() as download:
            page.click(f"text={translated(app, 'zh', 'Download (XLSX)')}")
        xlsx = tmp_path / "report.xlsx"
        download.value.save_as(xlsx)
        workbook = load_workbook(xlsx)
        cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
        labels = {cell.value for cell in cells if isinstance(cell.value, str)}
        assert translated(app, "zh", "Cases opened") in labels
        assert 6 in {cell.value for cell in cells}  # six cases opened: a number, not text

        with page.expect_download() as download:
            page.click(f"text={translated(app, 'zh', 'Download (PDF)')}")
        pdf = tmp_path / "report.pdf"
        download.value.save_as(pdf)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert squash(translated(app, "zh", "Cases opened")) in squash(text(data))
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - a fixed program on our own file
            [
                shutil.which("pdftoppm") or "/usr/bin/pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(SHOTS / "pdf-zh"),
            ],
            check=True,
        )
    finally:
        context.close()
