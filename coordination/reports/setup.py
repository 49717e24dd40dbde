"""What the reports feature sets up in a new app: its audit vocabulary, and who may open a
stored report named in the audit log."""

from __future__ import annotations

from flask import Flask

from coordination.audit.actions import (
    RECORD_ACCESS,
    VOCABULARY_HOOK,
    Action,
    Group,
    RecordKind,
    Vocabulary,
    record_access,
)
from coordination.core.panels import register_hook, register_panel
from coordination.i18n import L_
from coordination.reports.dashboard import office_figures_panel
from coordination.reports.models import Report
from coordination.reports.policies import can_view_report


def vocabulary() -> Vocabulary:
    return Vocabulary(
        groups=(
            Group(
                "reports",
                L_("Periodic reports"),
                (
                    Action("report.generate", L_("%(actor)s generated %(record)s.")),
                    Action("report.download", L_("%(actor)s downloaded %(record)s.")),
                    Action(
                        "report.download_current",
                        L_("%(actor)s downloaded the figures of a report as counted now."),
                    ),
                ),
            ),
        ),
        record_kinds=(
            RecordKind("reports", L_("periodic report %(ref)s"), "reports.stored", "report_id"),
        ),
        kind_names={"reports": L_("periodic reports")},
        detail_labels={
            "scope": L_("Scope"),
            "period": L_("Period"),
            "version": L_("Version"),
        },
    )


def init_app(app: Flask) -> None:
    register_hook(VOCABULARY_HOOK, vocabulary, app)
    register_hook(RECORD_ACCESS, record_access("reports", Report, can_view_report), app)
    register_panel("dashboard", office_figures_panel, app)
