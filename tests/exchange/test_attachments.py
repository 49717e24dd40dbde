"""Attachments: checked by content, stored outside the web root, served after an access check."""

import io

from sqlalchemy import func, select

from coordination.attachments.models import Document
from coordination.exchange.models import Request, RequestMessage
from coordination.extensions import db
from tests.exchange.helpers import make_case, send_request

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _request(app):
    with app.app_context():
        case, victim, _relative = make_case()
        request = send_request(case, [victim], kind="information")
        db.session.commit()
        return request.id


def _counts(app, request_id):
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Document.id))),
            db.session.scalar(
                select(func.count(RequestMessage.id)).where(RequestMessage.request_id == request_id)
            ),
            db.session.get(Request, request_id).state,
        )


def test_a_reply_carries_a_scan_the_sender_can_download(app, client, auth):
    request_id = _request(app)
    auth.login("svk.liaison")
    response = client.post(
        f"/requests/{request_id}/steps",
        data={
            "step": "reply",
            "body": "ເອກະສານຄັດຕິດ",
            "attachments": [(io.BytesIO(PDF), "ໃບຢັ້ງຢືນ.pdf"), (io.BytesIO(PNG), "photo.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        documents = db.session.scalars(select(Document).order_by(Document.id)).all()
        assert [(d.filename, d.content_type) for d in documents] == [
            ("ໃບຢັ້ງຢືນ.pdf", "application/pdf"),
            ("photo.png", "image/png"),
        ]
        pdf_id = documents[0].id
        # Stored under the instance folder, not in the static (web) folder.
        from coordination.attachments.storage import document_path

        assert "instance" in str(document_path(documents[0]))
    auth.logout()
    auth.login("qt.liaison")
    download = client.get(f"/documents/{pdf_id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    auth.logout()
    auth.login("px.liaison")
    assert client.get(f"/documents/{pdf_id}").status_code == 404


def test_a_rejected_upload_leaves_the_request_intact(app, client, auth):
    request_id = _request(app)
    before = _counts(app, request_id)
    auth.login("svk.liaison")
    for content, name in (
        (b"MZ\x90\x00 this is a program", "scan.pdf"),  # lies about its type
        (b"<html><script>alert(1)</script>", "photo.png"),
        (b"", "empty.pdf"),
    ):
        response = client.post(
            f"/requests/{request_id}/steps",
            data={"step": "reply", "body": "x", "attachments": [(io.BytesIO(content), name)]},
            content_type="multipart/form-data",
        )
        assert response.status_code == 422, name
    assert _counts(app, request_id) == before


def test_an_oversized_attachment_is_refused(app, client, auth):
    app.config["ATTACHMENT_MAX_MB"] = 1
    request_id = _request(app)
    before = _counts(app, request_id)
    auth.login("svk.liaison")
    big = PDF + b"0" * (1024 * 1024)
    response = client.post(
        f"/requests/{request_id}/steps",
        data={"step": "reply", "body": "x", "attachments": [(io.BytesIO(big), "big.pdf")]},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert _counts(app, request_id) == before


def test_a_request_body_over_the_server_limit_gets_a_clear_answer(app, client, auth):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    request_id = _request(app)
    auth.login("svk.liaison")
    response = client.post(
        f"/requests/{request_id}/steps",
        data={"step": "reply", "body": "x", "attachments": [(io.BytesIO(PDF * 100), "a.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_attachments_of_a_refused_step_leave_no_file(app, client, auth, tmp_path):
    """The files are written before the step is refused (the request changed state): the
    rollback removes them with their rows."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    request_id = _request(app)
    auth.login("qt.liaison")
    assert (
        client.post(f"/requests/{request_id}/steps", data={"step": "withdraw"}).status_code == 302
    )
    response = client.post(
        f"/requests/{request_id}/steps",
        data={"step": "supplement", "body": "x", "attachments": [(io.BytesIO(PDF), "a.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert list((tmp_path / "uploads").glob("*/*")) == []
