"""A case file as one PDF for the record: the case, its people, events and requests.

Rendered in the viewer's language and time zone (the current request's locale and time
zone). A child's exact address, commune, guardian and relatives' contacts appear only
for those who may see them (``policies.can_see_protected_details``), in the person's
record and in what was shared with partners alike.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime, get_locale, get_timezone
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.cases import policies
from coordination.cases.models import Case, Person, Sex
from coordination.cases.schemas import IDENTITY_DOCUMENT_LABELS
from coordination.core.db import utcnow
from coordination.directory.models import Office
from coordination.documents.layout import facts_table, gap, render_pdf
from coordination.documents.text import paragraph
from coordination.exchange.models import Request, RequestPerson
from coordination.exchange.queries import requests_of_case
from coordination.exchange.schemas import SHAREABLE_FIELDS
from coordination.extensions import db
from coordination.i18n import _, timezone_label

# Fields of a person (or of a shared copy) that only those working a child's case see.
PROTECTED_FIELDS = ("home_commune", "home_address", "guardian", "relatives_contacts")


def _date(value: date | None) -> str | None:
    return format_date(value, "medium") if value else None


def _datetime(value: datetime | None) -> str | None:
    return format_datetime(value, "medium") if value else None


def _present(rows: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The rows that have a value: optional facts not recorded are left out."""
    return [(label, value) for label, value in rows if value not in (None, "")]


def _hidden_note():
    return paragraph(
        _("Hidden: a child's exact address is shown only to those working the case."), "note"
    )


def _nationality(code: str | None) -> str | None:
    if not code:
        return None
    locale = get_locale()
    name = locale.territories.get(code.upper()) if locale else None
    return f"{name} ({code})" if name else code


def _documents(documents: list[dict] | None) -> str | None:
    if not documents:
        return None
    return "; ".join(
        f"{IDENTITY_DOCUMENT_LABELS.get(doc.get('kind'), doc.get('kind') or '')}: "
        f"{doc.get('number', '')}"
        for doc in documents
    )


def _age(person: Person) -> str | None:
    if person.date_of_birth:
        return _date(person.date_of_birth)
    if person.estimated_age is not None:
        return _("about %(age)d years", age=person.estimated_age)
    return None


def _name(written: str | None, romanised: str | None) -> str:
    written = written or ""
    return f"{written} ({romanised})" if romanised and romanised != written else written


# --- Sections ------------------------------------------------------------------------------


def _case_section(case: Case) -> list:
    return [
        paragraph(_("Case file %(number)s", number=case.number), "title"),
        paragraph(case.title, "subtitle"),
        facts_table(
            [
                (_("Case"), case.number),
                (_("Title"), case.title),
                (_("Status"), case.status_label),
                (_("Office"), case.office.name),
                (_("Opened on"), _date(case.opened_on)),
                (_("Opened by"), case.created_by.full_name if case.created_by else None),
                (_("Last changed"), _datetime(case.updated_at)),
                (_("Summary"), case.summary),
            ]
        ),
    ]


def _person_section(person: Person, viewer) -> list:
    child = person.is_child()
    protected = not child or policies.can_see_protected_details(viewer, person)
    heading = f"{_name(person.name_as_written, person.name_romanised)} · {person.role_label}"
    if child:
        heading = " · ".join((heading, _("Child")))
    rows = [
        (_("Name as written"), person.name_as_written),
        (_("Role"), person.role_label),
        (_("Sex"), person.sex_label),
        (_("Date of birth or age"), _age(person)),
        (_("Nationality"), _nationality(person.nationality)),
        (_("Home province"), person.home_province.name if person.home_province else None),
    ]
    # The rows above always show (a dash when unknown); the optional ones only when given.
    rows[1:1] = _present([(_("Name in Latin letters"), person.name_romanised)])
    if protected:
        rows += _present(
            [
                (_("Home commune"), person.home_commune.name if person.home_commune else None),
                (_("Home address"), person.home_address),
                (_("Guardian"), person.guardian),
                (_("Contacts of relatives"), person.relatives_contacts),
            ]
        )
    else:
        rows.append((_("Home address"), _hidden_note()))
    rows += _present(
        [
            (_("Identity documents"), _documents(person.identity_documents)),
            (_("Victim status"), person.victim_status_label),
        ]
    )
    return [paragraph(heading, "subheading"), facts_table(rows)]


def _event_section(event) -> list:
    when = _date(event.occurred_on) or _("date unknown")
    place = event.place or (event.area.name if event.area else None)
    return [
        paragraph(f"{event.kind_label} · {when}", "subheading"),
        facts_table(
            [
                (_("Kind"), event.kind_label),
                (_("Date"), _date(event.occurred_on)),
                (_("Place"), place),
                *_present(
                    [
                        (_("Exploitation type"), event.exploitation_label),
                        (_("How (means, circumstances)"), event.means),
                    ]
                ),
            ]
        ),
    ]


def _shared_value(name: str, value) -> str | None:
    if value in (None, "", []):
        return None
    if isinstance(value, dict) and "names" in value:
        locale = get_locale()
        names = value["names"]
        return names.get(locale.language if locale else "en") or next(iter(names.values()), None)
    if name == "sex":
        try:
            return Sex(value).label
        except ValueError:
            return str(value)
    if name == "date_of_birth":
        try:
            return _date(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if name == "nationality":
        return _nationality(value)
    if name == "identity_documents":
        return _documents(value)
    return str(value)


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
        rows.append((str(label), _shared_value(name, data[name])))
    if hidden:
        rows.append((_("Home address"), _hidden_note()))
    rows += _present(
        [
            (_("Verification outcome"), shared.outcome_label),
            (_("Outcome note"), shared.outcome_note),
            (_("Outcome given"), _datetime(shared.outcome_at)),
        ]
    )
    return [paragraph(heading, "message-head"), facts_table(rows)]


def _message(message, offices: dict[int, Office]) -> list:
    office = offices.get(message.author_office_id)
    author = message.author.full_name if message.author else ""
    office_name = f"{office.name} ({office.code})" if office else ""
    head = " · ".join(
        part
        for part in (message.kind_label, author, office_name, _datetime(message.created_at))
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
                (_("Sent"), _datetime(request.sent_at)),
                (_("Reply deadline"), _datetime(request.deadline_at)),
                *_present([(_("Answered"), _datetime(request.answered_at))]),
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


# --- The document --------------------------------------------------------------------------


def _load(case: Case, requests: list[Request]) -> dict[int, Office]:
    """Load what the document reads in a few queries (not one per row)."""
    db.session.scalars(
        select(Person)
        .where(Person.case_id == case.id)
        .options(selectinload(Person.home_province), selectinload(Person.home_commune))
    ).all()
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


def render_case_file(case: Case, viewer) -> bytes:
    """The whole case file as PDF bytes, as ``viewer`` may see it."""
    requests = requests_of_case(viewer, case)
    offices = _load(case, requests)
    now = utcnow()
    stamp = f"{viewer.full_name} ({viewer.office.code}) · {_datetime(now)}"
    exported = _(
        "Exported by %(name)s (%(office)s) on %(when)s",
        name=viewer.full_name,
        office=viewer.office.code,
        when=_datetime(now),
    )
    story = _case_section(case)
    story += [
        gap(2),
        paragraph(exported, "note"),
        paragraph(
            _("Times are given in %(zone)s.", zone=timezone_label(str(get_timezone()))), "note"
        ),
    ]

    story.append(paragraph(_("People"), "heading"))
    if case.people:
        for person in case.people:
            story += _person_section(person, viewer)
    else:
        story.append(paragraph(_("No people recorded yet."), "note"))

    story.append(paragraph(_("Trafficking events"), "heading"))
    if case.events:
        for event in case.events:
            story += _event_section(event)
    else:
        story.append(paragraph(_("No events recorded yet."), "note"))

    story.append(paragraph(_("Requests"), "heading"))
    if requests:
        for request in sorted(requests, key=lambda r: r.id):
            story += _request_section(request, viewer, offices)
    else:
        story.append(paragraph(_("No requests."), "note"))

    locale = get_locale()
    title = _("Case file %(number)s", number=case.number)
    return render_pdf(
        story,
        header_left=f"{title} · {case.office.code}",
        header_right=stamp,
        page_label=lambda page, pages: _("Page %(page)s of %(pages)s", page=page, pages=pages),
        title=title,
        author=viewer.full_name,
        subject=case.title,
        lang=locale.language if locale else None,
    )
