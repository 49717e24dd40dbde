"""What the patrols feature sets up in a new app: its calendar entries, what its notices
say, its audit vocabulary, and who may open a patrol named in the audit log."""

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
from coordination.core.panels import register_hook
from coordination.i18n import L_
from coordination.notifications.describe import DESCRIBE_HOOK, KINDS_HOOK
from coordination.patrols import calendar, panels
from coordination.patrols.models import Patrol
from coordination.patrols.policies import can_view_patrol
from coordination.patrols.tasks import KINDS, describe_notice


def vocabulary() -> Vocabulary:
    return Vocabulary(
        groups=(
            Group(
                "patrols",
                L_("Joint patrols"),
                (
                    Action("patrol.propose", L_("%(actor)s proposed %(record)s.")),
                    Action("patrol.confirm", L_("%(actor)s confirmed %(record)s.")),
                    Action("patrol.decline", L_("%(actor)s declined %(record)s.")),
                    Action("patrol.counter", L_("%(actor)s proposed another time for %(record)s.")),
                    Action("patrol.cancel", L_("%(actor)s cancelled %(record)s.")),
                    Action("patrol.report", L_("%(actor)s reported the outcome of %(record)s.")),
                    Action("patrol.view", L_("%(actor)s viewed %(record)s.")),
                ),
            ),
        ),
        record_kinds=(
            RecordKind("patrols", L_("joint patrol %(ref)s"), "patrols.detail", "patrol_id"),
        ),
        kind_names={"patrols": L_("joint patrols")},
        detail_labels={
            "partner": L_("Partner"),
            "people_checked": L_("People checked"),
            "starts_at": L_("Start"),
            "ends_at": L_("End"),
            "partner_unit": L_("Participating units"),
            "partner_leaders": L_("Leaders named"),
        },
    )


def init_app(app: Flask) -> None:
    calendar.register(app)
    panels.register(app)  # its part of the dashboard
    register_hook(DESCRIBE_HOOK, describe_notice, app)
    register_hook(KINDS_HOOK, lambda: KINDS, app)
    register_hook(VOCABULARY_HOOK, vocabulary, app)
    register_hook(RECORD_ACCESS, record_access("patrols", Patrol, can_view_patrol), app)
