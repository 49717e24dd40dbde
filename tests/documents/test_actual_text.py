"""Shaped Lao keeps its characters in the text layer (ActualText), and nothing else changes.

The documents layer alone: text lines, paragraphs and tables of a RecordDocument.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen import textobject

from coordination.documents import actualtext, fonts
from coordination.documents.layout import data_table, facts_table, render_pdf
from coordination.documents.text import paragraph
from coordination.documents.textlines import _drawable, text_lines
from tests.documents.pdftext import needs_poppler, png_pages, squash, text

# Nikhahit then tone mark (ບໍ່ ຂໍ້ ຕໍ່), tone mark then ຳ (ນ້ຳ), marks raised over ົ / ັ.
LAO = ["ບໍ່", "ຂໍ້", "ຕໍ່", "ນ້ຳ", "ກົ້", "ຫົວໜ້າ", "ເຄື່ອງ", "ທີ່", "ກະເປົ໋າ", "ໜ່ວຍ", "ສົມສັກ", "ຮ້ອຍເອກ"]
VIETNAMESE = ["Nguyễn", "Hường", "Đỗ", "Ỗ", "khỏe", "mệt", "mỏi", "Quảng", "Trị", "ườ"]
CHINESE = ["李明", "凭祥", "丹沙湾检查站"]


def _story():
    line = " ".join(LAO + VIETNAMESE + CHINESE)
    return [
        text_lines([line], "cell"),  # TextLines
        paragraph(line, "body"),  # a paragraph
        facts_table([("ບໍ່ ຂໍ້", line)]),  # a paragraph in a table cell
        data_table(["ນ້ຳ"], [[text_lines([line], "cell-small")]], [200]),  # narrow: wraps
    ]


def _render(story=None) -> bytes:
    return render_pdf(
        story or _story(),
        header_left="ຫົວໜ້າ ບໍ່",
        page_label=lambda page, pages: f"ໜ້າ {page} / {pages}",
        invariant=True,
    )


@needs_poppler
@pytest.mark.parametrize("mode", [(), ("-raw",)], ids=["layout", "raw"])
def test_every_word_comes_back_exactly_from_every_kind_of_text(mode):
    extracted = text(_render(), *mode)
    tokens = extracted.split()
    for word in LAO + VIETNAMESE:
        # Four flowables draw each word once (a table cell may wrap a word apart: the
        # narrow one is checked as text without whitespace below).
        assert tokens.count(word) >= 3, (word, tokens.count(word))
    # The header and footer too.
    assert "ຫົວໜ້າ ບໍ່" in extracted and "ໜ້າ 1 / 1" in extracted
    whole = squash(extracted)
    for word in LAO + VIETNAMESE + CHINESE:
        assert whole.count(word) >= 4, word


def _content(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.get_contents().get_data().decode("latin-1") for page in reader.pages)


def test_each_lao_word_is_one_actual_text_span_with_its_characters():
    content = _content(_render([text_lines(["ບໍ່ Có ນ້ຳ"], "cell")]))
    spans = [part.split(">>", 1)[0] for part in content.split("/ActualText ")[1:]]
    decoded = [bytes.fromhex(span.strip("<>")).decode("utf-16") for span in spans]
    # The header, the line (the Vietnamese word in it is not in a span), the footer.
    assert decoded == ["ຫົວໜ້າ", "ບໍ່", "ບໍ່", "ນ້ຳ", "ໜ້າ"]
    assert content.count(" BDC") == content.count("EMC") == 5


@needs_poppler
def test_actual_text_changes_no_pixel(monkeypatch):
    """Rendered with the ActualText spans and without them: the same pages, pixel for
    pixel (the spans wrap the very same text operators)."""
    with_spans = _render()
    monkeypatch.setattr(textobject.PDFTextObject, "_formatText", actualtext._original_format_text)
    without = _render()
    assert "/ActualText" in _content(with_spans) and "/ActualText" not in _content(without)
    assert png_pages(with_spans, 150) == png_pages(without, 150)


def test_same_story_same_bytes():
    assert _render() == _render()


def test_shaped_words_keep_their_text_through_joining_and_slicing():
    fonts.register_fonts()
    ((_face, line),) = _drawable("ບໍ່ ຂໍ້ ນ້ຳ", fonts.SANS, 9)
    assert isinstance(line, actualtext.ActualTextStr)
    assert [span[2] for span in line.actual_spans] == ["ບໍ່", "ຂໍ້", "ນ້ຳ"]
    # The glyphs are not the characters (that is why the spans are needed).
    assert str(line) != "ບໍ່ ຂໍ້ ນ້ຳ"
    joined = "x " + line + " y"
    assert [span[2] for span in joined.actual_spans] == ["ບໍ່", "ຂໍ້", "ນ້ຳ"]
    first, *_rest = joined.actual_spans
    assert str(joined)[first[0] : first[1]] == str(line)[: len(str(line).split(" ")[0])]
    # A slice keeps the spans inside it whole and cuts the others by cluster.
    start = first[1] + 1
    tail = joined[start:]
    assert [span[2] for span in tail.actual_spans] == ["ຂໍ້", "ນ້ຳ"]
    word = joined[first[0] : first[1]]
    halves = [word[:1], word[1:]]
    assert "".join(part.actual_spans[0][2] for part in halves) == "ບໍ່"
    # Shape data follows the glyphs, so ReportLab still draws them where it did.
    assert tail.__shapeData__ == list(joined.__shapeData__[start:])
    assert isinstance(ShapedStr("a") + line, actualtext.ActualTextStr)


def test_words_without_lao_are_drawn_as_before():
    fonts.register_fonts()
    for value in ("Nguyễn Thị Hường", "李明 凭祥", "GCN-2026-100"):
        for _face, run in _drawable(value, fonts.SANS, 9):
            assert type(run) is str
