"""`flask audit verify` fails on every way of altering the log that needs no AUDIT_KEY.

Each tamper case runs twice: with no checkpoint file yet (the chain state alone must catch
it) and after `flask audit checkpoint` (the checkpoint must not mask anything). The tampering
is plain SQL, as someone with database access would do it.
"""

from __future__ import annotations

import json
import os
import threading
import time

import pytest
from sqlalchemy import text

from coordination.audit.operations import read_checkpoints, record
from coordination.extensions import db
from tests.conftest import _app_for


@pytest.fixture
def app(database_url):
    """Automatic checkpoints off: each test decides when one is written."""
    app = _app_for(database_url, AUDIT_CHECKPOINT_SECONDS=0)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _sql(app, statement: str, **params) -> None:
    with app.app_context():
        db.session.execute(text(statement), params)
        db.session.commit()


def _scalar(app, statement: str, **params):
    with app.app_context():
        return db.session.execute(text(statement), params).scalar()


def _grow(app, count: int) -> None:
    """Entries as the app writes them (so the log is long enough to cut 50 off its end)."""
    with app.app_context():
        for number in range(count):
            record("test.event", details={"n": number})
        db.session.commit()


def _last(app) -> int:
    return _scalar(app, "SELECT MAX(sequence) FROM audit_entries")


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def edit_an_entry(app):
    _sql(app, "UPDATE audit_entries SET actor_name = 'someone else' WHERE sequence = 6")
    return "entry 6 (id"


def delete_a_middle_entry(app):
    _sql(app, "DELETE FROM audit_entries WHERE sequence = 4")
    return "entry 4 is missing"


def delete_the_last_entry(app):
    last = _last(app)
    _sql(app, "DELETE FROM audit_entries WHERE sequence = :last", last=last)
    return f"entry {last} is missing"


def delete_the_last_50(app):
    last = _last(app)
    _sql(app, "DELETE FROM audit_entries WHERE sequence > :cut", cut=last - 50)
    return f"entries {last - 49} to {last} are missing"


def delete_everything_from_a_point(app):
    last = _last(app)
    _sql(app, "DELETE FROM audit_entries WHERE sequence >= 10")
    return f"entries 10 to {last} are missing"


def delete_everything(app):
    last = _last(app)
    _sql(app, "DELETE FROM audit_entries")
    return f"entries 1 to {last} are missing"


def delete_the_tail_then_write_new_entries(app):
    last = _last(app)
    _sql(app, "DELETE FROM audit_entries WHERE sequence > :cut", cut=last - 5)
    _grow(app, 3)  # before sequences, these took the deleted ids and the chain verified
    return f"entries {last - 4} to {last} are missing"


def delete_the_tail_and_reset_the_chain_state(app):
    last = _last(app)
    _sql(app, "DELETE FROM audit_entries WHERE sequence > :cut", cut=last - 5)
    _sql(
        app,
        "UPDATE audit_chain_state SET last_sequence = :cut, head_digest ="
        " (SELECT digest FROM audit_entries WHERE sequence = :cut)",
        cut=last - 5,
    )
    return "chain state row was edited or reset"


def delete_the_chain_state(app):
    _sql(app, "DELETE FROM audit_chain_state")
    return "chain state row is missing"


TAMPERING = [
    edit_an_entry,
    delete_a_middle_entry,
    delete_the_last_entry,
    delete_the_last_50,
    delete_everything_from_a_point,
    delete_everything,
    delete_the_tail_then_write_new_entries,
    delete_the_tail_and_reset_the_chain_state,
    delete_the_chain_state,
]


@pytest.mark.parametrize("checkpointed", [False, True], ids=["no-checkpoint", "checkpointed"])
@pytest.mark.parametrize("tamper", TAMPERING, ids=lambda f: f.__name__)
def test_verify_fails_on_tampering(app, runner, tamper, checkpointed):
    _grow(app, 60)
    if checkpointed:
        assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert _verify(runner).exit_code == 0
    expected = tamper(app)
    result = _verify(runner)
    assert result.exit_code == 1, result.output
    assert "AUDIT LOG TAMPERED" in result.output
    assert expected in result.output


def test_intact_log_reports_entries_and_the_last_confirmed_checkpoint(app, runner):
    result = _verify(runner)
    assert result.exit_code == 0
    assert "no checkpoint file yet" in result.output  # a warning; the chain state still counts
    last = _last(app)
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0 and f"sequence {last}" in result.output
    _grow(app, 2)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert f"Audit entries checked: {last + 2}." in result.output
    assert f"Last confirmed checkpoint: sequence {last}," in result.output
    assert "Audit log intact" in result.output


def test_a_replayed_chain_state_is_caught_by_the_checkpoint(app, runner):
    """Someone who kept a copy of the genuine state row deletes the entries written since and
    puts the old row back: the database alone looks intact; the checkpoint file does not."""
    with app.app_context():
        old_state = dict(
            db.session.execute(text("SELECT * FROM audit_chain_state")).mappings().one()
        )
    _grow(app, 5)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    _sql(
        app,
        "DELETE FROM audit_entries WHERE sequence > :kept",
        kept=old_state["last_sequence"],
    )
    _sql(
        app,
        "UPDATE audit_chain_state SET last_sequence = :last_sequence,"
        " head_digest = :head_digest, signature = :signature",
        **{key: old_state[key] for key in ("last_sequence", "head_digest", "signature")},
    )
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"sequence {old_state['last_sequence'] + 5}): entries up to it" in result.output


def _checkpoint_lines(app) -> list[str]:
    with open(app.config["AUDIT_CHECKPOINT_FILE"], encoding="utf-8") as handle:
        return handle.read().splitlines()


def _write_lines(app, lines: list[str]) -> None:
    with open(app.config["AUDIT_CHECKPOINT_FILE"], "w", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))


def test_an_edited_checkpoint_line_is_detected(app, runner):
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    _grow(app, 3)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    lines = _checkpoint_lines(app)
    edited = json.loads(lines[1])
    edited["sequence"] -= 3  # as if the last three entries had never been written
    lines[1] = json.dumps(edited)
    _write_lines(app, lines)
    result = _verify(runner)
    assert result.exit_code == 1
    assert "line 2 of the checkpoint file is not a validly signed checkpoint" in result.output


def test_a_forged_checkpoint_line_is_detected(app, runner):
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    genuine = json.loads(_checkpoint_lines(app)[0])
    forged = {**genuine, "at": "2030-01-01T00:00:00+00:00", "mac": "0" * 64}
    with open(app.config["AUDIT_CHECKPOINT_FILE"], "a", encoding="utf-8") as handle:
        handle.write(json.dumps(forged) + "\n" + "not json at all\n")
    result = _verify(runner)
    assert result.exit_code == 1
    assert "line 2 of the checkpoint file" in result.output
    assert "line 3 of the checkpoint file" in result.output


def test_checkpoint_refuses_to_sign_a_tampered_chain_state(app, runner):
    _sql(app, "UPDATE audit_chain_state SET last_sequence = last_sequence - 1")
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 1
    assert "No checkpoint written" in result.output
    with app.app_context():
        assert read_checkpoints().checkpoints == []


def test_sequences_are_never_reused_after_entries_are_deleted(app):
    last = _last(app)
    _sql(app, "DELETE FROM audit_entries WHERE sequence > :cut", cut=last - 3)
    _grow(app, 1)
    assert _last(app) == last + 1


def test_a_request_writes_a_checkpoint_when_the_last_is_too_old(database_url):
    app = _app_for(database_url, AUDIT_CHECKPOINT_SECONDS=300)
    path = app.config["AUDIT_CHECKPOINT_FILE"]
    client = app.test_client()
    client.get("/login")  # a commit at the end of the request
    assert len(_checkpoint_lines(app)) == 1
    client.get("/login")
    assert len(_checkpoint_lines(app)) == 1  # the last one is recent
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    client.get("/login")
    assert len(_checkpoint_lines(app)) == 2
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
        db.session.remove()
        db.engine.dispose()


def test_concurrent_checkpoint_writers_write_whole_lines(app):
    from coordination.audit.operations import write_checkpoint

    errors = []

    def writer():
        try:
            with app.app_context():
                for _ in range(15):
                    write_checkpoint()
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        stored = read_checkpoints()
    assert stored.bad_lines == []
    assert len(stored.checkpoints) == 90


def test_without_its_chain_state_the_app_refuses_audited_actions_with_a_message(app, client, auth):
    """Nothing that must be audited happens unaudited: a clear 503, not a server error."""
    _sql(app, "DELETE FROM audit_chain_state")
    from flask_babel import force_locale
    from markupsafe import escape

    from coordination.audit.operations import ChainStateMissingError

    response = auth.login("qt.liaison")
    assert response.status_code == 503
    # The page is in the language of the user signing in (Vietnamese).
    with app.test_request_context(), force_locale("vi"):
        message = ChainStateMissingError().message
    assert "Nhật ký truy vết" in message
    assert str(escape(message)) in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM audit_chain_state")) == 0
