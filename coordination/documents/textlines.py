"""Short multilingual text drawn straight onto the canvas: labels and table cells.

A ReportLab ``Paragraph`` parses markup into fragments and shapes Lao on every layout
pass, about a third of a millisecond per paragraph; a bilingual record has hundreds of
small cells ("Có / ແມ່ນ / 是"). ``TextLines`` does only what such cells need, with the same
fonts and the same rules as ``text.paragraph``:

* a few lines, each in its own font, size and colour (a label in several languages: the
  first language in a bold face, the others smaller underneath), one leading for all;
* wrapped at spaces; Chinese between any two characters (never before a closing or after
  an opening punctuation mark); Lao words at syllable starts (``text.break_long_words``);
  a word wider than the line, between characters;
* Chinese characters in the Chinese face, everything else in the merged face; Lao words
  shaped with HarfBuzz (each word on its own, as the paragraphs do), so tone marks sit
  above vowels and the text layer keeps the characters (``fonts.SearchableTTFont``);
* left, centred or right aligned, from the style; split across pages between lines.

Widths and shaped words are cached by text: labels recur in every document.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from coordination.documents import styles
from coordination.documents.actualtext import shape_word
from coordination.documents.fonts import HAN, SANS, register_fonts
from coordination.documents.text import (
    PLACEHOLDER,
    break_long_words,
    clean,
    font_for,
    font_runs,
    is_lao,
)

# Chinese line breaking (simplified kinsoku): these never start, resp. end, a line.
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉〗〙”’…‥·・%,.;:?!)]}")
_NO_LINE_END = frozenset("（《「『【〔〈〖〘“‘([{")
_WORDS = re.compile(r"(\s*)(\S+)")
_FUZZ = 0.01
_MARKS = frozenset({"Mn", "Mc", "Me"})
_CACHED_LENGTH = 400


@functools.lru_cache(maxsize=8192)
def _runs(text: str, font: str) -> tuple[tuple[str, str], ...]:
    """(face, run) pieces of ``text``: Chinese in the Chinese face, the rest in ``font``."""
    return tuple((font if face == SANS else face, run) for face, run in font_runs(text))


@functools.lru_cache(maxsize=65536)
def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` drawn in ``font`` (Chinese in the Chinese face).

    Shaping moves Lao marks but keeps the advances, so the unshaped width is the width.
    """
    return sum(stringWidth(run, face, size) for face, run in _runs(text, font))


@functools.lru_cache(maxsize=16384)
def _shaped(text: str, font: str, size: float):
    """``text`` (one face) with each Lao word shaped, as one drawable string; each shaped
    word carries its characters into the PDF's text layer (``actualtext``)."""
    if not any(is_lao(char) for char in text):
        return text
    out = ""
    for piece in re.split(r"(\s+)", text):
        if piece and any(is_lao(char) for char in piece):
            out = out + shape_word(piece, font, size)
        elif piece:
            out = out + piece
    return out


@functools.lru_cache(maxsize=16384)
def _drawable(text: str, font: str, size: float) -> tuple[tuple[str, object], ...]:
    return tuple((face, _shaped(run, face, size)) for face, run in _runs(text, font))


@functools.lru_cache(maxsize=8192)
def _is_han(char: str) -> bool:
    return font_for(char) == HAN


def _pieces(word: str) -> list[str]:
    """A word cut where a line may break inside it: around each Chinese character."""
    if not any(_is_han(char) for char in word):
        return [word]
    pieces: list[str] = []
    previous = ""
    for char in word:
        glued = (
            not pieces
            or char in _NO_LINE_START
            or previous in _NO_LINE_END
            or not (_is_han(char) or _is_han(previous))
        )
        if glued and pieces:
            pieces[-1] += char
        else:
            pieces.append(char)
        previous = char
    return pieces


def _split_chars(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than ``width`` cut after its last hyphen or slash that fits (a
    reference, "GCN-2026-100"), else between characters (never before a mark)."""
    pieces, current = [], ""
    for char in word:
        attaches = char in _NO_LINE_START or unicodedata.category(char) in _MARKS
        if current and not attaches and text_width(current + char, font, size) > width + _FUZZ:
            cut = max(current.rfind("-"), current.rfind("/")) + 1
            if 0 < cut < len(current):
                pieces.append(current[:cut])
                current = current[cut:] + char
            else:
                pieces.append(current)
                current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap_text(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """``text`` (clean) broken into lines no wider than ``width`` where possible.

    Short texts (labels, names) are cached; long ones (notes) are not kept around.
    """
    if len(text) <= _CACHED_LENGTH:
        return _wrap_text_cached(text, font, size, width)
    return _wrap_text(text, font, size, width)


@functools.lru_cache(maxsize=8192)
def _wrap_text_cached(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    return _wrap_text(text, font, size, width)


def _wrap_text(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    if any(is_lao(char) for char in text):
        text = break_long_words(text, font, size, width - 0.5)
    lines: list[str] = []
    for hard_line in text.split("\n"):
        current, current_width = "", 0.0
        started = False
        for space, word in _WORDS.findall(hard_line):
            for index, piece in enumerate(_pieces(word)):
                gap = space if index == 0 else ""
                piece_width = text_width(piece, font, size)
                if started:
                    gap_width = text_width(gap, font, size) if gap else 0.0
                    if current_width + gap_width + piece_width <= width + _FUZZ:
                        current += gap + piece
                        current_width += gap_width + piece_width
                        continue
                    lines.append(current)
                if piece_width > width + _FUZZ:
                    *full, piece = _split_chars(piece, font, size, width)
                    lines += full
                    piece_width = text_width(piece, font, size)
                current, current_width, started = piece, piece_width, True
        lines.append(current)
    return tuple(lines)


class TextLines(Flowable):
    """Lines of plain text, each line group in its own style's font, size and colour.

    ``segments`` are (clean text, style) pairs; the block takes its leading and alignment
    from ``style``. Each segment starts on a new line and wraps within the width.
    """

    def __init__(
        self,
        segments: Sequence[tuple[str, ParagraphStyle]],
        style: ParagraphStyle,
        *,
        laid_out: tuple[float, list[tuple[str, ParagraphStyle]]] | None = None,
    ):
        super().__init__()
        self.segments = tuple(segments)
        self.style = style
        self._laid_out = laid_out
        self.width = self.height = 0

    def __repr__(self) -> str:
        return f"TextLines({[text for text, _style in self.segments]!r})"

    def _layout(self, width: float) -> list[tuple[str, ParagraphStyle]]:
        if self._laid_out is None or self._laid_out[0] != width:
            lines = [
                (line, segment_style)
                for text, segment_style in self.segments
                for line in wrap_text(text, segment_style.fontName, segment_style.fontSize, width)
            ]
            self._laid_out = (width, lines)
        return self._laid_out[1]

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name
        return max(
            (
                text_width(piece, segment_style.fontName, segment_style.fontSize)
                for text, segment_style in self.segments
                for _space, word in _WORDS.findall(text)
                for piece in _pieces(word)
            ),
            default=0,
        )

    def split(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        lines = self._layout(availWidth)
        fitting = int((availHeight + _FUZZ) // self.style.leading)
        if fitting <= 0 or fitting >= len(lines):
            return [] if fitting <= 0 else [self]
        # Each part keeps its own lines as its text, should it be laid out at another width.
        head, tail = lines[:fitting], lines[fitting:]
        return [
            TextLines(head, self.style, laid_out=(availWidth, head)),
            TextLines(tail, self.style, laid_out=(availWidth, tail)),
        ]

    def draw(self) -> None:
        lines = self._layout(self.width)
        if not lines:
            return
        leading = self.style.leading
        alignment = self.style.alignment
        canvas = self.canv
        text_object = canvas.beginText()
        current_font = current_color = None
        baseline = self.height - lines[0][1].fontSize
        for text, segment_style in lines:
            font, size = segment_style.fontName, segment_style.fontSize
            x = 0.0
            if alignment in (TA_CENTER, TA_RIGHT):
                spare = self.width - text_width(text, font, size)
                x = spare / 2 if alignment == TA_CENTER else spare
            text_object.setTextOrigin(x, baseline)
            if segment_style.textColor != current_color:
                current_color = segment_style.textColor
                text_object.setFillColor(current_color)
            for face, run in _drawable(text, font, size):
                if (face, size) != current_font:
                    current_font = (face, size)
                    text_object.setFont(face, size, leading)
                text_object._textOut(run)  # textOut less the cursor bookkeeping
            baseline -= leading
        canvas.drawText(text_object)


def text_block(segments: Sequence[tuple[str | None, str]], style: str) -> TextLines:
    """A ``TextLines`` of (text, style name) segments, at ``style``'s leading and alignment.
    Empty texts are left out; none at all gives the placeholder in ``style``."""
    register_fonts()
    found = [(clean(text), styles.get(name)) for text, name in segments if text is not None]
    found = [(text, segment) for text, segment in found if text.strip()]
    return TextLines(found or [(PLACEHOLDER, styles.get(style))], styles.get(style))


def text_lines(
    texts: Sequence[str | None],
    style: str = "cell",
    alt_style: str | None = None,
    *,
    placeholder: str = PLACEHOLDER,
) -> TextLines:
    """A ``TextLines`` of ``texts``: the first in ``style``, the others in ``alt_style``'s
    font, size and colour (default: ``style``'s). Empty texts are left out; none at all
    gives ``placeholder``."""
    register_fonts()
    base = styles.get(style)
    alt = styles.get(alt_style) if alt_style else base
    values = [clean(text) for text in texts if text is not None]
    values = [value for value in values if value.strip()] or [placeholder]
    segments = [(value, base if index == 0 else alt) for index, value in enumerate(values)]
    return TextLines(segments, base)
