"""Input validation for requests and the steps of their threads."""

from __future__ import annotations

from marshmallow import fields

from coordination.core.validation import Choice, Id, Schema, Text
from coordination.directory.models import RequestKind
from coordination.exchange.models import MessageKind, RequestState, VerificationResult
from coordination.i18n import L_

# Fields of a person that a sender may choose to share, in display order.
SHAREABLE_FIELDS = {
    "name_as_written": L_("Name as written"),
    "name_romanised": L_("Name in Latin letters"),
    "sex": L_("Sex"),
    "date_of_birth": L_("Date of birth"),
    "estimated_age": L_("Estimated age"),
    "nationality": L_("Nationality"),
    "home_province": L_("Home province"),
    "home_commune": L_("Home commune"),
    "home_address": L_("Home address"),
    "identity_documents": L_("Identity documents"),
    "relatives_contacts": L_("Contacts of relatives"),
    "guardian": L_("Guardian"),
}
DEFAULT_SHARED = (
    "name_as_written",
    "name_romanised",
    "sex",
    "date_of_birth",
    "estimated_age",
    "nationality",
    "home_province",
)


class ComposeSchema(Schema):
    recipient_office_id = Id(required=True)
    kind = Choice([kind.value for kind in RequestKind], required=True)
    subject = Text(required=True, max_length=200)
    body = Text(max_length=10000, multiline=True)
    case_id = Id(load_default=None)
    person_ids = fields.List(Id(), load_default=list)
    shared_fields = fields.List(Choice(list(SHAREABLE_FIELDS)), load_default=list)
    action = Choice(["draft", "send"], load_default="send")


class StepSchema(Schema):
    step = Choice([kind.value for kind in MessageKind], required=True)
    body = Text(max_length=10000, multiline=True)
    version = Id(load_default=None)


OUTCOME_CHOICES = [result.value for result in VerificationResult]


class ListArgs(Schema):
    class Meta:
        unknown = "exclude"

    kind = Choice([kind.value for kind in RequestKind], load_default=None)
    state = Choice([state.value for state in RequestState], load_default=None)
    partner = Id(load_default=None)
    overdue = fields.Boolean(load_default=False)
    q = Text(max_length=100)
