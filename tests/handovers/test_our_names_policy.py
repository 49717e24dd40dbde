"""Who reads our record's name beside the partner's rendering (policies.reads_our_record):
every demo user against a Quảng Trị register entry confirmed by Quảng Trị's liaison office,
and against a Lạng Sơn entry confirmed from Quảng Trị."""

from __future__ import annotations

from datetime import date

import pytest

from coordination.cases import operations as case_operations
from coordination.demo_data import USERS
from coordination.handovers.policies import reads_our_record
from coordination.handovers.queries import our_records
from coordination.matching.operations import decide_match
from tests.conftest import user_named
from tests.handovers.helpers import matched_journey

EVERYONE = [user[0] for user in USERS]  # every demo user
# The office owning the entry (QT-BLO, which also confirmed) and the Lao Bảo station.
QUANG_TRI_ENTRY = {"qt.liaison", "qt.guard"}
# Owned by Lạng Sơn's office, confirmed by Quảng Trị's: both offices and their stations.
LANG_SON_ENTRY = {"qt.liaison", "qt.guard", "ls.liaison", "ls.guard"}


def _record(owner: str):
    journey = matched_journey(confirm=False)
    report = case_operations.create_missing_report(
        {
            "name_as_written": "Nguyễn Thị Hướng",
            "missing_since": date(2026, 3, 2),
            "reporter_name": "Gia đình",
        },
        actor=user_named(owner),
    )
    decide_match(
        journey["verification"].people[0], "missing", report, "confirmed",
        note=None, score=0.9, actor=user_named("qt.liaison"),
    )  # fmt: skip
    first = journey["handover"].people[0]
    (found,) = our_records(journey["handover"].people)[first.id]
    return found


@pytest.mark.parametrize(("owner", "readers"), [("qt.liaison", QUANG_TRI_ENTRY),
                                                ("ls.liaison", LANG_SON_ENTRY)])  # fmt: skip
def test_our_side_only(app_ctx, owner, readers):
    found = _record(owner)
    allowed = {name for name in EVERYONE if reads_our_record(user_named(name), found)}
    assert allowed == readers


def test_a_deactivated_user_reads_nothing(app_ctx):
    found = _record("qt.liaison")
    guard = user_named("qt.guard")
    guard.is_enabled = False
    assert not reads_our_record(guard, found)
