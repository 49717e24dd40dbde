"""Tables as an XLSX workbook: one sheet per table, real numbers and dates, nothing executes.

``workbook(sheets)`` returns the bytes of an .xlsx file. Each ``Sheet`` has a name (the tab:
cleaned of ``[]:*?/\\``, cut to 31 characters, made unique), a header row (bold, frozen)
and rows of cells:

* ``int``, ``float``, ``Decimal``: numbers (integers beyond 15 digits, which Excel would
  round, are written as text; NaN and infinity as an empty cell);
* ``date``: a date cell (yyyy-mm-dd); ``datetime``: a date and time cell (yyyy-mm-dd hh:mm),
  naive as given, an aware one in ``time_zone`` (or in its own zone when none is given);
  ``time``: a time cell (hh:mm);
* ``bool``: TRUE/FALSE; ``None``: an empty cell;
* anything else: text, always stored as a string, never a formula. Text that a spreadsheet
  would read as a formula when typed or exported to CSV (starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a line break) is stored with Excel's quote prefix, the ``'`` of
  ``'=1+1``: the cell shows and keeps its text as written, also after an edit. A protected
  small count, ``"<5"``, is text like any other. Control characters are dropped (a
  carriage return is a line break); text longer than a cell holds (32,767 characters) is
  cut.

Rows may be any iterable (a generator over a query): they are written as they come, with
XlsxWriter's ``constant_memory`` mode, one row in memory at a time. Column widths follow
the header and the widest values (up to 60 characters) unless ``widths`` are given.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import Decimal

import xlsxwriter

MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32767
MAX_EXACT_INTEGER = 10**15
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORBIDDEN_IN_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm"


@dataclass(frozen=True)
class Sheet:
    """One table: ``name`` for the tab, ``header`` (column titles), ``rows`` (sequences of
    cell values, any iterable), optional ``widths`` (in characters) and ``formats`` (an
    Excel number format per column, e.g. "0.0%", None for the default)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[float] | None = None
    formats: Sequence[str | None] | None = None


def sheet_name(name: str, taken: set[str]) -> str:
    """``name`` as a valid, unique sheet name (compared as Excel does, ignoring case)."""
    text = unicodedata.normalize("NFC", str(name))
    text = _FORBIDDEN_IN_NAMES.sub(" ", text).strip().strip("'").strip()
    text = re.sub(r"\s+", " ", text) or "Sheet"
    if text.casefold() == "history":  # reserved by Excel
        text = "History 1"
    base = text[:MAX_SHEET_NAME].rstrip()
    candidate, number = base, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


def clean_text(value) -> str:
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text[:MAX_CELL_TEXT]


def needs_quote(text: str) -> bool:
    """Whether ``text`` would be taken for a formula (CSV / formula injection)."""
    return text.startswith(FORMULA_STARTS)


def _display_length(value, shown: str) -> float:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    longest = max((len(line) for line in shown.split("\n")), default=0)
    wide = sum(1 for char in shown if unicodedata.east_asian_width(char) in "WF")
    return longest + wide  # Chinese characters take two columns


class _Writer:
    def __init__(self, book: xlsxwriter.Workbook, time_zone: tzinfo | None):
        self.book = book
        self.time_zone = time_zone
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.datetime = book.add_format({"num_format": DATETIME_FORMAT})
        self.time = book.add_format({"num_format": TIME_FORMAT})
        self.quoted = book.add_format({"quote_prefix": True})
        self.wrapped = book.add_format({"text_wrap": True})
        self.column_formats: dict[str, object] = {}

    def number_format(self, pattern: str | None):
        if not pattern:
            return None
        if pattern not in self.column_formats:
            self.column_formats[pattern] = self.book.add_format({"num_format": pattern})
        return self.column_formats[pattern]

    def write(self, sheet, row: int, column: int, value, column_format) -> str:
        """Write one cell; returns the text it shows, for the column width."""
        if value is None:
            return ""
        if isinstance(value, bool):
            sheet.write_boolean(row, column, value)
            return "FALSE" if not value else "TRUE"
        if isinstance(value, int | float | Decimal):
            number = float(value) if not isinstance(value, int) else value
            if isinstance(number, float) and not math.isfinite(number):
                return ""  # no number to show: an empty cell
            if isinstance(number, int) and abs(number) >= MAX_EXACT_INTEGER:
                return self.text(sheet, row, column, str(number))
            sheet.write_number(row, column, number, column_format)
            return str(value)
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                if self.time_zone is not None:
                    value = value.astimezone(self.time_zone)
                value = value.replace(tzinfo=None)
            sheet.write_datetime(row, column, value, self.datetime)
            return "0000-00-00 00:00"
        if isinstance(value, date):
            sheet.write_datetime(row, column, value, self.date)
            return "0000-00-00"
        if isinstance(value, time):
            sheet.write_datetime(row, column, value.replace(tzinfo=None), self.time)
            return "00:00"
        return self.text(sheet, row, column, value)

    def text(self, sheet, row: int, column: int, value) -> str:
        text = clean_text(value)
        if needs_quote(text):
            sheet.write_string(row, column, text, self.quoted)
        else:
            sheet.write_string(row, column, text, self.wrapped if "\n" in text else None)
        return text


def workbook(sheets: Iterable[Sheet], *, time_zone: tzinfo | None = None, title: str = "") -> bytes:
    """The sheets as the bytes of an XLSX file (at least one sheet, maybe empty)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            # Text is text: never turned into a formula, a number or a link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    if title:
        book.set_properties({"title": clean_text(title)[:255]})
    writer = _Writer(book, time_zone)
    taken: set[str] = set()
    written = 0
    for spec in sheets:
        written += 1
        sheet = book.add_worksheet(sheet_name(spec.name, taken))
        header = [clean_text(title) for title in spec.header]
        formats = [writer.number_format(pattern) for pattern in (spec.formats or ())]
        lengths = [float(_display_length(title, title)) for title in header]
        for column, title in enumerate(header):
            if needs_quote(title):
                writer.text(sheet, 0, column, title)
            else:
                sheet.write_string(0, column, title, writer.header)
        sheet.freeze_panes(1, 0)
        for row_number, row in enumerate(spec.rows, start=1):
            for column, value in enumerate(row):
                column_format = formats[column] if column < len(formats) else None
                shown = writer.write(sheet, row_number, column, value, column_format)
                length = _display_length(value, shown)
                if column < len(lengths):
                    lengths[column] = max(lengths[column], length)
                else:
                    lengths.append(length)
        widths = list(spec.widths or ())
        for column, length in enumerate(lengths):
            width = widths[column] if column < len(widths) else min(max(length, 6) + 2, 60)
            sheet.set_column(column, column, width)
    if not written:
        book.add_worksheet(sheet_name("Sheet", taken))
    book.close()
    return buffer.getvalue()
