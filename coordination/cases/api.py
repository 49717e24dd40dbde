"""API: cases, people and the missing-person register. Same policies as the HTML views."""

from __future__ import annotations

from marshmallow import fields

from coordination.cases import operations, policies, queries
from coordination.cases.loaders import case_or_404, missing_report_or_404, person_or_404
from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.cases.schemas import (
    PERSON_ACTION_FIELDS,
    CaseSchema,
    MissingPersonSchema,
    PersonSchema,
    SearchArgs,
)
from coordination.core.access import require
from coordination.core.api import (
    SQLPage,
    api_blueprint,
    api_user,
    patch_schema,
    put_schema,
    query_args,
)
from coordination.core.validation import Schema

blp = api_blueprint("api_cases", __name__, "", "Cases, people and missing-person reports.")

# Updates: PUT sends the whole record, PATCH only the fields to change; both send `version`.
CasePut, CasePatch = put_schema(CaseSchema), patch_schema(CaseSchema)
PersonPut = put_schema(PersonSchema, optional=PERSON_ACTION_FIELDS)
PersonPatch = patch_schema(PersonSchema)
MissingPersonPut, MissingPersonPatch = (
    put_schema(MissingPersonSchema),
    patch_schema(MissingPersonSchema),
)


class PersonOut(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    role = fields.String()
    name_as_written = fields.String()
    name_romanised = fields.String(allow_none=True)
    sex = fields.String()
    date_of_birth = fields.Date(allow_none=True)
    estimated_age = fields.Integer(allow_none=True)
    nationality = fields.String(allow_none=True)
    home_province_id = fields.Integer(allow_none=True)
    child = fields.Function(lambda person: person.is_child())
    victim_status = fields.String(allow_none=True)
    version = fields.Integer()


def _protected(name: str) -> fields.Function:
    """A field a child's record shows only to those working the case (null otherwise)."""

    def value(person: Person):
        if person.is_child() and not policies.can_see_protected_details(api_user(), person):
            return None
        return getattr(person, name)

    return fields.Function(value, allow_none=True)


class PersonDetailOut(PersonOut):
    home_commune_id = _protected("home_commune_id")
    home_address = _protected("home_address")
    identity_documents = fields.List(fields.Dict())
    relatives_contacts = _protected("relatives_contacts")
    guardian = _protected("guardian")


class CaseOut(Schema):
    id = fields.Integer()
    number = fields.String()
    office_id = fields.Integer()
    title = fields.String()
    summary = fields.String(allow_none=True)
    status = fields.String()
    opened_on = fields.Date()
    version = fields.Integer()


class CaseDetailOut(CaseOut):
    people = fields.List(fields.Nested(PersonOut))


class MissingOut(Schema):
    id = fields.Integer()
    office_id = fields.Integer()
    name_as_written = fields.String()
    name_romanised = fields.String(allow_none=True)
    sex = fields.String()
    date_of_birth = fields.Date(allow_none=True)
    estimated_age = fields.Integer(allow_none=True)
    home_province_id = fields.Integer(allow_none=True)
    missing_since = fields.Date()
    last_seen_place = fields.String(allow_none=True)
    status = fields.String()
    found_on = fields.Date(allow_none=True)
    version = fields.Integer()


def _case(case_id: int) -> Case:
    return case_or_404(case_id, api_user())


@blp.route("/cases")
@blp.arguments(query_args(SearchArgs), location="query", as_kwargs=True)
@blp.response(200, CaseOut(many=True))
@blp.paginate(SQLPage, page_size=50, max_page_size=200)
def list_cases(q=None, status=None):
    return queries.search_cases(api_user(), q, status)


@blp.route("/cases", methods=["POST"])
@blp.arguments(CaseSchema)
@blp.response(201, CaseDetailOut)
def create_case(data):
    require(policies.can_open_case(api_user()), hide=False)
    return operations.create_case(data, actor=api_user())


@blp.route("/cases/<int:case_id>")
@blp.response(200, CaseDetailOut)
def get_case(case_id: int):
    case = _case(case_id)
    operations.record_case_view(case, actor=api_user())
    return case


@blp.route("/cases/<int:case_id>", methods=["PUT"])
@blp.arguments(CasePut)
@blp.response(200, CaseDetailOut)
def replace_case(data, case_id: int):
    """Replace the case's fields: every field must be sent."""
    return _update_case(case_id, data)


@blp.route("/cases/<int:case_id>", methods=["PATCH"])
@blp.arguments(CasePatch)
@blp.response(200, CaseDetailOut)
def update_case(data, case_id: int):
    """Change the fields sent; the others stay as they are."""
    return _update_case(case_id, data)


def _update_case(case_id: int, data: dict) -> Case:
    case = _case(case_id)
    require(policies.can_edit_case(api_user(), case), hide=False)
    return operations.update_case(case, data, actor=api_user())


@blp.route("/cases/<int:case_id>/people", methods=["POST"])
@blp.arguments(PersonSchema)
@blp.response(201, PersonDetailOut)
def add_person(data, case_id: int):
    case = _case(case_id)
    require(policies.can_edit_case(api_user(), case), hide=False)
    return operations.add_person(case, data, actor=api_user())


@blp.route("/people/<int:person_id>")
@blp.response(200, PersonDetailOut)
def get_person(person_id: int):
    person = person_or_404(person_id, api_user())
    operations.record_person_view(person, actor=api_user())
    return person


@blp.route("/people/<int:person_id>", methods=["PUT"])
@blp.arguments(PersonPut)
@blp.response(200, PersonDetailOut)
def replace_person(data, person_id: int):
    """Replace the person's fields: every field must be sent. Recording a child as an adult
    needs `confirm_not_child` and `not_child_reason`."""
    return _update_person(person_id, data)


@blp.route("/people/<int:person_id>", methods=["PATCH"])
@blp.arguments(PersonPatch)
@blp.response(200, PersonDetailOut)
def update_person(data, person_id: int):
    """Change the fields sent; the others stay as they are. Recording a child as an adult
    needs `confirm_not_child` and `not_child_reason`."""
    return _update_person(person_id, data)


def _update_person(person_id: int, data: dict) -> Person:
    person = person_or_404(person_id, api_user())
    require(policies.can_edit_person(api_user(), person), hide=False)
    return operations.update_person(person, data, actor=api_user())


@blp.route("/missing-persons")
@blp.arguments(query_args(SearchArgs), location="query", as_kwargs=True)
@blp.response(200, MissingOut(many=True))
@blp.paginate(SQLPage, page_size=50, max_page_size=200)
def list_missing(q=None, status=None):
    return queries.search_missing_reports(api_user(), q, status)


@blp.route("/missing-persons", methods=["POST"])
@blp.arguments(MissingPersonSchema)
@blp.response(201, MissingOut)
def create_missing(data):
    require(policies.can_report_missing(api_user()), hide=False)
    return operations.create_missing_report(data, actor=api_user())


@blp.route("/missing-persons/<int:report_id>")
@blp.response(200, MissingOut)
def get_missing(report_id: int):
    report = missing_report_or_404(report_id, api_user())
    operations.record_missing_view(report, actor=api_user())
    return report


@blp.route("/missing-persons/<int:report_id>", methods=["PUT"])
@blp.arguments(MissingPersonPut)
@blp.response(200, MissingOut)
def replace_missing(data, report_id: int):
    """Replace the entry's fields: every field must be sent."""
    return _update_missing(report_id, data)


@blp.route("/missing-persons/<int:report_id>", methods=["PATCH"])
@blp.arguments(MissingPersonPatch)
@blp.response(200, MissingOut)
def update_missing(data, report_id: int):
    """Change the fields sent; the others stay as they are."""
    return _update_missing(report_id, data)


def _update_missing(report_id: int, data: dict) -> MissingPersonReport:
    report = missing_report_or_404(report_id, api_user())
    require(policies.can_edit_missing(api_user(), report), hide=False)
    return operations.update_missing_report(report, data, actor=api_user())
