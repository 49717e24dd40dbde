"""A case file as one PDF for the record: the case, its people, events and requests (the
requests section is exchange's, through the hook ``CASE_FILE_SECTIONS``).

Rendered in the viewer's language and time zone (the current request's locale and time
zone). A child's exact address, commune, guardian and relatives' contacts appear only
for those who may see them (``policies.can_see_protected_details``), in the person's
record and in what was shared with partners alike.
"""

from __future__ import annotations

from flask_babel import get_locale, get_timezone
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.cases import policies
from coordination.cases.models import Case, Person
from coordination.cases.schemas import IDENTITY_DOCUMENT_LABELS
from coordination.core.db import utcnow
from coordination.core.formatting import country_name, date_text, datetime_text, name_with_romanised
from coordination.core.panels import hooks
from coordination.documents.layout import facts_table, gap, render_pdf
from coordination.documents.text import paragraph
from coordination.extensions import db
from coordination.i18n import _, timezone_label

# Fields of a person (or of a shared copy) that only those working a child's case see.
PROTECTED_FIELDS = ("home_commune", "home_address", "guardian", "relatives_contacts")


def present(rows: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """The rows that have a value: optional facts not recorded are left out."""
    return [(label, value) for label, value in rows if value not in (None, "")]


def hidden_note():
    return paragraph(
        _("Hidden: a child's exact address is shown only to those working the case."), "note"
    )


def nationality_text(code: str | None) -> str | None:
    return country_name(code) or None


def documents_text(documents: list[dict] | None) -> str | None:
    if not documents:
        return None
    return "; ".join(
        f"{IDENTITY_DOCUMENT_LABELS.get(doc.get('kind'), doc.get('kind') or '')}: "
        f"{doc.get('number', '')}"
        for doc in documents
    )


def _age(person: Person) -> str | None:
    if person.date_of_birth:
        return date_text(person.date_of_birth)
    if person.estimated_age is not None:
        return _("about %(age)d years", age=person.estimated_age)
    return None


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
                (_("Opened on"), date_text(case.opened_on)),
                (_("Opened by"), case.created_by.full_name if case.created_by else None),
                (_("Last changed"), datetime_text(case.updated_at)),
                (_("Summary"), case.summary),
            ]
        ),
    ]


def _person_section(person: Person, viewer) -> list:
    child = person.is_child()
    protected = not child or policies.can_see_protected_details(viewer, person)
    name = name_with_romanised(person.name_as_written, person.name_romanised)
    heading = f"{name} · {person.role_label}"
    if child:
        heading = " · ".join((heading, _("Child")))
    rows = [
        (_("Name as written"), person.name_as_written),
        (_("Role"), person.role_label),
        (_("Sex"), person.sex_label),
        (_("Date of birth or age"), _age(person)),
        (_("Nationality"), nationality_text(person.nationality)),
        (_("Home province"), person.home_province.name if person.home_province else None),
    ]
    # The rows above always show (a dash when unknown); the optional ones only when given.
    rows[1:1] = present([(_("Name in Latin letters"), person.name_romanised)])
    if protected:
        rows += present(
            [
                (_("Home commune"), person.home_commune.name if person.home_commune else None),
                (_("Home address"), person.home_address),
                (_("Guardian"), person.guardian),
                (_("Contacts of relatives"), person.relatives_contacts),
            ]
        )
    else:
        rows.append((_("Home address"), hidden_note()))
    rows += present(
        [
            (_("Identity documents"), documents_text(person.identity_documents)),
            (_("Victim status"), person.victim_status_label),
        ]
    )
    return [paragraph(heading, "subheading"), facts_table(rows)]


def _event_section(event) -> list:
    when = date_text(event.occurred_on) or _("date unknown")
    place = event.place or (event.area.name if event.area else None)
    return [
        paragraph(f"{event.kind_label} · {when}", "subheading"),
        facts_table(
            [
                (_("Kind"), event.kind_label),
                (_("Date"), date_text(event.occurred_on)),
                (_("Place"), place),
                *present(
                    [
                        (_("Exploitation type"), event.exploitation_label),
                        (_("How (means, circumstances)"), event.means),
                    ]
                ),
            ]
        ),
    ]


# --- The document --------------------------------------------------------------------------

# Hook: other features' sections at the end of the file (exchange: the case's requests).
# function(case, viewer) -> list of flowables, called in the order the features registered.
CASE_FILE_SECTIONS = "case_file.sections"


def _load(case: Case) -> None:
    """Load what the document reads in a few queries (not one per row)."""
    db.session.scalars(
        select(Person)
        .where(Person.case_id == case.id)
        .options(selectinload(Person.home_province), selectinload(Person.home_commune))
    ).all()


def render_case_file(case: Case, viewer) -> bytes:
    """The whole case file as PDF bytes, as ``viewer`` may see it."""
    _load(case)
    now = utcnow()
    stamp = f"{viewer.full_name} ({viewer.office.code}) · {datetime_text(now)}"
    exported = _(
        "Exported by %(name)s (%(office)s) on %(when)s",
        name=viewer.full_name,
        office=viewer.office.code,
        when=datetime_text(now),
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

    for section in hooks(CASE_FILE_SECTIONS):
        story += section(case, viewer)

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
