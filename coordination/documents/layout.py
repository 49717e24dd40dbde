"""A4 documents: the page template (header line, "page X of Y") and table helpers."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from reportlab import rl_config
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
from coordination.documents.textlines import text_lines

# Streams compressed only, not also ASCII85-encoded: a fifth smaller and quicker to write
# (ASCII85 is for 7-bit channels; PDFs here are served and stored as binary files).
rl_config.useA85 = 0

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
                footer = text_lines([page_label(number, total)], "footer")
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
        invariant: bool = False,
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
            # Invariant: a fixed creation date and document ID, so that the same content
            # always gives the same bytes (records that are compared or hashed).
            invariant=1 if invariant else 0,
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
        left = text_lines([self._header_left], "header")
        left.wrap(half, MARGIN_TOP)
        left.drawOn(canvas, MARGIN_LEFT, top)
        if self._header_right:
            right = text_lines([self._header_right], "header-right")
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


def table_style(font_size: float, horizontal: float, top: float, bottom: float, *commands):
    """The style every table here starts from, then ``commands``: our font (a table sets a
    font of its own first, and ReportLab's Helvetica is not embedded), cells aligned at the
    top, and the cell paddings."""
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), SANS, font_size),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), horizontal),
            ("RIGHTPADDING", (0, 0), (-1, -1), horizontal),
            ("TOPPADDING", (0, 0), (-1, -1), top),
            ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
            *commands,
        ]
    )


def facts_table(rows: Iterable[tuple[str, Value]], *, width: float = CONTENT_WIDTH) -> Flowable:
    """A two-column label/value table. Long values wrap; rows split across pages."""
    data = [[paragraph(label, "label"), _cell(value)] for label, value in rows]
    if not data:
        return Spacer(1, 0)
    label_width = width * LABEL_SHARE
    table = SplitTable(
        data,
        colWidths=[label_width, width - label_width],
        hAlign="LEFT",
        splitByRow=1,
        splitInRow=1,  # a value longer than a page continues on the next one
    )
    table.setStyle(
        table_style(
            9,
            4,
            2.5,
            3.5,
            ("BACKGROUND", (0, 0), (0, -1), styles.LABEL_BACKGROUND),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, styles.RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.4, styles.RULE),
        )
    )
    return table


def gap(height: float = 4 * mm) -> Spacer:
    return Spacer(1, height)


class SplitTable(Table):
    """A table whose cells, split across pages, are split at the width they are drawn at.

    ReportLab lays out and draws a cell's flowables at the column width less the cell's
    left and right padding, but splits them (``Table._splitCell``) at the full column
    width: text split there into lines that fill the page is drawn narrower, wraps to more
    lines and runs past the row, over the footer and off the page (or the split piece does
    not split at all and the build fails). Here a cell of flowables is split at its drawn
    width, and the part on the page keeps the cell's bottom padding. Cells of plain
    strings, and cells not aligned at the top, are split as ReportLab does.
    """

    def _splitCell(self, value, style, oldHeight, newHeight, width):  # noqa: N802, N803
        if not isinstance(value, list | tuple) or style.valign != "TOP":
            return super()._splitCell(value, style, oldHeight, newHeight, width)
        width = width - style.leftPadding - style.rightPadding
        room = newHeight - style.topPadding - style.bottomPadding
        canvas = getattr(self, "canv", None)
        head: list[Flowable] = []
        tail: list[Flowable] = []
        used = 0.0
        for index, flowable in enumerate(value):
            _width, height = flowable.wrapOn(canvas, width, room)
            before = flowable.getSpaceBefore()
            if used + before + height <= room:
                head.append(flowable)
                used += before + height + flowable.getSpaceAfter()
                continue
            parts: list[Flowable] = []
            if hasattr(flowable, "_findSplit"):  # containers (KeepTogether…)
                _w, _h, first, rest = flowable._findSplit(
                    canvas,
                    width,
                    room - used - before,
                    mergeSpace=1,
                    obj=None,
                    content=None,
                    paraFix=True,
                )
                if first and rest:
                    head += first
                    tail += rest
                    parts = [*first, *rest]
            else:
                parts = flowable.split(width, room - used - before)
                if len(parts) == 1:  # it fits after all
                    head.append(parts[0])
                elif parts:
                    head.append(parts[0])
                    tail += parts[1:]
            if not parts:
                if not head:
                    return []  # nothing of the cell fits: ReportLab moves the row instead
                tail.append(flowable)
            tail += value[index + 1 :]
            break
        return tuple(head), tuple(tail)


class PagedTable(SplitTable):
    """A table that splits between rows, and inside a row only when that row could not fit
    on a page of its own.

    ReportLab's ``splitInRow`` splits a row whenever rows are split, and a remainder
    starting with a tall row then gets its repeated header row and the first lines of that
    row in the space left at the foot of the page: a second header mid-page. Here a row
    that fits on a page moves to the next page whole; one taller than a page is split at
    once, filling the page.
    """

    page_body_height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def split(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        fitting = self._getFirstPossibleSplitRowPosition(availHeight)
        repeated = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        header = sum(heights[:repeated])
        if fitting < len(heights) and header + heights[fitting] > self.page_body_height:
            return self._splitRows(availHeight, doInRowSplit=1)
        return self._splitRows(availHeight, doInRowSplit=0)


def data_table(
    header: list[Value],
    rows: Iterable[list[Value]],
    col_widths: list[float],
    *,
    flagged: bool = False,
    label_column: bool = False,
) -> Flowable:
    """A grid with a header row that is repeated on every page the table runs onto.

    Rows split between pages (and a row taller than a page inside itself); ``flagged``
    draws a red bar down the left edge and tints the rows, for lists that need attention;
    ``label_column`` shades the first column (labels of the rows).
    """
    data = [[_cell(value) for value in header]]
    data += [[_cell(value) for value in row] for row in rows]
    table = PagedTable(
        data,
        colWidths=col_widths,
        hAlign="LEFT",
        repeatRows=1,
        splitByRow=1,
        splitInRow=1,
    )
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), styles.LABEL_BACKGROUND),
        ("GRID", (0, 0), (-1, -1), 0.4, styles.RULE),
    ]
    if label_column:
        commands.append(("BACKGROUND", (0, 1), (0, -1), styles.LABEL_BACKGROUND))
    if flagged and len(data) > 1:
        commands += [
            ("BACKGROUND", (0, 1), (-1, -1), styles.ALERT_BACKGROUND),
            ("LINEBEFORE", (0, 0), (0, -1), 2.5, styles.ALERT),
        ]
    table.setStyle(table_style(8, 2.5, 2, 3, *commands))
    return table


def _label(label: Value) -> Flowable | list[Flowable]:
    """A label cell: a string in the "label" style, or flowables of its own (a label in
    several languages, ``labels.Labels.stacked``)."""
    return paragraph(label, "label") if isinstance(label, str) else _cell(label)


def facts_grid(
    rows: Iterable[list[tuple[Value, Value]]],
    *,
    width: float = CONTENT_WIDTH,
    label_share: float = 0.17,
) -> Flowable:
    """Label/value pairs two to a row (label, value, label, value); a row with one pair
    spreads its value over the rest of the row. Saves height where values are short."""
    label_width = width * label_share
    value_width = width / 2 - label_width
    data, spans = [], []
    for number, pairs in enumerate(rows):
        row: list = []
        for label, value in pairs[:2]:
            row += [_label(label), _cell(value)]
        if len(pairs) == 1:
            row += ["", ""]
            spans.append(("SPAN", (1, number), (3, number)))
        else:
            spans.append(("BACKGROUND", (2, number), (2, number), styles.LABEL_BACKGROUND))
        data.append(row)
    if not data:
        return Spacer(1, 0)
    table = PagedTable(
        data,
        colWidths=[label_width, value_width, label_width, value_width],
        hAlign="LEFT",
        splitByRow=1,
        splitInRow=1,
    )
    table.setStyle(
        table_style(
            9,
            3,
            2,
            3,
            ("BACKGROUND", (0, 0), (0, -1), styles.LABEL_BACKGROUND),
            ("GRID", (0, 0), (-1, -1), 0.4, styles.RULE),
            *spans,
        )
    )
    return table
