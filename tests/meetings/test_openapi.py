"""The OpenAPI document tells the truth about the meetings routes (schemathesis, as
tests/test_openapi.py does for the whole API): schema-valid input accepted, invalid refused,
never a server error."""

import pytest
import schemathesis
from schemathesis import GenerationMode

from tests.test_openapi import _failures, _token


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_meetings_openapi(app, mode):
    headers = {"Authorization": f"Bearer {_token(app)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if "/meetings" not in operation.path:
            continue
        failures.extend(_failures(operation, mode, headers))
    unique = list(dict.fromkeys(failures))
    assert not unique, f"{len(unique)} failures:\n" + "\n".join(unique)
