"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, and helpers."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from coordination.extensions import db
from tests.conftest import user_named
from tests.exchange.helpers import office_id


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=default_policy)

    @property
    def text(self) -> str:
        return self.message.get_content()


@dataclass
class Mailbox:
    """aiosmtpd handler: accepts everything, or refuses at RCPT or DATA when told to."""

    refuse_rcpt: str | None = None
    refuse_data: str | None = None
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.refuse_data:
            return self.refuse_data
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        self.received.append(received)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: Mailbox

    @property
    def received(self) -> list[Received]:
        return self.mailbox.received

    def settings(self, **overrides) -> dict:
        return {
            "MAIL_ENABLED": True,
            "MAIL_SERVER": self.host,
            "MAIL_PORT": self.port,
            "MAIL_TIMEOUT_SECONDS": 5,
            "MAIL_SENDER": "Coordination <coordination@blo.example.org>",
            "BASE_URL": "https://coordination.example.org",
            **overrides,
        }


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(controller.hostname, controller.port, mailbox)
    finally:
        controller.stop()


def give_email(username: str, address: str) -> None:
    user_named(username).email = address
    db.session.flush()


def compose_data(to: str = "SVK-BLO", kind: str = "identity_verification", **overrides) -> dict:
    return {
        "recipient_office_id": office_id(to),
        "kind": kind,
        "subject": "Đề nghị xác minh nhân thân hai phụ nữ",
        "body": "Đề nghị quý Văn phòng xác minh nhân thân.",
        "case_id": None,
        "person_ids": [],
        "shared_fields": [],
        "action": "send",
        **overrides,
    }
