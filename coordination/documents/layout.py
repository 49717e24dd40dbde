"""A4 documents: the page template (header line, "page X of Y") and table helpers."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from coordination.documents import styles
from coordination.documents.fonts import SANS, register_fonts
from coordination.documents.text import paragraph

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
LABEL_SHARE = 0.3  # of the width, for the label column of a label/value table


def _numbered_canvas(page_label: Callable[[int, int], str]):
    """A canvas class that writes "page X of Y" once the number of pages is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer = paragraph(page_label(number, total), "footer")
                _width, height = footer.wrap(CONTENT_WIDTH, MARGIN_BOTTOM)
                footer.drawOn(self, MARGIN_LEFT, MARGIN_BOTTOM - 6 * mm - height)
                super().showPage()
            super().save()

    return NumberedCanvas


class RecordDocument(BaseDocTemplate):
    """An A4 record: a header line on every page and "page X of Y" at the foot."""

    def __init__(
        self,
        buffer,
        *,
        header_left: str,
        header_right: str = "",
        page_label: Callable[[int, int], str],
        title: str = "",
        author: str = "",
        subject: str = "",
        lang: str | None = None,
    ):
        register_fonts()
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author,
            subject=subject,
            creator="coordination",
            lang=lang,
            # Without an initial font of ours, every page would name Helvetica (not embedded).
            initialFontName=SANS,
        )
        self._header_left = header_left
        self._header_right = header_right
        self._page_label = page_label
        frame = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            CONTENT_WIDTH,
            PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="record", frames=[frame], onPage=self._header)])

    def _header(self, canvas, _doc) -> None:
        canvas.saveState()
        half = CONTENT_WIDTH / 2 - 3 * mm
        top = PAGE_HEIGHT - MARGIN_TOP + 5 * mm
        left = paragraph(self._header_left, "header")
        left.wrap(half, MARGIN_TOP)
        left.drawOn(canvas, MARGIN_LEFT, top)
        if self._header_right:
            right = paragraph(self._header_right, "header-right")
            right.wrap(half, MARGIN_TOP)
            right.drawOn(canvas, PAGE_WIDTH - MARGIN_RIGHT - half, top)
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, top - 1.5 * mm, PAGE_WIDTH - MARGIN_RIGHT, top - 1.5 * mm)
        canvas.restoreState()

    def render(self, story: list[Flowable]) -> None:
        self.build(story, canvasmaker=_numbered_canvas(self._page_label))


def render_pdf(story: list[Flowable], **document_options) -> bytes:
    """The PDF bytes of ``story`` laid out in a RecordDocument."""
    buffer = io.BytesIO()
    RecordDocument(buffer, **document_options).render(story)
    return buffer.getvalue()


Value = str | int | Flowable | Iterable[Flowable] | None


def _cell(value: Value) -> Flowable | list[Flowable]:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, list | tuple):
        return list(value)
    return paragraph(None if value is None else str(value), "cell")


def facts_table(rows: Iterable[tuple[str, Value]], *, width: float = CONTENT_WIDTH) -> Flowable:
    """A two-column label/value table. Long values wrap; rows split across pages."""
    data = [[paragraph(label, "label"), _cell(value)] for label, value in rows]
    if not data:
        return Spacer(1, 0)
    label_width = width * LABEL_SHARE
    table = Table(
        data,
        colWidths=[label_width, width - label_width],
        hAlign="LEFT",
        splitByRow=1,
        splitInRow=1,  # a value longer than a page continues on the next one
    )
    table.setStyle(
        TableStyle(
            [
                # The cells hold paragraphs, but a table sets its own font first: ours, so
                # that no unembedded Helvetica gets into the file.
                ("FONT", (0, 0), (-1, -1), SANS, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), styles.LABEL_BACKGROUND),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, styles.RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 0.4, styles.RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ]
        )
    )
    return table


def gap(height: float = 4 * mm) -> Spacer:
    return Spacer(1, height)
