"""The demo contacts load once, and the liaison office finds the guard's urgent call passed
to it, with the case number the guard wrote matching its demo case."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.cases.models import Case
from coordination.contacts.demo import add_demo_records
from coordination.contacts.models import Contact
from coordination.contacts.queries import forwarded_to
from coordination.directory.reference_data import LoadReport
from coordination.extensions import db
from tests.conftest import user_named


def test_demo_contacts_load_once_with_a_call_passed_to_the_liaison_office(app_ctx):
    report = LoadReport()
    add_demo_records(report)
    add_demo_records(report)
    assert report.added == {"contacts": 4}
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 4
    [passed] = db.session.scalars(forwarded_to(user_named("ls.liaison"))).all()
    assert passed.office.code == "LS-BGS-HN" and passed.is_urgent
    case = db.session.scalar(select(Case).where(Case.number == passed.case_reference))
    assert case is not None and case.office.code == "LS-BLO"
