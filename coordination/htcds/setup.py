"""What the HTCDS feature sets up in a new app: its audit vocabulary."""

from __future__ import annotations

from flask import Flask

from coordination.audit.actions import VOCABULARY_HOOK, Action, Group, Vocabulary
from coordination.core.panels import register_hook
from coordination.i18n import L_


def vocabulary() -> Vocabulary:
    return Vocabulary(
        groups=(
            Group(
                "htcds",
                L_("HTCDS exchange"),
                (
                    Action("htcds.export", L_("%(actor)s exported de-identified HTCDS data.")),
                    Action(
                        "htcds.export_identified",
                        L_("%(actor)s exported HTCDS data with names and other identifiers."),
                    ),
                    Action("htcds.import", L_("%(actor)s imported a partner's HTCDS file.")),
                ),
            ),
        ),
        detail_labels={
            "format": L_("Format"),
            "children": L_("Children's identifiers"),
            "file": L_("File"),
            "cases": L_("Cases"),
            "people": L_("People"),
            "rejected_rows": L_("Rows rejected"),
        },
    )


def init_app(app: Flask) -> None:
    register_hook(VOCABULARY_HOOK, vocabulary, app)
