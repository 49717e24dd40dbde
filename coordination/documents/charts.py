"""Charts as plain data, laid out once, drawn as vector graphics in a PDF (or as SVG).

A chart is a spec (``BarChart``, ``TrendChart``) holding text already in the reader's
language: the caller translates titles, category and month labels and series names. Values
are numbers, ``None`` (no data: nothing drawn) or a protected small count, the string
``"<5"`` (any string: it is shown as written). A protected count is drawn as an outlined,
dashed bar from 0 to 5 (a value somewhere in there) labelled "<5"; on a line it leaves a gap
labelled "<5".

``layout(spec, width, language)`` places everything (title, legend, unit, axis with nice
ticks, bars or lines, value and category labels) as primitives (``Box``, ``Rule``,
``Trace``, ``Dot``, ``Label``) in points, origin at the bottom left; ``drawing`` turns
them into a ReportLab ``Drawing`` (a flowable for a document's story), ``svgchart`` into SVG.

In the PDF, labels are drawn as ReportLab ``String`` shapes in the documents' fonts, one per
font run (Chinese in the Chinese face, everything else in the merged face), Lao words shaped
with HarfBuzz and carrying their characters for the text layer (``actualtext``), so every
label can be searched and copied exactly as written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from babel.numbers import format_decimal
from reportlab.graphics.shapes import Circle, Drawing, Group, PolyLine, Rect, String
from reportlab.graphics.shapes import Line as RLLine
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from coordination.documents.actualtext import shape_word
from coordination.documents.fonts import SANS, SANS_BOLD, register_fonts
from coordination.documents.text import clean, font_runs, is_lao
from coordination.documents.textlines import text_width, wrap_text

SMALL = "<5"
SMALL_LIMIT = 5  # a protected count is below this

Value = int | float | str | None

INK = "#1a1a1a"
MUTED = "#555555"
GRID = "#d9d9d9"
AXIS = "#777777"
# Current period, previous period, last year, then more: distinct in grey print too.
PALETTE = ("#1f4e79", "#6fa8dc", "#a6a6a6", "#c55a11", "#548235", "#7030a0")

TITLE_SIZE = 11.0
TEXT_SIZE = 7.5
VALUE_SIZE = 6.5
LINE_GAP = 1.35  # leading / size


@dataclass(frozen=True)
class BarChart:
    """Grouped bars: for each category one bar per series (e.g. period, previous period,
    same period last year). ``series``: (name, values), one value per category. ``unit``
    is shown over the value axis, ``note`` under the chart (e.g. what "<5" means),
    ``description`` in an SVG's ``<desc>``."""

    title: str
    categories: Sequence[str]
    series: Sequence[tuple[str, Sequence[Value]]]
    unit: str = ""
    description: str = ""
    note: str = ""


@dataclass(frozen=True)
class TrendChart:
    """Values over months (e.g. the last 12): ``months`` are labels as the reader writes
    them ("11/2026", "ເດືອນ 11"); ``kind`` "line" or "bar"."""

    title: str
    months: Sequence[str]
    series: Sequence[tuple[str, Sequence[Value]]]
    unit: str = ""
    kind: str = "line"
    description: str = ""
    note: str = ""


Spec = BarChart | TrendChart


# --- primitives ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: str | None
    stroke: str | None = None
    dashed: bool = False
    role: str = "bar"


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 0.5
    role: str = "grid"


@dataclass(frozen=True)
class Trace:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.6
    role: str = "line"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    radius: float
    fill: str
    role: str = "point"


@dataclass(frozen=True)
class Label:
    """One line of text; ``y`` is its baseline; ``anchor`` "start", "middle" or "end"."""

    x: float
    y: float
    text: str
    size: float = TEXT_SIZE
    bold: bool = False
    anchor: str = "start"
    color: str = INK
    role: str = "label"


@dataclass
class Layout:
    width: float
    height: float
    items: list = field(default_factory=list)
    # For accessible alternatives: the table of values as shown.
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, tuple[str, ...]], ...] = ()


# --- helpers ---------------------------------------------------------------------------------


def is_small(value: Value) -> bool:
    return isinstance(value, str)


def _number(value: Value) -> float | None:
    if value is None or isinstance(value, str | bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def format_value(value: Value, language: str = "en") -> str:
    """A value as the reader writes numbers (``1.234`` in Vietnamese, ``1,234`` in
    English); a protected count as written; no data as an empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean(value)
    number = _number(value)
    if number is None:
        return ""
    return _formatted(number, language or "en")


@lru_cache(maxsize=8192)
def _formatted(number: float, language: str) -> str:
    """Babel parses the pattern and finds the locale on each call (about 2 µs): a chart
    writes each of its values three times and a page draws several charts."""
    try:
        return format_decimal(number, format="#,##0.#", locale=language)
    except (ValueError, TypeError, LookupError):
        return format_decimal(number, format="#,##0.#", locale="en")


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Ticks from 0 to at least ``maximum`` at a step of 1, 2, 2.5 or 5 × 10^n (whole
    numbers for counts), about ``count`` of them."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    if step < 1:
        step = 1.0
    if step != int(step) and step > 1:
        step = float(math.ceil(step))
    top = math.ceil(maximum / step - 1e-9) * step
    steps = round(top / step)
    return [round(index * step, 10) for index in range(steps + 1)]


def _wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    value = clean(text).strip()
    if not value:
        return []
    font = SANS_BOLD if bold else SANS
    return [line for line in wrap_text(value, font, size, max(width, size)) if line.strip()]


def label_width(text: str, size: float, bold: bool = False) -> float:
    register_fonts()
    return text_width(clean(text), SANS_BOLD if bold else SANS, size)


def _series(spec: Spec) -> list[tuple[str, list[Value]]]:
    slots = len(_categories(spec))
    out = []
    for name, values in spec.series:
        values = list(values)[:slots]
        out.append((clean(name), values + [None] * (slots - len(values))))
    return out


def _categories(spec: Spec) -> list[str]:
    return [clean(c) for c in (spec.categories if isinstance(spec, BarChart) else spec.months)]


# --- layout ----------------------------------------------------------------------------------


def layout(
    spec: Spec,
    width: float = 480.0,
    language: str = "en",
    plot_height: float = 150.0,
    show_title: bool = True,
) -> Layout:
    """Everything the chart shows, placed within ``width`` points (height as needed);
    ``show_title=False`` leaves the title out (a heading above it says it already)."""
    register_fonts()
    categories = _categories(spec)
    series = _series(spec)
    pad = 2.0
    lead = TEXT_SIZE * LINE_GAP
    top_items: list = []  # placed from the top down, y measured downwards for now
    cursor = 0.0

    for line in _wrap(spec.title if show_title else "", TITLE_SIZE, width - 2 * pad, bold=True):
        cursor += TITLE_SIZE * LINE_GAP
        top_items.append(Label(pad, cursor, line, TITLE_SIZE, True, role="title"))
    if top_items:
        cursor += 3

    # Legend: a swatch and the name of each series, flowing in rows.
    x = pad
    row_items: list = []
    if series:
        cursor += lead
    for index, (name, _values) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        lines = _wrap(name, TEXT_SIZE, width - 2 * pad - 14) or [""]
        item_width = 14 + max(label_width(line, TEXT_SIZE) for line in lines) + 12
        if x > pad and x + item_width > width - pad:
            top_items += row_items
            row_items = []
            cursor += lead
            x = pad
        row_items.append(Box(x, cursor - 7, 7.5, 7.5, color, role="swatch"))
        for number, line in enumerate(lines):
            row_items.append(Label(x + 12, cursor + number * lead, line, role="legend"))
        extra = (len(lines) - 1) * lead
        x += item_width
        if extra:
            top_items += row_items
            row_items = []
            cursor += extra
            x = width  # a name on several lines has its rows to itself
    top_items += row_items
    if series:
        cursor += 4

    # The value axis.
    numbers = [n for _name, values in series for v in values if (n := _number(v)) is not None]
    has_small = any(is_small(v) for _name, values in series for v in values)
    maximum = max(numbers + ([SMALL_LIMIT] if has_small else []), default=0)
    ticks = nice_ticks(maximum)
    tick_labels = [format_value(t if t != int(t) else int(t), language) for t in ticks]
    axis_width = max(label_width(t, TEXT_SIZE) for t in tick_labels) + 6
    plot_left = pad + axis_width
    plot_right = width - pad
    plot_width = max(plot_right - plot_left, 10)

    if spec.unit.strip():
        cursor += 2
        for line in _wrap(spec.unit, TEXT_SIZE, width - 2 * pad):
            cursor += lead
            top_items.append(Label(pad, cursor, line, color=MUTED, role="unit"))
    cursor += VALUE_SIZE * LINE_GAP + 2  # room for the value labels over the highest bar

    slots = max(len(categories), 1)
    slot = plot_width / slots
    category_lines = [_wrap(c, TEXT_SIZE, slot - 3) for c in categories]
    label_rows = max((len(lines) for lines in category_lines), default=0)
    note_lines = _wrap(spec.note, VALUE_SIZE + 0.5, width - 2 * pad)
    note_height = (len(note_lines) * (VALUE_SIZE + 0.5) * LINE_GAP + 3) if note_lines else 0
    total_height = cursor + plot_height + 4 + label_rows * lead + note_height + pad + 6
    plot_top = total_height - cursor
    plot_bottom = plot_top - plot_height

    items: list = []
    for item in top_items:  # measured from the top: flip
        if isinstance(item, Label):
            items.append(_replace(item, y=total_height - item.y))
        else:
            items.append(_replace(item, y=total_height - item.y - item.height))

    top_value = ticks[-1] or 1

    def y_of(value: float) -> float:
        return plot_bottom + plot_height * min(max(value, 0), top_value) / top_value

    for tick, text in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        items.append(Rule(plot_left, y, plot_right, y, AXIS if tick == 0 else GRID, role="grid"))
        items.append(
            Label(plot_left - 4, y - TEXT_SIZE * 0.35, text, anchor="end", color=MUTED, role="tick")
        )

    if isinstance(spec, TrendChart) and spec.kind == "line":
        _lines(items, series, categories, plot_left, slot, plot_bottom, y_of, language)
    else:
        _bars(items, series, categories, plot_left, slot, plot_bottom, y_of, language)

    for index, lines in enumerate(category_lines):
        center = plot_left + slot * (index + 0.5)
        y = plot_bottom - 4 - TEXT_SIZE
        for line in lines:
            items.append(Label(center, y, line, anchor="middle", role="category"))
            y -= lead

    y = plot_bottom - 4 - label_rows * lead - 3 - VALUE_SIZE
    for line in note_lines:  # e.g. what "<5" means, under the chart
        items.append(Label(pad, y, line, VALUE_SIZE + 0.5, color=MUTED, role="note"))
        y -= (VALUE_SIZE + 0.5) * LINE_GAP

    rows = tuple(
        (category, tuple(format_value(values[index], language) for _n, values in series))
        for index, category in enumerate(categories)
    )
    return Layout(width, total_height, items, tuple(name for name, _v in series), rows)


def _replace(item, **changes):
    from dataclasses import replace

    return replace(item, **changes)


def _bars(items, series, categories, plot_left, slot, plot_bottom, y_of, language) -> None:
    count = max(len(series), 1)
    inner = slot * (0.8 if count > 1 else 0.6)
    bar = inner / count
    small_top = y_of(SMALL_LIMIT)
    for index in range(len(categories)):
        start = plot_left + slot * index + (slot - inner) / 2
        for number, (_name, values) in enumerate(series):
            value = values[index]
            color = PALETTE[number % len(PALETTE)]
            x = start + bar * number
            gap = min(1.0, bar * 0.1)
            if is_small(value):
                height = max(small_top - plot_bottom, 3.0)
                items.append(
                    Box(x + gap, plot_bottom, bar - 2 * gap, height, None, color, True, "small")
                )
                text, label_y = format_value(value), plot_bottom + height + 2
            else:
                number_value = _number(value)
                if number_value is None:
                    continue
                height = y_of(number_value) - plot_bottom
                if height > 0:
                    items.append(Box(x + gap, plot_bottom, bar - 2 * gap, height, color))
                text, label_y = format_value(value, language), plot_bottom + height + 2
            if is_small(value) or label_width(text, VALUE_SIZE) <= bar + 2:
                items.append(
                    Label(x + bar / 2, label_y, text, VALUE_SIZE, anchor="middle", role="value")
                )


def _lines(items, series, categories, plot_left, slot, plot_bottom, y_of, language) -> None:
    for number, (_name, values) in enumerate(series):
        color = PALETTE[number % len(PALETTE)]
        run: list[tuple[float, float]] = []
        runs = [run]
        for index in range(len(categories)):
            x = plot_left + slot * (index + 0.5)
            value = values[index]
            number_value = _number(value)
            if number_value is None:
                if run:
                    run = []
                    runs.append(run)
                if is_small(value):  # a gap, labelled; stacked when several series have one
                    y = plot_bottom + 3 + number * VALUE_SIZE * LINE_GAP
                    items.append(
                        Label(x, y, format_value(value), VALUE_SIZE, True, "middle", color, "small")
                    )
                continue
            run.append((x, y_of(number_value)))
        for points in runs:
            if len(points) > 1:
                items.append(Trace(tuple(points), color))
            for x, y in points:
                items.append(Dot(x, y, 2.2, color))


# --- the PDF drawing -------------------------------------------------------------------------


def _shaped(run: str, font: str, size: float):
    """``run`` (one face) with each Lao word shaped and carrying its characters."""
    if not any(is_lao(char) for char in run):
        return run
    out = ""
    for piece in re.split(r"(\s+)", run):
        if piece and any(is_lao(char) for char in piece):
            out = out + shape_word(piece, font, size)
        elif piece:
            out = out + piece
    return out


def _strings(label: Label) -> Group:
    """A label as ReportLab strings, one per font run, left to right."""
    font = SANS_BOLD if label.bold else SANS
    width = text_width(label.text, font, label.size)
    x = label.x - (width if label.anchor == "end" else width / 2 if label.anchor == "middle" else 0)
    group = Group()
    color = colors.HexColor(label.color)
    for face, run in font_runs(label.text):
        face = font if face == SANS else face
        group.add(
            String(
                x,
                label.y,
                _shaped(run, face, label.size),
                fontName=face,
                fontSize=label.size,
                fillColor=color,
                textAnchor="start",
            )
        )
        x += stringWidth(run, face, label.size)
    return group


def _color(value: str | None):
    return colors.HexColor(value) if value else None


def drawing(spec: Spec, width: float = 480.0, language: str = "en", **options) -> Drawing:
    """The chart as a ReportLab ``Drawing`` (a flowable) ``width`` points wide, all vector;
    ``language`` formats the numbers; ``options``: ``plot_height``, ``show_title``."""
    chart = layout(spec, width, language, **options)
    result = Drawing(chart.width, chart.height)
    result.initialFontName = SANS  # else the state starts in Helvetica (not embedded)
    result.initialFontSize = TEXT_SIZE
    for item in chart.items:
        if isinstance(item, Label):
            result.add(_strings(item))
        elif isinstance(item, Box):
            rect = Rect(
                item.x,
                item.y,
                item.width,
                item.height,
                fillColor=_color(item.fill),
                strokeColor=_color(item.stroke),
                strokeWidth=0.9 if item.stroke else 0,
            )
            if item.dashed:
                rect.strokeDashArray = [2, 1.5]
            result.add(rect)
        elif isinstance(item, Rule):
            result.add(
                RLLine(
                    item.x1,
                    item.y1,
                    item.x2,
                    item.y2,
                    strokeColor=_color(item.stroke),
                    strokeWidth=item.width,
                )
            )
        elif isinstance(item, Trace):
            flat = [coordinate for point in item.points for coordinate in point]
            result.add(PolyLine(flat, strokeColor=_color(item.stroke), strokeWidth=item.width))
        elif isinstance(item, Dot):
            result.add(
                Circle(
                    item.x,
                    item.y,
                    item.radius,
                    fillColor=_color(item.fill),
                    strokeColor=None,
                    strokeWidth=0,
                )
            )
    return result


__all__ = [
    "SMALL",
    "BarChart",
    "Label",
    "Layout",
    "TrendChart",
    "drawing",
    "format_value",
    "layout",
    "nice_ticks",
]
