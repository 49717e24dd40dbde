"""The matching access matrix: who looks for and decides on the candidates of a requested person.

Matching decides access in coordination/matching/policies.py (candidates, match decisions,
people search) and, for the records a candidate may be, in coordination/matching/queries.py
(visible_record: the person or register entry, or None). The comparison page asks both, and
cases.policies.can_see_protected_details for a child candidate. All are called directly. The
tables are the specification, written out by hand from what the code decides today.

Savannakhet (SVK-BLO) rescued someone and asks Quảng Trị (QT-BLO) who she is (an identity
verification); QT-BLO looks for her in its cases and in the register. The candidate records
(a person of a QT-BLO case, a child of that case, a QT-BLO register entry) belong to QT-BLO.
An actor holds one role and works at the office of one relation:

- recipient:      QT-BLO, the office asked, whose records are searched
- recipient_prov: QT-SC, the steering committee of Quảng Trị (supervisors sit here)
- other_prov:     LS-BLO, Lạng Sơn: the recipient's country, another province
- sender:         SVK-BLO, the office that asks
- sender_prov:    SVK-PC, another office of the sending province
- foreign:        PX-BLO, on the Chinese side, no partnership
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from coordination.cases import operations as case_operations
from coordination.cases import policies as case_policies
from coordination.cases.models import MissingPersonReport, Person
from coordination.exchange import operations as exchange_operations
from coordination.exchange import policies as exchange_policies
from coordination.exchange.models import MessageKind, Request
from coordination.extensions import db
from coordination.matching import policies as matching_policies
from coordination.matching import queries as matching_queries
from tests.conftest import user_named
from tests.exchange.helpers import make_case, office_id
from tests.matching.helpers import lao_request, register
from tests.policy_matrix import (
    ROLES,
    F,
    T,
    check_tables,
    make_actors,
    make_deactivated,
    module_database,
    object_cases,
    objectless_cases,
    user,
)

RELATIONS = ("recipient", "recipient_prov", "other_prov", "sender", "sender_prov", "foreign")
RELATION_OFFICE = {
    "recipient": "QT-BLO",
    "recipient_prov": "QT-SC",
    "other_prov": "LS-BLO",
    "sender": "SVK-BLO",
    "sender_prov": "SVK-PC",
    "foreign": "PX-BLO",
}
WHERE = {
    "recipient": "of the office asked",
    "recipient_prov": "elsewhere in the province asked",
    "other_prov": "of another province of the country asked",
    "sender": "of the asking office",
    "sender_prov": "elsewhere in the asking province",
    "foreign": "of an unrelated office abroad",
}

# --- The specification -----------------------------------------------------------------------

# fmt: off
OBJECTLESS_MATRIX = {
    # Anyone signed in may open the people search; what it finds is scoped by the lists of
    # cases and register entries the user sees (an administrator finds nothing).
    "search people by name": {
        "liaison_officer": T, "border_guard": T, "social_worker": T, "supervisor": T, "admin": T,
    },
}

_RECIPIENT_LIAISON_ONLY = {
    #                    recip r_prov other sender s_prov foreign
    "liaison_officer":  (T,    F,     F,    F,     F,     F),
    "border_guard":     (F,    F,     F,    F,     F,     F),
    "social_worker":    (F,    F,     F,    F,     F,     F),
    "supervisor":       (F,    F,     F,    F,     F,     F),
    "admin":            (F,    F,     F,    F,     F,     F),
}
_NOBODY = {role: (F,) * len(RELATIONS) for role in ROLES}

# role → allowed for (recipient, recipient_prov, other_prov, sender, sender_prov, foreign)
OBJECT_MATRIX = {
    "see the candidates for a person asked about": _RECIPIENT_LIAISON_ONLY,
    "see the candidates once the request is acknowledged": _RECIPIENT_LIAISON_ONLY,
    "see the candidates while the sender is asked for more": _RECIPIENT_LIAISON_ONLY,
    "look back at the candidates after the reply": _RECIPIENT_LIAISON_ONLY,
    "see candidates for a request still in draft": _NOBODY,
    "see candidates for a request that is not an identity verification": _NOBODY,
    "confirm or reject a match on a sent request": _RECIPIENT_LIAISON_ONLY,
    "confirm or reject a match once the request is acknowledged": _RECIPIENT_LIAISON_ONLY,
    "confirm or reject a match while the sender is asked for more": _RECIPIENT_LIAISON_ONLY,
    "confirm or reject a match after the reply": _NOBODY,
    # visible_record: what the comparison page may load (it 404s on None).
    "load a case person of the office asked as a candidate": {
        "liaison_officer":  (T,    F,     F,    F,     F,     F),
        "border_guard":     (T,    F,     F,    F,     F,     F),
        "social_worker":    (T,    F,     F,    F,     F,     F),
        "supervisor":       (T,    T,     F,    F,     F,     F),
        "admin":            (F,    F,     F,    F,     F,     F),
    },
    "load a register entry of the office asked as a candidate": {
        "liaison_officer":  (T,    T,     T,    F,     F,     F),
        "border_guard":     (F,    F,     F,    F,     F,     F),
        "social_worker":    (F,    F,     F,    F,     F,     F),
        "supervisor":       (T,    T,     T,    F,     F,     F),
        "admin":            (F,    F,     F,    F,     F,     F),
    },
    # The whole comparison page: the request seen, candidates reviewable, record visible.
    "compare a person asked about with a case person": _RECIPIENT_LIAISON_ONLY,
    "compare a person asked about with a register entry": _RECIPIENT_LIAISON_ONLY,
    # A child candidate's photo and address on the comparison page.
    "see a child candidate's photo and address": {
        "liaison_officer":  (T,    F,     F,    F,     F,     F),
        "border_guard":     (F,    F,     F,    F,     F,     F),
        "social_worker":    (T,    F,     F,    F,     F,     F),
        "supervisor":       (T,    T,     F,    F,     F,     F),
        "admin":            (F,    F,     F,    F,     F,     F),
    },
}
# fmt: on


def _loads(kind: str):
    def policy(actor, record) -> bool:
        return matching_queries.visible_record(actor, kind, record.id) is not None

    return policy


def _compares(kind: str, record_name: str):
    """What matching.views.compare checks before it shows anything."""

    def policy(actor, world) -> bool:
        request = world.target("sent")
        record = world.target(record_name)
        return (
            exchange_policies.can_view_request(actor, request)
            and matching_policies.can_review_candidates(actor, request)
            and matching_queries.visible_record(actor, kind, record.id) is not None
        )

    return policy


review = matching_policies.can_review_candidates
decide = matching_policies.can_decide_match
# action → (object, how it is asked); the object "world" passes the whole world.
OBJECT_ACTIONS = {
    "see the candidates for a person asked about": ("sent", review),
    "see the candidates once the request is acknowledged": ("acknowledged", review),
    "see the candidates while the sender is asked for more": ("information_requested", review),
    "look back at the candidates after the reply": ("answered", review),
    "see candidates for a request still in draft": ("draft", review),
    "see candidates for a request that is not an identity verification": ("information", review),
    "confirm or reject a match on a sent request": ("sent", decide),
    "confirm or reject a match once the request is acknowledged": ("acknowledged", decide),
    "confirm or reject a match while the sender is asked for more": (
        "information_requested",
        decide,
    ),
    "confirm or reject a match after the reply": ("answered", decide),
    "load a case person of the office asked as a candidate": ("adult", _loads("person")),
    "load a register entry of the office asked as a candidate": ("report", _loads("missing")),
    "compare a person asked about with a case person": ("world", _compares("person", "adult")),
    "compare a person asked about with a register entry": (
        "world",
        _compares("missing", "report"),
    ),
    "see a child candidate's photo and address": (
        "child",
        case_policies.can_see_protected_details,
    ),
}
OBJECTLESS_ACTIONS = {"search people by name": matching_policies.can_search_people}


# --- The world the matrix is asked about -----------------------------------------------------


@dataclass
class World:
    actors: dict[tuple[str, str], int]  # (role, relation) → user id
    deactivated: dict[str, int]  # role → user id, at the office asked
    requests: dict[str, int]  # name → request id (all sent by SVK-BLO to QT-BLO)
    records: dict[str, int]  # adult / child → person id, report → register entry id

    def target(self, name: str):
        if name == "world":
            return self
        if name in ("adult", "child"):
            return db.session.get(Person, self.records[name])
        if name == "report":
            return db.session.get(MissingPersonReport, self.records[name])
        return db.session.get(Request, self.requests[name])


def _build_requests() -> dict[str, int]:
    qt, svk = user_named("qt.liaison"), user_named("svk.liaison")
    asked = {"name_as_written": "Lê Thị Hoa", "estimated_age": 26}
    requests = {
        name: lao_request([asked])
        for name in ("sent", "acknowledged", "information_requested", "answered")
    }
    exchange_operations.take_step(
        requests["acknowledged"], MessageKind.ACKNOWLEDGE, {}, {}, actor=qt
    )
    exchange_operations.take_step(
        requests["information_requested"],
        MessageKind.ASK_BACK,
        {"body": "Đề nghị cho biết quê quán."},
        {},
        actor=qt,
    )
    answered = requests["answered"]
    exchange_operations.take_step(
        answered,
        MessageKind.REPLY,
        {"body": "Đã xác minh."},
        {answered.people[0].id: "confirmed"},
        actor=qt,
    )
    lao_case = requests["sent"].case
    lao_person = requests["sent"].people[0].person
    for name, kind, action in (("draft", "identity_verification", "draft"),
                               ("information", "information", "send")):  # fmt: skip
        requests[name] = exchange_operations.compose(
            {
                "recipient_office_id": office_id("QT-BLO"),
                "kind": kind,
                "subject": "ກວດສອບຕົວຕົນ",
                "case_id": lao_case.id,
                "person_ids": [lao_person.id],
                "shared_fields": ["name_as_written", "sex", "estimated_age"],
                "action": action,
            },
            actor=svk,
        )
    return {name: found.id for name, found in requests.items()}


def _build_records() -> dict[str, int]:
    case, adult, _relative = make_case(
        name_as_written="Lê Thị Hoa", name_romanised="Le Thi Hoa", date_of_birth=date(2000, 1, 2)
    )
    child = case_operations.add_person(
        case,
        {
            "role": "victim",
            "name_as_written": "Lê Thị Hoa",
            "sex": "female",
            "date_of_birth": date(2011, 6, 1),
            "home_address": "Thôn 5, xã Tân Thành",
        },
        actor=user_named("qt.liaison"),
    )
    assert child.is_child()
    report = register("qt.liaison", "Lê Thị Hoa", "Le Thi Hoa", date(2000, 1, 2))
    return {"adult": adult.id, "child": child.id, "report": report.id}


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    with module_database(database_template, tmp_path_factory, "matching-policies"):
        actors = make_actors(RELATION_OFFICE)
        deactivated = make_deactivated("QT-BLO")
        records = _build_records()
        requests = _build_requests()
        db.session.commit()
        yield World(actors, deactivated, requests, records)


# --- The matrix ------------------------------------------------------------------------------

OBJECT_CASES = object_cases(OBJECT_MATRIX, RELATIONS, WHERE)
OBJECTLESS_CASES = objectless_cases(OBJECTLESS_MATRIX, "of any office")


def test_the_tables_cover_every_role_action_and_relation():
    check_tables(OBJECT_MATRIX, OBJECT_ACTIONS, RELATIONS)
    check_tables(OBJECTLESS_MATRIX, OBJECTLESS_ACTIONS, None)
    assert len(OBJECT_CASES) == len(OBJECT_ACTIONS) * len(ROLES) * len(RELATIONS)


def test_the_requests_are_in_the_states_their_names_say(world):
    states = {name: str(world.target(name).state) for name in world.requests}
    assert states == {
        "sent": "sent",
        "acknowledged": "acknowledged",
        "information_requested": "information_requested",
        "answered": "answered",
        "draft": "draft",
        "information": "sent",
    }


@pytest.mark.parametrize(("action", "role", "allowed"), OBJECTLESS_CASES)
def test_objectless_action(world, action, role, allowed):
    for relation in RELATIONS:  # the office does not matter
        actor = user(world.actors[(role, relation)])
        assert OBJECTLESS_ACTIONS[action](actor) is allowed, relation


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), OBJECT_CASES)
def test_action_in_matching(world, action, role, relation, allowed):
    name, policy = OBJECT_ACTIONS[action]
    actor = user(world.actors[(role, relation)])
    assert policy(actor, world.target(name)) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_user_of_the_office_asked_is_refused_everything(world, role):
    actor = user(world.deactivated[role])
    assert actor.is_active is False
    answers = {action: policy(actor) for action, policy in OBJECTLESS_ACTIONS.items()}
    for action, (name, policy) in OBJECT_ACTIONS.items():
        answers[action] = policy(actor, world.target(name))
    assert answers == dict.fromkeys(answers, False)
