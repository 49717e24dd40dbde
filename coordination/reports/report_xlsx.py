"""A report as an XLSX workbook: one sheet per section, each figure beside the previous
period's and last year's with the changes, labels in the reader's language.

Values are protected exactly as in the JSON download (protect.py): counts are numbers, a
suppressed small count is the text "<5" (or "≥5"), a rate is a fraction shown as a
percentage, a figure that may not be shown is an empty cell."""

from __future__ import annotations

from datetime import date
from itertools import groupby

from coordination.documents.xlsx import Sheet, workbook
from coordination.i18n import _
from coordination.reports import protect
from coordination.reports.compare import rows
from coordination.reports.presenters import FIGURES, SECTIONS, item_label


def label(row: dict) -> str:
    """A figure's label; a breakdown's entry is named after its breakdown."""
    if row["group"]:
        parent = row["key"].rsplit(".", 1)[0]
        return f"{FIGURES.get(parent, parent)}: {item_label(row['group'], row['item'])}"
    return str(FIGURES.get(row["key"], row["key"]))


def header(period) -> list[str]:
    """The columns, named as on the page: the periods by their labels."""
    return [
        _("Figure"),
        period.label,
        period.previous().label,
        _("Change"),
        period.same_last_year().label,
        _("Change"),
    ]


def sheets(snapshot: dict, period) -> list[Sheet]:
    result = []
    for section, section_rows in groupby(
        rows(snapshot, protected=True), key=lambda r: r["section"]
    ):
        lines = [
            [
                label(row),
                row["current"],
                row["previous"],
                row["change_previous"],
                row["last_year"],
                row["change_last_year"],
            ]
            for row in section_rows
        ]
        result.append(
            Sheet(
                name=str(SECTIONS.get(section, section)),
                header=header(period),
                rows=lines,
                widths=[60, 14, 14, 12, 16, 12],
            )
        )
    return result


def trend_sheet(snapshot: dict) -> Sheet | None:
    """The twelve months up to the period's end, a row per month (its first day, a date),
    protected as it leaves the office (protect.trend)."""
    trend = protect.trend(snapshot)
    if not trend:
        return None
    series = [
        (_("Cases opened"), trend["cases_opened"]),
        (_("Requests sent"), trend["requests_sent"]),
        (_("Handovers completed"), trend["handovers"]),
    ]
    series = [(name, values) for name, values in series if values]
    return Sheet(
        name=_("The last twelve months"),
        header=[_("Month"), *[name for name, _values in series]],
        rows=[
            [date.fromisoformat(f"{month}-01"), *[values[index] for _name, values in series]]
            for index, month in enumerate(trend["months"])
        ],
        widths=[14, *[18 for _series in series]],
    )


def report_workbook(snapshot: dict, period, title: str) -> bytes:
    """``period`` is the report's (periods.Period); ``title`` goes in the file's properties."""
    trend = trend_sheet(snapshot)
    return workbook([*sheets(snapshot, period), *([trend] if trend else [])], title=title)
