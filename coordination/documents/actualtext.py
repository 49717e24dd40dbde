"""Shaped text that keeps its characters in the PDF's text layer: ActualText spans.

HarfBuzz turns a Lao word into glyphs that do not map one to one onto its characters: a
tone mark over nikhahit becomes one ligature glyph (ນ້ຳ and ບໍ່ store the two in opposite
orders, the glyph cannot say which), ຳ is drawn as nikhahit + aa, and marks raised over
ົ or ັ are placed with zero width at the next letter, where text extraction reads them out
of place. A font's ToUnicode map cannot express any of that; a marked-content span with
``/ActualText`` can (PDF 32000-1 §14.9.4): the glyphs of the span stand for the span's text,
as written, and viewers, ``pdftotext``, search and copy use that text instead of the glyphs.
Drawing is untouched (same operators, same positions: pages are pixel-identical).

``ActualTextStr`` is ReportLab's ``ShapedStr`` (glyphs and their positions) plus the spans of
source text it was shaped from; it survives the concatenation and slicing that paragraph
line building does. ``install()`` teaches ReportLab's text object to write each span as
``/Span <</ActualText <FEFF…>>> BDC … EMC`` around its glyphs (inside the text object, as the
specification allows); any other string is written as before.

Every shaped word (every word with Lao in it, changed by the shaper or not) gets a span:
``textlines`` through ``shape_word``, paragraphs through ``fonts._shape_lao_words_only``.
Words that are not shaped (Latin, Vietnamese in NFC, Chinese) are drawn one glyph per
character and read back through the fonts' ToUnicode maps, which are exact for them.
"""

from __future__ import annotations

import itertools

from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, _sdSimple, shapeStr
from reportlab.pdfgen import textobject

# (first glyph, end glyph, source text, source offset of each glyph's cluster)
Span = tuple[int, int, str, tuple[int, ...]]


def _shape_data(value: str) -> list:
    data = getattr(value, "__shapeData__", None)
    return list(data) if data is not None else [_sdSimple] * len(value)


class ActualTextStr(ShapedStr):
    """Glyphs to draw (a ``ShapedStr``) with the source text of some of their ranges."""

    actual_spans: tuple[Span, ...] = ()

    def __new__(cls, glyphs: str, shape_data: list, spans: tuple[Span, ...]):
        self = ShapedStr.__new__(cls, glyphs, shape_data)
        self.actual_spans = spans
        return self

    def __add__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return ActualTextStr(
            str.__add__(self, other),
            self.__shapeData__ + _shape_data(other),
            self.actual_spans + _shifted(getattr(other, "actual_spans", ()), len(self)),
        )

    def __radd__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return ActualTextStr(
            str(other) + str(self),
            _shape_data(other) + self.__shapeData__,
            tuple(getattr(other, "actual_spans", ())) + _shifted(self.actual_spans, len(other)),
        )

    def __getitem__(self, index):
        if isinstance(index, int):
            position = index + len(self) if index < 0 else index
            if not 0 <= position < len(self):
                raise IndexError("string index out of range")
            index = slice(position, position + 1)
        start, stop, step = index.indices(len(self))
        if step != 1 or stop <= start:
            return ShapedStr.__getitem__(self, index)
        spans = tuple(
            cut for span in self.actual_spans if (cut := _cut(span, start, stop)) is not None
        )
        glyphs = str.__getitem__(self, slice(start, stop))
        return ActualTextStr(glyphs, self.__shapeData__[start:stop], spans)

    def __reduce__(self):
        return (ActualTextStr, (str(self), list(self.__shapeData__), self.actual_spans))


def _shifted(spans, offset: int) -> tuple[Span, ...]:
    return tuple((start + offset, end + offset, text, where) for start, end, text, where in spans)


def _cut(span: Span, start: int, stop: int) -> Span | None:
    """The part of ``span`` inside glyphs ``start:stop``, renumbered from ``start``.

    A part of a span gets the characters of the clusters its glyphs belong to; when the
    clusters are not in text order, the part holding the span's first glyph gets all the
    text and the others none (text then stays whole and is never doubled).
    """
    first, end, text, where = span
    low, high = max(first, start), min(end, stop)
    if low >= high:
        return None
    if low == first and high == end:
        return (first - start, end - start, text, where)
    ordered = all(a <= b for a, b in itertools.pairwise(where))
    if ordered:
        begin = where[low - first] if low > first else 0
        finish = where[high - first] if high < end else len(text)
        part = text[begin:finish]
    else:
        part = text if low == first else ""
    return (low - start, high - start, part, where[low - first : high - first])


def attach(shaped: str, source: str, first_cluster: int = 0) -> ActualTextStr:
    """``shaped`` (what the shaper made of ``source``: a ``ShapedStr``, or ``source``
    itself when it changed nothing) as glyphs that stand for ``source``."""
    if isinstance(shaped, ShapedStr):
        data = list(shaped.__shapeData__)
        where = tuple(min(max(item.cluster - first_cluster, 0), len(source)) for item in data)
    else:
        # Unchanged: one glyph per character, drawn where it would be drawn unshaped.
        data = [ShapeData(index, 0, 0, 0, 0, 0) for index in range(len(shaped))]
        where = tuple(range(len(shaped)))
    return ActualTextStr(str(shaped), data, ((0, len(shaped), source, where),))


def shape_word(word: str, font: str, size: float) -> ActualTextStr:
    """One word shaped with HarfBuzz in ``font``, carrying its text for the text layer."""
    return attach(shapeStr(word, font, size), word)


def attach_to_frag_word(word: list, shaped: list) -> list:
    """A paragraph's frag word (``[width, (frag, text), …]``) after shaping (``shaped``,
    which may be ``word`` itself), each text piece carrying its source characters."""
    from reportlab.pdfbase.ttfonts import makeShapedFragWord

    if shaped is word:  # the shaper changed nothing: each piece stands for itself
        result = makeShapedFragWord(word)([word[0]])
        for frag, text in word[1:]:
            result.append((frag, text if hasattr(frag, "cbDefn") else attach(text, text)))
        return result
    source = "".join(text for frag, text in word[1:] if not hasattr(frag, "cbDefn"))
    positions = [
        index
        for index, (frag, text) in enumerate(shaped[1:], 1)
        if not hasattr(frag, "cbDefn") and isinstance(text, ShapedStr) and len(text)
    ]
    starts = [shaped[index][1].__shapeData__[0].cluster for index in positions]
    ordered = all(a <= b for a, b in itertools.pairwise(starts))
    for number, index in enumerate(positions):
        frag, text = shaped[index]
        if ordered:
            begin = starts[number]
            finish = starts[number + 1] if number + 1 < len(positions) else len(source)
            part = source[begin:finish]
        else:
            begin, part = starts[number], source if number == 0 else ""
        shaped[index] = (frag, attach(text, part, begin))
    return shaped


def _pdf_text_string(text: str) -> str:
    """A PDF text string (UTF-16BE with its byte order mark), written in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">" if text else "()"


_original_format_text = textobject.PDFTextObject._formatText


def _in_place(item) -> bool:
    """A glyph drawn where plain text would draw it (ReportLab's shaped output adds no
    adjustment for it): no offset, and its advance is the font's."""
    return item.x_offset == 0 and item.y_offset == 0 and item.width == item.x_advance


def _format_text(self, text):
    """ReportLab's text operators for ``text``, each ActualText span in a marked span."""
    spans = getattr(text, "actual_spans", None)
    if not spans:
        return _original_format_text(self, text)
    data = text.__shapeData__
    glyphs = str(text)
    operators = []
    position = 0

    def out(start: int, end: int) -> None:
        if end <= start:
            return
        part = data[start:end]
        if all(_in_place(item) for item in part):
            # Nothing moved by the shaper: the same operators as plain text, quicker.
            operators.append(_original_format_text(self, glyphs[start:end]))
        else:
            operators.append(_original_format_text(self, ShapedStr(glyphs[start:end], part)))

    for start, end, actual, _where in sorted(spans):
        if start < position:  # overlapping spans cannot be nested: keep the first
            continue
        out(position, start)
        operators.append(f"/Span <</ActualText {_pdf_text_string(actual)}>> BDC")
        out(start, end)
        operators.append("EMC")
        position = end
    out(position, len(glyphs))
    return " ".join(operator for operator in operators if operator)


_format_text.actual_text = True


def install() -> None:
    """Make ReportLab's text objects write ActualText spans (idempotent).

    Only strings of ``ActualTextStr`` are written differently; everything else, and every
    other user of ReportLab in the process, is untouched.
    """
    if not getattr(textobject.PDFTextObject._formatText, "actual_text", False):
        textobject.PDFTextObject._formatText = _format_text
