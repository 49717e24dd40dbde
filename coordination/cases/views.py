"""Cases, the people in them and their trafficking events."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination.attachments.models import Document
from coordination.attachments.policies import can_view_document
from coordination.attachments.storage import read_upload, read_uploads
from coordination.cases import operations, policies, queries
from coordination.cases.models import (
    Case,
    CaseStatus,
    EventKind,
    ExploitationType,
    Person,
    PersonRole,
    Sex,
    VictimStatus,
)
from coordination.cases.place_fields import (
    event_form_data,
    event_place_options,
    home_place_options,
)
from coordination.cases.schemas import (
    IDENTITY_DOCUMENT_LABELS,
    NATIONALITIES,
    CaseSchema,
    EventSchema,
    PersonSchema,
)
from coordination.core.access import require
from coordination.core.errors import OperationError
from coordination.core.formatting import country_name
from coordination.core.paging import paginate
from coordination.core.panels import panels_for
from coordination.core.text import clean_query
from coordination.core.validation import enum_value, load_form
from coordination.core.views import attempt, render_form
from coordination.extensions import db
from coordination.i18n import _

bp = Blueprint("cases", __name__, url_prefix="/cases", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user; each view then checks its own policy."""


def load_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    require(case is not None and policies.can_view_case(current_user, case))
    return case


def load_person(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    require(person is not None and policies.can_view_person(current_user, person))
    return person


def _nationality_options() -> list[tuple[str, str]]:
    """Countries by name in the reader's language, in that language's order."""
    return sorted(((code, country_name(code)) for code in NATIONALITIES), key=lambda c: c[1])


def _options(enum_class) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum_class]


@bp.route("/")
def index():
    status = enum_value(CaseStatus, request.args.get("status"))
    q = clean_query(request.args.get("q"))
    page = paginate(queries.search_cases(current_user, q, status))
    return render_form(
        "cases/list.html",
        page=page,
        q=q,
        status=status,
        statuses=_options(CaseStatus),
        can_open=policies.can_open_case(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(policies.can_open_case(current_user), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(CaseSchema(), request.form)
        if not errors:
            case, errors = attempt(operations.create_case, data, actor=current_user)
        if not errors:
            flash(_("Case %(number)s has been opened.", number=case.number), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_form("cases/case_form.html", errors, case=None, statuses=_options(CaseStatus))


@bp.route("/<int:case_id>")
def detail(case_id: int):
    case = load_case(case_id)
    operations.record_case_view(case, actor=current_user)
    documents = db.session.scalars(
        select(Document).where(Document.case_id == case.id).order_by(Document.id)
    ).all()
    # A file the viewer may not download (a child's photo, for a border guard) is not
    # listed either: its name and size are about the child too. It is counted, as the
    # person's page says "Photo hidden", so that the viewer knows to ask the case officer.
    listed = [doc for doc in documents if can_view_document(current_user, doc)]
    return render_form(
        "cases/detail.html",
        case=case,
        documents=listed,
        withheld=len(documents) - len(listed),
        children={person.id for person in case.people if person.is_child()},
        can_edit=policies.can_edit_case(current_user, case),
        automatic_changes=queries.automatic_status_changes(case),
        # Other features' parts of the page (exchange: the requests about the case).
        panels=panels_for("case.detail", case, current_user),
    )


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id: int):
    case = load_case(case_id)
    require(policies.can_edit_case(current_user, case), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(CaseSchema(), request.form)
        if not errors:
            _saved, errors = attempt(operations.update_case, case, data, actor=current_user)
        if not errors:
            flash(_("The case has been saved."), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_form("cases/case_form.html", errors, case=case, statuses=_options(CaseStatus))


def _person_form(case: Case, person: Person | None, errors: dict):
    return render_form(
        "cases/person_form.html",
        errors,
        case=case,
        person=person,
        roles=_options(PersonRole),
        sexes=_options(Sex),
        victim_statuses=_options(VictimStatus),
        nationalities=_nationality_options(),
        document_kinds=[(kind, str(label)) for kind, label in IDENTITY_DOCUMENT_LABELS.items()],
        **home_place_options(person),
    )


@bp.route("/<int:case_id>/people/new", methods=["GET", "POST"])
def add_person(case_id: int):
    case = load_case(case_id)
    require(policies.can_edit_case(current_user, case), hide=False)
    errors = {}
    if request.method == "POST":
        person, errors = _save_person(operations.add_person, case)
        if not errors:
            flash(_("The person has been added to the case."), "success")
            return redirect(url_for("cases.person", person_id=person.id))
    return _person_form(case, None, errors)


@bp.route("/people/<int:person_id>")
def person(person_id: int):
    found = load_person(person_id)
    operations.record_person_view(found, actor=current_user)
    child = found.is_child()
    return render_form(
        "cases/person.html",
        person=found,
        child=child,
        show_protected=not child or policies.can_see_protected_details(current_user, found),
        can_edit=policies.can_edit_person(current_user, found),
        document_labels=IDENTITY_DOCUMENT_LABELS,
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
def edit_person(person_id: int):
    found = load_person(person_id)
    require(policies.can_edit_person(current_user, found), hide=False)
    errors = {}
    if request.method == "POST":
        _saved, errors = _save_person(operations.update_person, found)
        if not errors:
            flash(_("The person's record has been saved."), "success")
            return redirect(url_for("cases.person", person_id=found.id))
    return _person_form(found.case, found, errors)


@bp.route("/<int:case_id>/events/new", methods=["GET", "POST"])
def add_event(case_id: int):
    case = load_case(case_id)
    require(policies.can_edit_case(current_user, case), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(EventSchema(), event_form_data(request.form))
        if not errors:
            _event, errors = attempt(operations.add_event, case, data, actor=current_user)
        if not errors:
            flash(_("The event has been added."), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_form(
        "cases/event_form.html",
        errors,
        case=case,
        kinds=_options(EventKind),
        exploitation_types=_options(ExploitationType),
        **event_place_options(),
    )


@bp.route("/<int:case_id>/documents", methods=["POST"])
def upload_documents(case_id: int):
    case = load_case(case_id)
    require(policies.can_edit_case(current_user, case), hide=False)
    files, errors = read_uploads(request.files.getlist("documents"), "documents")
    if not files and not errors:
        errors = {"documents": [_("Choose a file to upload.")]}
    if errors:
        flash(" ".join(errors["documents"]), "error")
        return redirect(url_for("cases.detail", case_id=case.id)), 303
    operations.attach_to_case(case, files, actor=current_user)
    flash(_("The files have been added to the case."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


def _save_person(operation, subject):
    """Validate the person form and its photo, then add or update: (person, errors)."""
    data, errors = load_form(PersonSchema(), request.form)
    photo, photo_errors = _photo_upload()
    errors = {**errors, **photo_errors}
    if errors:
        return None, errors
    person, errors = attempt(operation, subject, data, actor=current_user)
    if not errors and photo:
        operations.set_photo(person, *photo, actor=current_user)
    return person, errors


def _photo_upload():
    """The uploaded photo, if any, checked: ((bytes, type, name) | None, errors)."""
    upload = request.files.get("photo")
    if not upload or not upload.filename:
        return None, {}
    try:
        data, content_type = read_upload(upload, field="photo", images_only=True)
    except OperationError as error:
        return None, error.errors
    return (data, content_type, upload.filename), {}
