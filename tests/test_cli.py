"""The flask commands: reference and demo data are idempotent; users are created safely."""

import re

from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.directory.models import AdministrativeArea, BorderGate, Country, Office
from coordination.extensions import db
from tests.conftest import user_named


def _counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Country, AdministrativeArea, BorderGate, Office, User)
    }


def test_reference_data_has_every_name_in_four_languages(app_ctx):
    for model in (Country, AdministrativeArea, BorderGate):
        for row in db.session.scalars(select(model)):
            assert all(row.names.values()), row


def test_reference_and_demo_data_load_twice_without_change(app, runner):
    with app.app_context():
        before = _counts()
    result = runner.invoke(args=["reference-data", "load", "--scope", "core"])
    assert result.exit_code == 0
    assert "nothing changed" in result.output
    result = runner.invoke(args=["demo-data", "load", "--scope", "core"])
    assert result.exit_code == 0
    assert "nothing changed" in result.output
    assert "border-demo-2026" in result.output and "svk.liaison" in result.output
    with app.app_context():
        assert _counts() == before


def test_reference_load_keeps_an_administrators_correction(app, runner):
    with app.app_context():
        gate = db.session.scalar(select(BorderGate).where(BorderGate.code == "CHIMA-AIDIAN"))
        gate.name_lo = "ຈີມາ – ອ້າຍດຽນ (corrected)"
        db.session.commit()
    runner.invoke(args=["reference-data", "load"])
    with app.app_context():
        gate = db.session.scalar(select(BorderGate).where(BorderGate.code == "CHIMA-AIDIAN"))
        assert gate.name_lo == "ຈີມາ – ອ້າຍດຽນ (corrected)"


def test_seeded_places_await_review_where_spellings_are_best_effort(app_ctx):
    gate = db.session.scalar(select(BorderGate).where(BorderGate.code == "LAOBAO-DENSAVANH"))
    assert gate.names_reviewed is False
    assert gate.name_zh == "老保 – 丹沙湾"


def test_create_user_command(app, runner):
    result = runner.invoke(
        args=[
            "users", "create", "--username", "ls.new", "--full-name", "Lý Văn Tám",
            "--office", "ls-blo", "--role", "liaison_officer", "--locale", "vi",
        ],
        input="a-good-password\na-good-password\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert user_named("ls.new").office.code == "LS-BLO"


def test_create_user_command_refuses_bad_input(app, runner):
    base = ["users", "create", "--full-name", "X Y", "--role", "supervisor"]
    result = runner.invoke(
        args=[*base, "--username", "qt.liaison", "--office", "QT-BLO"],
        input="a-good-password\na-good-password\n",
    )
    assert result.exit_code != 0
    result = runner.invoke(
        args=[*base, "--username", "fresh.one", "--office", "NOPE"],
        input="a-good-password\na-good-password\n",
    )
    assert result.exit_code != 0 and "No office" in result.output
    with app.app_context():
        assert user_named("fresh.one") is None


def test_create_token_command_prints_a_working_token(app, runner, client):
    result = runner.invoke(args=["users", "create-token", "px.liaison", "--name", "sync"])
    token = result.output.strip()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["username"] == "px.liaison"


def test_demo_records_give_verifications_to_try(app, runner, client, auth):
    result = runner.invoke(args=["demo-data", "load", "--records", "--scope", "core"])
    assert result.exit_code == 0
    assert "8 missing-person reports" in result.output
    assert "4 communes" in result.output
    assert "2 verification requests" in result.output
    assert "1 scheduled handovers" in result.output
    again = runner.invoke(args=["demo-data", "load", "--records", "--scope", "core"])
    assert again.exit_code == 0 and "nothing changed" in again.output
    # Quảng Trị's inbox holds the Lao-script request. Of two namesakes of one age, the one
    # from the commune the partner wrote in Lao (ບ້ານເຮືອງຟຸງ: Hướng Phùng) comes first.
    auth.login("qt.liaison")
    inbox = client.get("/requests/inbox").get_data(as_text=True)
    request_id = re.search(r'href="/requests/(\d+)"', inbox).group(1)
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    first = page.split('class="candidates"')[1]
    assert first.index("Nguyễn Thị Hướng") < first.index("Nguyễn Thị Hương<")
    # Lạng Sơn's request came in Chinese characters and pinyin.
    auth.logout()
    auth.login("ls.liaison")
    inbox = client.get("/requests/inbox").get_data(as_text=True)
    request_id = re.search(r'href="/requests/(\d+)"', inbox).group(1)
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    candidates = page.split('class="candidates"')
    assert "Phạm Thị Lan" in candidates[1]
    assert "Lưu Thị Mai" in candidates[2]
