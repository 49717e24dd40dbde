"""A table row taller than a page runs on over pages inside the body, in every script.

A person's long health note (Lao with and without spaces, Vietnamese, Chinese) makes its
row taller than a page. The row must split at the bottom margin, with every line on a page
(none over the footer, none below the page's edge, where paper loses it) and every
character back in order. Positions come from ``pdftotext -bbox`` (top-down coordinates).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from coordination.documents.layout import (
    MARGIN_BOTTOM,
    PAGE_HEIGHT,
    data_table,
    facts_table,
    render_pdf,
)
from coordination.documents.text import paragraph
from coordination.documents.textlines import text_lines
from coordination.handovers.record_pdf import render_handover_record
from tests.documents.pdftext import needs_poppler, page_texts, squash, text, words

SAMPLE = Path(__file__).resolve().parents[1] / "handovers" / "sample_record.json"
BODY_BOTTOM = PAGE_HEIGHT - MARGIN_BOTTOM  # from the top of the page
NOTES = {
    "lao": " ".join(["ສຸຂະພາບ ບໍ່ ດີ, ນ້ຳ ຫົວໜ້າ ຂໍ້ ຕໍ່ ເຄື່ອງ ທີ່ ກົ້ ສົມສັກ"] * 60),
    "lao-unspaced": "ການມອບຮັບຜູ້ຖືກເຄາະຮ້າຍເຄື່ອງທີ່ນ້ຳສົມສັກພົມມະຈັນ" * 45,
    "vietnamese": " ".join(["Sức khỏe yếu, đau đầu, mệt mỏi kéo dài nhiều ngày"] * 60),
    "chinese": "身体虚弱，头痛，持续多日疲劳。" * 90,
}
# A word of each note to count: every one drawn must be on a page.
MARKERS = {"lao": "ຫົວໜ້າ", "lao-unspaced": "ເຄື່ອງ", "vietnamese": "mệt", "chinese": "痛"}


def _page_label(page: int, pages: int) -> str:
    return f"PAGE{page}"


def _check_positions(pdf: bytes, footer: str = "PAGE") -> None:
    """Nothing below the body but the footer; nothing off the page."""
    found = words(pdf)
    assert found
    for word in found:
        assert word.y_min >= 0 and word.y_max <= PAGE_HEIGHT, word
        if word.y_min > BODY_BOTTOM:  # in the bottom margin: the footer only
            assert word.y_min > BODY_BOTTOM + 4 * mm and footer in word.text, word
        else:
            assert word.y_max <= BODY_BOTTOM + 0.5, word


def _table(kind: str, note: str):
    if kind == "text lines":  # labels and cells of records (textlines.TextLines)
        cell = text_lines([note], "cell-small")
        return data_table(["COLUMN", "COLUMN"], [["COLUMN", cell]], [30 * mm, 40 * mm])
    # a paragraph in a label/value table (the case file)
    return facts_table([("COLUMN", paragraph(note, "cell"))], width=70 * mm)


@needs_poppler
@pytest.mark.parametrize("kind", ["text lines", "paragraph"])
@pytest.mark.parametrize("script", list(NOTES))
def test_a_row_taller_than_a_page_stays_inside_the_pages(kind, script):
    note = NOTES[script]
    pdf = render_pdf(
        [paragraph("TITLE", "heading"), _table(kind, note)],
        header_left="HEADER",
        page_label=_page_label,
        invariant=True,
    )
    pages = page_texts(pdf, "-raw")
    assert len(pages) >= 2
    _check_positions(pdf)
    # Every character of the note back, in order: the pages' text less what frames it.
    body = ""
    for number, page in enumerate(pages, start=1):
        page = squash(page).replace("HEADER", "").replace(f"PAGE{number}", "")
        body += page.replace("TITLE", "").replace("COLUMN", "")
    assert body == squash(note)


@needs_poppler
@pytest.mark.parametrize("script", list(NOTES))
def test_a_person_with_a_health_note_longer_than_a_page(script):
    """The handover record: the note in the people table's narrow health column."""
    note = NOTES[script]
    snapshot = json.loads(SAMPLE.read_text(encoding="utf-8"))
    snapshot["people"][1]["health"] = note
    pdf = render_handover_record(snapshot)
    _check_positions(pdf, footer="")
    footer_words = {"Trang", "ໜ້າ", "ຈາກ", "第", "页，共", "页", "·"}
    for word in words(pdf):
        if word.y_min > BODY_BOTTOM:
            assert word.text in footer_words or word.text.replace("/", "").isdigit(), word
    # Every line of the note on a page: the marker as often as in the record without the
    # note, plus as often as in the note.
    marker = MARKERS[script]
    snapshot["people"][1]["health"] = ""
    elsewhere = squash(text(render_handover_record(snapshot))).count(marker)
    assert squash(text(pdf)).count(marker) == elsewhere + note.count(marker)
