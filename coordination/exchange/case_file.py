"""The requests section of a case file (cases.case_file): each request about the case, as
the case office sent it, with the people shared and the thread."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.cases import policies
from coordination.cases.case_file import (
    PROTECTED_FIELDS,
    hidden_note,
    present,
)
from coordination.core.formatting import datetime_text
from coordination.directory.models import Office
from coordination.documents.layout import facts_table
from coordination.documents.text import paragraph
from coordination.exchange.models import Request, RequestPerson
from coordination.exchange.presenters import shared_text
from coordination.exchange.queries import requests_of_case
from coordination.exchange.schemas import SHAREABLE_FIELDS
from coordination.extensions import db
from coordination.i18n import _


def _shared_person(shared: RequestPerson, viewer) -> list:
    data = shared.shared or {}
    child = bool(data.get("child"))
    protected = not child or (
        shared.person is not None and policies.can_see_protected_details(viewer, shared.person)
    )
    heading = f"{shared.position}. {shared.display_name}"
    if child:
        heading = " · ".join((heading, _("Child")))
    rows = []
    hidden = False
    for name, label in SHAREABLE_FIELDS.items():
        if name not in data:
            continue
        if name in PROTECTED_FIELDS and not protected:
            hidden = True
            continue
        rows.append((str(label), shared_text(name, data[name])))
    if hidden:
        rows.append((_("Home address"), hidden_note()))
    rows += present(
        [
            (_("Verification outcome"), shared.outcome_label),
            (_("Outcome note"), shared.outcome_note),
            (_("Outcome given"), datetime_text(shared.outcome_at)),
        ]
    )
    return [paragraph(heading, "message-head"), facts_table(rows)]


def _message(message, offices: dict[int, Office]) -> list:
    office = offices.get(message.author_office_id)
    author = message.author.full_name if message.author else ""
    office_name = f"{office.name} ({office.code})" if office else ""
    head = " · ".join(
        part
        for part in (message.kind_label, author, office_name, datetime_text(message.created_at))
        if part
    )
    flowables = [paragraph(head, "message-head")]
    if message.body:
        flowables.append(paragraph(message.body, "message-body"))
    if message.attachments:
        names = ", ".join(document.filename for document in message.attachments)
        flowables.append(
            paragraph(_("Attachments: %(names)s", names=names), "message-body"),
        )
    return flowables


def _request_section(request: Request, viewer, offices: dict[int, Office]) -> list:
    state = request.state_label
    if request.is_overdue():
        state = " · ".join((state, _("Overdue")))
    partner = (
        request.recipient_office
        if request.sender_office_id == request.case.office_id
        else request.sender_office
    )
    flowables = [
        paragraph(" · ".join((request.reference or _("(draft)"), request.subject)), "subheading"),
        facts_table(
            [
                (_("Reference"), request.reference or _("(draft)")),
                (_("Subject"), request.subject),
                (_("Kind"), request.kind_label),
                (_("Partner office"), f"{partner.name} ({partner.code})"),
                (_("Status"), state),
                (_("Sent"), datetime_text(request.sent_at)),
                (_("Reply deadline"), datetime_text(request.deadline_at)),
                *present([(_("Answered"), datetime_text(request.answered_at))]),
            ]
        ),
    ]
    if request.people:
        flowables.append(paragraph(_("People concerned"), "subheading"))
        for shared in request.people:
            flowables += _shared_person(shared, viewer)
    flowables.append(paragraph(_("Thread"), "subheading"))
    if request.messages:
        for message in request.messages:
            flowables += _message(message, offices)
    else:
        flowables.append(paragraph(_("Not sent yet."), "note"))
    return flowables


def _load(requests: list[Request]) -> dict[int, Office]:
    """Load what the section reads in a few queries (not one per row)."""
    if not requests:
        return {}
    db.session.scalars(
        select(Request)
        .where(Request.id.in_([request.id for request in requests]))
        .options(
            selectinload(Request.messages),
            selectinload(Request.people).selectinload(RequestPerson.person),
        )
    ).all()
    office_ids = {message.author_office_id for r in requests for message in r.messages}
    offices = db.session.scalars(select(Office).where(Office.id.in_(office_ids))).all()
    return {office.id: office for office in offices}


def requests_section(case, viewer) -> list:
    """The "Requests" part of the case file (hook cases.case_file.CASE_FILE_SECTIONS)."""
    requests = requests_of_case(viewer, case)
    offices = _load(requests)
    story = [paragraph(_("Requests"), "heading")]
    if requests:
        for request in sorted(requests, key=lambda r: r.id):
            story += _request_section(request, viewer, offices)
    else:
        story.append(paragraph(_("No requests."), "note"))
    return story
