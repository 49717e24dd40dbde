"""What the handovers feature sets up in a new app: its panel on a request's page, and the
journey: a completed handover moves the cases of the people handed over to "handed over"."""

from __future__ import annotations

from flask import Flask

from coordination.audit.actions import RECORD_ACCESS, record_access
from coordination.cases.models import Person
from coordination.cases.operations import mark_handed_over
from coordination.core.panels import register_hook
from coordination.core.signals import handover_completed
from coordination.extensions import db
from coordination.handovers import calendar
from coordination.handovers.models import Handover
from coordination.handovers.panels import register
from coordination.handovers.policies import can_view_handover
from coordination.handovers.queries import our_records
from coordination.handovers.tasks import describe_notice
from coordination.notifications.describe import DESCRIBE_HOOK


def cases_handed_over(handover, *, record, actor, **_extra) -> None:
    """The cases of the people handed over move on: the proposal's case, the cases of the
    records the partner shared, and our cases whose people a match confirmed as them."""
    handed = [p for p in handover.people if p.on_list and p.handed_over]
    if not handed:
        return
    cases: dict[int, tuple] = {}

    def add(case, person=None):
        entry = cases.setdefault(case.id, (case, []))
        if person is not None and person not in entry[1]:
            entry[1].append(person)

    if handover.request.case is not None:
        add(handover.request.case)
    for person in handed:
        shared = person.request_person
        if shared is not None and shared.person_id is not None:
            own = db.session.get(Person, shared.person_id)
            if own is not None:
                add(own.case, own)
    for records in our_records(handed).values():
        for found in records:
            if found.kind == "person":
                ours = db.session.get(Person, found.id)
                add(ours.case, ours)
    number = record.number if record is not None else None
    for case, people in sorted(cases.values(), key=lambda entry: entry[0].id):
        mark_handed_over(case, people, handover_id=handover.id, record_number=number, actor=actor)


def init_app(app: Flask) -> None:
    register(app)
    handover_completed.connect(cases_handed_over)
    calendar.register(app)  # its entries on the calendar (calendar.entries hook)
    register_hook(DESCRIBE_HOOK, describe_notice, app)  # what its reminders say
    register_hook(RECORD_ACCESS, record_access("handovers", Handover, can_view_handover), app)
