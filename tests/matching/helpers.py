"""Register entries and incoming verification requests, built through the real operations."""

from __future__ import annotations

from datetime import date

from coordination.cases import operations as case_operations
from coordination.exchange import operations as exchange_operations
from tests.conftest import user_named
from tests.exchange.helpers import office_id


def register(username, name, romanised=None, born=None, sex="female", commune_id=None):
    return case_operations.create_missing_report(
        {
            "name_as_written": name,
            "name_romanised": romanised,
            "sex": sex,
            "date_of_birth": born,
            "home_commune_id": commune_id,
            "missing_since": date(2026, 3, 1),
            "reporter_name": "Gia đình",
        },
        actor=user_named(username),
    )


def lao_request_about(name, age):
    """Savannakhet rescued someone and asks Quảng Trị who she is."""
    return lao_request([{"name_as_written": name, "estimated_age": age}])


def lao_request(people: list[dict], shared=("name_as_written", "sex", "estimated_age")):
    """Savannakhet asks Quảng Trị who these people are (each dict: a person's fields)."""
    lao = user_named("svk.liaison")
    case = case_operations.create_case(
        {"title": "ຊ່ວຍເຫຼືອ 3 ຄົນ", "opened_on": date(2026, 11, 1)}, actor=lao
    )
    added = [
        case_operations.add_person(case, {"role": "victim", "sex": "female", **person}, actor=lao)
        for person in people
    ]
    return exchange_operations.compose(
        {
            "recipient_office_id": office_id("QT-BLO"),
            "kind": "identity_verification",
            "subject": "ກວດສອບຕົວຕົນ",
            "case_id": case.id,
            "person_ids": [person.id for person in added],
            "shared_fields": list(shared),
            "action": "send",
        },
        actor=lao,
    )
