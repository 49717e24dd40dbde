"""The support history as a PDF, from its snapshot (reintegration.history): a pure function
of the snapshot (no database, no request, no gettext, no clock), the same bytes each time."""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.units import mm

from coordination.documents.fonts import register_fonts
from coordination.documents.layout import (
    CONTENT_WIDTH,
    data_table,
    facts_table,
    gap,
    render_pdf,
)
from coordination.documents.text import paragraph

SERVICE_WIDTHS = (30, 25, 26, 26, 21, 19, 27)
VISIT_WIDTHS = (24, 24, 24, 20, 82)
CLOSURE_WIDTHS = (30, 30, 32, 32, 50)


def _widths(widths) -> list[float]:
    scale = CONTENT_WIDTH / (sum(widths) * mm)
    return [width * mm * scale for width in widths]


def _section(story: list, title: str, header, rows, widths, none: str) -> None:
    story += [gap(), paragraph(title, "heading")]
    if rows:
        story.append(data_table(list(header), rows, _widths(widths)))
    else:
        story.append(paragraph(none, "note"))


def render_history(snapshot: Mapping) -> bytes:
    if snapshot.get("format") != 1:
        raise ValueError("unknown support history snapshot format")
    register_fonts()
    story = [
        paragraph(snapshot["title"], "title"),
        paragraph(snapshot["file"], "subtitle"),
        facts_table([(label, value) for label, value in snapshot["facts"]]),
        gap(),
        paragraph(snapshot["intake_title"], "heading"),
    ]
    if snapshot["intake"]:
        story.append(facts_table([(label, value) for label, value in snapshot["intake"]]))
    else:
        story.append(paragraph(snapshot["none"], "note"))
    keys = ("type", "provider", "planned", "actual", "cost", "delivered", "outcome")
    _section(
        story,
        snapshot["services_title"],
        snapshot["services_header"],
        [[row[key] for key in keys] for row in snapshot["services"]],
        SERVICE_WIDTHS,
        snapshot["none"],
    )
    keys = ("due", "done", "method", "risk", "notes")
    _section(
        story,
        snapshot["visits_title"],
        snapshot["visits_header"],
        [[row[key] for key in keys] for row in snapshot["visits"]],
        VISIT_WIDTHS,
        snapshot["none"],
    )
    keys = ("reason", "state", "requested", "decided", "note")
    _section(
        story,
        snapshot["closures_title"],
        snapshot["closures_header"],
        [[row[key] for key in keys] for row in snapshot["closures"]],
        CLOSURE_WIDTHS,
        snapshot["none"],
    )
    page = snapshot["page"]
    return render_pdf(
        story,
        header_left=snapshot["header"],
        header_right=snapshot["file"],
        page_label=lambda number, total: page.format(page=number, pages=total),
        title=snapshot["title"],
        lang=snapshot["language"],
        invariant=True,
    )
