"""The gate refers a person to a social protection centre or shelter of the directory."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coordination.core.errors import OperationError
from coordination.core.signals import handover_completed
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.handovers import operations
from coordination.handovers.models import Handover, HandoverPerson, HandoverRecord
from coordination.handovers.record_pdf import render_handover_record
from tests.conftest import translated, user_named
from tests.handovers.helpers import scheduled_handover

CENTRE_OF_ANOTHER_COUNTRY = (
    "Choose a social protection centre or shelter of the receiving country from the list."
)
CENTRE_WITHOUT_REFERRAL = (
    "A centre or shelter is chosen only for a referral to a social protection centre."
)


def office_id(code: str) -> int:
    return db.session.scalar(select(Office.id).where(Office.code == code))


def _people(handover, **fields) -> dict:
    return {
        person.id: {"handed_over": True, "referral": "social_protection_centre", **fields}
        for person in handover.people
    }


def _complete(handover, people, *, action="complete"):
    data = {
        "action": action,
        "completed_at": datetime.now(UTC) - timedelta(minutes=5),
        "version": handover.version,
    }
    return operations.log_at_gate(handover, data, people, actor=user_named("qt.guard"))


def test_completion_names_the_centre_in_the_person_the_record_and_the_signal(app_ctx):
    handover = scheduled_handover()
    centre = office_id("QT-SPC")
    heard = []

    def listen(sender, **extra):
        heard.append([p.referral_office_id for p in sender.people])

    handover_completed.connect(listen)
    try:
        issued = _complete(handover, _people(handover, referral_office_id=centre))
    finally:
        handover_completed.disconnect(listen)
    assert [p.referral_office_id for p in handover.people] == [centre, centre]
    assert heard == [[centre, centre]]  # the receiver reads the centre from the people
    frozen = issued.snapshot["people"][0]["referral_office"]
    assert frozen["code"] == "QT-SPC"
    assert "Quảng Trị" in frozen["names"]["vi"]
    # The record freezes the centre's name: renaming the centre later changes nothing.
    pdf = render_handover_record(issued.snapshot)
    db.session.get(Office, centre).name_vi = "Tên mới của trung tâm"
    db.session.flush()
    assert render_handover_record(db.session.get(HandoverRecord, issued.id).snapshot) == pdf


@pytest.mark.parametrize(
    ("code", "referral", "message"),
    [
        ("SVK-SPC", "social_protection_centre", CENTRE_OF_ANOTHER_COUNTRY),  # Lao centre
        ("QT-BLO", "social_protection_centre", CENTRE_OF_ANOTHER_COUNTRY),  # not a centre
        ("QT-SPC", "family", CENTRE_WITHOUT_REFERRAL),
        ("QT-SPC", None, CENTRE_WITHOUT_REFERRAL),
    ],
)
def test_a_wrong_centre_is_refused_and_nothing_is_stored(app_ctx, code, referral, message):
    handover = scheduled_handover()
    people = _people(handover, referral=referral, referral_office_id=office_id(code))
    first = handover.people[0]
    with pytest.raises(OperationError) as refused:
        _complete(handover, people)
    expected = translated(app_ctx, "vi", message)  # operations speak the default language
    assert refused.value.errors == {f"p{first.id}-referral_office_id": [expected]}
    assert [(p.handed_over, p.referral, p.referral_office_id) for p in handover.people] == [
        (None, None, None),
        (None, None, None),
    ]
    assert handover.state == "scheduled"


def test_an_inactive_centre_is_refused(app_ctx):
    handover = scheduled_handover()
    centre = db.session.get(Office, office_id("QT-SPC"))
    centre.active = False
    db.session.flush()
    with pytest.raises(OperationError):
        _complete(handover, _people(handover, referral_office_id=centre.id))


def test_a_referral_changed_away_from_a_centre_takes_the_centre_along(app_ctx):
    handover = scheduled_handover()
    _complete(handover, _people(handover, referral_office_id=office_id("LS-SH")), action="save")
    assert {p.referral_office_id for p in handover.people} == {office_id("LS-SH")}
    _complete(handover, _people(handover, referral="family", referral_office_id=None))
    assert {p.referral_office_id for p in handover.people} == {None}


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m-%dT%H:%M")


def _setup(app):
    with app.app_context():
        handover = scheduled_handover()
        db.session.commit()
        return handover.id, handover.version, [p.id for p in handover.people]


def _form(version, people, **per_person) -> dict:
    data = {"action": "complete", "completed_at": _local(datetime.now(UTC)), "version": version}
    for person_id in people:
        data[f"p{person_id}-handed_over"] = "1"
        data |= {f"p{person_id}-{name}": value for name, value in per_person.items()}
    return data


def test_the_log_form_offers_the_receiving_countrys_centres_and_stores_the_choice(
    app, client, auth
):
    handover_id, version, people = _setup(app)
    with app.app_context():
        centres = {code: office_id(code) for code in ("QT-SPC", "LS-SPC", "LS-SH", "SVK-SPC")}
        qt_blo = office_id("QT-BLO")
    auth.login("qt.guard")
    page = client.get(f"/handovers/{handover_id}/log").get_data(as_text=True)
    select_name = f"p{people[0]}-referral_office_id"
    options = re.search(rf'<select id="f-{select_name}".*?</select>', page, re.S).group(0)
    offered = {int(value) for value in re.findall(r'<option value="(\d+)"', options)}
    # Vietnam receives: Vietnamese centres and shelters only, no Lao centre, no other office.
    assert {centres["QT-SPC"], centres["LS-SPC"], centres["LS-SH"]} <= offered
    assert centres["SVK-SPC"] not in offered and qt_blo not in offered
    data = _form(
        version, people, referral="social_protection_centre", referral_office_id=centres["QT-SPC"]
    )
    response = client.post(f"/handovers/{handover_id}/log", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalars(
            select(HandoverPerson.referral_office_id).where(
                HandoverPerson.handover_id == handover_id
            )
        ).all()
        assert stored == [centres["QT-SPC"], centres["QT-SPC"]]
        centre_name = db.session.get(Office, centres["QT-SPC"]).name_vi
    detail = html.unescape(client.get(f"/handovers/{handover_id}").get_data(as_text=True))
    assert centre_name in detail


@pytest.mark.parametrize(
    ("referral", "value", "message"),
    [
        ("social_protection_centre", "SVK-SPC", CENTRE_OF_ANOTHER_COUNTRY),
        ("social_protection_centre", "QT-BLO", CENTRE_OF_ANOTHER_COUNTRY),
        ("family", "QT-SPC", CENTRE_WITHOUT_REFERRAL),
        ("social_protection_centre", "99999999999999999999", "Choose one of the listed options."),
        ("social_protection_centre", "-3", "Choose one of the listed options."),
        ("social_protection_centre", "ba mươi", None),
    ],
)
def test_bad_centres_on_the_form_get_a_translated_message_and_nothing_changes(
    app, client, auth, referral, value, message
):
    handover_id, version, people = _setup(app)
    with app.app_context():
        if "-" in value and value[0].isalpha():
            value = str(office_id(value))
    auth.login("qt.guard")
    data = _form(version, people, referral=referral, referral_office_id=value, health="Tốt")
    response = client.post(f"/handovers/{handover_id}/log", data=data)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    if message:
        assert translated(app, "vi", message) in page
    name = f"p{people[0]}-referral_office_id"
    assert re.search(rf'<div class="field invalid">\s*<label for="f-{name}"', page)
    assert f'<details class="card person-log" id="person-{people[0]}" open>' in page
    with app.app_context():
        handover = db.session.get(Handover, handover_id)
        assert handover.state == "scheduled" and handover.version == version
        assert [(p.health, p.referral_office_id) for p in handover.people] == [
            (None, None),
            (None, None),
        ]
        assert db.session.scalars(select(HandoverRecord)).all() == []
