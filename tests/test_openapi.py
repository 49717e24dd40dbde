"""The OpenAPI document tells the truth: schemathesis against the app's own /api/v1/openapi.json.

Every operation gets a bounded, derandomised set of generated requests (schema-valid ones and
schema-violating ones) sent through the WSGI app with a demo user's bearer token. Every
default check must pass: no server error, and status codes, headers, content types and
bodies as documented; schema-valid input accepted and invalid input refused.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from coordination.auth.operations import create_api_token
from coordination.extensions import db
from tests.conftest import user_named

# Schema-valid input may still name records that do not exist or may not be used (a place,
# an office that is not a partner, a person not in the request): the server refuses these
# with 422 and a message on the field. No JSON schema can list them, so a refusal that is
# only about these fields is not counted against the document.
REFERENCES = {
    "home_province_id",
    "home_commune_id",
    "recipient_office_id",
    "partner_office_id",  # contacts: an office that is not a partner
    "request_id",  # contacts: a request of another office
    "gate_id",  # patrols: a border gate not on the border between the two offices
    "case_id",
    "person_ids",
    "file",  # htcds import: a file whose content is checked row by row (a report)
    "outcomes",  # keys are request-person ids (OpenAPI 3.0 cannot state a key pattern)
}
EXAMPLES = 20  # per operation and generation mode: well under a minute per database
USERNAME = "qt.liaison"  # a liaison officer: can read and write cases, people and requests


def _token(app) -> str:
    with app.app_context():
        user = user_named(USERNAME)
        _stored, plain = create_api_token(user, "schemathesis", actor=user)
        db.session.commit()
    return plain


def _failures(operation, mode: GenerationMode, headers: dict) -> list[str]:
    found: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # report, do not shrink: keeps it fast
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        try:
            case.validate_response(response, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                if _refused_reference(failure, response):
                    continue
                if _lost_on_the_wire(failure, case):
                    continue
                found.append(
                    f"{operation.label} [{mode.value}] {failure.title}: {_sent(case)} -> "
                    f"{_answer(response)}"
                )

    run()
    return found


def _lost_on_the_wire(failure, case) -> bool:
    """A "violating" query value that a URL cannot carry: an empty object or list goes out as
    "null" or nothing, which the parameter (a string, or optional) rightly accepts."""
    if failure.title != "Schema-violating request accepted":
        return False
    return any(
        isinstance(value, dict | list) and not value for value in (case.query or {}).values()
    )


def _refused_reference(failure, response) -> bool:
    if failure.title != "Schema-valid request rejected" or response.status_code != 422:
        return False
    errors = (response.json() or {}).get("errors") or {}
    return bool(errors) and set(errors) <= REFERENCES


def _sent(case) -> str:
    return " ".join(case.as_curl_command().split())[:300]


def _answer(response) -> str:
    return f"{response.status_code} {' '.join(response.text.split())[:300]}"


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_does_what_its_openapi_document_says(app, mode):
    headers = {"Authorization": f"Bearer {_token(app)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        failures.extend(_failures(operation, mode, headers))
    unique = list(dict.fromkeys(failures))
    assert not unique, f"{len(unique)} failures:\n" + "\n".join(unique)
