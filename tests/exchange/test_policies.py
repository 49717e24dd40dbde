"""The request access matrix: every role × every step × the actor's office's relation to it.

The policy functions of coordination/exchange/policies.py (and the attachments rule exchange
registers for the files of a thread) are called directly. The tables are the specification,
written out by hand from what the code decides today; nothing is derived from the code.

Every request is sent by QT-BLO (Quảng Trị) to its partner SVK-BLO (Savannakhet). An actor
holds one role and works at the office of one relation:

- sender:         QT-BLO, the sending office
- sender_prov:    QT-SC, the steering committee of the sending province (supervisors sit here)
- recipient:      SVK-BLO, the partner office that received the request
- recipient_prov: SVK-PC, another office of the receiving province
- other_prov:     LS-BLO, Lạng Sơn: the sender's country, another province, not a party
- foreign:        PX-BLO, on the Chinese side, no partnership with either party
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from coordination.attachments.models import Document
from coordination.attachments.policies import can_view_document
from coordination.exchange import operations
from coordination.exchange import policies as exchange_policies
from coordination.exchange.models import MessageKind, Request
from coordination.extensions import db
from tests.conftest import user_named
from tests.exchange.helpers import make_case, office_id, send_request
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

RELATIONS = ("sender", "sender_prov", "recipient", "recipient_prov", "other_prov", "foreign")
RELATION_OFFICE = {
    "sender": "QT-BLO",
    "sender_prov": "QT-SC",
    "recipient": "SVK-BLO",
    "recipient_prov": "SVK-PC",
    "other_prov": "LS-BLO",
    "foreign": "PX-BLO",
}
WHERE = {
    "sender": "of the sending office",
    "sender_prov": "elsewhere in the sending province",
    "recipient": "of the receiving office",
    "recipient_prov": "elsewhere in the receiving province",
    "other_prov": "of another province of the sender's country",
    "foreign": "of an unrelated office abroad",
}

# --- The specification -----------------------------------------------------------------------

# fmt: off
OBJECTLESS_MATRIX = {
    "write a new request": {
        "liaison_officer": T, "border_guard": F, "social_worker": F, "supervisor": F, "admin": F,
    },
}

# role → allowed for (sender, sender_prov, recipient, recipient_prov, other_prov, foreign)
OBJECT_MATRIX = {
    "see a draft": {
        #                    sender s_prov recip r_prov other foreign
        "liaison_officer":  (T,     F,     F,    F,     F,    F),
        "border_guard":     (T,     F,     F,    F,     F,    F),
        "social_worker":    (T,     F,     F,    F,     F,    F),
        "supervisor":       (T,     T,     F,    F,     F,    F),
        # QUESTION: an administrator working at the sending office reads its requests and the
        # personal data they share, though cases.policies keeps administrators out of case
        # files (need to know). Same for every "see"/"download" row below.
        "admin":            (T,     F,     F,    F,     F,    F),
    },
    "see a sent request": {
        "liaison_officer":  (T,     F,     T,    F,     F,    F),
        "border_guard":     (T,     F,     T,    F,     F,    F),
        "social_worker":    (T,     F,     T,    F,     F,    F),
        "supervisor":       (T,     T,     T,    T,     F,    F),
        "admin":            (T,     F,     T,    F,     F,    F),  # QUESTION: see "see a draft"
    },
    "download a file of a sent request's thread": {
        "liaison_officer":  (T,     F,     T,    F,     F,    F),
        "border_guard":     (T,     F,     T,    F,     F,    F),
        "social_worker":    (T,     F,     T,    F,     F,    F),
        "supervisor":       (T,     T,     T,    T,     F,    F),
        "admin":            (T,     F,     T,    F,     F,    F),  # QUESTION: see "see a draft"
    },
    "send a draft": {
        "liaison_officer":  (T,     F,     F,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "acknowledge a sent request": {
        "liaison_officer":  (F,     F,     T,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "answer a sent request": {
        "liaison_officer":  (F,     F,     T,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "answer an acknowledged request": {
        "liaison_officer":  (F,     F,     T,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "ask the sender for more about a sent request": {
        "liaison_officer":  (F,     F,     T,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "decline a sent request": {
        "liaison_officer":  (F,     F,     T,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "withdraw a sent request": {
        "liaison_officer":  (T,     F,     F,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "give the more information asked for": {
        "liaison_officer":  (T,     F,     F,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "reopen an answered request": {
        "liaison_officer":  (T,     F,     F,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "close an answered request": {
        "liaison_officer":  (T,     F,     F,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "acknowledge a draft": {
        "liaison_officer":  (F,     F,     F,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
    "verify the identities asked about against own records": {
        "liaison_officer":  (F,     F,     T,    F,     F,    F),
        "border_guard":     (F,     F,     F,    F,     F,    F),
        "social_worker":    (F,     F,     F,    F,     F,    F),
        "supervisor":       (F,     F,     F,    F,     F,    F),
        "admin":            (F,     F,     F,    F,     F,    F),
    },
}

# The steps open to each side's liaison officer, in each state (sender, recipient).
STEPS_BY_STATE = {
    "draft":                 (["send"], []),
    "sent":                  (["withdraw"], ["acknowledge", "reply", "ask_back", "decline"]),
    "acknowledged":          (["withdraw"], ["reply", "ask_back", "decline"]),
    "information_requested": (["supplement", "withdraw"], []),
    "answered":              (["reopen", "close"], []),
    "withdrawn":             ([], []),
}
# fmt: on


def _step(kind: MessageKind):
    return lambda actor, request: exchange_policies.can_take_step(actor, request, kind)


# action → (object, how it is asked)
OBJECT_ACTIONS = {
    "see a draft": ("draft", exchange_policies.can_view_request),
    "see a sent request": ("sent", exchange_policies.can_view_request),
    "download a file of a sent request's thread": ("thread_file", can_view_document),
    "send a draft": ("draft", _step(MessageKind.SEND)),
    "acknowledge a sent request": ("sent", _step(MessageKind.ACKNOWLEDGE)),
    "answer a sent request": ("sent", _step(MessageKind.REPLY)),
    "answer an acknowledged request": ("acknowledged", _step(MessageKind.REPLY)),
    "ask the sender for more about a sent request": ("sent", _step(MessageKind.ASK_BACK)),
    "decline a sent request": ("sent", _step(MessageKind.DECLINE)),
    "withdraw a sent request": ("sent", _step(MessageKind.WITHDRAW)),
    "give the more information asked for": (
        "information_requested",
        _step(MessageKind.SUPPLEMENT),
    ),
    "reopen an answered request": ("answered", _step(MessageKind.REOPEN)),
    "close an answered request": ("answered", _step(MessageKind.CLOSE)),
    "acknowledge a draft": ("draft", _step(MessageKind.ACKNOWLEDGE)),
    "verify the identities asked about against own records": (
        "identity_verification",
        exchange_policies.can_verify_identities,
    ),
}
OBJECTLESS_ACTIONS = {"write a new request": exchange_policies.can_send_requests}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- The world the matrix is asked about -----------------------------------------------------


@dataclass
class World:
    actors: dict[tuple[str, str], int]  # (role, relation) → user id
    deactivated: dict[str, int]  # role → user id, at the sending office
    requests: dict[str, int]  # name → request id
    thread_file: int  # a document attached to the sent message of a request

    def target(self, name: str):
        if name == "thread_file":
            return db.session.get(Document, self.thread_file)
        return db.session.get(Request, self.requests[name])


def _build_requests() -> tuple[dict[str, int], int]:
    qt, svk = user_named("qt.liaison"), user_named("svk.liaison")
    case, victim, _relative = make_case()

    def information(**kwargs):
        return send_request(case, [victim], kind="information", **kwargs)

    requests = {
        "draft": information(action="draft"),
        "sent": information(),
        "acknowledged": information(),
        "information_requested": information(),
        "answered": information(),
        "withdrawn": information(),
        "identity_verification": send_request(case, [victim]),
    }
    steps = {
        "acknowledged": (MessageKind.ACKNOWLEDGE, svk),
        "information_requested": (MessageKind.ASK_BACK, svk),
        "answered": (MessageKind.REPLY, svk),
        "withdrawn": (MessageKind.WITHDRAW, qt),
    }
    for name, (step, actor) in steps.items():
        operations.take_step(requests[name], step, {"body": "Nội dung."}, {}, actor=actor)
    with_file = operations.compose(
        {
            "recipient_office_id": office_id("SVK-BLO"),
            "kind": "information",
            "subject": "Hồ sơ kèm theo",
            "body": "Bản chụp giấy tờ.",
            "case_id": case.id,
            "person_ids": [victim.id],
            "shared_fields": ["name_as_written"],
            "action": "send",
        },
        actor=qt,
        files=[(PDF, "application/pdf", "giay-to.pdf")],
    )
    db.session.flush()
    (document,) = db.session.scalars(
        select(Document).where(
            Document.request_message_id.in_([message.id for message in with_file.messages])
        )
    ).all()
    return {name: found.id for name, found in requests.items()}, document.id


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    with module_database(database_template, tmp_path_factory, "exchange-policies"):
        actors = make_actors(RELATION_OFFICE)
        deactivated = make_deactivated("QT-BLO")
        requests, thread_file = _build_requests()
        db.session.commit()
        yield World(actors, deactivated, requests, thread_file)


# --- The matrix ------------------------------------------------------------------------------

OBJECT_CASES = object_cases(OBJECT_MATRIX, RELATIONS, WHERE)
OBJECTLESS_CASES = objectless_cases(OBJECTLESS_MATRIX, "of any office")


def test_the_tables_cover_every_role_action_and_relation():
    check_tables(OBJECT_MATRIX, OBJECT_ACTIONS, RELATIONS)
    check_tables(OBJECTLESS_MATRIX, OBJECTLESS_ACTIONS, None)
    assert len(OBJECT_CASES) == len(OBJECT_ACTIONS) * len(ROLES) * len(RELATIONS)


@pytest.mark.parametrize(("action", "role", "allowed"), OBJECTLESS_CASES)
def test_objectless_action(world, action, role, allowed):
    for relation in RELATIONS:  # the office does not matter
        actor = user(world.actors[(role, relation)])
        assert OBJECTLESS_ACTIONS[action](actor) is allowed, relation


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), OBJECT_CASES)
def test_action_on_request(world, action, role, relation, allowed):
    name, policy = OBJECT_ACTIONS[action]
    actor = user(world.actors[(role, relation)])
    assert policy(actor, world.target(name)) is allowed


@pytest.mark.parametrize(
    ("state", "side"),
    [
        pytest.param(
            state,
            side,
            id=f"the {side}'s liaison officer's steps on a request that is "
            + state.replace("_", " "),
        )
        for state in STEPS_BY_STATE
        for side in ("sender", "recipient")
    ],
)
def test_steps_open_in_each_state(world, state, side):
    expected = STEPS_BY_STATE[state][0 if side == "sender" else 1]
    actor = user(world.actors[("liaison_officer", side)])
    steps = exchange_policies.allowed_steps(actor, world.target(state))
    assert [str(step) for step in steps] == expected


@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_user_of_the_sending_office_is_refused_everything(world, role):
    actor = user(world.deactivated[role])
    assert actor.is_active is False
    answers = {action: policy(actor) for action, policy in OBJECTLESS_ACTIONS.items()}
    for action, (name, policy) in OBJECT_ACTIONS.items():
        answers[action] = policy(actor, world.target(name))
    for state in STEPS_BY_STATE:
        answers[f"steps on {state}"] = bool(
            exchange_policies.allowed_steps(actor, world.target(state))
        )
    assert answers == dict.fromkeys(answers, False)
