"""A stored file and its Document row are saved together or not at all, even after a crash;
``flask uploads cleanup`` removes what a crash leaves behind."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from coordination.attachments.models import Document
from coordination.attachments.storage import document_path, save_document
from coordination.cases.models import Case
from coordination.extensions import db
from tests.conftest import TEST_SETTINGS, user_named
from tests.exchange.helpers import make_case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def folder(app, tmp_path) -> Path:
    uploads = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(uploads)
    return uploads


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*/*")) if folder.exists() else []


def _save(case_id: int):
    actor = user_named("qt.liaison")
    return save_document(PDF, "application/pdf", "scan.pdf", office_id=actor.office_id,
                         uploader=actor, case_id=case_id)  # fmt: skip


def _case_id() -> int:
    office_id = user_named("qt.liaison").office_id
    found = db.session.scalar(select(Case.id).where(Case.office_id == office_id).limit(1))
    if found is None:
        case, _victim, _relative = make_case()
        db.session.commit()
        found = case.id
    return found


def test_a_committed_upload_is_stored_under_its_key(app_ctx, folder):
    document = _save(_case_id())
    assert _files(folder) == [document.storage_key + ".part"]  # not final before the commit
    db.session.commit()
    assert _files(folder) == [document.storage_key]
    assert document_path(document).read_bytes() == PDF


@pytest.mark.parametrize("ending", ["rollback", "discard"])
def test_an_upload_whose_transaction_does_not_commit_leaves_no_file(app_ctx, folder, ending):
    _save(_case_id())
    assert len(_files(folder)) == 1
    if ending == "rollback":
        db.session.rollback()
    else:
        db.session.remove()  # the request ends without a commit
    assert _files(folder) == []


def test_a_crash_before_the_commit_leaves_no_file_a_document_could_name(app, folder, runner):
    """kill -9 between writing and committing: only a .part file remains, never served,
    and the cleanup command removes it once it is old enough to belong to no request."""
    script = textwrap.dedent(
        f"""
        import os
        from coordination import create_app
        from coordination.attachments.storage import save_document
        from coordination.extensions import db
        from tests.conftest import user_named
        app = create_app({{**{TEST_SETTINGS!r},
                          "SQLALCHEMY_DATABASE_URI": {app.config["SQLALCHEMY_DATABASE_URI"]!r},
                          "UPLOAD_FOLDER": {str(folder)!r}}})
        with app.app_context():
            actor = user_named("qt.liaison")
            save_document(b"%PDF-1.4 crash", "application/pdf", "a.pdf",
                          office_id=actor.office_id, uploader=actor, case_id={_case_id_in(app)})
            os._exit(9)  # as kill -9: no commit, no rollback, no clean-up
        """
    )
    result = subprocess.run(  # noqa: S603 - our own script, run by our own interpreter
        [sys.executable, "-c", script],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 9, result.stderr.decode()[-2000:]
    (left,) = folder.glob("*/*")
    assert left.name.endswith(".part")
    with app.app_context():
        assert db.session.scalar(select(Document).where(Document.storage_key == left.stem)) is None

    # Recent: a request may still be writing it, so it stays.
    assert "0 stray file(s)" in runner.invoke(args=["uploads", "cleanup"]).output
    assert left.exists()
    hour_ago = time.time() - 3700
    os.utime(left, (hour_ago, hour_ago))
    dry = runner.invoke(args=["uploads", "cleanup", "--dry-run"])
    assert f"would remove {left.parent.name}/{left.name}" in dry.output and left.exists()
    done = runner.invoke(args=["uploads", "cleanup"])
    assert done.exit_code == 0
    assert f"removed {left.parent.name}/{left.name}" in done.output
    assert _files(folder) == []


def _case_id_in(app) -> int:
    with app.app_context():
        return _case_id()


def test_cleanup_removes_files_no_document_points_to_and_keeps_the_rest(app, folder, runner):
    with app.app_context():
        kept = _save(_case_id())
        db.session.commit()
        kept_key = kept.storage_key
        unfinished = _save(_case_id()).storage_key  # committed; then the move is undone
        db.session.commit()
    moved = folder / unfinished[:2] / unfinished
    partial = moved.with_name(moved.name + ".part")
    moved.rename(partial)
    hour_ago = time.time() - 3700
    os.utime(partial, (hour_ago, hour_ago))
    stray = folder / "ab" / ("ab" + "0" * 30)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"left by an old crash")
    unknown = folder / "README"  # not a stored upload's name: never touched
    unknown.write_text("notes")

    output = runner.invoke(args=["uploads", "cleanup"]).output
    assert f"removed ab/{stray.name}: no document points to it" in output
    assert "restored" in output
    assert not stray.exists() and unknown.exists()
    assert moved.read_bytes() == PDF and not partial.exists()
    assert (folder / kept_key[:2] / kept_key).exists()


def test_a_case_upload_through_the_page_is_stored_once(app, client, auth, folder):
    auth.login("qt.liaison")
    case_id = _case_id_in(app)
    response = client.post(
        f"/cases/{case_id}/documents",
        data={"documents": [(io.BytesIO(PDF), "scan.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        keys = db.session.scalars(select(Document.storage_key)).all()
    assert _files(folder) == sorted(key for key in keys if (folder / key[:2] / key).exists())
    assert len(_files(folder)) == 1 and not _files(folder)[0].endswith(".part")
