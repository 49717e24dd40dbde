"""The vendored PDF fonts, registered with ReportLab once per process.

Two faces draw everything (see fonts/README.md):

* ``SANS`` / ``SANS_BOLD``, "Coordination Sans": Latin, Vietnamese, Lao, digits and
  punctuation in one face, so a word never switches font (that breaks shaping), and
  shaped with HarfBuzz for Lao.
* ``HAN``, "Coordination Han": Chinese characters and CJK punctuation only, never shaped.

Registering costs tens of milliseconds and tens of MB (the Chinese face), so it happens
lazily, on the first document, under a lock.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, ShapedFragWord, ShapedStr, TTFont

from coordination.documents import actualtext

FONT_DIR = Path(__file__).resolve().parent / "fonts"

SANS = "CoordinationSans"
SANS_BOLD = "CoordinationSans-Bold"
HAN = "CoordinationHan"

_FILES = {
    SANS: ("CoordinationSans-Regular.ttf", True),
    SANS_BOLD: ("CoordinationSans-Bold.ttf", True),
    HAN: ("CoordinationHan-Regular.ttf", False),
}

NIKHAHIT = "\u0ecd"

_lock = threading.Lock()
_registered = False


def _to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap whose codes may stand for several characters (ligatures)."""

    def utf16(text: str) -> str:
        return text.encode("utf-16-be").hex().upper() or "FFFD"

    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(texts) - 1:02X}>",
            "endcodespacerange",
            f"{len(texts)} beginbfchar",
            *(f"<{code:02X}> <{utf16(text)}>" for code, text in enumerate(texts)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


class SearchableTTFont(TTFont):
    """A TTFont whose shaped glyphs keep their text in the PDF's text layer.

    HarfBuzz turns some characters into glyphs that no character maps to (Lao tone marks
    lowered above a vowel, "maiEk-lao.small"; nikhahit + tone mark ligatures). ReportLab
    gives those glyphs private-use code points, so copy/paste and search lose the
    characters. Here each such glyph maps back to the characters its name spells (glyph
    names are kept by scripts/build_pdf_fonts.py), in the order Unicode stores them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._private_text: dict[int, str] = {}
        self._glyph_chars: dict[str, str] | None = None

    def hbFont(self, fontSize=10):  # noqa: N802, N803 - ReportLab's names
        font = super().hbFont(fontSize)
        original = self.hbAddPrivate

        def add_private(name, gid, advance):
            code = original(name, gid, advance)
            if code not in self._private_text:
                self._private_text[code] = self._text_of_glyph(name, font)
            return code

        self.hbAddPrivate = add_private
        return font

    def _text_of_glyph(self, name: str, font) -> str:
        if self._glyph_chars is None:
            chars = {}
            for code, gid in list(self.face.charToGlyph.items()):
                if code < 0xE000 or code > 0xF8FF:
                    chars.setdefault(font.glyph_to_string(gid), chr(code))
            self._glyph_chars = chars
        base = name.split(".", 1)[0]
        suffix = "-" + base.rsplit("-", 1)[1] if "-" in base else ""
        parts = base.split("_")
        text = []
        for index, part in enumerate(parts):
            key = part if part.endswith(suffix) or index == len(parts) - 1 else part + suffix
            char = self._glyph_chars.get(key) or self._glyph_chars.get(part)
            if char is None and part.startswith("uni") and len(part) == 7:
                try:
                    char = chr(int(part[3:], 16))
                except ValueError:
                    char = None
            if char is None:
                return "\ufffd"
            text.append(char)
        # The shaper splits ຳ into nikhahit + aa and moves the nikhahit in front of a tone
        # mark ("niggahita_maiTho-lao"): put it back after the mark, as in NFKD of ນ້ຳ.
        text.sort(key=lambda char: char == NIKHAHIT)
        return "".join(text)

    def addObjects(self, doc):  # noqa: N802 - ReportLab's name
        state = self.state.get(doc)
        private = self._private_text
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)
        for number, subset in enumerate(subsets):
            if not any(code in private for code in subset):
                continue
            base_name = b"".join((SUBSETN(number), b"+", self.face.name, self.face.subfontNameX))
            base_name = base_name.decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base_name)
            if stream is not None:
                texts = [private.get(code, chr(code)) for code in subset]
                stream.content = _to_unicode_cmap(base_name, texts)


def _needs_shaping(text) -> bool:
    return isinstance(text, str) and any("\u0e80" <= char <= "\u0eff" for char in text)


def _shape_lao_words_only() -> None:
    """Let shaped paragraphs shape only the words that need it (Lao).

    ReportLab shapes every word of a paragraph whose style has ``shaping=1``, again on
    every layout pass; that is most of a document's build time. Latin, Vietnamese (NFC)
    and Chinese words come out the same without it.
    """
    from reportlab.platypus import paragraph as rl_paragraph

    original = rl_paragraph.shapeFragWord
    if getattr(original, "lao_only", False):
        return

    def shape_lao_words(word, *args, **kwargs):
        if isinstance(word, ShapedFragWord) or any(
            isinstance(piece[1], ShapedStr) for piece in word[1:]
        ):  # shaped on an earlier layout pass (glyphs, not characters: never again)
            return word
        if any(_needs_shaping(piece[1]) for piece in word[1:]):
            # The glyphs carry their characters into the text layer (ActualText).
            return actualtext.attach_to_frag_word(word, original(word, *args, **kwargs))
        return word

    shape_lao_words.lao_only = True
    rl_paragraph.shapeFragWord = shape_lao_words


def register_fonts() -> None:
    """Register the fonts with ReportLab (idempotent and thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, (filename, shapable) in _FILES.items():
            font_class = SearchableTTFont if shapable else TTFont
            pdfmetrics.registerFont(font_class(name, str(FONT_DIR / filename), shapable=shapable))
        # <b> inside a paragraph picks the bold face; Chinese has no bold cut of its own.
        for bold, italic, face in (
            (0, 0, SANS),
            (1, 0, SANS_BOLD),
            (0, 1, SANS),
            (1, 1, SANS_BOLD),
        ):
            addMapping(SANS, bold, italic, face)
            addMapping(SANS_BOLD, bold, italic, face)
            addMapping(HAN, bold, italic, HAN)
        _shape_lao_words_only()
        actualtext.install()
        _registered = True


def covers(font_name: str, char: str) -> bool:
    """Whether the registered font ``font_name`` has a glyph for ``char``."""
    register_fonts()
    return ord(char) in pdfmetrics.getFont(font_name).face.charToGlyph
