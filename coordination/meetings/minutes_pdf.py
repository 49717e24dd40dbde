"""Signed minutes as a PDF, from their snapshot (meetings.records): a pure function of the
snapshot (no database, no request, no gettext, no clock), the same bytes each time. Every
label is printed in each language of the minutes, the first one first."""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from coordination.documents.flowables import signature_block
from coordination.documents.fonts import register_fonts
from coordination.documents.labels import Labels
from coordination.documents.layout import CONTENT_WIDTH, data_table, facts_table, gap, render_pdf
from coordination.documents.text import paragraph

ATTENDEE_WIDTHS = (10, 60, 60, 50)
AGENDA_WIDTHS = (10, 30, 140)
ACTION_WIDTHS = (10, 70, 50, 30, 25)


def _widths(widths) -> list[float]:
    scale = CONTENT_WIDTH / (sum(widths) * mm)
    return [width * mm * scale for width in widths]


def _joined(values: Mapping[str, str], languages) -> str:
    return " / ".join(dict.fromkeys(values.get(language, "") for language in languages))


def render_minutes(snapshot: Mapping) -> bytes:
    if snapshot.get("format") != 1:
        raise ValueError("unknown minutes snapshot format")
    register_fonts()
    languages = list(snapshot["languages"])
    labels = Labels(snapshot["labels"], languages)

    def office(value) -> str:
        return _joined(value["names"], languages)

    def heading(key: str):
        return paragraph(labels.joined(key), "heading")

    number = f"{snapshot['number']} · v{snapshot['version']}"
    facts = [
        (labels.joined("number"), number),
        (labels.joined("meeting"), snapshot["title"]),
        (labels.joined("kind"), _joined(snapshot["kind"], languages)),
        (labels.joined("host"), office(snapshot["host"])),
        (labels.joined("partner"), office(snapshot["partner"])),
        (labels.joined("time"), [paragraph(snapshot["time"][lang]) for lang in languages]),
        (labels.joined("place"), snapshot["place"] or "—"),
    ]
    if snapshot.get("supersedes"):
        facts.append((labels.joined("corrects"), snapshot["supersedes"]))
    if snapshot.get("reason"):
        facts.append((labels.joined("reason"), snapshot["reason"]))
    story = [
        *[paragraph(text, "title") for text in labels.texts("title")],
        paragraph(number, "subtitle"),
        facts_table(facts),
        gap(),
        heading("attendees"),
    ]
    none = labels.joined("none")
    if snapshot["attendees"]:
        story.append(
            data_table(
                [labels.joined(key) for key in ("no", "office", "name", "position")],
                [
                    [str(n), office(row["office"]), row["name"], row["position"]]
                    for n, row in enumerate(snapshot["attendees"], start=1)
                ],
                _widths(ATTENDEE_WIDTHS),
            )
        )
    else:
        story.append(paragraph(none, "note"))
    story += [gap(), heading("agenda")]
    if snapshot["agenda"]:
        story.append(
            data_table(
                [labels.joined(key) for key in ("no", "item_kind", "item")],
                [
                    [
                        str(n),
                        _joined(row["kind"], languages),
                        [paragraph(row["title"])]
                        + ([paragraph(row["note"], "note")] if row["note"] else []),
                    ]
                    for n, row in enumerate(snapshot["agenda"], start=1)
                ],
                _widths(AGENDA_WIDTHS),
            )
        )
    else:
        story.append(paragraph(none, "note"))
    story += [gap(), heading("summary")]
    lines = [line for line in snapshot["summary"].splitlines() if line.strip()]
    story += [paragraph(line) for line in lines] or [paragraph(none, "note")]
    story += [gap(), heading("decisions")]
    story += [
        paragraph(f"{n}. {text}") for n, text in enumerate(snapshot["decisions"], start=1)
    ] or [paragraph(none, "note")]
    story += [gap(), heading("action_items")]
    if snapshot["action_items"]:
        story.append(
            data_table(
                [labels.joined(key) for key in ("no", "action", "owner", "due", "status")],
                [
                    [
                        str(n),
                        row["text"],
                        [paragraph(office(row["owner"]))]
                        + ([paragraph(row["person"])] if row["person"] else []),
                        _joined(row["due"], languages),
                        _joined(row["status"], languages),
                    ]
                    for n, row in enumerate(snapshot["action_items"], start=1)
                ],
                _widths(ACTION_WIDTHS),
            )
        )
    else:
        story.append(paragraph(none, "note"))
    hint = [paragraph(text, "note") for text in labels.texts("sign_here")]
    cells = []
    for side in ("host", "partner"):
        names = snapshot[side]["names"]
        heading_lines = [
            paragraph(labels.text("sign_for", language, office=names.get(language, "")), "label")
            for language in languages
        ]
        cells.append(signature_block(heading_lines, hint, []))
    half = CONTENT_WIDTH / 2
    signatures = Table([cells], colWidths=[half, half])
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [gap(8 * mm), signatures]
    page = snapshot["labels"]["page"]
    return render_pdf(
        story,
        header_left=labels.joined("title"),
        header_right=number,
        page_label=lambda n, total: " / ".join(
            dict.fromkeys(page[lang] % {"page": n, "pages": total} for lang in languages)
        ),
        title=snapshot["title"],
        lang=languages[0],
        invariant=True,
    )
