"""A chart spec (``charts.BarChart`` / ``charts.TrendChart``) as inline SVG for web pages.

The same layout as the PDF (``charts.layout``), written as SVG with presentation attributes
and CSS classes only: the site's Content-Security-Policy (``style-src 'self'``) allows no
``style`` attribute, no ``<style>`` and no ``<script>``. Labels are real ``<text>`` (screen
readers, search, browser translation); the ``<svg>`` has a ``<title>`` and a ``<desc>``, and
``figure`` adds the values as a table in a ``<details>`` element, the accessible
alternative. Every label is escaped.

Classes, for a stylesheet to adjust: ``chart`` (the svg), ``chart-title``, ``chart-legend``,
``chart-unit``, ``chart-tick``, ``chart-category``, ``chart-value``, ``chart-small``
(protected counts), ``chart-grid``, ``chart-bar``, ``chart-line``, ``chart-point``,
``chart-swatch``, ``chart-note``, ``chart-data`` (the table).
"""

from __future__ import annotations

import hashlib
from html import escape

from markupsafe import Markup

from coordination.documents.charts import Box, Dot, Label, Layout, Rule, Spec, Trace, layout


def _e(value) -> str:
    return escape(str(value), quote=True)


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def chart_id(spec: Spec) -> str:
    """A stable id for the chart's title and description (unique per spec on a page)."""
    digest = hashlib.sha1(repr(spec).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"chart-{digest[:10]}"


def _items(chart: Layout) -> list[str]:
    height = chart.height
    out = []
    for item in chart.items:
        if isinstance(item, Label):
            weight = ' font-weight="bold"' if item.bold else ""
            out.append(
                f'<text class="chart-{item.role}" x="{_n(item.x)}" y="{_n(height - item.y)}"'
                f' font-size="{_n(item.size)}" text-anchor="{item.anchor}"'
                f' fill="{item.color}"{weight}>{_e(item.text)}</text>'
            )
        elif isinstance(item, Box):
            fill = item.fill or "none"
            stroke = f' stroke="{item.stroke}" stroke-width="0.9"' if item.stroke else ""
            dash = ' stroke-dasharray="2 1.5"' if item.dashed else ""
            out.append(
                f'<rect class="chart-{item.role}" x="{_n(item.x)}"'
                f' y="{_n(height - item.y - item.height)}" width="{_n(item.width)}"'
                f' height="{_n(item.height)}" fill="{fill}"{stroke}{dash}/>'
            )
        elif isinstance(item, Rule):
            out.append(
                f'<line class="chart-{item.role}" x1="{_n(item.x1)}" y1="{_n(height - item.y1)}"'
                f' x2="{_n(item.x2)}" y2="{_n(height - item.y2)}" stroke="{item.stroke}"'
                f' stroke-width="{_n(item.width)}"/>'
            )
        elif isinstance(item, Trace):
            points = " ".join(f"{_n(x)},{_n(height - y)}" for x, y in item.points)
            out.append(
                f'<polyline class="chart-{item.role}" points="{points}" fill="none"'
                f' stroke="{item.stroke}" stroke-width="{_n(item.width)}"'
                ' stroke-linejoin="round"/>'
            )
        elif isinstance(item, Dot):
            out.append(
                f'<circle class="chart-{item.role}" cx="{_n(item.x)}" cy="{_n(height - item.y)}"'
                f' r="{_n(item.radius)}" fill="{item.fill}"/>'
            )
    return out


def svg(
    spec: Spec,
    *,
    language: str = "en",
    width: float = 480.0,
    ident: str | None = None,
    show_title: bool = True,
) -> Markup:
    """The chart as an ``<svg>`` element (``Markup``), as wide as its container; laid out
    ``width`` units wide (text scales with the container). The ``<title>`` is there even
    when ``show_title=False`` leaves the drawn title out."""
    chart = layout(spec, width, language, show_title=show_title)
    ident = ident or chart_id(spec)
    description = spec.description.strip() or spec.title
    # Every label and attribute value is escaped above (_e); the rest is our markup.
    return Markup(  # noqa: S704
        "".join(
            [
                f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_e(ident)}"'
                f' viewBox="0 0 {_n(chart.width)} {_n(chart.height)}" width="100%"'
                f' font-family="inherit" role="group"'
                f' aria-labelledby="{_e(ident)}-title {_e(ident)}-desc">',
                f'<title id="{_e(ident)}-title">{_e(spec.title)}</title>',
                f'<desc id="{_e(ident)}-desc">{_e(description)}</desc>',
                *_items(chart),
                "</svg>",
            ]
        )
    )


def data_table(spec: Spec, *, language: str = "en", corner: str = "") -> Markup:
    """The chart's values as an HTML table (protected counts as written, "<5")."""
    chart = layout(spec, 640.0, language)
    head = "".join(f'<th scope="col">{_e(name)}</th>' for name in chart.columns)
    body = "".join(
        f'<tr><th scope="row">{_e(category)}</th>'
        + "".join(f"<td>{_e(value)}</td>" for value in values)
        + "</tr>"
        for category, values in chart.rows
    )
    caption = f"<caption>{_e(spec.title)}</caption>" if spec.title.strip() else ""
    return Markup(  # noqa: S704 - escaped with _e
        f'<table class="chart-data">{caption}<thead><tr><th scope="col">{_e(corner)}</th>'
        f"{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def figure(
    spec: Spec,
    *,
    language: str = "en",
    table_summary: str = "",
    corner: str = "",
    show_title: bool = True,
) -> Markup:
    """The chart and, when ``table_summary`` is given (e.g. "Show the figures", translated
    by the caller), its values in a ``<details>`` under it."""
    parts = ['<figure class="chart-figure">', svg(spec, language=language, show_title=show_title)]
    if table_summary:
        parts += [
            f"<details><summary>{_e(table_summary)}</summary>",
            data_table(spec, language=language, corner=corner),
            "</details>",
        ]
    parts.append("</figure>")
    return Markup("".join(str(part) for part in parts))  # noqa: S704 - escaped with _e
