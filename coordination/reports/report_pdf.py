"""A stored report as a PDF in the reader's language.

``document(...)`` gathers everything the PDF prints, already translated and formatted in the
reader's language (call it in a request): labels, the figures protected as they leave the
office (protect.py), each section's chart as plain data. ``render_report(document)`` is a
pure function of that dict (no database, no request, no gettext, no clock): the same bytes
each time. Charts are drawn as vector graphics in the documents' fonts (documents/charts.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from coordination.documents.charts import drawing
from coordination.documents.fonts import register_fonts
from coordination.documents.layout import CONTENT_WIDTH, data_table, facts_table, gap, render_pdf
from coordination.documents.text import paragraph
from coordination.i18n import _
from coordination.reports import charts, presenters

FORMAT = 1
# The documents' fonts have no "≥" (U+2265): the PDF writes ">=" for it, in the figures and
# in the note that explains them alike.
PRINTABLE = str.maketrans({"≥": ">="})


def printable(value):
    """``value`` with every string in it (dicts and lists too) in characters the fonts have."""
    if isinstance(value, str):
        return value.translate(PRINTABLE)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable(item) for item in value]
    return value


WIDTHS = (70, 22, 22, 18, 22, 18)


def document(
    snapshot: Mapping,
    *,
    language: str,
    scope_label: str,
    period,
    version: int,
    generated: str,
) -> dict:
    """What the PDF of a stored report prints, in the current locale. ``period`` is the
    report's periods.Period, ``generated`` when it was made, formatted for the reader."""
    names = (period.label, period.previous().label, period.same_last_year().label)
    section_charts = charts.section_charts(dict(snapshot), names)
    by_title = {chart.title: chart for chart in section_charts.values()}
    trend = charts.shown_trend(dict(snapshot))
    sections = []
    for section in presenters.table(dict(snapshot), protected=True):
        chart = by_title.get(section["title"])
        sections.append({**section, "chart": charts.as_dict(chart) if chart else None})
    return printable(
        {
            "format": FORMAT,
            "language": language,
            "title": _("Periodic report"),
            "number": _("Version %(number)s", number=version),
            "facts": [
                [_("Scope"), scope_label],
                [_("Period"), period.label],
                [_("Previous period"), names[1]],
                [_("Same period last year"), names[2]],
                [
                    _("Version %(number)s", number=version),
                    _("generated on %(when)s", when=generated),
                ],
            ],
            "columns": [_("Figure"), names[0], names[1], _("Change"), names[2], _("Change")],
            "trend": charts.as_dict(charts.trend_chart(trend)) if trend else None,
            "sections": sections,
            "note": _(
                "Counts from 1 to 4 are shown as “<5”; where a total would reveal one of them, "
                "another count of the same breakdown is shown as “≥5”. A change is shown only "
                "between two counts shown exactly."
            ),
            "page": _("Page %(page)d of %(pages)d"),
            "file_title": f"{scope_label} · {period.label}",
        }
    )


def _widths() -> list[float]:
    scale = CONTENT_WIDTH / (sum(WIDTHS) * mm)
    return [width * mm * scale for width in WIDTHS]


def _rows(lines) -> list[list]:
    rows = []
    for line in lines:
        if line.get("heading"):
            rows.append([paragraph(line["heading"], "label"), *[gap(0) for _ in range(5)]])
            continue
        label = paragraph(line["label"], "note" if line.get("entry") else "cell")
        rows.append(
            [
                label,
                line["current"],
                line["previous"],
                line["change_previous"],
                line["last_year"],
                line["change_last_year"],
            ]
        )
    return rows


def render_report(doc: Mapping) -> bytes:
    if doc.get("format") != FORMAT:
        raise ValueError("unknown report document format")
    register_fonts()
    language = doc["language"]
    story = [
        paragraph(doc["title"], "title"),
        paragraph(doc["file_title"], "subtitle"),
        facts_table([(label, value) for label, value in doc["facts"]]),
        gap(),
        paragraph(doc["note"], "note"),
    ]
    if doc.get("trend"):
        title = doc["trend"]["title"]
        chart = drawing(charts.from_dict(doc["trend"]), CONTENT_WIDTH, language, show_title=False)
        story.append(KeepTogether([gap(), paragraph(title, "heading"), chart, gap(2 * mm)]))
    for section in doc["sections"]:
        heading = [gap(), paragraph(section["title"], "heading")]
        if section.get("chart"):
            chart = drawing(
                charts.from_dict(section["chart"]),
                CONTENT_WIDTH,
                language,
                show_title=False,
                plot_height=110.0,
            )
            heading += [chart, gap(2 * mm)]
        # The heading stays with its chart (and the chart on one page).
        story.append(KeepTogether(heading))
        story.append(data_table(doc["columns"], _rows(section["lines"]), _widths()))
    page = doc["page"]
    return render_pdf(
        story,
        header_left=f"{doc['title']} · {doc['file_title']}",
        header_right=doc["number"],
        page_label=lambda n, total: page % {"page": n, "pages": total},
        title=doc["file_title"],
        lang=language,
        invariant=True,
    )
