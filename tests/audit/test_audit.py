"""The audit log records who did what, from where, and detects tampering."""

from sqlalchemy import func, select, text

from coordination.audit.models import AuditEntry
from coordination.audit.operations import record, verify_chain
from coordination.audit.policies import visible_entries
from coordination.extensions import db
from tests.conftest import translated, user_named


def _latest(action: str) -> AuditEntry:
    return db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    )


def test_sign_in_is_recorded_with_address_and_browser(app, client, auth):
    auth.login("svk.liaison", **{"User-Agent": "Firefox/140 test"})
    with app.app_context():
        entry = _latest("auth.login")
        assert entry.actor_name == "svk.liaison"
        assert entry.actor_office_id == user_named("svk.liaison").office_id
        assert entry.ip_address == "127.0.0.1"
        assert entry.user_agent == "Firefox/140 test"


def test_demo_database_chain_is_intact(app_ctx):
    check = verify_chain()
    assert check.intact
    assert check.entries > 20  # demo offices, partnerships and users were all recorded


def test_changing_an_entry_is_detected(app_ctx):
    victim = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id).offset(5).limit(1))
    db.session.execute(
        text("UPDATE audit_entries SET actor_name = 'someone else' WHERE id = :id"),
        {"id": victim},
    )
    db.session.commit()
    check = verify_chain()
    assert not check.intact
    assert check.broken_at == victim


def test_removing_an_entry_is_detected(app_ctx):
    ids = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": ids[3]})
    db.session.commit()
    check = verify_chain()
    assert check.broken_at == ids[4]


def test_recomputing_a_digest_without_the_key_does_not_help(app_ctx):
    import hashlib

    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id).offset(2).limit(1))
    forged = hashlib.sha256(b"forged").hexdigest()
    db.session.execute(
        text("UPDATE audit_entries SET digest = :digest WHERE id = :id"),
        {"digest": forged, "id": entry.id},
    )
    db.session.commit()
    assert verify_chain().broken_at == entry.id


def test_cli_verify_reports_tampering_with_a_failing_exit_code(app, runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
    with app.app_context():
        db.session.execute(text("UPDATE audit_entries SET action = 'x' WHERE id = 2"))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "TAMPERED" in result.output


def test_details_with_any_script_round_trip_through_the_chain(app_ctx):
    record(
        "test.event",
        details={"name": "ສົມສັກ 李明 Nguyễn", "n": 3, "nested": {"ok": True, "none": None}},
    )
    db.session.commit()
    assert verify_chain().intact


def test_directory_change_is_recorded_with_a_diff(app, client, auth):
    auth.login("admin")
    with app.app_context():
        from coordination.directory.models import BorderGate

        gate = db.session.scalar(select(BorderGate).where(BorderGate.code == "LALAY-LALAY"))
        form = {
            "code": gate.code,
            "vietnam_area_id": str(gate.vietnam_area_id),
            "partner_area_id": str(gate.partner_area_id),
            "name_vi": gate.name_vi,
            "name_lo": "ລາໄລ – ລາໄລ (ແກ້ໄຂ)",
            "name_zh": gate.name_zh,
            "name_en": gate.name_en,
            "active": "1",
            "names_reviewed": "1",
            "version": str(gate.version),
        }
    assert client.post(f"/directory/gates/{gate.id}/edit", data=form).status_code == 302
    with app.app_context():
        entry = _latest("border_gate.update")
        assert entry.actor_name == "admin"
        assert entry.details["name_lo"] == ["ລາໄລ – ລາໄລ", "ລາໄລ – ລາໄລ (ແກ້ໄຂ)"]
        assert entry.details["names_reviewed"] == [False, True]
        assert verify_chain().intact


def test_supervisor_reads_only_their_provinces_entries(app, client, auth):
    auth.login("px.liaison")
    auth.logout()
    auth.login("qt.liaison")
    auth.logout()
    with app.app_context():
        supervisor = user_named("qt.supervisor")
        entries = db.session.scalars(visible_entries(supervisor)).all()
        names = {entry.actor_name for entry in entries}
        assert "qt.liaison" in names
        assert "px.liaison" not in names
        assert db.session.scalars(visible_entries(user_named("qt.guard"))).all() == []
    auth.login("qt.supervisor")
    signed_in = translated(app, "vi", "%(actor)s signed in.", actor="")
    page = client.get("/audit/?who=px.liaison").get_data(as_text=True)
    assert signed_in not in page
    page = client.get("/audit/?who=qt.liaison").get_data(as_text=True)
    assert signed_in in page


def test_only_supervisors_and_admins_open_the_audit_log(client, auth):
    auth.login("qt.liaison")
    assert client.get("/audit/").status_code == 403
    assert client.post("/audit/verify").status_code == 403
    auth.logout()
    auth.login("admin")
    assert client.get("/audit/").status_code == 200
    response = client.post("/audit/verify", follow_redirects=True)
    assert response.status_code == 200


def test_an_administrators_change_is_read_by_the_province_it_concerns(app, client, auth):
    """The admin works in Quảng Trị; editing a Lạng Sơn user concerns Lạng Sơn only."""
    auth.login("admin")
    with app.app_context():
        target = user_named("ls.liaison")
        form = {
            "username": target.username,
            "full_name": target.full_name,
            "email": "new.address@example.org",
            "office_id": str(target.office_id),
            "roles-present": "1",
            "roles": list(target.roles),
            "locale": target.locale,
            "timezone": target.timezone,
            "is_enabled": "1",
            "version": str(target.version),
        }
    assert client.post(f"/admin/users/{target.id}/edit", data=form).status_code == 302
    with app.app_context():
        qt = {e.action for e in db.session.scalars(visible_entries(user_named("qt.supervisor")))}
        ls = {e.action for e in db.session.scalars(visible_entries(user_named("ls.supervisor")))}
    assert "user.update" not in qt
    assert "user.update" in ls


def test_administrators_see_the_last_checkpoint_and_a_cut_tail_on_verify(app, client, auth, runner):
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    auth.login("admin")
    page = client.get("/audit/").get_data(as_text=True)
    assert "Last checkpoint: entry" in page
    with app.app_context():
        last = db.session.scalar(text("SELECT MAX(sequence) FROM audit_entries"))
        db.session.execute(text("DELETE FROM audit_entries WHERE sequence = :s"), {"s": last})
        db.session.commit()
    page = client.post("/audit/verify", follow_redirects=True).get_data(as_text=True)
    assert f"entry {last} is missing (deleted)." in page
    auth.logout()
    auth.login("qt.supervisor")
    assert "Last checkpoint" not in client.get("/audit/").get_data(as_text=True)


def test_entries_from_before_sequences_still_verify_after_the_upgrade(app_ctx, runner):
    """Migration 0008 numbers existing entries in chain order without re-signing them."""
    import hashlib
    import hmac
    import json

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import JSON, column, table

    from coordination.core.db import UTCDateTime

    downgrade(revision="20261204_0007")
    # Rewrite the log as the code before sequences signed it.
    fields = [
        "created_at", "actor_id", "actor_office_id", "subject_office_id", "actor_name",
        "action", "target_type", "target_id", "details", "ip_address", "user_agent",
    ]  # fmt: skip
    entries = table(
        "audit_entries",
        column("id"),
        column("created_at", UTCDateTime),
        column("details", JSON),
        *(column(name) for name in fields if name not in ("created_at", "details")),
    )
    key = app_ctx.config["AUDIT_KEY"].encode()
    previous = "0" * 64
    rows = db.session.execute(select(entries).order_by(entries.c.id)).mappings().all()
    for row in rows:
        payload = {name: row[name] for name in fields}
        payload["created_at"] = row["created_at"].isoformat()
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hmac.new(key, previous.encode() + canonical.encode(), hashlib.sha256).hexdigest()
        db.session.execute(
            text("UPDATE audit_entries SET previous_digest = :p, digest = :d WHERE id = :id"),
            {"p": previous, "d": digest, "id": row["id"]},
        )
        previous = digest
    db.session.commit()
    db.session.remove()

    upgrade()
    numbered = db.session.execute(
        text("SELECT sequence, format FROM audit_entries ORDER BY id")
    ).all()
    assert numbered == [(number, 1) for number in range(1, len(rows) + 1)]
    record("test.after_upgrade")
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"{len(rows) + 1} entries verified" in result.output
    db.session.execute(text("DELETE FROM audit_entries WHERE sequence >= :s"), {"s": len(rows)})
    db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1


def test_supervisors_see_who_read_and_changed_a_person_of_their_province(app, client, auth):
    """A person has no office of their own: their entries belong to the case's office."""
    from tests.exchange.helpers import make_case

    with app.app_context():
        _case, victim, _relative = make_case()
        db.session.commit()
        victim_id = victim.id
    auth.login("qt.liaison")
    assert client.get(f"/cases/people/{victim_id}").status_code == 200
    with app.app_context():

        def views(username):
            return [
                entry
                for entry in db.session.scalars(visible_entries(user_named(username)))
                if entry.action == "person.view" and entry.target_id == victim_id
            ]

        assert views("qt.supervisor")  # Quảng Trị's case
        assert not views("ls.supervisor")


def test_writers_at_the_same_moment_keep_one_unbroken_chain(app):
    """Sixteen requests writing audit entries at once (as a busy morning's case pages do):
    every entry gets its own number, one after the other, and the chain verifies."""
    import threading

    with app.app_context():
        before = db.session.scalar(select(func.max(AuditEntry.sequence)))
    start = threading.Barrier(16)
    failures = []

    def write(number):
        try:
            with app.app_context():
                start.wait()
                for round_ in range(4):
                    record("test.concurrent", details={"writer": number, "round": round_})
                    db.session.commit()
        except Exception as error:  # reported below, with the writer
            failures.append((number, error))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with app.app_context():
        written = db.session.scalars(
            select(AuditEntry.sequence)
            .where(AuditEntry.action == "test.concurrent")
            .order_by(AuditEntry.sequence)
        ).all()
        assert written == list(range(before + 1, before + 65))
        check = verify_chain()
        assert check.intact, check.problems
