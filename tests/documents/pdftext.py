"""Reading generated PDFs back as a reader would: poppler-utils, and what was drawn.

``squash`` is the only normalisation the document tests allow: whitespace and line breaks
removed. Text wraps inside table cells, and pdftotext puts a space or a line break where a
line ends (or none, between Chinese characters); everything else, including the Unicode
form, must come back exactly as written (NFKD would hide the ນ້ຳ / ບໍ່ errors).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph

from coordination.documents.textlines import TextLines

TOOLS = {tool: shutil.which(tool) for tool in ("pdftotext", "pdftoppm")}
needs_poppler = pytest.mark.skipif(not all(TOOLS.values()), reason="poppler-utils is not installed")


def squash(text: str) -> str:
    return "".join(text.split())


def _run(tool: str, *args: str) -> bytes:
    return subprocess.run(  # noqa: S603 - our own tool paths and temporary files
        [TOOLS[tool], *args], capture_output=True, check=True
    ).stdout


@contextlib.contextmanager
def pdf_file(pdf: bytes) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        yield str(path)


def text(pdf: bytes, *options: str) -> str:
    """pdftotext of the whole document (``-raw``: in drawing order)."""
    with pdf_file(pdf) as path:
        return _run("pdftotext", *options, "-enc", "UTF-8", path, "-").decode("utf-8")


def page_texts(pdf: bytes, *options: str) -> list[str]:
    """pdftotext of each page (pages are separated by form feeds)."""
    return text(pdf, *options).split("\f")[:-1]


@dataclass(frozen=True)
class Word:
    page: int
    x_min: float
    y_min: float  # from the top of the page, in points
    x_max: float
    y_max: float
    text: str


_WORD = re.compile(
    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>'
)


def words(pdf: bytes) -> list[Word]:
    """Every word pdftotext finds, with its box (``-bbox``)."""
    found, page = [], 0
    for line in text(pdf, "-bbox").splitlines():
        if "<page " in line:
            page += 1
        match = _WORD.search(line)
        if match:
            x0, y0, x1, y1 = (float(value) for value in match.groups()[:4])
            found.append(Word(page, x0, y0, x1, y1, unescape(match.group(5))))
    return found


def png_pages(pdf: bytes, resolution: int = 100) -> list[bytes]:
    with pdf_file(pdf) as path:
        prefix = str(Path(path).with_name("page"))
        _run("pdftoppm", "-r", str(resolution), "-png", path, prefix)
        return [page.read_bytes() for page in sorted(Path(path).parent.glob("page-*.png"))]


@contextlib.contextmanager
def drawn_strings(monkeypatch) -> Iterator[list[tuple[int, str]]]:
    """(page number, text) of every text flowable as it is drawn: the documents layer's
    TextLines (labels, cells, headers, footers) and paragraphs (a split one per piece)."""
    drawn: list[tuple[int, str]] = []
    draw_lines, draw_paragraph = TextLines.draw, Paragraph.draw

    def lines(self):
        layout = self._layout(self.width)
        drawn.append((self.canv.getPageNumber(), "\n".join(line for line, _style in layout)))
        draw_lines(self)

    def paragraph(self):
        # A paragraph of user text keeps what it was made from (text.ScriptParagraph); the
        # plain text of its fragments would be the shaped glyphs. Split paragraphs are
        # checked apart (tests/documents/test_tall_rows.py).
        source = self.__dict__.get("_source")
        assert source is not None, f"a paragraph without its text: {self.getPlainText()!r}"
        drawn.append((self.canv.getPageNumber(), source))
        draw_paragraph(self)

    monkeypatch.setattr(TextLines, "draw", lines)
    monkeypatch.setattr(Paragraph, "draw", paragraph)
    yield drawn


def missing_strings(pdf: bytes, drawn: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The drawn strings that do not come back exactly from their page's text layer
    (pdftotext ``-raw``, drawing order: side-by-side table cells are not interleaved)."""
    pages = [squash(page) for page in page_texts(pdf, "-raw")]
    return [
        (page, string)
        for page, string in drawn
        if squash(string) and squash(string) not in pages[page - 1]
    ]
