"""What the meetings feature sets up in a new app: its calendar entries, the dashboard panel
of action items, what its notices say, its audit vocabulary, and who may open a meeting
named in the audit log."""

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
from coordination.meetings import calendar
from coordination.meetings.models import Meeting
from coordination.meetings.panels import action_items_panel
from coordination.meetings.policies import can_view_meeting
from coordination.meetings.tasks import KINDS, describe_notice
from coordination.notifications.describe import DESCRIBE_HOOK, KINDS_HOOK


def vocabulary() -> Vocabulary:
    return Vocabulary(
        groups=(
            Group(
                "meetings",
                L_("Liaison meetings"),
                (
                    Action("meeting.plan", L_("%(actor)s planned %(record)s.")),
                    Action("meeting.move", L_("%(actor)s moved an occurrence of %(record)s.")),
                    Action("meeting.skip", L_("%(actor)s skipped an occurrence of %(record)s.")),
                    Action("meeting.cancel", L_("%(actor)s cancelled %(record)s.")),
                    Action(
                        "meeting.attendee_add", L_("%(actor)s added an attendee to %(record)s.")
                    ),
                    Action(
                        "meeting.attendee_remove",
                        L_("%(actor)s removed an attendee from %(record)s."),
                    ),
                    Action(
                        "meeting.agenda_add", L_("%(actor)s added an agenda item to %(record)s.")
                    ),
                    Action(
                        "meeting.agenda_remove",
                        L_("%(actor)s removed an agenda item from %(record)s."),
                    ),
                    Action(
                        "meeting.minutes_save", L_("%(actor)s wrote the minutes of %(record)s.")
                    ),
                    Action(
                        "meeting.minutes_sign", L_("%(actor)s signed the minutes of %(record)s.")
                    ),
                    Action(
                        "meeting.minutes_download",
                        L_("%(actor)s downloaded the minutes of %(record)s."),
                    ),
                    Action(
                        "meeting.action_status",
                        L_("%(actor)s changed the status of an action item of %(record)s."),
                    ),
                ),
            ),
        ),
        record_kinds=(
            RecordKind("meetings", L_("liaison meeting %(ref)s"), "meetings.detail", "meeting_id"),
        ),
        kind_names={"meetings": L_("liaison meetings")},
        detail_labels={
            "occurrence": L_("Occurrence"),
            "rrule": L_("Recurrence"),
            "action_items": L_("Action items"),
            "decisions": L_("Decisions"),
        },
    )


def init_app(app: Flask) -> None:
    calendar.register(app)
    register_panel("dashboard", action_items_panel, app)
    register_hook(DESCRIBE_HOOK, describe_notice, app)
    register_hook(KINDS_HOOK, lambda: KINDS, app)
    register_hook(VOCABULARY_HOOK, vocabulary, app)
    register_hook(RECORD_ACCESS, record_access("meetings", Meeting, can_view_meeting), app)
