"""The charts of a report: for each section a bar chart of its main figures, this period
beside the previous period and the same period last year.

Values are protected (protect.py) as the figures beside them: always in a PDF, on screen
unless the office reads its own figures; a small count is drawn as "<5". Texts are in the
reader's language when the spec is built (call inside a request or with a locale forced)."""

from __future__ import annotations

from coordination.documents import svgchart
from coordination.documents.charts import BarChart, TrendChart
from coordination.i18n import _
from coordination.reports import protect as protection
from coordination.reports.compare import flatten
from coordination.reports.presenters import FIGURES, SECTIONS
from coordination.reports.protect import protect

# The figures each section's chart compares (counts of their own, not breakdowns).
MAIN = {
    "cases": ("cases.opened", "cases.closed"),
    "victims": ("victims.total",),
    "requests": (
        "requests.sent.total",
        "requests.sent.answered",
        "requests.received.total",
        "requests.received.answered",
    ),
    "verification": ("verification.total",),
    "contacts": ("contacts.total", "contacts.urgent"),
    "handovers": ("handovers.total", "handovers.people"),
    "reintegration": (
        "reintegration.people",
        "reintegration.services",
        "reintegration.visits_done",
        "reintegration.visits_missed",
    ),
    "patrols": ("patrols.held",),
    "meetings": ("meetings.held", "meetings.actions_due", "meetings.actions_on_time"),
}


def _value(value):
    """A count, "<5" or None (nothing to draw)."""
    if isinstance(value, bool):
        return None
    return value if isinstance(value, int | float | str) else None


def section_charts(
    snapshot: dict, series_names: tuple[str, str, str], *, protected: bool = True
) -> dict[str, BarChart]:
    """``series_names``: the labels of this period, the previous one and last year's;
    ``protected`` False only where the table beside shows the office its exact figures."""
    shown = protect if protected else (lambda figures: figures)
    periods = [flatten(shown(snapshot[key])) for key in ("figures", "previous", "last_year")]
    charts = {}
    for section, keys in MAIN.items():
        shown = [key for key in keys if any(key in values for values in periods)]
        if not shown:
            continue
        title = str(SECTIONS[section])
        charts[section] = BarChart(
            title=title,
            categories=[str(FIGURES[key]) for key in shown],
            series=[
                (name, [_value(values.get(key)) for key in shown])
                for name, values in zip(series_names, periods, strict=True)
            ],
            description=title,
        )
    return charts


def as_dict(chart: BarChart | TrendChart) -> dict:
    """A chart spec as plain data (for a PDF's snapshot)."""
    if isinstance(chart, TrendChart):
        return {
            "kind": "trend",
            "title": chart.title,
            "months": list(chart.months),
            "series": [[name, list(values)] for name, values in chart.series],
        }
    return {
        "title": chart.title,
        "categories": list(chart.categories),
        "series": [[name, list(values)] for name, values in chart.series],
        "note": chart.note,
    }


def from_dict(data: dict) -> BarChart | TrendChart:
    if data.get("kind") == "trend":
        return TrendChart(
            title=data["title"],
            months=data["months"],
            series=[(name, values) for name, values in data["series"]],
        )
    return BarChart(
        title=data["title"],
        categories=data["categories"],
        series=[(name, values) for name, values in data["series"]],
        note=data.get("note", ""),
    )


TREND = "trend"  # the key of the monthly trend among on_screen's charts


def shown_trend(snapshot: dict, *, protected: bool = True) -> dict | None:
    """The snapshot's monthly trend, protected unless the office reads its own figures."""
    if not snapshot.get("trend"):
        return None
    return protection.trend(snapshot) if protected else snapshot["trend"]


def trend_chart(trend: dict) -> TrendChart:
    """The twelve months up to the period's end (figures.trend, or protect.trend as it
    leaves the office)."""
    months = [f"{key[5:7]}/{key[:4]}" for key in trend["months"]]
    return TrendChart(
        title=_("The last twelve months"),
        months=months,
        series=[
            (_("Cases opened"), list(trend["cases_opened"])),
            (_("Requests sent"), list(trend["requests_sent"])),
            (_("Handovers completed"), list(trend["handovers"])),
        ],
        description=_("The last twelve months"),
    )


def on_screen(
    snapshot: dict, series_names: tuple[str, str, str], language: str, *, protected: bool = True
) -> dict:
    """Each section's chart as inline SVG with its figures in a table under it, by the
    section's title (as presenters.table names it); protected like the table beside it, the
    monthly trend (under TREND) too."""
    shown = {}
    trend = shown_trend(snapshot, protected=protected)
    if trend:
        shown[TREND] = svgchart.figure(
            trend_chart(trend),
            language=language,
            table_summary=_("Show the figures"),
            corner=_("Month"),
        )
    return shown | {
        chart.title: svgchart.figure(
            chart,
            language=language,
            table_summary=_("Show the figures"),
            corner=_("Figure"),
            show_title=False,
        )
        for chart in section_charts(snapshot, series_names, protected=protected).values()
    }
