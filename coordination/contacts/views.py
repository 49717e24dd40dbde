"""The contact log, logging a call or letter (phone first), a contact's page, sharing it,
the partner's answer, closing a follow-up, and turning a contact into a request."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import get_timezone
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from coordination.attachments.storage import read_uploads
from coordination.audit.operations import record
from coordination.auth.models import Role
from coordination.cases.models import Case
from coordination.cases.policies import can_view_case
from coordination.contacts import operations, policies, queries
from coordination.contacts.loaders import contact_or_404
from coordination.contacts.models import Channel, Contact, Direction, Language, Urgency
from coordination.contacts.schemas import (
    ContactSchema,
    ForwardSchema,
    LinkSchema,
    ListArgs,
    MakeRequestSchema,
    RespondSchema,
    VersionSchema,
)
from coordination.core.access import require
from coordination.core.validation import load_form, parse_id, parse_ids
from coordination.core.views import MAX_PAGE, attempt, record_named, render_form
from coordination.directory.models import OfficeKind, RequestKind
from coordination.directory.queries import visible_partnerships
from coordination.exchange.models import Request, RequestState
from coordination.exchange.policies import can_send_requests, can_view_request
from coordination.extensions import db
from coordination.i18n import _, timezone_label

bp = Blueprint(
    "contacts",
    __name__,
    url_prefix="/contacts",
    template_folder="templates",
    static_folder="static",
)


@bp.before_request
def _signed_in():
    """Every page needs a signed-in user (the stylesheet is public, as the app's own)."""
    if request.endpoint == "contacts.static":
        return None
    return _require_login()


@login_required
def _require_login():
    return None


def _options(enum) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


def _partners() -> list:
    """The user's office's active partner offices, by name."""
    partnerships = db.session.scalars(visible_partnerships(current_user, current_user.office_id))
    offices = [p.other_office(current_user.office_id) for p in partnerships if p.active]
    return sorted(offices, key=lambda office: office.name)


@bp.route("")
def index():
    require(policies.can_open_log(current_user))
    box = request.args.get("box") if request.args.get("box") in BOXES else "ours"
    args, errors = load_form(ListArgs(), request.args)
    args = {name: value for name, value in (args or {}).items() if value}
    if box == "shared":
        base, partner_column = queries.shared_with(current_user), Contact.office_id
    elif box == "forwarded":
        base, partner_column = queries.forwarded_to(current_user), Contact.partner_office_id
    else:
        base, partner_column = queries.office_log(current_user), Contact.partner_office_id
    query = queries.filtered(base, zone=get_timezone(), partner_column=partner_column, **args)
    number = request.args.get("page", 1, type=int) or 1
    page = queries.page_of(query, min(max(number, 1), MAX_PAGE), current_app.config["PAGE_SIZE"])
    return render_form(
        "contacts/list.html",
        page=page,
        box=box,
        args=args,
        filter_errors=errors,
        partners=_partners(),
        channels=_options(Channel),
        directions=_options(Direction),
        urgencies=_options(Urgency),
        can_log=policies.can_log_contacts(current_user),
        receives_forwarded=_receives_forwarded(),
    )


BOXES = ("ours", "shared", "forwarded")


def _receives_forwarded() -> bool:
    """Liaison offices (and supervisors) read what border guard stations passed to them."""
    return (
        current_user.office.kind == OfficeKind.BORDER_LIAISON_OFFICE.value
        or current_user.has_role(Role.SUPERVISOR)
    )


def _case_options() -> list[tuple[int, str]]:
    """The office's cases a contact may be linked to (those its user may view)."""
    cases = db.session.execute(
        select(Case.id, Case.number, Case.title)
        .where(Case.office_id == current_user.office_id)
        .order_by(Case.opened_on.desc(), Case.id.desc())
        .limit(200)
    )
    return [(row.id, f"{row.number} · {row.title}") for row in cases]


def _request_options() -> list[tuple[int, str]]:
    office = current_user.office_id
    rows = db.session.execute(
        select(Request.id, Request.reference, Request.subject)
        .where(
            or_(
                Request.sender_office_id == office,
                (Request.recipient_office_id == office)
                & (Request.state != str(RequestState.DRAFT)),
            )
        )
        .order_by(Request.id.desc())
        .limit(200)
    )
    return [(row.id, f"{row.reference or _('(draft)')} · {row.subject}") for row in rows]


def _form_page(contact: Contact | None, errors: dict, prefill: dict):
    """The log form, for a new contact (``prefill``: from the query string) or a correction."""
    case_id = parse_id(request.form.get("case_id")) if request.method == "POST" else None
    if case_id is None and request.method != "POST":
        case_id = prefill.get("case_id") or (contact.case_id if contact else None)
    case, checked = _chosen_case(case_id, contact)
    forward_to = operations.forward_targets(current_user.office) if contact is None else []
    return render_form(
        "contacts/form.html",
        errors,
        contact=contact,
        prefill=prefill,
        partners=[(office.id, office.name) for office in _partners()],
        channels=_options(Channel),
        directions=_options(Direction),
        urgencies=_options(Urgency),
        languages=_options(Language),
        case_options=_case_options(),
        request_options=_request_options(),
        case=case,
        people_options=[(p.id, p.name_as_written) for p in case.people] if case else [],
        people_checked=checked,
        links_editable=contact is None or not contact.is_forwarded,
        forward_to=forward_to[0] if forward_to else None,
        zone_label=timezone_label(str(get_timezone())),
    )


def _chosen_case(case_id, contact: Contact | None):
    """The case chosen on a form (one of the user's office's cases that they may view), and
    the people checked."""
    case = db.session.get(Case, case_id) if case_id else None
    if case is not None and not (
        case.office_id == current_user.office_id and can_view_case(current_user, case)
    ):
        case = None
    if request.method == "POST":
        checked = parse_ids(request.form.getlist("person_ids"))
    elif contact is not None:
        checked = [link.person_id for link in contact.people]
    else:
        checked = []
    return case, checked


def _showing_people() -> bool:
    """The "Show this case's people" button: the form comes back with them, nothing saved."""
    return request.method == "POST" and "show_people" in request.form


def _value(name: str, contact: Contact | None, prefill: dict, default=""):
    if request.method == "POST":
        return request.form.get(name, "")
    if contact is not None:
        value = getattr(contact, name)
        return default if value is None else value
    return prefill.get(name, default)


bp.add_app_template_global(_value, "contact_value")


def _files():
    return read_uploads(request.files.getlist("scans"), "scans")


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(policies.can_log_contacts(current_user), hide=False)
    prefill = {"channel": Channel.HOTLINE.value, "direction": Direction.INCOMING.value,
               "urgency": Urgency.ROUTINE.value}  # fmt: skip
    case = record_named(Case, "case")
    if case is not None:
        require(case.office_id == current_user.office_id)
        prefill["case_id"] = case.id
    linked = record_named(Request, "request")
    if linked is not None:
        office = current_user.office_id
        require(office in (linked.sender_office_id, linked.recipient_office_id))
        prefill["request_id"] = linked.id
        prefill["case_id"] = prefill.get("case_id") or (
            linked.case_id if linked.sender_office_id == office else None
        )
        prefill["partner_office_id"] = (
            linked.recipient_office_id
            if linked.sender_office_id == office
            else linked.sender_office_id
        )
    partner = parse_id(request.args.get("partner"))
    if partner:
        prefill["partner_office_id"] = partner
    partners = _partners()
    if len(partners) == 1:
        prefill.setdefault("partner_office_id", partners[0].id)
    errors = {}
    if request.method == "POST" and not _showing_people():
        data, errors = load_form(ContactSchema(), request.form)
        files, file_errors = _files()
        errors = {**errors, **file_errors}
        if not errors:
            created, errors = attempt(operations.log_contact, data, actor=current_user, files=files)
        if not errors:
            if created.is_forwarded:
                flash(
                    _(
                        "The contact has been logged and passed to %(office)s.",
                        office=created.forwarded_office.name,
                    ),
                    "success",
                )
            else:
                flash(_("The contact has been logged."), "success")
            return redirect(url_for("contacts.detail", contact_id=created.id))
    return _form_page(None, errors, prefill)


@bp.route("/<int:contact_id>")
def detail(contact_id: int):
    contact = contact_or_404(contact_id, current_user)
    internal = policies.sees_internal_links(current_user, contact)
    if internal and contact.people:
        # The names of people of a case are personal data: every view is audited.
        record("contact.view", actor=current_user, target=contact)
    return _detail_page(contact)


def _detail_page(contact: Contact, errors: dict | None = None, status_form: str = ""):
    user = current_user
    can_link = policies.can_link_records(user, contact)
    link_case = link_checked = None
    if can_link:
        if status_form == "link":
            chosen = parse_id(request.form.get("case_id"))
        else:
            chosen = contact.case_id or _case_numbered(contact.case_reference)
        link_case, link_checked = _chosen_case(chosen, contact)
    forward_to = operations.forward_targets(contact.office) if contact.forwarded_at is None else []
    return render_form(
        "contacts/detail.html",
        errors,
        contact=contact,
        internal=policies.sees_internal_links(user, contact),
        can_edit=policies.can_edit_contact(user, contact),
        can_share=policies.can_share_contact(user, contact),
        can_confirm=policies.can_confirm_contact(user, contact),
        can_note=policies.can_add_partner_note(user, contact),
        can_close=policies.can_close_follow_up(user, contact),
        can_request=policies.can_make_request(user, contact) and can_send_requests(user),
        can_forward=policies.can_forward_contact(user, contact) and bool(forward_to),
        forward_to=forward_to,
        forward_options=[(office.id, office.name) for office in forward_to],
        can_link=can_link,
        case_options=_case_options() if can_link else [],
        request_options=_request_options() if can_link else [],
        link_case=link_case,
        link_people=[(p.id, p.name_as_written) for p in link_case.people] if link_case else [],
        link_checked=link_checked or [],
        failed_form=status_form,
        zone_label=timezone_label(str(get_timezone())),
        # A station's guard reads which case the liaison office linked, without a link to a
        # case file it may not open.
        case_viewable=contact.case is not None and can_view_case(user, contact.case),
        request_viewable=contact.request is not None and can_view_request(user, contact.request),
    )


def _case_numbered(reference: str | None) -> int | None:
    """The user's office's case with the number the logging officer wrote, if any."""
    if not reference:
        return None
    return db.session.scalar(
        select(Case.id).where(
            Case.office_id == current_user.office_id,
            func.upper(Case.number) == reference.strip().upper(),
        )
    )


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: int):
    contact = contact_or_404(contact_id, current_user)
    require(policies.can_edit_contact(current_user, contact), hide=False)
    errors = {}
    if request.method == "POST" and not _showing_people():
        data, errors = load_form(ContactSchema(), request.form)
        files, file_errors = _files()
        errors = {**errors, **file_errors}
        if not errors:
            _done, errors = attempt(
                operations.update_contact, contact, data, actor=current_user, files=files
            )
        if not errors:
            flash(_("The contact has been corrected."), "success")
            return redirect(url_for("contacts.detail", contact_id=contact.id))
    return _form_page(contact, errors, {})


def _act(contact: Contact, allowed: bool, schema, operation, done_message: str, form: str):
    require(allowed, hide=False)
    data, errors = load_form(schema, request.form)
    if not errors:
        _done, errors = attempt(operation, contact, data, actor=current_user)
    if errors:
        return _detail_page(contact, errors, form)
    flash(done_message, "success")
    return redirect(url_for("contacts.detail", contact_id=contact.id))


@bp.route("/<int:contact_id>/share", methods=["POST"])
def share(contact_id: int):
    contact = contact_or_404(contact_id, current_user)
    return _act(
        contact,
        policies.can_share_contact(current_user, contact),
        VersionSchema(),
        operations.share_contact,
        _("The contact is now shared with %(office)s.", office=contact.partner_office.name),
        "share",
    )


@bp.route("/<int:contact_id>/forward", methods=["POST"])
def forward(contact_id: int):
    contact = contact_or_404(contact_id, current_user)
    require(policies.can_forward_contact(current_user, contact), hide=False)
    data, errors = load_form(ForwardSchema(), request.form)
    if not errors:
        _done, errors = attempt(operations.forward_contact, contact, data, actor=current_user)
    if errors:
        return _detail_page(contact, errors, "forward")
    flash(
        _("The contact has been passed to %(office)s.", office=contact.forwarded_office.name),
        "success",
    )
    return redirect(url_for("contacts.detail", contact_id=contact.id))


@bp.route("/<int:contact_id>/link", methods=["POST"])
def link(contact_id: int):
    contact = contact_or_404(contact_id, current_user)
    require(policies.can_link_records(current_user, contact), hide=False)
    if _showing_people():
        return _detail_page(contact, {}, "link")
    return _act(
        contact,
        True,
        LinkSchema(),
        operations.link_records,
        _("The contact has been linked to your office's case file."),
        "link",
    )


@bp.route("/<int:contact_id>/respond", methods=["POST"])
def respond(contact_id: int):
    contact = contact_or_404(contact_id, current_user)
    return _act(
        contact,
        policies.can_add_partner_note(current_user, contact),
        RespondSchema(),
        operations.respond,
        _("Your answer has been recorded."),
        "respond",
    )


@bp.route("/<int:contact_id>/follow-up-done", methods=["POST"])
def follow_up_done(contact_id: int):
    contact = contact_or_404(contact_id, current_user)
    return _act(
        contact,
        policies.can_close_follow_up(current_user, contact),
        VersionSchema(),
        operations.close_follow_up,
        _("The answer has been recorded as received."),
        "follow_up",
    )


@bp.route("/<int:contact_id>/request", methods=["GET", "POST"])
def make_request(contact_id: int):
    contact = contact_or_404(contact_id, current_user)
    require(
        policies.can_make_request(current_user, contact) and can_send_requests(current_user),
        hide=False,
    )
    errors = {}
    if request.method == "POST":
        data, errors = load_form(MakeRequestSchema(), request.form)
        if not errors:
            created, errors = attempt(operations.make_request, contact, data, actor=current_user)
        if not errors:
            flash(_("Request %(reference)s has been sent.", reference=created.reference), "success")
            return redirect(url_for("exchange.detail", request_id=created.id))
    recipients = operations.request_recipients(current_user.office_id)
    return render_form(
        "contacts/make_request.html",
        errors,
        contact=contact,
        recipients=[(office.id, office.name) for office in recipients],
        default_recipient=operations.default_recipient(contact, current_user.office_id),
        kinds=_options(RequestKind),
        default_kind="rescue_assistance" if contact.is_urgent else "information",
        default_subject=_default_subject(contact),
    )


def _default_subject(contact: Contact) -> str:
    when = contact.occurred_at.astimezone(get_timezone()).strftime("%d/%m/%Y %H:%M")
    return _(
        "%(channel)s of %(when)s with %(office)s",
        channel=contact.channel_label,
        when=when,
        office=contact.partner_office.code,
    )[:200]
