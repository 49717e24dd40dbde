"""A stored report as a PDF in the reader's language: every label and figure extracts back,
charts are vector drawings (no image), the same snapshot gives the same bytes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.extensions import db
from coordination.reports import report_pdf
from coordination.reports.models import Report
from coordination.reports.operations import generate_report
from coordination.reports.periods import Period
from coordination.reports.scopes import from_key, office_scope
from tests.conftest import login_client, translated
from tests.documents.pdftext import needs_poppler, page_texts, png_pages, squash
from tests.reports.helpers import build, office

Q3 = Period.quarter(2026, 3)
SHOTS = Path("/work/notes-tmp/shots/reports-pdf")


@pytest.fixture
def report_id(app):
    with app.app_context():
        build()
        report = generate_report(office_scope(office("QT-BLO").id), Q3, actor=None)
        db.session.commit()
        return report.id


def _document(app, report_id, language):
    with app.test_request_context(), force_locale(language):
        report = db.session.get(Report, report_id)
        return report_pdf.document(
            report.snapshot,
            language=language,
            scope_label=from_key(report.scope_key).label,
            period=report.period,
            version=report.version,
            generated="2026-10-01",
        )


@needs_poppler
@pytest.mark.parametrize("language", ["vi", "lo", "zh", "en"])
def test_every_label_and_figure_extracts_back(app, report_id, language):
    document = _document(app, report_id, language)
    pdf = report_pdf.render_report(document)
    assert pdf == report_pdf.render_report(_document(app, report_id, language))
    pages = squash("".join(page_texts(pdf, "-raw")))
    expected = [document["title"], document["note"], *document["columns"]]
    expected += [text for pair in document["facts"] for text in pair]
    for section in document["sections"]:
        expected.append(section["title"])
        for line in section["lines"]:
            if line.get("heading"):
                expected.append(line["heading"])
                continue
            expected += [line[key] for key in ("label", "current", "previous", "last_year")]
            expected += [line["change_previous"], line["change_last_year"]]
        if section["chart"]:
            expected += section["chart"]["categories"]
            expected += [name for name, _values in section["chart"]["series"]]
    # The twelve months' trend, drawn first: its title, months and series names.
    trend = document["trend"]
    assert len(trend["months"]) == 12
    expected += [trend["title"], *trend["months"], *[name for name, _v in trend["series"]]]
    missing = [text for text in expected if squash(text) not in pages]
    assert not missing
    if SHOTS.is_dir():  # pages to look at (pdftoppm -r 70)
        for number, png in enumerate(png_pages(pdf, 70)[:2], start=1):
            (SHOTS / f"report-{language}-{number}.png").write_bytes(png)
    # Labels in the reader's language, figures protected ("<5": 3 cases opened).
    with app.app_context():
        assert squash(translated(app, language, "Cases opened")) in pages
    assert "<5" in pages
    # Charts are vector drawings: no raster image anywhere.
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        objects = resources.get("/XObject") or {}
        assert not any(objects[name].get_object()["/Subtype"] == "/Image" for name in objects)
    assert b"/Subtype /Image" not in pdf


@needs_poppler
def test_the_route_gives_the_pdf_in_the_readers_language(app, report_id):
    client = login_client(app, "qt.liaison")
    response = client.get(f"/reports/stored/{report_id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert re.search(
        r'filename="report-office-\d+-2026-Q3-v1\.pdf"', response.headers["Content-Disposition"]
    )
    text = squash("".join(page_texts(response.data, "-raw")))
    assert squash(translated(app, "vi", "Cases opened")) in text
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "report.download")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry.details == {"format": "pdf"}


def test_another_office_gets_404(app, report_id):
    assert (
        login_client(app, "ls.liaison").get(f"/reports/stored/{report_id}.pdf").status_code == 404
    )
    client = login_client(app, "qt.liaison")
    assert client.get("/reports/stored/99999999999999.pdf").status_code == 404


def test_an_unknown_document_format_is_refused():
    with pytest.raises(ValueError):
        report_pdf.render_report({"format": 99})
