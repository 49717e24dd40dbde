"""API: contacts (hotline calls, letters, diplomatic notes…) logged by an office."""

from __future__ import annotations

from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.audit.operations import record
from coordination.contacts import operations, policies, queries
from coordination.contacts.loaders import contact_or_404
from coordination.contacts.models import Contact
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
from coordination.core.api import SQLPage, api_blueprint, api_user, query_args
from coordination.core.validation import MAX_ID, Choice, Schema
from coordination.exchange.policies import can_send_requests
from coordination.extensions import db

blp = api_blueprint(
    "api_contacts",
    __name__,
    "/contacts",
    "Hotline calls, letters, diplomatic notes and other contacts with partner offices.",
)


class ContactOut(Schema):
    """A contact as either side sees it (the links to our case file are in ContactDetailOut,
    for the logging side only)."""

    id = fields.Integer()
    office_id = fields.Integer(metadata={"description": "The office that logged it"})
    partner_office_id = fields.Integer()
    partner_person = fields.String(allow_none=True)
    channel = fields.String()
    direction = fields.String(metadata={"description": "As the logging office saw it"})
    occurred_at = fields.DateTime()
    duration_minutes = fields.Integer(allow_none=True)
    language = fields.String(allow_none=True)
    interpreter = fields.String(allow_none=True)
    asked = fields.String(allow_none=True)
    answered = fields.String(allow_none=True)
    urgency = fields.String()
    reference_number = fields.String(allow_none=True)
    reference_date = fields.Date(allow_none=True)
    follow_up_due_at = fields.DateTime(allow_none=True)
    follow_up_done_at = fields.DateTime(allow_none=True)
    overdue = fields.Function(lambda contact: contact.is_overdue())
    shared_at = fields.DateTime(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    partner_note = fields.String(allow_none=True)
    forwarded_office_id = fields.Method(
        "_forwarded",
        metadata={"description": "The liaison office a border guard station passed it to"},
    )
    forwarded_at = fields.Method("_forwarded_at")
    scan_ids = fields.Function(lambda contact: [scan.document_id for scan in contact.scans])
    version = fields.Integer()

    def _internal(self, contact) -> bool:
        return policies.sees_internal_links(api_user(), contact)

    def _forwarded(self, contact):
        return contact.forwarded_office_id if self._internal(contact) else None

    def _forwarded_at(self, contact):
        if contact.forwarded_at is None or not self._internal(contact):
            return None
        return fields.DateTime().serialize("forwarded_at", contact)


class ContactDetailOut(ContactOut):
    case_id = fields.Method("_case")
    request_id = fields.Method("_request")
    person_ids = fields.Method("_people")
    case_reference = fields.Method("_case_reference")

    def _case_reference(self, contact):
        return contact.case_reference if self._internal(contact) else None

    def _case(self, contact):
        return contact.case_id if self._internal(contact) else None

    def _request(self, contact):
        return contact.request_id if self._internal(contact) else None

    def _people(self, contact):
        return [link.person_id for link in contact.people] if self._internal(contact) else []


class RequestMadeOut(Schema):
    request_id = fields.Integer()
    reference = fields.String()
    contact = fields.Nested(ContactDetailOut)


class LogPage(SQLPage):
    """Pages of the log: the page's ids from the log's indexes, then those rows (as the
    HTML log does, see queries.page_of), never sorting whole rows."""

    @property
    def items(self):
        params = self.page_params
        if params.first_item > MAX_ID:
            return []
        ids = queries.page_ids(self.collection, params.first_item, params.page_size)
        found = select(Contact).where(Contact.id.in_(ids)).options(selectinload(Contact.scans))
        rows = {contact.id: contact for contact in db.session.scalars(found)}
        return [rows[i] for i in ids if i in rows]


class LogArgs(ListArgs):
    box = Choice(["ours", "shared", "forwarded"], load_default="ours")


def _contact(contact_id: int) -> Contact:
    return contact_or_404(contact_id, api_user())


def _viewed(contact: Contact) -> Contact:
    if contact.people and policies.sees_internal_links(api_user(), contact):
        record("contact.view", actor=api_user(), target=contact)
    return contact


@blp.route("")
@blp.arguments(query_args(LogArgs), location="query", as_kwargs=True)
@blp.response(200, ContactOut(many=True))
@blp.paginate(LogPage, page_size=50, max_page_size=200)
def list_contacts(box="ours", **filters):
    """The office's contact log (``box=ours``), what partners shared with it (``shared``) or
    what border guard stations passed to it (``forwarded``), most recent first."""
    require(policies.can_open_log(api_user()), hide=False)
    filters = {name: value for name, value in filters.items() if value}
    if box == "shared":
        return queries.filtered(
            queries.shared_with(api_user()), partner_column=Contact.office_id, **filters
        )
    if box == "forwarded":
        return queries.filtered(queries.forwarded_to(api_user()), **filters)
    return queries.filtered(queries.office_log(api_user()), **filters)


@blp.route("", methods=["POST"])
@blp.arguments(ContactSchema)
@blp.response(201, ContactDetailOut)
def create_contact(data):
    require(policies.can_log_contacts(api_user()), hide=False)
    return operations.log_contact(data, actor=api_user())


@blp.route("/<int:contact_id>")
@blp.response(200, ContactDetailOut)
def get_contact(contact_id: int):
    return _viewed(_contact(contact_id))


@blp.route("/<int:contact_id>", methods=["PUT"])
@blp.arguments(ContactSchema)
@blp.response(200, ContactDetailOut)
def update_contact(data, contact_id: int):
    """Correct a contact: send every field, and the ``version`` it was read at."""
    contact = _contact(contact_id)
    require(policies.can_edit_contact(api_user(), contact), hide=False)
    return operations.update_contact(contact, data, actor=api_user())


@blp.route("/<int:contact_id>/share", methods=["POST"])
@blp.arguments(VersionSchema)
@blp.response(200, ContactDetailOut)
def share_contact(data, contact_id: int):
    contact = _contact(contact_id)
    require(policies.can_share_contact(api_user(), contact), hide=False)
    return operations.share_contact(contact, data, actor=api_user())


@blp.route("/<int:contact_id>/forward", methods=["POST"])
@blp.arguments(ForwardSchema)
@blp.response(200, ContactDetailOut)
def forward_contact(data, contact_id: int):
    """A border guard station passes the contact to a liaison office of its province
    (``office_id``; may be left out when the province has one)."""
    contact = _contact(contact_id)
    require(policies.can_forward_contact(api_user(), contact), hide=False)
    return operations.forward_contact(contact, data, actor=api_user())


@blp.route("/<int:contact_id>/links", methods=["PUT"])
@blp.arguments(LinkSchema)
@blp.response(200, ContactDetailOut)
def link_records(data, contact_id: int):
    """The liaison office a contact was passed to links its own case, request and people."""
    contact = _contact(contact_id)
    require(policies.can_link_records(api_user(), contact), hide=False)
    return operations.link_records(contact, data, actor=api_user())


@blp.route("/<int:contact_id>/respond", methods=["POST"])
@blp.arguments(RespondSchema)
@blp.response(200, ContactDetailOut)
def respond(data, contact_id: int):
    """The partner office confirms a shared contact and/or adds its notes."""
    contact = _contact(contact_id)
    require(policies.can_add_partner_note(api_user(), contact), hide=False)
    return operations.respond(contact, data, actor=api_user())


@blp.route("/<int:contact_id>/follow-up-done", methods=["POST"])
@blp.arguments(VersionSchema)
@blp.response(200, ContactDetailOut)
def follow_up_done(data, contact_id: int):
    contact = _contact(contact_id)
    require(policies.can_close_follow_up(api_user(), contact), hide=False)
    return operations.close_follow_up(contact, data, actor=api_user())


@blp.route("/<int:contact_id>/request", methods=["POST"])
@blp.arguments(MakeRequestSchema)
@blp.response(201, RequestMadeOut)
def make_request(data, contact_id: int):
    """Send a request to the contact's partner about its case and people, linked to it."""
    contact = _contact(contact_id)
    user = api_user()
    require(policies.can_make_request(user, contact) and can_send_requests(user), hide=False)
    created = operations.make_request(contact, data, actor=user)
    return {"request_id": created.id, "reference": created.reference, "contact": contact}
