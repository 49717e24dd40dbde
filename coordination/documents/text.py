"""User text to ReportLab paragraphs: NFC, escaped, one font per script run.

Chinese characters (and CJK punctuation) are drawn with the Chinese face; everything else
(Latin, Vietnamese, Lao, digits, punctuation) with the merged face. The Chinese face
draws some Vietnamese letters wrongly, so Latin never goes to it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from coordination.documents import styles
from coordination.documents.fonts import HAN, SANS, covers, register_fonts

PLACEHOLDER = "—"
REPLACEMENT = "\ufffd"
_INVISIBLE = frozenset("\u200b\ufeff")  # zero-width space, byte order mark

# Code points that belong to the Chinese face when it has them.
_HAN_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),
    (0x3100, 0x312F),
    (0x31C0, 0x31EF),
    (0x3200, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _in_han_range(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN_RANGES)


def is_lao(char: str) -> bool:
    return "\u0e80" <= char <= "\u0eff"


def clean(text) -> str:
    """NFC, Unix line breaks, no control characters (tabs become spaces)."""
    text = unicodedata.normalize("NFC", str(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", text)


@functools.lru_cache(maxsize=65536)
def _face(char: str) -> str | None:
    """The face that draws ``char`` (None when neither has it); fonts are registered."""
    if char.isspace():
        return SANS
    if _in_han_range(char) and covers(HAN, char):
        return HAN
    if covers(SANS, char):
        return SANS
    return HAN if covers(HAN, char) else None


def font_for(char: str) -> str:
    """The face that draws ``char``: the Chinese one for Chinese, else the merged one."""
    register_fonts()
    return _face(char) or SANS


def font_runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (font name, run) pieces; whitespace stays with the merged face.

    A character neither face has (Thai, emoji…) shows as U+FFFD, never as an empty box;
    invisible ones (zero-width space, variation selectors) are left out, since ReportLab
    would draw a zero-width space as a full one.
    """
    register_fonts()
    runs: list[tuple[str, str]] = []
    for char in text:
        if char in _INVISIBLE:
            continue
        font = _face(char)
        if font is None:
            if unicodedata.category(char) in {"Cf", "Mn", "Me"}:
                continue
            font, char = SANS, REPLACEMENT
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def _separate_han(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Put a space where a Chinese run touches another run inside a word that has Lao.

    A shaped paragraph shapes each space-delimited word with Lao in it with the font of
    its first character: such a word that switched face would get the wrong glyphs.
    (Spaces belong to the merged face, so the space goes to the non-Chinese side.) Words
    without Lao are not shaped (``fonts._shape_lao_words_only``): "2026年11月" stays whole.
    """
    text = "".join(run for _font, run in runs)
    in_lao_word: list[bool] = []  # for each character: is its word one with Lao?
    for piece in re.findall(r"\S+|\s+", text):
        has_lao = not piece[0].isspace() and any(is_lao(char) for char in piece)
        in_lao_word += [has_lao] * len(piece)
    out: list[tuple[str, str]] = []
    position = 0
    for font, run in runs:
        start = position
        position += len(run)
        if out and in_lao_word[start] and not out[-1][1][-1].isspace() and not run[0].isspace():
            if font == HAN:
                out[-1] = (out[-1][0], out[-1][1] + " ")
            else:
                run = " " + run
        out.append((font, run))
    return out


def markup(text: str, *, shaped: bool = False) -> str:
    """Paragraph markup for ``text`` (already clean): escaped, with font switches."""
    runs = font_runs(text)
    if shaped:
        runs = _separate_han(runs)
    parts = []
    for font, run in runs:
        escaped = escape(run).replace("\n", "<br/>")
        parts.append(escaped if font == SANS else f'<font name="{font}">{escaped}</font>')
    return "".join(parts)


# --- Lao line breaking ---------------------------------------------------------------------
# Lao writes no spaces between words. ReportLab cuts a word wider than the line anywhere,
# which can part a tone mark from its consonant (a box, or a dotted circle). Such words
# are cut here first, at syllable starts where possible, never inside a cluster.

_LEADING_VOWELS = "\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4"


def _is_lao_consonant(char: str) -> bool:
    return "\u0e81" <= char <= "\u0eae" or "\u0edc" <= char <= "\u0edf"


def _attaches(char: str) -> bool:
    """A character that never starts a line: marks, following vowels, ໆ."""
    return unicodedata.category(char) in {"Mn", "Mc"} or char in "\u0eb0\u0eb2\u0eb3\u0ebd\u0ec6"


def _break_score(word: str, index: int) -> int:
    """How good a break before ``word[index]`` is: 2 syllable start, 1 cluster edge, 0 no.

    Without a dictionary, a consonant that carries a vowel sign (the next character
    attaches to it) starts a syllable; a bare one is more likely a final consonant.
    """
    char, before = word[index], word[index - 1]
    if _attaches(char) or before in _LEADING_VOWELS:
        return 0
    if char in _LEADING_VOWELS or before == "\u200b":  # some Lao typists mark words so
        return 2
    if _is_lao_consonant(char):
        following = word[index + 1] if index + 1 < len(word) else ""
        return 2 if following and _attaches(following) else 1
    return 1


def break_long_words(text: str, font: str, size: float, width: float) -> str:
    """``text`` with line breaks inside any Lao word wider than ``width`` points."""
    if width <= 0 or not any(is_lao(char) for char in text):
        return text

    def fits(piece: str) -> bool:
        return stringWidth(piece, font, size) <= width

    def cut(word: str) -> str:
        if fits(word) or not any(is_lao(char) for char in word):
            return word
        lines, start = [], 0
        while start < len(word):
            if fits(word[start:]):
                lines.append(word[start:])
                break
            best = {2: None, 1: None}
            for index in range(start + 1, len(word)):
                if not fits(word[start:index]):
                    break
                score = _break_score(word, index)
                if score:
                    best[score] = index
            end = best[2] or best[1] or _next_cluster_edge(word, start)
            lines.append(word[start:end])
            start = end
        return "\n".join(lines)

    return "\n".join(
        "".join(cut(part) if not part.isspace() else part for part in re.split(r"(\s+)", line))
        for line in text.split("\n")
    )


def _next_cluster_edge(word: str, start: int) -> int:
    """The end of the cluster that starts at ``start`` (a line holds at least one)."""
    index = start + 1
    while index < len(word) and (_attaches(word[index]) or word[index - 1] in _LEADING_VOWELS):
        index += 1
    return index


@functools.lru_cache(maxsize=4096)
def _parsed(text: str, style: ParagraphStyle) -> tuple[str, ParagraphStyle, tuple]:
    """Paragraph markup parsed once: headings and labels recur in every document.

    ReportLab parses markup with ``html.parser``, a large share of a document's time;
    each paragraph gets its own copies of the cached fragments.
    """
    text = cleanBlockQuotedText(text)
    parser = ParaParser()
    parser.caseSensitive = 1
    parsed_style, frags, _bullet = parser.parse(text, style)
    if frags is None:
        raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph {text[:30]!r}")
    textTransformFrags(frags, parsed_style)
    return text, parsed_style, tuple(frags)


class ScriptParagraph(Paragraph):
    """A paragraph of user text that lays itself out again for each width it is given.

    Built from plain text (``ScriptParagraph.of``); the pieces that ``split`` makes come
    back through ``__init__`` with ready fragments and behave as plain paragraphs.
    """

    _source: str | None = None

    @classmethod
    def of(cls, text: str, style) -> ScriptParagraph:
        self = cls.__new__(cls)
        self._source = text
        self._lao = any(is_lao(char) for char in text)
        han = any(font_for(char) == HAN for char in text if not char.isspace())
        self._variant = styles.variant(style, lao=self._lao, han=han)
        self._prepared_width = None
        Paragraph.__init__(self, markup(text, shaped=self._lao), self._variant)
        return self

    def _setup(self, text, style, bulletText, frags, cleaner):  # noqa: N803 - ReportLab's
        # Short markup (labels, names, headings) from the cache; long texts parse as usual.
        if frags is None and bulletText is None and len(text) <= 1000:
            text, style, cached = _parsed(text, style)
            frags = [frag.clone() for frag in cached]
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        if self._source is not None and self._lao and availWidth != self._prepared_width:
            style = self._variant
            width = availWidth - style.leftIndent - style.rightIndent
            text = break_long_words(self._source, style.fontName, style.fontSize, width - 0.5)
            Paragraph.__init__(self, markup(text, shaped=True), style)
            self._prepared_width = availWidth
            self._wrapped = None
        # Tables wrap their cells several times at the same width; the lines do not change.
        wrapped = self.__dict__.get("_wrapped")
        if wrapped and wrapped[0] == availWidth and hasattr(self, "blPara"):
            self.width, self.height = wrapped[1]
            return wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size) if hasattr(self, "blPara") else None
        return size


def paragraph(text, style: str = "body", *, placeholder: str = PLACEHOLDER) -> Paragraph:
    """A paragraph showing user text (or ``placeholder`` when empty) in the named style."""
    register_fonts()
    value = clean(text) if text is not None else ""
    if not value.strip():
        value = placeholder
    return ScriptParagraph.of(value, styles.get(style))
